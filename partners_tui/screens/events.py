"""Events: what the team raises money for. For now, a plain list of them."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from partners_tui.screens.base import MainScreen
from partners_tui.screens.tables import cell, fill, money
from partners_tui.store.counts import PREVIEW_LIMIT, counts, preview_events


class EventsScreen(MainScreen):
    MODE = "events"
    KEY = "2"
    LABEL = "Events"
    PURPOSE = (
        "Each event's goal, what is secured and in the pipeline, its pace, and the deals "
        "behind it, status by status."
    )

    def compose_body(self) -> ComposeResult:
        yield Static(id="intro", classes="screen-intro")
        table = DataTable(id="events", cursor_type="row", zebra_stripes=True)
        table.add_column("Name", key="name", width=34)
        table.add_column("Year", key="year", width=4)
        table.add_column("Start", key="start", width=10)
        table.add_column("End", key="end", width=10)
        table.add_column("Goal", key="goal", width=14)
        table.add_column("Deals", key="deals", width=6)
        table.add_column("", key="archived", width=8)
        yield table
        yield Static(
            "Coming next on this screen: each event's goal, secured and open pipeline, goal "
            "pace, its deals by status, and keys to add and edit events and deals.",
            classes="placeholder",
        )

    def reload(self) -> None:
        store = self.app.store
        currency = store.get_setting("currency", "CAD")
        total = counts(store).events
        rows = preview_events(store)
        shown = f"the first {len(rows):,} of {total:,}" if total > PREVIEW_LIMIT else f"{total:,}"
        self.query_one("#intro", Static).update(
            f"{shown} event{'s' if total != 1 else ''}, newest first."
            if total
            else "No events yet. Load demo data from the command palette ([b]ctrl+p[/]) or "
            "import the reference CRM's export with [b]partners-tui import[/]."
        )
        fill(
            self.query_one(DataTable),
            [
                (
                    row.id,
                    [
                        cell(row.name),
                        cell(row.year),
                        cell(row.start_date),
                        cell(row.end_date),
                        cell(money(row.goal_cents, currency), justify="right"),
                        cell(row.deals, justify="right"),
                        cell("archived" if row.archived else "", dim=True),
                    ],
                )
                for row in rows
            ],
        )
