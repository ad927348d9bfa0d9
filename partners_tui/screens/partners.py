"""Partners: the organisations you work with. For now, a plain list of them."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from partners_tui.screens.base import MainScreen
from partners_tui.screens.tables import cell, fill
from partners_tui.store.counts import PREVIEW_LIMIT, counts, preview_partners


class PartnersScreen(MainScreen):
    MODE = "partners"
    KEY = "3"
    LABEL = "Partners"
    PURPOSE = (
        "Every organisation you work with, as an account tree, with its contacts, deals and "
        "the full history of calls, emails and meetings."
    )

    def compose_body(self) -> ComposeResult:
        yield Static(id="intro", classes="screen-intro")
        table = DataTable(id="partners", cursor_type="row", zebra_stripes=True)
        table.add_column("Name", key="name", width=36)
        table.add_column("Industry", key="industry", width=22)
        table.add_column("Tier", key="tier", width=10)
        table.add_column("Deals", key="deals", width=6)
        table.add_column("", key="archived", width=8)
        yield table
        yield Static(
            "Coming next on this screen: search and filters, the parent/branch tree, a detail "
            "pane with contacts, deals and the activity timeline, and keys to add and edit.",
            classes="placeholder",
        )

    def reload(self) -> None:
        total = counts(self.app.store).partners
        rows = preview_partners(self.app.store)
        shown = f"the first {len(rows):,} of {total:,}" if total > PREVIEW_LIMIT else f"{total:,}"
        self.query_one("#intro", Static).update(
            f"{shown} partner{'s' if total != 1 else ''}, by name."
            if total
            else "No partners yet. Load demo data from the command palette ([b]ctrl+p[/]) or "
            "import the reference CRM's export with [b]partners-tui import[/]."
        )
        fill(
            self.query_one(DataTable),
            [
                (
                    row.id,
                    [
                        cell(row.name),
                        cell(row.industry),
                        cell(row.tier),
                        cell(row.deals, justify="right"),
                        cell("archived" if row.archived else "", dim=True),
                    ],
                )
                for row in rows
            ],
        )
