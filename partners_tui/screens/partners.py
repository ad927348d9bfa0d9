"""Partners: every organisation the team works with, searchable and filterable.

The list is read a page at a time from the `partner_search` table (name order), and the next
page is fetched as the cursor or the scroll nears the end, so 50,000 partners open as fast as
fifty. Each search keystroke runs the query in a thread worker (the newest one wins), so typing
never waits on the database. Enter opens a partner's detail (`partner_detail.py`).
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from partners_tui.screens.base import MainScreen
from partners_tui.store.queries.lists import (
    PAGE_SIZE, PartnerFilter, PartnerListRow, PartnerPage, count_partners, search_partners,
)
from partners_tui.store.queries.queue_refresh import last_command_id
from partners_tui.widgets.record_list import Cell, ListColumn, RecordList

NARROW = 100


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
        height: 1;
        color: $text-muted;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    PartnersScreen #partners-summary {
        color: $text-muted;
        margin-bottom: 1;
        height: 1;
    }
    """

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
    AUTO_FOCUS = "#partners"
    """The list has focus when the screen shows (not the search box: keys are commands)."""

    def __init__(self) -> None:
        super().__init__()
        self.filter = PartnerFilter()
        self.rows: dict[str, PartnerListRow] = {}
        self.page: PartnerPage | None = None
        self.total: int | None = None
        self.pending_partner: str | None = None
        self.generation = 0
        self.shown_generation = 0
        """The search whose rows the table shows (equal to `generation` once it has caught up)."""
        self.loading_more = False
        self._columns_for: str | None = None
        self._read_after: int | None = None
        """The last write (`last_command_id`) the shown list was read after."""
        self._resuming = False

    # --- layout ----------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="partner-filters"):
            yield Input(placeholder="Search name, contact, email, tag, notes  ( / )",
                        id="partner-search", compact=True)
            yield Static("", id="partner-filter-text", markup=False)
        yield Static("", id="partners-summary", markup=False)
        yield RecordList(self._columns(), id="partners", empty_text="No partner to show.")

    def on_mount(self) -> None:
        if self.IS_DETAIL:
            return
        self._show_filter_text()
        if self.pending_partner:
            partner_id, self.pending_partner = self.pending_partner, None
            self.call_after_refresh(self.show_partner, partner_id)

    @property
    def narrow(self) -> bool:
        return self.app.size.width < NARROW

    def on_resize(self) -> None:
        """Narrow ↔ wide: other columns for the loaded rows (no new read)."""
        if self.IS_DETAIL or self._columns_for in (None, self._layout()):
            return
        listing = self.query_one("#partners", RecordList)
        listing.set_columns(self._columns())
        listing.set_rows([(p.id, self._cells(p)) for p in self.rows.values()],
                         keep=listing.current_key)

    def _layout(self) -> str:
        return "narrow" if self.narrow else "wide"

    def _columns(self) -> list[ListColumn]:
        self._columns_for = self._layout()
        if self._columns_for == "wide":
            return [
                ListColumn("name", "Partner", 24, grow=3),
                ListColumn("industry", "Industry", 14, grow=1),
                ListColumn("tier", "Tier", 8),
                ListColumn("tags", "Tags", 14, grow=2),
                ListColumn("contact", "Primary contact", 18, grow=1),
                ListColumn("deals", "Deals", 5, right=True),
                ListColumn("badges", "", 16),
            ]
        return [
            ListColumn("name", "Partner", 18, grow=3),
            ListColumn("tier", "Tier", 7),
            ListColumn("contact", "Primary contact", 14, grow=1),
            ListColumn("deals", "Deals", 5, right=True),
            ListColumn("badges", "", 3),
        ]

    def _cells(self, row: PartnerListRow) -> dict[str, Cell]:
        if self._columns_for == "narrow":
            badges = ("★" if row.is_alumni else "") + (" A" if row.archived else "")
        else:
            badges = " ".join(w for w, on in (("alumni", row.is_alumni), ("archived", row.archived)) if on)
        return {
            "name": (row.name, "muted") if row.archived else row.name,
            "industry": row.industry or "",
            "tier": row.tier or "",
            "tags": (row.tags, "muted"),
            "contact": row.primary_contact or "",
            "deals": str(row.deals),
            "badges": (badges, "warning" if row.is_alumni and not row.archived else "muted"),
        }

    # --- reading ---------------------------------------------------------------------------

    def on_screen_resume(self) -> None:
        # Runs just before MainScreen's handler, which calls reload(): mark why it is called.
        self._resuming = True

    def _unchanged(self) -> bool:
        """No write since the shown list was read, and no other read on its way: shown again
        (it was built ahead, or the user comes back), the list is current as it is."""
        if self._read_after is None or self.shown_generation != self.generation:
            return False
        if self.query_one("#partner-search", Input).value != self.filter.text:
            return False
        with self.app.store.read() as conn:  # one indexed max(): well under a millisecond
            return last_command_id(conn) == self._read_after

    def reload(self) -> None:
        """Read the list again for the current search and filters (in a worker), keeping as
        many rows loaded as before so the cursor stays on its partner. Shown again with nothing
        written since, it keeps what it shows."""
        if not self.is_mounted or self.IS_DETAIL:
            return
        resuming, self._resuming = self._resuming, False
        if resuming and self._unchanged():
            return
        self.filter = PartnerFilter(**{**self.filter.__dict__,
                                       "text": self.query_one("#partner-search", Input).value})
        self.generation += 1
        self.loading_more = False
        self._search(self.filter, self.generation, max(self.page_size, len(self.rows)))

    @property
    def page_size(self) -> int:
        """A screenful and a margin: what is visible is what is read (more as you scroll)."""
        return max(40, min(PAGE_SIZE, self.app.size.height + 15))

    @work(thread=True, exclusive=True, group="partner-list", exit_on_error=False)
    def _search(self, flt: PartnerFilter, generation: int, limit: int) -> None:
        if generation != self.generation:
            return  # typed on meanwhile: that newer search is the one to run
        with self.app.store.read() as conn:  # first: a write during the search reads again
            read_after = last_command_id(conn)
        page = search_partners(self.app.store, flt, limit=limit, with_total=None)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_page, page, generation, True, read_after)
            if page.total is None:  # more than a page: count every match, after showing them
                self.app.call_from_thread(self._count, flt, generation)

    @work(thread=True, exclusive=True, group="partner-count", exit_on_error=False)
    def _count(self, flt: PartnerFilter, generation: int) -> None:
        if generation != self.generation:
            return
        total = count_partners(self.app.store, flt)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_total, total, generation)

    def _show_total(self, total: int, generation: int) -> None:
        if generation == self.generation and self.is_mounted:
            self.total = total
            self._show_summary()

    @work(thread=True, exclusive=True, group="partner-more", exit_on_error=False)
    def _more(self, flt: PartnerFilter, generation: int, after: tuple[str, str]) -> None:
        page = search_partners(self.app.store, flt, after=after, limit=PAGE_SIZE, with_total=False)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_page, page, generation, False)

    def _show_page(self, page: PartnerPage, generation: int, reset: bool,
                   read_after: int | None = None) -> None:
        if generation != self.generation or not self.is_mounted:
            return  # an older search finished after a newer one started
        listing = self.query_one("#partners", RecordList)
        if reset:
            self._read_after = read_after
            self.rows = {p.id: p for p in page.rows}
            self.total = page.total
            listing.set_rows([(p.id, self._cells(p)) for p in page.rows],
                             keep=listing.current_key, cursor=listing.cursor)
        else:
            fresh = [p for p in page.rows if p.id not in self.rows]
            self.rows.update((p.id, p) for p in fresh)
            listing.append_rows([(p.id, self._cells(p)) for p in fresh])
        self.page = page
        self.loading_more = False
        self.shown_generation = generation
        self._show_summary()

    def _show_summary(self) -> None:
        total, shown = self.total, len(self.rows)
        if total is None and shown:
            text = f"More than {shown:,} partners" + (" match" if self.filter.text or self.filter.narrowed else "")
            text += " (counting…) · enter opens one"
        elif total:
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
        summary = self.query_one("#partners-summary", Static)
        if str(summary.content) != text:  # one line: no layout pass needed for a keystroke
            summary.update(text, layout=False)

    def on_record_list_near_end(self, event: RecordList.NearEnd) -> None:
        if self.IS_DETAIL or event.record_list.id != "partners":
            return
        if self.loading_more or self.page is None or not self.page.has_more:
            return
        self.loading_more = True
        self._more(self.filter, self.generation, self.page.next_after)

    # --- selection -------------------------------------------------------------------------

    def selected_id(self) -> str | None:
        return self.query_one("#partners", RecordList).current_key

    def on_record_list_selected(self, event: RecordList.Selected) -> None:
        if not self.IS_DETAIL and event.record_list.id == "partners":
            event.stop()
            self.show_partner(event.key)

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
            self.query_one("#partners", RecordList).focus()

    def on_key(self, event) -> None:
        if self.IS_DETAIL:
            return
        search = self.query_one("#partner-search", Input)
        if event.key == "escape" and search.has_focus:
            event.stop()
            search.value = ""
            self.query_one("#partners", RecordList).focus()
        elif event.key == "down" and search.has_focus:
            event.stop()
            self.query_one("#partners", RecordList).focus()

    def action_search(self) -> None:
        # Focus now, not after a refresh (`Widget.focus` defers): keys typed straight after
        # the slash must land in the box, not run as commands.
        self.set_focus(self.query_one("#partner-search", Input))

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
        text = ""
        if self.filter.narrowed:
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
