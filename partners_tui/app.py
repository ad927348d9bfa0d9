"""The Textual app: four main screens as modes, global keys, command palette, welcome, undo, quit.

Data flows one way: screens read through small read functions (the query layer as it lands) and
every write goes through `Store` commands, run in thread workers so the UI never waits on the
database. `make_app()` builds the app around a store you opened (tests pass a temporary one and a
frozen clock); `run_app()` is what `partners-tui` with no subcommand calls.
"""

from __future__ import annotations

import gc
import sqlite3
import sys
from functools import partial
from pathlib import Path
from time import monotonic
from typing import Any, Callable, Iterable

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import reactive, var
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from partners_tui.screens.action_queue import ActionQueueScreen
from partners_tui.screens.base import MainScreen
from partners_tui.screens.events import EventsScreen
from partners_tui.screens.help import HelpScreen, describe
from partners_tui.screens.overview import OverviewScreen
from partners_tui.screens.overview_data import EarlyRead
from partners_tui.screens.partners import PartnersScreen
from partners_tui.screens.settings import SettingsScreen
from partners_tui.screens.welcome import WelcomeScreen
from partners_tui.store.changelog import NothingToUndo, UndoConflict
from partners_tui.store.clock import Clock
from partners_tui.store.commands import Store
from partners_tui.store.db import APP_CACHE_KIB
from partners_tui.store.validate import InvalidInput
from partners_tui.store.queries import Scope
from partners_tui.sync_timer import AutoSyncTimer
from partners_tui import gc_pause, ui_state

MAIN_SCREENS: tuple[type[MainScreen], ...] = (
    OverviewScreen,
    EventsScreen,
    PartnersScreen,
    ActionQueueScreen,
    SettingsScreen,
)

DemoGenerator = Callable[..., dict[str, int]]

PREBUILD_TICK = 0.1
"""Seconds between looks for a quiet moment to build the next screen in."""
PREBUILD_AFTER_INPUT = 0.5
"""Seconds without a key or mouse event before a screen is built (someone is at the keys)."""
START_UP_GC_LIMIT = 10.0
"""Seconds after mounting by which the garbage collector runs again whatever the first screen
is doing (normally it does as soon as that screen has painted its first read)."""

# Textual's own palette entries we replace (ours run through our bindings) or that do not apply.
REPLACED_SYSTEM_COMMANDS = {"Quit"}


def _real_demo_generator(store: Store, **kwargs: Any) -> dict[str, int]:
    # Imported on use: the app must start even if the demo module is missing or broken.
    from partners_tui.store.demo import generate

    return generate(store, **kwargs)


def styled_as_built(cls: type[Screen]) -> Screen:
    """A new main screen, marked as styled with the style sheets as they are now.

    Textual marks a new screen as never styled (`_css_update_count = -1`), so its first
    `switch_mode` re-parses every style sheet and restyles the app twice (~60 ms each on the large
    demo). Nothing needs it: each widget is styled as it mounts, with the rules of the moment, and
    our default CSS is scoped to its own widget. A theme change later still restyles the screen
    (Textual counts the change and compares when the screen is next shown).
    """
    screen = cls()
    screen._css_update_count = screen.app._css_update_count
    return screen


