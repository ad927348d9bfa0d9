"""Overview: the team's daily question, "how are we doing?", for the year or event chosen.

Everything shown comes from one `store.queries.overview()` call for the shared scope
(`app.scope`), run in a thread worker so that a slow read on a large database never freezes the
keyboard; the widgets are then filled together, so every number on screen is from the same read.
Scope changes go through `app.set_scope()` (remembered, and shared with the Action Queue).
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import replace
from functools import partial
from typing import Callable

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.containers import Grid, Horizontal, Vertical
from textual.content import Content
from textual.events import DescendantFocus, Resize
from textual.widget import Widget
from textual.widgets import DataTable, Static
from textual.worker import Worker, WorkerState, get_current_worker

from partners_tui.screens.base import MainScreen
from partners_tui.screens.overview_data import PREVIEW_ITEMS, Loaded, read_overview
from partners_tui.screens.overview_figures import CARDS, card_values, goal_hint, scope_label
from partners_tui.screens.paint_hold import PaintHold
from partners_tui.store.clock import parse_stamp
from partners_tui.store.queries import Scope
from partners_tui.store.queries.common import reading
from partners_tui.store.queries.queue_refresh import last_command_id
from partners_tui.widgets.kpi_card import KpiCard
from partners_tui.widgets.money import Money
from partners_tui.widgets.pace_bar import PaceCard, PaceView
from partners_tui.widgets.pipeline_table import PipelineTable
from partners_tui.widgets.queue_preview import QueuePreview
from partners_tui.widgets.scope_bar import WINDOWS, ScopeBar, ScopeKeys, with_year
from partners_tui.widgets.scoreboard import Scoreboard
from partners_tui.widgets.sync_block import CONNECT_COMMAND, SyncBlock

FULL_WIDTH = 120
"""From this many columns: cards on one row, pace and pipeline side by side."""
STACK_WIDTH = 100
"""Under this many columns the scoreboard and queue preview draw each row as a block."""
TINY_WIDTH = 80
MICRO_WIDTH = 60
SETTLE_SECONDS = 0.12
"""How long a scope change waits when another read is still running (key bursts)."""
UPDATING_AFTER = 0.15
"""A read still running after this long says so ("updating…") on the scope line. Sooner, the
note would flash for reads that end right away, and repainting for it takes the time (and the
CPU) the read needs: on the large demo that made a year change ~20 % slower."""

FOCUS_HINT = (
    "Tab moves between the scope, the cards and the tables; a focused card says what it counts "
    "and shows its full value. ? lists every key."
)

WELCOME = (
    "[b]Nothing here yet.[/b] This database has no events or partners.\n\n"
    "• Add your first event on the Events screen (press [b]2[/b]) and your first partner on "
    "the Partners screen (press [b]3[/b]).\n"
    "• Or look around with made-up data: press [b]ctrl+p[/b] and choose "
    "[b]Load demo data[/b].\n"
    "• Or bring in the reference CRM's data: [b]partners-tui import biztech FILE.json[/b] or "
    "[b]partners-tui import csv FILE.csv[/b]."
)


class ScopeCommands(Provider):
    """Command palette entries that set the scope directly ("Overview: year 2025", ...)."""

    def _commands(self) -> list[tuple[str, str, Callable[[], None]]]:
        screen = self.screen
        if not isinstance(screen, OverviewScreen):
            return []
        return screen.scope_commands()

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            yield DiscoveryHit(Content(title), callback, text=title, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                # Event names are data: shown as plain text, never as markup.
                yield Hit(score, Content(title), callback, text=title, help=help_text)


class OverviewScreen(ScopeKeys, MainScreen):
    MODE = "overview"
    KEY = "1"
    LABEL = "Overview"
    PURPOSE = (
        "How much is secured against the goal, whether you are on pace, where value is stuck "
        "and what needs doing next, for the year or event you choose (y, e, w, a)."
    )

    BINDINGS = [
        Binding("y", "pick('year')", "Year", tooltip="Choose the year: auto, all years or one"),
        Binding("e", "pick('event')", "Event", tooltip="Choose one event, or all events"),
        Binding("w", "pick('window')", "Window",
                tooltip="Choose the follow-up window (7 to 90 days)"),
        Binding("a", "toggle_archived", "Archived",
                tooltip="Include or hide archived events and partners"),
        Binding("0", "reset_scope", "Reset scope", show=False,
                tooltip="Back to the default scope: auto year, all events, archived hidden"),
        Binding("u", "sheets('push')", "Push", show=False,
                tooltip="Push local changes to the team's Google Sheet"),
        Binding("d", "sheets('pull')", "Pull", show=False,
                tooltip="Pull the team's changes from the Google Sheet"),
        Binding("s", "sheets('sync')", "Sync", show=False,
                tooltip="Sync with the team's Google Sheet: pull their changes, then push"),
        Binding("x", "cancel_sheets", "Cancel sync",
                tooltip="Stop the running Google Sheets push, pull or sync (nothing is half-saved)"),
        Binding("c", "sheets_conflicts", "Sheet conflicts", show=False,
                tooltip="List fields edited both here and in the Google Sheet, and which edit was kept"),
    ]

    COMMANDS = {ScopeCommands}
    AUTO_FOCUS = None  # focus goes to the scoreboard without scrolling the top away

    DEFAULT_CSS = """
    OverviewScreen #body { padding: 0 1; }
    OverviewScreen #scope-line {
        height: auto;
        color: $text-muted;
    }
    OverviewScreen #kpis {
        layout: grid;
        grid-size: 7;
        grid-columns: 1fr;
        grid-gutter: 0 1;
        grid-rows: 3;
        height: auto;
    }
    OverviewScreen.-mid #kpis { grid-size: 4; grid-gutter: 1 1; }
    OverviewScreen.-tiny #kpis { grid-size: 3; grid-gutter: 1 1; }
    OverviewScreen.-micro #kpis { grid-size: 2; }
    OverviewScreen #focus-line {
        height: auto;
        min-height: 2;
        max-height: 4;
        color: $text-muted;
    }
    /* Stacked (under 120 columns) unless .-full says side by side. */
    OverviewScreen #row-a { height: auto; layout: vertical; }
    OverviewScreen #col-left { width: 1fr; height: auto; }
    OverviewScreen #pipeline { width: 1fr; }
    OverviewScreen #sync-side { display: none; }
    OverviewScreen #scoreboard, OverviewScreen #queue, OverviewScreen #sync-bottom {
        width: 1fr;
    }
    OverviewScreen.-full #row-a { layout: horizontal; }
    OverviewScreen.-full #col-left { width: 48; margin: 0 1 0 0; }
    OverviewScreen.-full #sync-side { display: block; }
    OverviewScreen.-full #sync-bottom { display: none; }
    OverviewScreen #welcome {
        display: none;
        height: auto;
        padding: 1 2;
        border: round $accent;
        margin: 0 0 1 0;
    }
    OverviewScreen.-empty #welcome { display: block; }
    OverviewScreen.-empty #content, OverviewScreen.-empty ScopeBar,
    OverviewScreen.-empty #scope-line { display: none; }
    OverviewScreen #content { height: auto; }
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.loaded: Loaded | None = None
        self.money = Money()
        self._generation = 0
        self._pending_since: float | None = None
        self._gc_hold = PaintHold(self, lambda: self._generation)
        self._resuming = False
        self.last_paint_seconds: float | None = None
        """Seconds from asking for a scope to the widgets holding its numbers (benchmarks)."""
        self._sheets_running: str | None = None
        """push / pull / sync while its thread runs (until the thread ends, even if cancelled)."""
        self._sheets_quiet = False
        self._sheets_worker: Worker | None = None

    # --- layout ------------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        yield ScopeBar(id="scope-bar")
        yield Static(id="scope-line")
        yield Static(Content.from_markup(WELCOME), id="welcome")
        with Vertical(id="content"):
            with Grid(id="kpis"):
                for key, caption, explanation in CARDS:
                    yield KpiCard(caption, explanation, id=f"card-{key}")
            yield Static(FOCUS_HINT, id="focus-line", markup=False)
            with Horizontal(id="row-a"):
                with Vertical(id="col-left"):
                    yield PaceCard(id="pace")
                    yield SyncBlock(id="sync-side")
                yield PipelineTable(id="pipeline")
            yield Scoreboard(id="scoreboard")
            yield QueuePreview(id="queue")
            yield SyncBlock(id="sync-bottom")

    def on_mount(self) -> None:
        # (MainScreen.on_mount runs too: Textual calls each class's handler.)
        self.watch(self.app, "scope", self._scope_changed, init=False)
        self._apply_width(self.app.size.width)
        self.set_focus(self.query_one(Scoreboard), scroll_visible=False)
        timer = getattr(self.app, "sync_timer", None)
        if timer is not None:
            timer.runner = self  # auto-sync runs here, never beside a sync started by a key

    def on_resize(self, event: Resize) -> None:
        self._apply_width(event.size.width)

    def _apply_width(self, width: int) -> None:
        self.set_class(width >= FULL_WIDTH, "-full")
        self.set_class(TINY_WIDTH <= width < FULL_WIDTH, "-mid")
        self.set_class(width < TINY_WIDTH, "-tiny")
        self.set_class(width < MICRO_WIDTH, "-micro")
        narrow = width < STACK_WIDTH
        self.query_one(Scoreboard).set_narrow(narrow)
        self.query_one(QueuePreview).set_narrow(narrow)

    # --- reading -----------------------------------------------------------------------------

    def on_screen_resume(self) -> None:
        # Runs just before MainScreen's handler, which calls reload(): mark why it is called.
        self._resuming = True

    def _unchanged(self) -> bool:
        """Same scope, same day, no write since the last read: the numbers shown are current."""
        loaded = self.loaded
        if loaded is None or self._pending_since is not None or loaded.scope != self.app.scope \
                or loaded.today != self.app.clock.today():
            return False
        with reading(self.app.store) as (conn, _clock):  # one indexed max(): well under 50 ms
            return last_command_id(conn) == loaded.command_id

    def reload(self) -> None:
        """Read the overview again (in a worker). When the screen is merely shown again with
        nothing changed (a large database takes seconds), keep what is shown."""
        resuming, self._resuming = self._resuming, False
        if resuming and self._unchanged():
            return
        # A read already under way means keys are coming fast (y, down, down...): wait a moment
        # so a burst of changes costs one read, not one per key.
        delay = SETTLE_SECONDS if self._pending_since is not None else 0.0
        self._pending_since = time.perf_counter()
        self._generation += 1
        self._gc_hold.begin()  # no collection until painted (`PaintHold`)
        self.set_timer(UPDATING_AFTER, partial(self._say_updating, self._generation))
        self._load(self._generation, self.app.scope, self.app.clock.today(), delay)

    def on_unmount(self) -> None:
        self._gc_hold.end()

    def _say_updating(self, generation: int) -> None:
        if generation == self._generation and self._pending_since is not None:
            self.query_one("#scope-line", Static).update(self._scope_line(updating=True))

    def _scope_changed(self, _scope: Scope) -> None:
        if self.is_current:
            self.reload()

    @work(thread=True, exclusive=True, group="overview", exit_on_error=False, name="overview")
    def _load(
        self, generation: int, scope: Scope, today: dt.date, delay: float = 0.0
    ) -> tuple[int, Loaded | None]:
        if delay:
            time.sleep(delay)
            if get_current_worker().is_cancelled:  # a newer scope came meanwhile
                return generation, None
        early = getattr(self.app, "early_overview", None)  # started as the app was made
        loaded = early.take(scope, today) if early is not None else None
        return generation, loaded or read_overview(self.app.store, scope, today)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group != "overview":
            return
        if worker.state == WorkerState.SUCCESS:
            generation, loaded = worker.result
            if generation == self._generation and loaded is not None:
                self._show(loaded)
        elif worker.state == WorkerState.ERROR:
            self._pending_since = None
            self._gc_hold.end()
            self.notify(f"Could not read the overview: {worker.error}", title="Overview",
                        severity="error", markup=False, timeout=10)
            self.query_one("#scope-line", Static).update(self._scope_line())

    def _show(self, loaded: Loaded) -> None:
        if loaded.error is not None:
            self._pending_since = None
            self._gc_hold.end()
            self._fall_back(loaded)
            return
        self.loaded, self.money = loaded, loaded.money
        ov = loaded.overview
        assert ov is not None
        self.set_class(loaded.empty, "-empty")
        self.query_one(ScopeBar).sync(
            loaded.scope, loaded.choices, resolved_year=ov.scope.year,
            window_days=ov.scope.window_days, auto_year=loaded.auto_year,
        )
        label = scope_label(ov, loaded.choices)
        for key, value in card_values(ov, loaded.money, label).items():
            self.query_one(f"#card-{key}", KpiCard).show(value)
        self.query_one(PaceCard).show(PaceView(ov.goal_pace, loaded.money, label, goal_hint(ov)))
        self.query_one(PipelineTable).show(ov.pipeline, loaded.money)
        self.query_one(Scoreboard).show(ov.events, loaded.money)
        self.query_one(QueuePreview).show(
            ov.action_queue.items[:PREVIEW_ITEMS], ov.kpis.action_items, ov.kpis.overdue_items,
            loaded.money,
        )
        keys = "u push · d pull · s sync · c conflicts"
        for block in self.query(SyncBlock):
            block.show(ov.sync, keys, self._local_time)
        self.query_one("#scope-line", Static).update(self._scope_line())
        self._update_focus_line()
        if self._pending_since is not None:
            self.last_paint_seconds = time.perf_counter() - self._pending_since
            self._pending_since = None
        self._gc_hold.painted()

    def _fall_back(self, loaded: Loaded) -> None:
        """The remembered scope cannot be shown (its event was deleted): say so, use a default."""
        scope = loaded.scope
        fallback = replace(scope, event_id=None) if scope.event_id else Scope()
        if fallback == scope:
            fallback = Scope()
        self.notify(
            f"The saved scope could not be shown ({loaded.error}); showing "
            f"{'all events of the year' if scope.event_id else 'the default scope'} instead.",
            title="Overview", severity="warning", markup=False, timeout=8,
        )
        self.app.set_scope(fallback)

    def _scope_line(self, *, updating: bool = False) -> Content:
        today = self.app.clock.today()
        loaded = self.loaded
        if loaded is None or loaded.overview is None:
            return Content.styled(f"Today is {today:%a %-d %b %Y}. Reading…", "$text-muted")
        s = loaded.overview.scope
        parts = [
            Content(f"{len(s.events):,} event{'s' if len(s.events) != 1 else ''} in "),
            Content.styled(scope_label(loaded.overview, loaded.choices), "bold"),
            Content(f" · follow-ups due by {s.horizon:%-d %b} ({s.window_days} days)"),
            Content(f" · archived {'included' if s.include_archived else 'hidden'}"),
            Content(f" · amounts in {loaded.money.code}"),
            Content(f" · today {today:%a %-d %b %Y}"),
        ]
        if updating:
            parts.append(Content.styled("  updating…", "$accent"))
        return Content("").join(parts)

    # --- focus line --------------------------------------------------------------------------

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        self._update_focus_line(event.widget)

    def _update_focus_line(self, widget: Widget | None = None) -> None:
        widget = widget or self.focused
        text = FOCUS_HINT
        if isinstance(widget, (KpiCard, PaceCard)):
            text = widget.describe()
        elif isinstance(widget, Scoreboard):
            text = widget.describe_row(widget.selected_event_id()) or (
                "Events in scope: ↑/↓ move, enter opens the event on the Events screen."
            )
        elif isinstance(widget, QueuePreview):
            text = widget.describe_item(widget.selected_key()) or (
                "The first items of the action queue: ↑/↓ move, enter opens the item on the "
                "Action Queue screen (4)."
            )
        elif widget is not None and widget.id and widget.id.startswith("scope-"):
            text = ("Scope: y year, e event, w follow-up window, a include archived, 0 reset. "
                    "Shared with the Action Queue and remembered between runs.")
        self.query_one("#focus-line", Static).update(Content(text))

    @on(DataTable.RowHighlighted)
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table is self.focused:
            self._update_focus_line(event.data_table)

    # --- opening things ----------------------------------------------------------------------

    @on(DataTable.RowSelected, "#scoreboard")
    def _open_event(self, event: DataTable.RowSelected) -> None:
        event.stop()
        event_id = self.query_one(Scoreboard).selected_event_id()
        if event_id:
            self.app.open_event(event_id)

    @on(DataTable.RowSelected, "#queue")
    def _open_item(self, event: DataTable.RowSelected) -> None:
        event.stop()
        key = self.query_one(QueuePreview).selected_key()
        if key:
            self.app.open_action_item(key)

    # --- scope actions -----------------------------------------------------------------------

    @on(ScopeBar.Changed)
    def _scope_picked(self, event: ScopeBar.Changed) -> None:
        event.stop()
        self.app.set_scope(event.scope)


    def set_year(self, value: str) -> None:
        choices = self._scope_choices()
        self.app.set_scope(with_year(self.app.scope, value, choices))

    def set_event(self, event_id: str | None) -> None:
        self.app.set_scope(replace(self.app.scope, event_id=event_id))

    def set_window(self, days: int) -> None:
        self.app.set_scope(replace(self.app.scope, window_days=days))

    def scope_commands(self) -> list[tuple[str, str, Callable[[], None]]]:
        """Every scope choice as a command: (title, help, callback)."""
        out: list[tuple[str, str, Callable[[], None]]] = []
        scope = self.app.scope
        choices = self._scope_choices()
        auto = self.loaded.auto_year if self.loaded else None
        out.append((f"Overview: auto year{f' ({auto})' if auto else ''}",
                    "The year of the nearest event that has not ended", partial(self.set_year, "auto")))
        out.append(("Overview: all years", "Every year's events together",
                    partial(self.set_year, "all")))
        for year in choices.years(scope.include_archived):
            out.append((f"Overview: year {year}", f"Only {year}'s events",
                        partial(self.set_year, str(year))))
        out.append(("Overview: all events", "Every event of the chosen year",
                    partial(self.set_event, None)))
        for e in choices.events_of(None, scope.include_archived):
            out.append((f"Overview: event {e.name} ({e.year})",
                        "Only this event's figures, its goal pace included",
                        partial(self.set_event, e.id)))
        for days in WINDOWS:
            out.append((f"Overview: window {days} days",
                        f"Follow-ups due within {days} days count as action items",
                        partial(self.set_window, days)))
        out.append((
            "Overview: hide archived" if scope.include_archived else "Overview: include archived",
            "Archived events and partners, and their deals", self.action_toggle_archived,
        ))
        out.append(("Overview: reset scope", "Auto year, all events, archived hidden",
                    self.action_reset_scope))
        return out

    # --- sync --------------------------------------------------------------------------------

    def _local_time(self, stamp: str) -> str:
        """A stored UTC stamp as the team's local time: "22 Nov 10:31"."""
        try:
            moment = self.app.clock.to_local(parse_stamp(stamp))
        except ValueError:
            return stamp
        return f"{moment:%-d %b %Y %H:%M}" if moment.year != self.app.clock.today().year \
            else f"{moment:%-d %b %H:%M}"

    @property
    def sheets_busy(self) -> bool:
        """A push, pull or sync thread is still running (a cancelled one until it has stopped)."""
        return self._sheets_running is not None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel_sheets":
            return self.sheets_busy  # in the footer only while something can be cancelled
        return True

    def action_sheets(self, what: str) -> None:
        """Push, pull or sync: through the app's hook when it has one (`app.sheets_push()`...),
        else here in a thread worker. Not connected: say how to connect."""
        health = self.loaded.overview.sync if self.loaded and self.loaded.overview else None
        if health is None or not health.sheets.configured:
            self.notify(
                f"Google Sheets is not connected yet, so there is nothing to {what}. Connect "
                f"the team's sheet from a terminal:\n{CONNECT_COMMAND}",
                title="Google Sheets", severity="warning", markup=False, timeout=10,
            )
            return
        hook = getattr(self.app, f"sheets_{what}", None)
        if callable(hook):
            hook()
            return
        if self.sheets_busy:
            self.notify(f"A Sheets {self._sheets_running} is already running (x cancels it).",
                        markup=False)
            return
        self.start_sheets(what)

    def start_sheets(self, what: str, *, quiet: bool = False) -> bool:
        """Run push / pull / sync in a thread worker with progress in the sync block. `quiet`
        (auto-sync): no notification unless it fails. False if one is already running."""
        if self.sheets_busy:
            return False
        self._sheets_running, self._sheets_quiet = what, quiet
        timer = getattr(self.app, "sync_timer", None)
        if timer is not None and what != "pull":
            timer.attempted()
        label = "Auto-syncing" if quiet else f"{what.capitalize()}ing"
        for block in self.query(SyncBlock):
            block.show_running(f"{label}… (x cancels)")
        self._sheets_worker = self._sheets(what, label)
        self.refresh_bindings()
        return True

    def action_cancel_sheets(self) -> None:
        worker = self._sheets_worker
        if not self.sheets_busy or worker is None:
            self.notify("No Sheets push, pull or sync is running.", markup=False)
            return
        worker.cancel()  # the service polls `worker.is_cancelled` between steps and retries
        for block in self.query(SyncBlock):
            block.show_running("Cancelling…")

    @work(thread=True, exclusive=True, group="sheets", exit_on_error=False, name="sheets")
    def _sheets(self, what: str, label: str) -> None:
        """The whole run in this thread; its outcome goes back with `_sheets_done` once the
        thread has really stopped (a cancelled worker's thread finishes its current step)."""
        from partners_tui.sync.errors import SyncCancelled
        from partners_tui.sync.service import SheetsSync

        worker = get_current_worker()
        pulled = []  # a sync saves its pull before pushing: a cancel after that keeps it

        def progress(p) -> None:
            if p.message == "Pulled":
                pulled.append(p)
            text = f"{label}: step {p.step} of {p.steps}, {p.message} (x cancels)"
            self.app.call_from_thread(self._sheets_progress, text)

        outcome: tuple[str, object]
        try:
            sync = SheetsSync.from_config(self.app.store)
            run = getattr(sync, what)  # push / pull / sync
            outcome = ("ok", run(progress=progress, cancelled=lambda: worker.is_cancelled))
        except SyncCancelled:
            outcome = ("cancelled", bool(pulled))
        except Exception as exc:  # SyncError's str() is one plain sentence
            outcome = ("failed", exc)
        try:
            self.app.call_from_thread(self._sheets_done, what, outcome)
        except RuntimeError:  # the app has closed meanwhile
            pass

    def _sheets_progress(self, text: str) -> None:
        if self.sheets_busy and not (self._sheets_worker and self._sheets_worker.is_cancelled):
            for block in self.query(SyncBlock):
                block.show_running(text)

    def _sheets_done(self, what: str, outcome: tuple[str, object]) -> None:
        quiet = self._sheets_quiet
        self._sheets_running, self._sheets_worker = None, None
        self.refresh_bindings()
        for block in self.query(SyncBlock):
            block.show_running(None)
        kind, value = outcome
        if kind == "ok":
            if not quiet:
                summary = value.summary()  # type: ignore[attr-defined]
                self.notify(summary[:1].upper() + summary[1:], title="Google Sheets",
                            markup=False, timeout=8)
            if what != "push":
                self._pulled()
                return
        elif kind == "cancelled":
            self.notify(
                f"{what.capitalize()} cancelled: the sheet's changes were already saved here, "
                "nothing was pushed." if value else
                f"{what.capitalize()} cancelled. Nothing was changed here.",
                title="Google Sheets", severity="warning", markup=False, timeout=8,
            )
            if value:
                self._pulled()
                return
        elif not quiet:  # an auto-sync failure shows in the sync block (the last error)
            self.notify(str(value), title="Google Sheets", severity="error", markup=False, timeout=10)
        self.reload()  # the sync status changed

    def _pulled(self) -> None:
        """A pull may have changed any record: every screen re-reads. Not a local change for
        auto-sync to push back."""
        timer = getattr(self.app, "sync_timer", None)
        if timer is None:
            self.app.data_changed()
            return
        with timer.ignoring_changes():
            self.app.data_changed()

    def action_sheets_conflicts(self) -> None:
        """The conflicts list (a dialog); reviewed ones drop out of the sync block's count."""
        from partners_tui.screens.sync_conflicts import SyncConflictsScreen
        from partners_tui.sync.errors import NotConfigured
        from partners_tui.sync.service import SheetsSync

        try:
            source = SheetsSync.from_config(self.app.store)
        except NotConfigured:
            source = None
        self.app.push_screen(SyncConflictsScreen(source, self._local_time), self._conflicts_closed)

    def _conflicts_closed(self, marked: int | None) -> None:
        if marked:
            self.reload()

    # --- help --------------------------------------------------------------------------------

    def help_sections(self) -> list[tuple[str, Table]]:
        """What each Overview number counts, for the help screen."""
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True, min_width=16)
        table.add_column()
        for _, caption, explanation in CARDS:
            table.add_row(Text(caption), Text(explanation))
        table.add_row(Text("Goal pace"), Text(PaceCard.EXPLANATION))
        table.add_row(Text("No goal?"), Text(
            "Set a year's goal with `partners-tui goal set YEAR AMOUNT` or on the Settings screen "
            "(5); or give events a goal on the Events screen (2)."
        ))
        return [("What the Overview numbers mean", table)]
