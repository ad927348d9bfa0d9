"""Action Queue: who to follow up with next, and the keys to work through the list.

Every follow-up due within the window and every deal gone quiet (DESIGN 4.6), in priority order,
for the scope shared with the Overview (`app.scope`). On the selected item: `l` logs an activity
(and completes / schedules follow-ups, moves the deal), `d` marks the follow-up done, `s` snoozes
or reschedules, `t` changes the deal's status, `o` / `v` open the partner / event, `u` undoes.

Reading the whole queue of a large database takes a second or more, so it is read in a thread
worker, and after a write only the partners the change log names are read again and spliced in
(`store.queries.queue_refresh`): a save shows in the list within milliseconds. After working an
item the cursor moves to the item that followed it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Static
from textual.worker import Worker

from partners_tui.screens.action_list import ActionList
from partners_tui.screens.base import MainScreen
from partners_tui.screens.log_activity import LogActivityForm, LogSaved, LogTarget
from partners_tui.screens.pickers import DatePicker, OptionPicker, status_options
from partners_tui.store.follow_up_dates import shortcuts
from partners_tui.store.pipeline import list_statuses
from partners_tui.store.queries import (
    ActionItem, ActionQueue, ResolvedScope, Scope, ScopeError, StatusInfo, action_queue,
    auto_year, load_statuses, resolve_scope,
)
from partners_tui.store.queries.action_item_text import explain, item_key
from partners_tui.store.queries.queue_refresh import (
    LiveQueue, changes_since, last_command_id, partner_items,
)
from partners_tui.store.queries.scope_choices import ScopeChoices, scope_choices
from partners_tui.widgets.money import Money
from partners_tui.widgets.scope_bar import ScopeBar, ScopeKeys

FULL_REFRESH_DELAY = 1.5
"""After a save that changed the queue's largest weighted amount (every score re-scaled from
cents), seconds of quiet before the whole queue is read again, to be exact to the last point."""


@dataclass(frozen=True)
class Anchor:
    """Where the cursor should land after the next refresh: `key` if it is still there and
    `stay` is set, else the first of `after` (the items that followed it), else `before`."""

    key: str | None
    after: tuple[str, ...] = ()
    before: tuple[str, ...] = ()
    stay: bool = False


@dataclass(frozen=True)
class Loaded:
    scope: Scope
    today: Any
    resolved: ResolvedScope
    statuses: dict[str, StatusInfo]
    last_command: int
    money: Money
    choices: ScopeChoices
    auto_year: int | None


class ActionQueueScreen(ScopeKeys, MainScreen):
    MODE = "action_queue"
    KEY = "4"
    LABEL = "Action Queue"
    PURPOSE = (
        "Every follow-up that is due and every deal gone quiet, most urgent and most valuable "
        "first; work each item without leaving the list: log a call or email, complete or "
        "snooze the follow-up, move the deal, undo."
    )

    BINDINGS = [
        Binding("l,enter", "log", "Log", tooltip="Log an activity on the selected item (and plan the next follow-up)"),
        Binding("d", "done", "Done", tooltip="Mark the selected follow-up done"),
        Binding("s", "snooze", "Snooze", tooltip="Snooze or reschedule the selected follow-up"),
        Binding("t", "status", "Status", tooltip="Change the selected deal's status"),
        Binding("o", "open_partner", "Partner", tooltip="Open the selected item's partner"),
        Binding("v", "open_event", "Event", tooltip="Open the selected item's event"),
        Binding("u", "undo", "Undo", tooltip="Undo the last change"),
        Binding("ctrl+z", "undo", "Undo", show=False, tooltip="Undo the last change"),
        Binding("y", "pick('year')", "Year", show=False, tooltip="Choose the year: auto, all years or one (shared with the Overview)"),
        Binding("e", "pick('event')", "Event", show=False, tooltip="Choose one event, or all events"),
        Binding("w", "pick('window')", "Window", show=False, tooltip="Choose the follow-up window (7 to 90 days)"),
        Binding("a", "toggle_archived", "Archived", show=False, tooltip="Include or hide archived events and partners"),
        Binding("0", "reset_scope", "Reset scope", show=False, tooltip="Back to the default scope: auto year, all events, archived hidden"),
    ]

    DEFAULT_CSS = """
    ActionQueueScreen ScopeBar {
        margin-bottom: 1;
    }
    ActionQueueScreen #summary-line {
        height: 1;
        margin-bottom: 1;
    }
    ActionQueueScreen #queue {
        height: 1fr;
        max-height: 100%;
    }
    ActionQueueScreen #detail {
        height: auto;
        min-height: 3;
        margin-top: 1;
        padding: 0 1;
        border-left: thick $primary;
    }
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.live: LiveQueue | None = None
        self.loaded: Loaded | None = None
        self.reading = False
        self._full_read: tuple[Worker | None, tuple[Scope, Any] | None] = (None, None)
        """The last full read's worker, and the scope and day it reads."""
        self._generation = 0
        self._anchor: Anchor | None = None
        self._expect: Anchor | None = None
        """Where to go once the write a dialog is about to make lands (set when it opens)."""
        self._pending_key: str | None = None
        self._last_worked: str | None = None
        self._full_timer = None
        self.refreshed_at = 0.0
        """perf_counter() of the last time the list was given new items (for the benchmark)."""

    @property
    def queue(self) -> ActionQueue | None:
        """The queue as shown (a copy: for tests and scripts)."""
        return self.live.queue() if self.live is not None else None

    # --- layout ----------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        yield ScopeBar(id="scope-bar")
        yield Static("Loading the queue…", id="summary-line")
        queue = ActionList(id="queue")
        queue.empty_text = "Loading the queue…"
        yield queue
        yield Static(id="detail")

    def on_mount(self) -> None:
        super().on_mount()
        # Inline, to beat app.tcss's padding of main screens: a screen `CSS` would do too, but
        # Textual re-parses every style sheet to add one (~60 ms on first showing).
        self.query_one("#body").styles.padding = (0, 1)
        self.watch(self.app, "scope", self._scope_changed, init=False)
        self.query_one(ActionList).focus()

    # --- reading ---------------------------------------------------------------------------

    def reload(self) -> None:
        """Bring the list up to date: a full read when the scope or the day changed, else only
        the partners changed since the last read."""
        today = self.app.clock.today()
        loaded = self.loaded
        if loaded is None or loaded.scope != self.app.scope or loaded.today != today:
            if not self._full_read_on_its_way(self.app.scope, today):
                self.load_full()
            return
        self._apply_changes()

    def _full_read_on_its_way(self, scope: Scope, today) -> bool:
        """A full read of this scope and day is running (the one started when the screen was
        built ahead, say): it applies any write made meanwhile when it lands (`_full_read_done`)."""
        reader, wanted = self._full_read
        return reader is not None and not reader.is_finished and wanted == (scope, today)

    def action_reload(self) -> None:
        self.load_full()

    def _scope_changed(self, scope: Scope) -> None:
        if not self.is_current:
            return  # hidden (built ahead, or another screen shows): `reload` reads it when shown
        if self.loaded is None or self.loaded.scope != scope:
            self.load_full()

    def load_full(self) -> None:
        self._generation += 1
        self.reading = True
        self._show_summary()
        scope, today = self.app.scope, self.app.clock.today()
        self._full_read = (self._read_everything(scope, today, self._generation), (scope, today))

    @work(thread=True, exclusive=True, group="action-queue", exit_on_error=False)
    def _read_everything(self, scope: Scope, today, generation: int) -> None:
        store = self.app.store
        try:
            with store.read() as conn:
                last = last_command_id(conn)
                resolved = resolve_scope(conn, scope, today)
                statuses = load_statuses(conn)
                queue = action_queue(conn, resolved, store.clock, statuses)
            live = LiveQueue(queue.items, resolved.window_days)
        except ScopeError as exc:
            self.app.call_from_thread(self._scope_failed, scope, str(exc))
            return
        money = Money.from_settings(store.settings())
        choices = scope_choices(store)
        with store.read() as conn:
            auto = auto_year(conn, today)
        loaded = Loaded(scope, today, resolved, statuses, last, money, choices, auto)
        self.app.call_from_thread(self._full_read_done, generation, loaded, live)

    def _scope_failed(self, scope: Scope, message: str) -> None:
        """The remembered scope cannot be shown (its event was deleted): say so, use a default."""
        self.reading = False
        fallback = replace(scope, event_id=None) if scope.event_id else Scope()
        if fallback == scope:
            fallback = Scope()
        self.notify(f"The saved scope could not be shown ({message}); showing a wider one.",
                    title="Action Queue", severity="warning", markup=False, timeout=8)
        self.app.set_scope(fallback)

    def _full_read_done(self, generation: int, loaded: Loaded, live: LiveQueue) -> None:
        if generation != self._generation or not self.is_mounted:
            return  # a newer read is on its way
        self.reading = False
        self.loaded = loaded
        self.live = live
        self._show()
        self.query_one(ScopeBar).sync(
            loaded.scope, loaded.choices, resolved_year=loaded.resolved.year,
            window_days=loaded.resolved.window_days, auto_year=loaded.auto_year,
        )
        # Writes made while reading are after `last_command`: splice them in now.
        self._apply_changes()

    def _apply_changes(self) -> None:
        loaded, live = self.loaded, self.live
        if loaded is None or live is None:
            return
        store = self.app.store
        with store.read() as conn:
            changes = changes_since(conn, loaded.last_command)
            if changes.reaches_everyone:
                fresh = None
            elif changes.partner_ids:
                fresh = partner_items(conn, loaded.resolved, changes.partner_ids, store.clock, loaded.statuses)
            else:
                fresh = []
        if not changes.nothing and self._expect is not None:
            self._anchor, self._expect = self._expect, None
        if fresh is None:
            self.load_full()
            return
        self.loaded = replace(loaded, last_command=changes.last_command_id)
        if not changes.partner_ids:
            if self._anchor is not None or self._pending_key is not None:
                self._show()
            return
        rescaled = live.splice(changes.partner_ids, fresh)
        self._show()
        if rescaled:
            self._schedule_full_read()

    def _schedule_full_read(self) -> None:
        if self._full_timer is not None:
            self._full_timer.stop()
        self._full_timer = self.set_timer(FULL_REFRESH_DELAY, self.load_full)

    # --- showing ---------------------------------------------------------------------------

    def _show(self) -> None:
        """Give the list its items and put the cursor where it belongs."""
        live = self.live
        if live is None:
            return
        table = self.query_one(ActionList)
        old_key = item_key(table.current) if table.current else None
        old_index = table.cursor
        target = None
        if self._pending_key is not None:
            target = live.position(self._pending_key)
            if target is None and self.loaded is not None:
                self.notify("That item is no longer in the queue.", markup=False)
            self._pending_key = None
        if target is None and self._anchor is not None:
            anchor, self._anchor = self._anchor, None
            if anchor.stay and anchor.key:
                target = live.position(anchor.key)
            if target is None:
                for key in (*anchor.after, *anchor.before):
                    target = live.position(key)
                    if target is not None:
                        break
        if target is None and old_key:
            target = live.position(old_key)
        if target is None:
            target = min(old_index, max(len(live) - 1, 0))
        table.empty_text = "Nothing to follow up in this scope. Change it with y, e, w or a."
        money = self.loaded.money if self.loaded else Money()
        table.money = money.full
        table.set_items(live.items, target)
        self.refreshed_at = time.perf_counter()
        self._show_summary()

    def _show_summary(self) -> None:
        line = self.query_one("#summary-line", Static)
        live = self.live
        if live is None:
            line.update("Loading the queue…")
            return
        c = live.counts
        parts = [
            Content.styled(f"{c.total:,} item{'s' if c.total != 1 else ''}", "bold"),
            Content.styled(f"{c.overdue:,} overdue", "bold $text-error" if c.overdue else ""),
            Content(f"{c.due_today:,} due today"),
            Content(f"{c.stale:,} stale deal{'s' if c.stale != 1 else ''}"),
        ]
        if self.reading:
            parts.append(Content.styled("refreshing…", "italic $text-muted"))
        line.update(Content(" · ").join(parts))

    @on(ActionList.Highlighted)
    def _show_detail(self, event: ActionList.Highlighted) -> None:
        detail = self.query_one("#detail", Static)
        item = event.item
        if item is None:
            detail.update("")
            return
        money = self.loaded.money if self.loaded else Money()
        first = [Content.styled(item.partner, "bold")]
        if item.contact:
            first.append(Content(item.contact))
        if item.event:
            first.append(Content(item.event))
        if item.status_label:
            first.append(Content(item.status_label))
        if item.amount_cents is not None:
            first.append(Content(money.full(item.amount_cents)))
        second = [Content(explain(item))]
        if item.due_date:
            second.append(Content(f"due {item.due_date}"))
        second.append(Content(f"score {item.score}"))
        detail.update(Content.assemble(
            Content(" · ").join(first), "\n", Content(" · ").join(second), "\n",
            Content.styled("l log · d done · s snooze · t status · o partner · v event · u undo", "dim"),
        ))

    # --- selection from elsewhere -----------------------------------------------------------

    def select_item(self, key: str) -> None:
        """Put the cursor on the item `key` (`follow_up:<id>` or `stale:<deal id>`)."""
        tables = self.query(ActionList)
        if not tables or self.live is None or self.reading:
            self._pending_key = key  # the next read selects it
            return
        index = self.live.position(key)
        if index is None:
            self.notify("That item is no longer in the queue.", markup=False)
            return
        tables.first().cursor = index
        tables.first().focus()

    # --- working an item ---------------------------------------------------------------------

    def _selected(self) -> ActionItem | None:
        item = self.query_one(ActionList).current
        if item is None:
            self.notify("Nothing selected.", markup=False)
        return item

    def _anchor_for(self, item: ActionItem, *, stay: bool = False) -> Anchor:
        table = self.query_one(ActionList)
        items = table.items
        n = table.cursor
        after = tuple(item_key(i) for i in items[n + 1 : n + 40])
        before = tuple(item_key(i) for i in reversed(items[max(0, n - 10) : n]))
        return Anchor(item_key(item), after, before, stay)

    def _worked(self, item: ActionItem, *, stay: bool = False) -> None:
        self._anchor = self._anchor_for(item, stay=stay)
        self._last_worked = item_key(item)

    def _settings(self) -> dict[str, Any]:
        return self.app.store.settings()

    def action_log(self) -> None:
        item = self._selected()
        if item is None:
            return
        settings = self._settings()
        today = self.app.clock.today()
        first_day = settings.get("week.first_day", "monday")
        form = LogActivityForm(
            LogTarget.from_item(item),
            shortcuts=shortcuts(settings.get("follow_up.snooze_choices", []), today, first_day),
            statuses=list_statuses(self.app.store),
            first_day=first_day,
        )

        def saved(result: LogSaved | None) -> None:
            expected, self._expect = self._expect, None
            if result is None:
                return
            self._last_worked = item_key(item)
            if expected is not None:  # the screen has not caught up with the save yet
                self._anchor = expected
            self.app.data_changed()
            self.notify(result.description, title="Logged", markup=False)

        # The form saves by itself; when the screen catches up (on returning to it, or from
        # `data_changed` below), the cursor moves past the item just worked.
        self._expect = self._anchor_for(item)
        self.app.push_screen(form, saved)

    def action_done(self) -> None:
        item = self._selected()
        if item is None:
            return
        if item.follow_up_id is None:
            self.notify(
                "This deal has no follow-up to complete: log an activity (l) or schedule a "
                "follow-up (s).", markup=False,
            )
            return
        self._worked(item)
        ok, _ = self.app.write(
            lambda: self.app.store.complete_follow_up(item.follow_up_id),
            success=f"Follow-up with {item.partner} done",
        )
        if not ok:
            self._anchor = None

    def action_snooze(self) -> None:
        item = self._selected()
        if item is None:
            return
        settings = self._settings()
        today = self.app.clock.today()
        first_day = settings.get("week.first_day", "monday")
        choices = shortcuts(settings.get("follow_up.snooze_choices", []), today, first_day)
        if item.follow_up_id:
            title = f"Reschedule the follow-up with {item.partner}"
        else:
            title = f"Schedule a follow-up with {item.partner}"

        def picked(day: str | None) -> None:
            if day is None:
                return
            self._worked(item)
            store = self.app.store
            if item.follow_up_id:
                command = lambda: store.reschedule_follow_up(item.follow_up_id, day)  # noqa: E731
                message = f"Follow-up with {item.partner} moved to {day}"
            else:
                command = lambda: store.add_follow_up(  # noqa: E731
                    {"partner_id": item.partner_id, "deal_id": item.deal_id, "due_date": day}
                )
                message = f"Follow-up with {item.partner} scheduled for {day}"
            ok, _ = self.app.write(command, success=message)
            if not ok:
                self._anchor = None

        self.app.push_screen(DatePicker(title, choices, today, first_day, item.due_date), picked)

    def action_status(self) -> None:
        item = self._selected()
        if item is None:
            return
        if item.deal_id is None:
            self.notify("This follow-up is not on a deal, so it has no status.", markup=False)
            return
        statuses = list_statuses(self.app.store)
        labels = {s["key"]: s["label"] for s in statuses}

        def picked(key: str | None) -> None:
            if key is None or key == item.status:
                return
            self._worked(item, stay=True)
            ok, _ = self.app.write(
                lambda: self.app.store.change_deal_status(item.deal_id, key),
                success=f"{item.partner}: {labels.get(item.status, item.status)} → {labels.get(key, key)}",
            )
            if not ok:
                self._anchor = None

        self.app.push_screen(
            OptionPicker(f"Status of {item.partner} · {item.event or ''}", status_options(statuses), item.status),
            picked,
        )

    def action_open_partner(self) -> None:
        item = self._selected()
        if item is not None:
            self.app.open_partner(item.partner_id)

    def action_open_event(self) -> None:
        item = self._selected()
        if item is None:
            return
        if item.event_id is None:
            self.notify("This is a general follow-up, not tied to an event.", markup=False)
            return
        self.app.open_event(item.event_id)

    def action_undo(self) -> None:
        """Undo the last change (the app's undo); the item it touched is selected again."""
        if self._last_worked:
            self._anchor = Anchor(self._last_worked, stay=True)
        self.app.action_undo()

    # --- scope (the Overview's controls and keys) ----------------------------------------------

    @on(ScopeBar.Changed)
    def _scope_picked(self, event: ScopeBar.Changed) -> None:
        event.stop()
        self.app.set_scope(event.scope)
        self.query_one(ActionList).focus()

