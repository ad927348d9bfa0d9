"""Partners: every organisation the team works with, searchable and filterable.

The list is read a page at a time from the `partner_search` table (name order), and the next
page is fetched as the cursor or the scroll nears the end, so 50,000 partners open as fast as
fifty. Each search keystroke runs the query in a thread worker (the newest one wins), so typing
never waits on the database. Enter opens a partner's detail (`partner_detail.py`).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Static
from textual.worker import get_current_worker

from partners_tui.screens.base import MainScreen
from partners_tui.screens.tables import cell
from partners_tui.store.queries.lists import (
    PAGE_SIZE, PartnerFilter, PartnerListRow, PartnerPage, search_partners,
)
from partners_tui.widgets.figures import badge

NARROW = 100
LOAD_MORE_MARGIN = 20


class PartnersScreen(MainScreen):
    MODE = "partners"
    KEY = "3"
    LABEL = "Partners"
    PURPOSE = (
        "Every organisation you work with, as an account tree, with its contacts, deals and "
        "the full history of calls, emails and meetings."
    )

    DEFAULT_CSS = """
    PartnersScreen #partner-filters {
        height: auto;
        margin-bottom: 1;
    }
    PartnersScreen #partner-search {
        width: 1fr;
        max-width: 60;
        margin-right: 2;
    }
    PartnersScreen #partner-filter-text {
        width: 1fr;
        color: $text-muted;
    }
    PartnersScreen #partners-summary {
        color: $text-muted;
        margin-bottom: 1;
    }
    """

    CSS = """
    PartnersScreen #partners {
        height: 1fr;
        max-height: 100%;
    }
    """
    """The list fills the screen (overrides app.tcss's cap for main-screen tables)."""

    BINDINGS = [
        Binding("n", "new_partner", "New", tooltip="Add a partner"),
        Binding("e", "edit_partner", "Edit", tooltip="Edit the selected partner"),
        Binding("a", "archive_partner", "Archive", tooltip="Archive or restore the selected partner"),
        Binding("slash", "search", "Search",
                tooltip="Search names, contacts, emails, tags and notes"),
        Binding("f", "filters", "Filters",
                tooltip="Filter by status, event, tier, tag, alumni or archived"),
        Binding("c", "clear_filters", "Clear filters", tooltip="Show every partner again"),
    ]

    IS_DETAIL = False
    """True on the detail screen that subclasses this one: the list's handlers stand aside
    (Textual runs the handlers of every class in the MRO)."""

    def __init__(self) -> None:
        super().__init__()
        self.filter = PartnerFilter()
        self.rows: dict[str, PartnerListRow] = {}
        self.page: PartnerPage | None = None
        self.total: int | None = None
        self.pending_partner: str | None = None
        self.generation = 0
        self.loading_more = False
        self._columns_for: str | None = None

    # --- layout ----------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="partner-filters"):
            yield Input(placeholder="Search name, contact, email, tag, notes  ( / )",
                        id="partner-search", compact=True)
            yield Static("", id="partner-filter-text", markup=False)
        yield Static("", id="partners-summary", markup=False)
        yield DataTable(id="partners", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        if self.IS_DETAIL:
            return
        table = self.query_one("#partners", DataTable)
        table.focus()
        self.watch(table, "scroll_y", self._maybe_load_more, init=False)
        self._show_filter_text()
        if self.pending_partner:
            partner_id, self.pending_partner = self.pending_partner, None
            self.call_after_refresh(self.show_partner, partner_id)

    @property
    def narrow(self) -> bool:
        return self.app.size.width < NARROW

    def on_resize(self) -> None:
        if not self.IS_DETAIL and self.is_mounted and self._columns_for != self._layout():
            self.reload()

    def _layout(self) -> str:
        return "narrow" if self.narrow else "wide"

    def _set_columns(self, table: DataTable) -> None:
        self._columns_for = self._layout()
        table.clear(columns=True)
        if self._columns_for == "wide":
            table.add_column("Partner", key="name", width=30)
            table.add_column("Industry", key="industry", width=16)
            table.add_column("Tier", key="tier", width=8)
            table.add_column("Tags", key="tags", width=18)
            table.add_column("Primary contact", key="contact", width=22)
            table.add_column("Deals", key="deals", width=5)
            table.add_column("", key="badges", width=16)
        else:
            table.add_column("Partner", key="name", width=26)
            table.add_column("Tier", key="tier", width=7)
            table.add_column("Primary contact", key="contact", width=18)
            table.add_column("Deals", key="deals", width=5)
            table.add_column("", key="badges", width=4)

    def _cells(self, row: PartnerListRow) -> list[Any]:
        name = row.name if not row.parent else f"{row.name}"
        badges = Text(no_wrap=True)
        if self.narrow:
            if row.is_alumni:
                badges.append("★", style="yellow")
            if row.archived:
                badges.append(" A", style="dim")
        else:
            if row.is_alumni:
                badges.append_text(badge("alumni", "yellow"))
            if row.archived:
                badges.append_text(badge("archived", "dim reverse"))
        common = {
            "name": cell(name, dim=row.archived),
            "industry": cell(row.industry),
            "tier": cell(row.tier),
            "tags": cell(row.tags, dim=True),
            "contact": cell(row.primary_contact),
            "deals": cell(row.deals, justify="right"),
            "badges": badges,
        }
        keys = (("name", "industry", "tier", "tags", "contact", "deals", "badges")
                if self._columns_for == "wide" else ("name", "tier", "contact", "deals", "badges"))
        return [common[k] for k in keys]

    # --- reading ---------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the list again for the current search and filters (in a worker), keeping as
        many rows loaded as before so the cursor stays on its partner."""
        if not self.is_mounted or self.IS_DETAIL:
            return
        self.filter = PartnerFilter(**{**self.filter.__dict__,
                                       "text": self.query_one("#partner-search", Input).value})
        self.generation += 1
        self.loading_more = False
        self._search(self.filter, self.generation, max(PAGE_SIZE, len(self.rows)))

    @work(thread=True, exclusive=True, group="partner-list", exit_on_error=False)
    def _search(self, flt: PartnerFilter, generation: int, limit: int) -> None:
        page = search_partners(self.app.store, flt, limit=limit)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_page, page, generation, True)

    @work(thread=True, exclusive=True, group="partner-more", exit_on_error=False)
    def _more(self, flt: PartnerFilter, generation: int, after: tuple[str, str]) -> None:
        page = search_partners(self.app.store, flt, after=after, with_total=False)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_page, page, generation, False)

    def _show_page(self, page: PartnerPage, generation: int, reset: bool) -> None:
        if generation != self.generation or not self.is_mounted:
            return  # an older search finished after a newer one started
        table = self.query_one("#partners", DataTable)
        if reset:
            keep = self.selected_id()
            row = table.cursor_row
            if self._columns_for != self._layout():
                self._set_columns(table)
            else:
                table.clear()
            self.rows = {}
            self.total = page.total
        for partner in page.rows:
            if partner.id not in self.rows:
                self.rows[partner.id] = partner
                table.add_row(*self._cells(partner), key=partner.id)
        self.page = page
        self.loading_more = False
        if reset and table.row_count:
            index = table.get_row_index(keep) if keep in self.rows else min(row, table.row_count - 1)
            table.move_cursor(row=index, animate=False)
        self._show_summary()

    def _show_summary(self) -> None:
        total, shown = self.total or 0, len(self.rows)
        if total:
            text = f"{total:,} partner{'s' if total != 1 else ''}"
            if self.filter.text or self.filter.narrowed:
                text += " match"
            if shown < total:
                text += f" · {shown:,} loaded, more as you scroll"
            text += " · enter opens one"
        elif self.filter.text or self.filter.narrowed:
            text = "No partner matches. Esc in the search box clears it; c clears the filters."
        else:
            text = ("No partners yet. Press n to add one, or load demo data from the command "
                    "palette (ctrl+p).")
        self.query_one("#partners-summary", Static).update(text)

    def _maybe_load_more(self, _value: float = 0.0) -> None:
        if self.IS_DETAIL or self.loading_more or self.page is None or not self.page.has_more:
            return
        table = self.query_one("#partners", DataTable)
        near_cursor = table.cursor_row >= table.row_count - LOAD_MORE_MARGIN
        near_end = table.max_scroll_y - table.scroll_y <= LOAD_MORE_MARGIN
        if near_cursor or near_end:
            self.loading_more = True
            self._more(self.filter, self.generation, self.page.next_after)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "partners":
            self._maybe_load_more()

    # --- selection -------------------------------------------------------------------------

    def selected_id(self) -> str | None:
        table = self.query_one("#partners", DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "partners" and event.row_key.value:
            event.stop()
            self.show_partner(event.row_key.value)

    def show_partner(self, partner_id: str) -> None:
        """Open one partner's detail over the list (the app's `open_partner` calls this)."""
        if not self.is_mounted:
            self.pending_partner = partner_id
            return
        from partners_tui.screens.partner_detail import PartnerDetailScreen

        self.app.push_screen(PartnerDetailScreen(partner_id))

    # --- search and filters ----------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "partner-search" and not self.IS_DETAIL:
            self.reload()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "partner-search":
            self.query_one("#partners", DataTable).focus()

    def on_key(self, event) -> None:
        if self.IS_DETAIL:
            return
        search = self.query_one("#partner-search", Input)
        if event.key == "escape" and search.has_focus:
            event.stop()
            search.value = ""
            self.query_one("#partners", DataTable).focus()
        elif event.key == "down" and search.has_focus:
            event.stop()
            self.query_one("#partners", DataTable).focus()

    def action_search(self) -> None:
        self.query_one("#partner-search", Input).focus()

    def action_filters(self) -> None:
        from partners_tui.screens.forms.partner_filter import PartnerFilterScreen

        def chosen(flt: PartnerFilter | None) -> None:
            if flt is not None:
                self.set_filter(flt)

        self.app.push_screen(PartnerFilterScreen(self.filter), chosen)

    def action_clear_filters(self) -> None:
        self.query_one("#partner-search", Input).value = ""
        self.set_filter(PartnerFilter())

    def set_filter(self, flt: PartnerFilter) -> None:
        self.filter = flt
        self._show_filter_text()
        self.reload()

    def _show_filter_text(self) -> None:
        from partners_tui.screens.forms.partner_filter import describe_filter

        text = describe_filter(self.app.store, self.filter)
        self.query_one("#partner-filter-text", Static).update(
            f"Filters: {text} · c clears" if text else "f filters by status, event, tier, tag…"
        )

    # --- writes ----------------------------------------------------------------------------

    def action_new_partner(self) -> None:
        from partners_tui.screens.forms import PartnerForm

        self.app.push_screen(PartnerForm())

    def action_edit_partner(self) -> None:
        from partners_tui.screens.forms import PartnerForm

        key = self.selected_id()
        if key is None:
            self.app.notify("No partner selected.", markup=False)
            return
        self.app.push_screen(PartnerForm(key))

    def action_archive_partner(self) -> None:
        key = self.selected_id()
        row = self.rows.get(key) if key else None
        if row is None:
            self.app.notify("No partner selected.", markup=False)
            return
        confirm_archive_partner(self, row.id, row.name, row.archived)


def confirm_archive_partner(screen: MainScreen, partner_id: str, name: str, archived: bool) -> None:
    """Ask, then archive (or restore) the partner; undoable with ctrl+z."""
    from partners_tui.screens.forms import ConfirmScreen

    store = screen.app.store
    if archived:
        verb, message = "Restore", f"Restore {name}? It shows in the lists and figures again."
        command = lambda: store.restore_partner(partner_id)  # noqa: E731
    else:
        verb = "Archive"
        message = (
            f"Archive {name}? It leaves the lists and the Overview's figures (its deals too); "
            "nothing is deleted, and ctrl+z undoes it."
        )
        command = lambda: store.archive_partner(partner_id)  # noqa: E731

    def answered(yes: bool | None) -> None:
        if yes:
            screen.app.write(command, success=f"{verb}d {name}. ctrl+z undoes it.")

    screen.app.push_screen(ConfirmScreen(f"{verb} partner?", message, yes=verb, no="Keep"), answered)
