"""Events: what the team raises money for, each with its goal, what is secured and its pace.

The list is filtered by year, by text (every word in the name or year) and with or without
archived events; its figures are the Overview scoreboard's, computed by the same functions. Enter
opens an event's detail (a screen pushed over the list, `event_detail.py`).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Checkbox, DataTable, Input, Select, Static
from textual.worker import Worker, WorkerState, get_current_worker

from partners_tui.screens.base import MainScreen
from partners_tui.screens.tables import cell, fill
from partners_tui.store.queries.lists import EventList, EventListRow, event_list
from partners_tui.store.queries.queue_refresh import last_command_id
from partners_tui.widgets.figures import badge, money, pace_text, percent, progress_bar, short_money

NARROW = 100
ALL_YEARS = "all"


def date_span(start: str | None, end: str | None) -> str:
    """`2026-11-28 → 11-29` (the end without its year when it is the start's)."""
    if not start and not end:
        return "no dates"
    if not end or start == end:
        return start or f"→ {end}"
    if not start:
        return f"→ {end}"
    return f"{start} → {end[5:] if end[:4] == start[:4] else end}"


class EventsScreen(MainScreen):
    MODE = "events"
    KEY = "2"
    LABEL = "Events"
    PURPOSE = (
        "Each event's goal, what is secured and in the pipeline, its pace, and the deals "
        "behind it, status by status."
    )

    DEFAULT_CSS = """
    EventsScreen #event-filters {
        height: auto;
        margin-bottom: 1;
    }
    EventsScreen #event-search {
        width: 1fr;
        max-width: 48;
        margin-right: 2;
    }
    EventsScreen #event-year {
        width: 18;
        margin-right: 2;
    }
    EventsScreen #event-archived {
        width: auto;
    }
    EventsScreen #events-summary {
        color: $text-muted;
        margin-bottom: 1;
    }
    """

    BINDINGS = [
        Binding("n", "new_event", "New", tooltip="Add an event"),
        Binding("e", "edit_event", "Edit", tooltip="Edit the selected event"),
        Binding("a", "archive_event", "Archive", tooltip="Archive or restore the selected event"),
        Binding("slash", "search", "Search", tooltip="Search events by name or year"),
        Binding("y", "year", "Year", tooltip="Choose which year's events to list"),
        Binding("x", "toggle_archived", "Show archived", tooltip="Show or hide archived events"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.listing: EventList | None = None
        self.generation = 0
        self.shown_generation = 0
        self.pending_event: str | None = None
        self._columns_for: str | None = None
        self._read_for: tuple[int, Any] | None = None
        """The last write (`last_command_id`) and the day the shown list was read for."""
        self._resuming = False

    # --- layout ----------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="event-filters"):
            yield Input(placeholder="Search events  ( / )", id="event-search", compact=True)
            yield Select([], prompt="All years", id="event-year", compact=True)
            yield Checkbox("Show archived (x)", False, id="event-archived", compact=True)
        yield Static("", id="events-summary", markup=False)
        table = DataTable(id="events", cursor_type="row", zebra_stripes=True)
        # The list fills the screen: inline styles beat app.tcss's cap on main-screen tables
        # (a screen `CSS` would make Textual re-parse every style sheet when it first shows).
        table.styles.height = "1fr"
        table.styles.max_height = "100%"
        yield table

    IS_DETAIL = False
    """True on the detail screen that subclasses this one: the list's handlers stand aside
    (Textual runs the handlers of every class in the MRO)."""
    AUTO_FOCUS = "#events"
    """The list has focus when the screen shows (not the search box: keys are commands)."""

    def on_mount(self) -> None:
        if self.IS_DETAIL:
            return
        self.query_one("#events", DataTable).focus()
        if self.pending_event:
            event_id, self.pending_event = self.pending_event, None
            self.call_after_refresh(self.show_event, event_id)

    @property
    def narrow(self) -> bool:
        return self.app.size.width < NARROW

    def _set_columns(self, table: DataTable) -> None:
        layout = "narrow" if self.narrow else "wide"
        if self._columns_for == layout:
            return
        self._columns_for = layout
        table.clear(columns=True)
        if layout == "wide":
            table.add_column("Event", key="name", width=30)
            table.add_column("Year", key="year", width=4)
            table.add_column("Dates", key="dates", width=19)
            table.add_column("Goal", key="goal", width=10)
            table.add_column("Secured", key="secured", width=10)
            table.add_column("Progress", key="progress", width=17)
            table.add_column("Pace", key="pace", width=11)
            table.add_column("Deals", key="deals", width=5)
            table.add_column("", key="badge", width=10)
        else:
            table.add_column("Event", key="name", width=20)
            table.add_column("Year", key="year", width=4)
            table.add_column("Secured", key="secured", width=7)
            table.add_column("Progress", key="progress", width=16)
            table.add_column("Pace", key="pace", width=11)
            table.add_column("", key="badge", width=3)

    def on_resize(self) -> None:
        if self.IS_DETAIL or self._columns_for in (None, "narrow" if self.narrow else "wide"):
            return
        self.reload()  # narrow ↔ wide: other columns

    # --- reading ---------------------------------------------------------------------------

    @property
    def year(self) -> int | None:
        value = self.query_one("#event-year", Select).value
        return None if value in (Select.NULL, ALL_YEARS) else int(value)

    @property
    def include_archived(self) -> bool:
        return self.query_one("#event-archived", Checkbox).value

    def on_screen_resume(self) -> None:
        # Runs just before MainScreen's handler, which calls reload(): mark why it is called.
        self._resuming = True

    def _unchanged(self) -> bool:
        """No write since the shown list was read, the same day, no other read on its way:
        shown again (it was built ahead, or the user comes back), the list is current."""
        if self._read_for is None or self.shown_generation != self.generation:
            return False
        with self.app.store.read() as conn:  # one indexed max(): well under a millisecond
            return (last_command_id(conn), self.app.clock.today()) == self._read_for

    def reload(self) -> None:
        """Read the list again (in a worker: all years of the large demo take a moment). Shown
        again with nothing written since, it keeps what it shows."""
        if not self.is_mounted or self.IS_DETAIL:
            return
        resuming, self._resuming = self._resuming, False
        if resuming and self._unchanged():
            return
        self.generation += 1
        self._read(self.generation, self.year,
                   self.query_one("#event-search", Input).value, self.include_archived)

    @work(thread=True, exclusive=True, group="event-list", exit_on_error=False)
    def _read(self, generation: int, year: int | None, text: str, include_archived: bool) -> None:
        store = self.app.store
        today = self.app.clock.today()
        with store.read() as conn:  # first: a write during the read reads again
            read_for = (last_command_id(conn), today)
        listing = event_list(store, today, year=year, text=text, include_archived=include_archived)
        symbol = store.get_setting("currency.symbol", "$")
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_list, listing, symbol, generation, text, year,
                                      read_for)

    def _show_list(self, listing: EventList, symbol: str, generation: int, text: str,
                   year: int | None, read_for: tuple[int, Any] | None = None) -> None:
        if generation != self.generation or not self.is_mounted:
            return
        self._read_for = read_for
        self.listing = listing
        self._update_years(listing.years)
        table = self.query_one("#events", DataTable)
        self._set_columns(table)
        fill(table, [(row.id, self._cells(row, symbol)) for row in listing.rows])
        self.shown_generation = generation
        count = len(listing.rows)
        where = f" in {year}" if year else ""
        if count:
            summary = f"{count} event{'s' if count != 1 else ''}{where}, newest first. Enter opens one."
        elif text or year:
            summary = f"No events{where} match. Esc in the search box clears it; y changes the year."
        else:
            summary = "No events yet. Press n to add one, or load demo data from the command palette (ctrl+p)."
        self.query_one("#events-summary", Static).update(summary)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.state == WorkerState.ERROR and worker.group in ("event-list", "event-detail", "event-deals"):
            self.app.notify(f"Could not read the events: {worker.error}", title="Events",
                            severity="error", markup=False, timeout=10)

    def _update_years(self, years: tuple[int, ...]) -> None:
        select = self.query_one("#event-year", Select)
        options = [("All years", ALL_YEARS)] + [(str(y), str(y)) for y in years]
        current = select.value
        if [v for _, v in options] != getattr(self, "_year_values", None):
            self._year_values = [v for _, v in options]
            with select.prevent(Select.Changed):
                select.set_options(options)
                select.value = current if current in self._year_values else ALL_YEARS

    def _cells(self, row: EventListRow, symbol: str) -> list[Any]:
        bar = progress_bar(row.actual_ratio, row.expected_ratio, 10)
        progress = Text.assemble(bar, " ", percent(row.actual_pct, none=""), no_wrap=True)
        archived = badge("archived" if not self.narrow else "A", "dim reverse") if row.archived else Text("")
        if self.narrow:
            return [
                cell(row.name), cell(row.year),
                cell(short_money(row.secured_cents, symbol), justify="right"),
                progress, pace_text(row.pace), archived,
            ]
        return [
            cell(row.name), cell(row.year), cell(date_span(row.start_date, row.end_date)),
            cell(money(row.goal_cents, symbol), justify="right"),
            cell(money(row.secured_cents, symbol), justify="right"), progress,
            pace_text(row.pace), cell(row.deals, justify="right"), archived,
        ]

    # --- selection -------------------------------------------------------------------------

    def selected_id(self) -> str | None:
        table = self.query_one("#events", DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def selected_row(self) -> EventListRow | None:
        key = self.selected_id()
        if key is None or self.listing is None:
            return None
        return next((r for r in self.listing.rows if r.id == key), None)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "events" and event.row_key.value:
            event.stop()
            self.show_event(event.row_key.value)

    def show_event(self, event_id: str) -> None:
        """Open one event's detail over the list (the app's `open_event` calls this)."""
        if not self.is_mounted:
            self.pending_event = event_id
            return
        from partners_tui.screens.event_detail import EventDetailScreen

        self.app.push_screen(EventDetailScreen(event_id))

    # --- filters ---------------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "event-search":
            self.reload()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "event-search":
            self.query_one("#events", DataTable).focus()

    def on_key(self, event) -> None:
        if self.IS_DETAIL:
            return
        search = self.query_one("#event-search", Input)
        if event.key == "escape" and search.has_focus:
            event.stop()
            search.value = ""
            self.query_one("#events", DataTable).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "event-year":
            self.reload()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        if event.checkbox.id == "event-archived":
            self.reload()

    def action_search(self) -> None:
        # Focus now, not after a refresh (`Widget.focus` defers): keys typed straight after
        # the slash must land in the box, not run as commands.
        self.set_focus(self.query_one("#event-search", Input))

    def action_year(self) -> None:
        select = self.query_one("#event-year", Select)
        select.focus()
        select.action_show_overlay()

    def action_toggle_archived(self) -> None:
        self.query_one("#event-archived", Checkbox).toggle()

    # --- writes ----------------------------------------------------------------------------

    def action_new_event(self) -> None:
        from partners_tui.screens.forms import EventForm

        def done(event_id: str | None) -> None:
            if event_id:
                self._select(event_id)

        self.app.push_screen(EventForm(year=self.year), done)

    def action_edit_event(self) -> None:
        from partners_tui.screens.forms import EventForm

        key = self.selected_id()
        if key is None:
            self.app.notify("No event selected.", markup=False)
            return
        self.app.push_screen(EventForm(key))

    def action_archive_event(self) -> None:
        row = self.selected_row()
        if row is None:
            self.app.notify("No event selected.", markup=False)
            return
        confirm_archive_event(self, row.id, row.name, row.archived)

    def _select(self, key: str) -> None:
        table = self.query_one("#events", DataTable)
        try:
            table.move_cursor(row=table.get_row_index(key), animate=False)
        except Exception:  # filtered out of the list (another year, archived hidden)
            pass


def confirm_archive_event(screen: MainScreen, event_id: str, name: str, archived: bool) -> None:
    """Ask, then archive (or restore) the event through the store; undoable with ctrl+z."""
    from partners_tui.screens.forms import ConfirmScreen

    store = screen.app.store
    if archived:
        title, verb = "Restore event?", "Restore"
        message = f"Restore {name}? It comes back on the Overview and in the lists."
        command = lambda: store.restore_event(event_id)  # noqa: E731
    else:
        title, verb = "Archive event?", "Archive"
        message = (
            f"Archive {name}? It leaves the Overview and the lists (show archived brings it "
            "back into view); nothing is deleted, and ctrl+z undoes it."
        )
        command = lambda: store.archive_event(event_id)  # noqa: E731

    def answered(yes: bool | None) -> None:
        if yes:
            screen.app.write(command, success=f"{verb}d {name}. ctrl+z undoes it.")

    screen.app.push_screen(ConfirmScreen(title, message, yes=verb, no="Keep"), answered)
