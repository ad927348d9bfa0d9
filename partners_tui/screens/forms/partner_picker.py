"""Choose a partner by typing part of its name, a contact or an email (50,000 do not fit a
drop-down). The same search as the Partners screen, one page of matches."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Input, Static

from partners_tui.store.queries.lists import PartnerFilter, search_partners
from partners_tui.screens.dialog import Dialog

if TYPE_CHECKING:
    from partners_tui.app import PartnersApp

PICKER_PAGE = 50


class PartnerPickerScreen(Dialog[tuple[str, str] | None]):
    """Dismissed with (id, name) or None. `exclude`: ids that may not be chosen (a partner
    cannot be its own parent)."""

    DEFAULT_CSS = """
    PartnerPickerScreen > #dialog {
        width: 72;
        max-width: 100%;
        max-height: 90%;
    }
    PartnerPickerScreen DataTable {
        height: auto;
        max-height: 16;
    }
    PartnerPickerScreen #picker-count {
        color: $text-muted;
    }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("down", "to_table", "Matches", show=False),
    ]

    app: "PartnersApp"

    def __init__(self, title: str = "Choose a partner", *, exclude: tuple[str, ...] = (),
                 include_archived: bool = False) -> None:
        super().__init__()
        self.title_text = title
        self.exclude = set(exclude)
        self.include_archived = include_archived

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = self.title_text
            dialog.border_subtitle = "type to search · ↓ matches · enter choose · esc cancel"
            yield Input(placeholder="Name, contact, email, tag…", id="picker-search")
            yield Static("", id="picker-count", markup=False)
            table = DataTable(id="picker-table", cursor_type="row", zebra_stripes=True)
            table.add_column("Partner", key="name", width=40)
            table.add_column("Industry", key="industry", width=18)
            yield table

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self.refresh_matches("")

    def refresh_matches(self, text: str) -> None:
        page = search_partners(
            self.app.store,
            PartnerFilter(text=text, archived="include" if self.include_archived else "hide"),
            limit=PICKER_PAGE,
        )
        table = self.query_one(DataTable)
        table.clear()
        for row in page.rows:
            if row.id in self.exclude:
                continue
            name = Text(row.name + ("  (archived)" if row.archived else ""), no_wrap=True,
                        overflow="ellipsis")
            table.add_row(name, Text(row.industry or "", style="dim", no_wrap=True), key=row.id)
        total = page.total or 0
        shown = min(total, PICKER_PAGE)
        self.query_one("#picker-count", Static).update(
            f"{total:,} match{'es' if total != 1 else ''}"
            + (f"; the first {shown} shown, type more to narrow" if total > shown else "")
        )

    def on_input_changed(self, event: Input.Changed) -> None:
        self.refresh_matches(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._choose_highlighted()

    def action_to_table(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self._choose_highlighted()

    def _choose_highlighted(self) -> None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        name = table.get_row(key)[0].plain.removesuffix("  (archived)")
        self.dismiss((key, name))

    def action_cancel(self) -> None:
        self.dismiss(None)