class PartnersApp(App[None]):
    """The running app. Holds the one `Store` (and so the one engine) of this process."""

    TITLE = "partners-tui"
    CSS_PATH = "app.tcss"
    MODES = {
        cls.MODE: cls if cls is OverviewScreen else partial(styled_as_built, cls)
        for cls in MAIN_SCREENS
    }
    DEFAULT_MODE = OverviewScreen.MODE
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    BINDINGS = [
        *(
            Binding(cls.KEY, f"show('{cls.MODE}')", cls.LABEL, tooltip=f"Go to {cls.LABEL}")
            for cls in MAIN_SCREENS
        ),
        Binding("question_mark,f1", "help", "Help", tooltip="List every key and what each screen is for"),
        Binding("ctrl+z", "undo", "Undo", tooltip="Undo the last change (repeat to go further back)"),
        Binding("q", "quit", "Quit", tooltip="Quit partners-tui"),
    ]

    scope: var[Scope] = var(Scope, always_update=True)
    """The Overview / Action Queue scope, shared by both screens and remembered between runs.
    Screens watch it (`self.watch(self.app, "scope", ...)`) and set it with `set_scope()`. A
    `var`, not a `reactive`: nothing draws it, and a reactive repaints the whole screen when it
    changes, which on a scope change held the main thread (and the GIL) for a few ms just as
    the Overview's read was starting."""

    loading_demo: reactive[bool] = reactive(False)
    demo_progress: reactive[str] = reactive("")

    main_screens = MAIN_SCREENS

    prebuild_modes: tuple[str, ...] = (
        PartnersScreen.MODE, EventsScreen.MODE, ActionQueueScreen.MODE, SettingsScreen.MODE,
    )
    """Main screens built in idle time after start-up (`prebuild_mode`), most used first. Tests
    set it to () to see a screen built on its first showing, as Textual does by itself."""

    freeze_after_prebuild = True
    """`gc.freeze()` once every main screen is built and has read its rows: what start-up made
    (the screens, the large lists) lives as long as the app, so the collector stops walking it.
    On the large demo that halves the pause of a full collection (one every few seconds of
    typing: ~250 ms -> ~130 ms; bench_lists)."""

    def __init__(self, store: Store, *, clock: Clock | None = None) -> None:
        super().__init__()
        self.store = store
        self.clock = clock or store.clock
        self.db_name = Path(store.engine.url.database or "").name or "(in memory)"
        self.sub_title = self.db_name
        self.generate_demo: DemoGenerator = _real_demo_generator
        """Swappable so tests can load a small fake quickly."""
        self.set_reactive(PartnersApp.scope, ui_state.load_scope())
        self.early_overview = EarlyRead(store, self.scope, self.clock.today())
        """The Overview's first read, under way while Textual sets up (see `EarlyRead`)."""
        self.sync_timer = AutoSyncTimer()
        """Google Sheets auto-sync (see the section below); the Overview is its runner."""
        self._input_at = monotonic()
        self._busy = True
        """When a key / mouse event was last seen, and whether the last look found a worker of
        the screens on show running (see `_prebuild_when_idle`)."""
        self._froze_gc = False

    # --- start-up --------------------------------------------------------------------------

    def on_mount(self) -> None:
        # `partners-tui` holds the collector off from launch (see `cli.main`); it runs again at
        # the first quiet moment after the first paint (`_prebuild_when_idle`), or after this.
        self.set_timer(START_UP_GC_LIMIT, self._start_up_done)
        self.set_interval(self.sync_timer.tick_seconds, self._auto_sync_tick, name="auto-sync")
        self._prebuild_timer = self.set_interval(
            PREBUILD_TICK, self._prebuild_when_idle, name="prebuild-screens")
        if self.store.is_empty():
            self.push_screen(WelcomeScreen(self.db_name), self._welcome_closed)

    def on_unmount(self) -> None:
        self._start_up_done()
        if self._froze_gc:  # let the collector free this app's objects (tests run many apps)
            gc.unfreeze()

    def _welcome_closed(self, choice: str | None) -> None:
        if choice == "empty":
            self.notify(
                "Starting empty. Load demo data any time from the command palette (ctrl+p).",
                title="Welcome",
                markup=False,
            )

    # --- main screens built ahead, in idle time --------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent):
            self._input_at = monotonic()
        await super().on_event(event)

    async def _prebuild_when_idle(self) -> None:
        """Build the next main screen not shown yet when what is on show is idle: none of its
        workers has run since the last look (so the Overview's first read has painted; the
        first reads of screens built ahead do not count), no key pressed for a moment. One
        screen a look, so a key waits at most for one screen's build."""
        hidden = {screen for mode in self.prebuild_modes if mode != self.current_mode
                  for screen in self._mode_screens(mode)}
        was_busy, self._busy = self._busy, any(
            worker.is_running and worker.node not in hidden for worker in self.workers)
        if was_busy or self._busy:
            return
        self._start_up_done()  # the screen on show has painted its first read
        if monotonic() - self._input_at < PREBUILD_AFTER_INPUT:
            return
        if len(self.screen_stack) > 1:
            # A dialog or a detail is open: someone is at work there. (Also, a screen being
            # built gets a Resize, on which Textual lays out again the screens under the current
            # one: under the welcome dialog that sometimes left the Overview's footer keys too
            # narrow, in about one start in ten.)
            return
        mode = next((m for m in self.prebuild_modes if not self.is_mode_built(m)), None)
        if mode is None:
            if any(worker.is_running for worker in self.workers):
                return  # a built screen's first read: freeze what it reads too
            self._prebuild_timer.stop()
            if self.freeze_after_prebuild:
                # Young garbage only (~1 ms): a full collection first would stall ~130 ms on the
                # large demo to spare ~2,000 objects frozen for good.
                gc.collect(1)
                gc.freeze()
                self._froze_gc = True
            return
        await self.prebuild_mode(mode)

    @staticmethod
    def _start_up_done() -> None:
        """Let the garbage collector run (its first collection walks everything start-up made:
        ~80 ms on the large demo, now that nobody waits)."""
        gc_pause.release(gc_pause.START_UP)

    def _mode_screens(self, mode: str) -> list[Screen]:
        try:
            return self.get_screen_stack(mode)
        except KeyError:  # not built yet
            return []

    def is_mode_built(self, mode: str) -> bool:
        """Whether the mode's screen exists (shown once, or built ahead by `prebuild_mode`)."""
        return bool(self._mode_screens(mode))

    async def prebuild_mode(self, mode: str) -> None:
        """Compose, style and first-read a main screen without showing it.

        Textual composes a mode's screen on its first `switch_mode`, then the screen reads its
        rows: on the large demo the rows show ~150 ms after the key for Partners, ~0.8 s for
        Events, ~1 s for the Action Queue, where showing a built screen takes 40-100 ms. Doing
        it here, in idle time, leaves the first visit a plain switch (bench_lists).

        Textual 8.2.8 has no public call for this: `_init_mode` is what `switch_mode` runs for a
        new mode (builds the screen, mounts it, posts `ScreenResume`, which makes the screen read
        its rows once). While hidden it reads nothing (`data_changed` reloads the current mode's
        screens only); when shown it checks for writes made since and reads again if any.
        """
        if self.is_mode_built(mode) or not self.is_running:  # (not while shutting down)
            return
        await self._init_mode(mode)

    # --- navigation ------------------------------------------------------------------------

    def action_show(self, mode: str) -> None:
        """Switch main screen. Ignored under a dialog: the dialog would be hidden, not closed."""
        if self.screen.is_modal:
            return
        self.switch_mode(mode)

    def action_help(self) -> None:
        if self.screen.is_modal:
            return
        self.push_screen(HelpScreen(self.screen))

    def set_scope(self, scope: Scope) -> None:
        """Change the shared scope (watchers refresh) and remember it for the next run."""
        self.scope = scope
        ui_state.save_scope(scope)

    def open_event(self, event_id: str) -> None:
        """Show one event on the Events screen (from the Overview scoreboard, the queue...)."""
        self.switch_mode(EventsScreen.MODE)
        screen = self.screen
        if isinstance(screen, EventsScreen) and hasattr(screen, "show_event"):
            screen.show_event(event_id)

    def open_partner(self, partner_id: str) -> None:
        """Show one partner's detail on the Partners screen."""
        self.switch_mode(PartnersScreen.MODE)
        screen = self.screen
        if isinstance(screen, PartnersScreen) and hasattr(screen, "show_partner"):
            screen.show_partner(partner_id)

    def open_action_item(self, item_key: str | None = None) -> None:
        """Show the Action Queue with the item whose key is `item_key` selected."""
        self.switch_mode(ActionQueueScreen.MODE)
        screen = self.screen
        if item_key and isinstance(screen, ActionQueueScreen) and hasattr(screen, "select_item"):
            screen.select_item(item_key)

    def data_changed(self) -> None:
        """The database changed under the screens: re-read the one showing (the others re-read
        when they are next shown)."""
        self.sync_timer.note_change()
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                screen.reload()

    # --- Google Sheets auto-sync (partners_tui/sync_timer.py) ---------------------------------

    def _auto_sync_tick(self) -> None:
        """Start a quiet background sync when one is due (off unless `sheets auto-sync`)."""
        self.sync_timer.tick()

    # --- command palette -------------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every binding of the app and of the current screen, plus actions without a key.

        Generated from the bindings, so a key added later shows up here without extra work.
        """
        seen: set[str] = set()
        sources = [(screen, screen._bindings)]
        if not screen.is_modal:
            sources.append((self, self._bindings))
        for node, bindings in sources:
            for _, binding in bindings:
                if binding.system or binding.action in seen or binding.action == "command_palette":
                    continue
                seen.add(binding.action)
                keys = self.get_key_display(binding)
                yield SystemCommand(
                    binding.description or describe(binding),
                    f"{describe(binding)}  ({keys})",
                    partial(node.run_action, binding.action),
                )
        if not screen.is_modal:
            yield SystemCommand(
                "Load demo data",
                "Fill an empty database with made-up, realistic demo data",
                self.action_load_demo,
            )
        for command in super().get_system_commands(screen):
            if command.title not in REPLACED_SYSTEM_COMMANDS:
                yield command

    # --- writes -----------------------------------------------------------------------------

    def write(
        self,
        command: Callable[[], Any],
        *,
        success: str | None = None,
        title: str | None = None,
    ) -> tuple[bool, Any]:
        """Run one store command (one transaction, milliseconds) and refresh the screens.

        Returns (True, result) on success. Bad input, a conflict or a database error is told in a
        notification (never as markup) and returns (False, error); nothing was written then.
        Forms that show errors next to their fields catch `InvalidInput` themselves first.
        """
        try:
            result = command()
        except (InvalidInput, UndoConflict, KeyError, ValueError) as exc:
            self.notify(str(exc), title=title or "Not saved", severity="error", markup=False, timeout=8)
            return False, exc
        except Exception as exc:  # a locked or broken database: say so, keep the app alive
            self.log.error("write failed", exc)
            self.notify(f"Could not save: {exc}", title=title or "Not saved", severity="error",
                        markup=False, timeout=10)
            return False, exc
        if success:
            self.notify(success, title=title, markup=False)
        self.data_changed()
        return True, result

    # --- undo ------------------------------------------------------------------------------

    @property
    def writing(self) -> bool:
        return any(w.group == "write" and w.is_running for w in self.workers)

    def action_undo(self) -> None:
        if self.writing:
            self.notify("Still saving; try again in a moment.", markup=False)
            return
        self._undo()

    @work(thread=True, exclusive=True, group="write", exit_on_error=False, name="undo")
    def _undo(self) -> None:
        try:
            undone = self.store.undo()
        except NothingToUndo:
            self.notify("Nothing to undo.", markup=False)
            return
        except UndoConflict as exc:
            self.notify(f"Cannot undo: {exc}", title="Undo", severity="warning", markup=False)
            return
        self.notify(f"Undone: {undone.description}", title="Undo", markup=False)
        self.call_from_thread(self.data_changed)

    # --- demo data -------------------------------------------------------------------------

    def action_load_demo(self) -> None:
        if self.loading_demo or self.writing:
            self.notify("Already busy; try again in a moment.", markup=False)
            return
        if not self.store.is_empty():
            self.notify(
                "This database already holds data, so demo data was not added. To try the demo, "
                "start with another file: partners-tui --db demo.sqlite3",
                title="Demo data",
                severity="warning",
                markup=False,
                timeout=8,
            )
            return
        self.demo_progress = "Loading demo data…"
        self.loading_demo = True
        self._load_demo()

    def _set_demo_progress(self, message: str) -> None:
        self.demo_progress = message

    @work(thread=True, exclusive=True, group="write", exit_on_error=False, name="load-demo")
    def _load_demo(self) -> dict[str, int]:
        def progress(message: str) -> None:
            self.call_from_thread(self._set_demo_progress, message)

        return self.generate_demo(
            self.store, size="small", seed=1, today=self.clock.today(), progress=progress
        )

    def _demo_finished(self, worker: Worker) -> None:
        self.loading_demo = False
        if worker.state == WorkerState.SUCCESS:
            summary = worker.result or {}
            made = ", ".join(f"{n:,} {name.replace('_', ' ')}" for name, n in summary.items())
            self.notify(made or "Done.", title="Demo data loaded", markup=False, timeout=8)
            if isinstance(self.screen, WelcomeScreen):
                self.screen.dismiss("demo")
        elif worker.state == WorkerState.ERROR:
            error = worker.error
            if isinstance(error, ImportError):
                message = "Demo data is not available in this installation."
            else:
                message = f"Could not load demo data: {error}"
            self.notify(message, title="Demo data", severity="error", markup=False, timeout=10)
        self.data_changed()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.name == "load-demo" and worker.is_finished:
            self._demo_finished(worker)
        elif worker.group == "write" and worker.state == WorkerState.ERROR:
            self.notify(
                f"{worker.name} failed: {worker.error}", severity="error", markup=False, timeout=10
            )


def make_app(store: Store, *, clock: Clock | None = None) -> PartnersApp:
    """Build the app around an open store (it is not closed when the app exits)."""
    return PartnersApp(store, clock=clock)


def run_app(db_path: Path | str) -> None:
    """Open the database (creating and migrating it as needed), run the app, close the engine."""
    from sqlalchemy.exc import DBAPIError

    from partners_tui.store.migrations import MigrationError, upgrade_notice

    def upgrading(current: int, target: int) -> None:
        print(upgrade_notice(db_path, current, target), file=sys.stderr, flush=True)

    try:
        store = Store.open(db_path, on_upgrade=upgrading, cache_kib=APP_CACHE_KIB)
    except MigrationError as exc:
        print(f"partners-tui: cannot open {db_path}: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
    except (sqlite3.Error, DBAPIError, OSError) as exc:
        print(f"partners-tui: cannot open {db_path}: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
    try:
        make_app(store).run()
    finally:
        store.close()
