"""Settings: the pipeline statuses, annual goals, money and dates, follow-up rules.

Everything the numbers depend on, visible and editable in one place. Reads come from
`store.queries.settings_view`; every change is one store command run through `app.write`
(change-logged, undone with ctrl+z) after which every main screen reads its numbers again.
Each section is a table; the keys in the footer follow the table that has the focus.
"""

from __future__ import annotations

from typing import Any, Callable

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import DataTable, Static

from partners_tui.screens.base import MainScreen
from partners_tui.screens.settings_dialogs import (
    GENERAL, ConfirmDialog, GoalDialog, MergeDialog, SettingDialog, StatusDialog,
)
from partners_tui.screens.tables import cell, fill
from partners_tui.store.queries.queue_refresh import last_command_id
from partners_tui.store.queries.settings_view import SettingsView, StatusRow, settings_view
from partners_tui.store.settings import SECTIONS, SETTINGS
from partners_tui.store.validate import InvalidInput, Problem
from partners_tui.widgets.money import Money

NARROW_BELOW = 100
MOVE = Binding.Group("Move")
STATUS_ACTIONS = {
    "add_status", "edit_probability", "move_status", "merge_status", "archive_status",
    "restore_status", "delete_status",
}
GOAL_ACTIONS = {"set_goal", "clear_goal"}

PIPELINE_HINT = (
    "Deals move through these steps in this order. Probability weights the open pipeline; "
    "stale-after days put a quiet deal on the Action Queue. At least one open, one secured "
    "and one lost status stay active; keys never change."
)
GOALS_HINT = (
    "A year's goal is its explicit annual goal, or else the sum of its events' goals "
    "(events not archived)."
)

# Column sets (key, header, width, justify) for wide and narrow terminals.
STATUS_COLUMNS = {
    "wide": [
        ("n", "#", 2, "right"), ("label", "Label", 20, "left"), ("key", "Key", 18, "left"),
        ("probability", "Prob.", 5, "right"), ("secured", "Secured", 7, "left"),
        ("closed", "Closed", 6, "left"), ("stale", "Stale after", 11, "left"),
        ("deals", "Deals", 7, "right"), ("state", "", 8, "left"),
    ],
    "narrow": [
        ("label", "Label", 15, "left"), ("key", "Key", 15, "left"), ("probability", "Prob.", 5, "right"),
        ("kind", "Kind", 7, "left"), ("stale", "Stale", 5, "right"), ("deals", "Deals", 6, "right"),
        ("state", "", 5, "left"),
    ],
}
GOAL_COLUMNS = {
    "wide": [
        ("year", "Year", 4, "left"), ("annual", "Annual goal", 14, "right"),
        ("events_sum", "Sum of event goals", 18, "right"), ("events", "Events", 16, "right"),
        ("difference", "Difference", 14, "right"), ("used", "Goal in use", 22, "left"),
    ],
    "narrow": [
        ("year", "Year", 4, "left"), ("annual", "Annual goal", 12, "right"),
        ("events_sum", "Event goals", 12, "right"), ("difference", "Difference", 12, "right"),
        ("used", "In use", 7, "left"),
    ],
}
SETTING_COLUMNS = {
    "wide": [
        ("setting", "Setting", 18, "left"), ("value", "Value", 36, "left"),
        ("help", "What it does", 58, "left"),
    ],
    "narrow": [("setting", "Setting", 18, "left"), ("value", "Value", 44, "left")],
}


def section_id(section: str) -> str:
    return "settings-" + section.lower().replace(" ", "-")


class SettingsScreen(MainScreen):
    MODE = "settings"
    KEY = "5"
    LABEL = "Settings"
    PURPOSE = (
        "Everything the numbers depend on: pipeline statuses and their probabilities, annual "
        "goals, currency, time zone, first day of week and follow-up rules."
    )

    AUTO_FOCUS = "#statuses"

    DEFAULT_CSS = """
    SettingsScreen .section-title {
        text-style: bold;
        color: $accent;
        margin-top: 1;
    }
    SettingsScreen .section-title.-first {
        margin-top: 0;
    }
    SettingsScreen .section-hint {
        color: $text-muted;
    }
    SettingsScreen DataTable {
        margin-top: 1;
    }
    SettingsScreen #pipeline-message {
        display: none;
        color: $text-error;
        text-style: bold;
    }
    SettingsScreen #pipeline-message.-shown {
        display: block;
    }
    """

    BINDINGS = [
        Binding("r", "reload", "Reload", show=False,
                tooltip="Read this screen's data from the database again"),
        Binding("e", "edit", "Edit", tooltip="Edit the selected status, goal or setting (also enter)"),
        Binding("a", "add_status", "Add status", tooltip="Add a custom pipeline status"),
        Binding("p", "edit_probability", "Probability",
                tooltip="Change the selected status's win probability"),
        Binding("shift+up", "move_status(-1)", "Move up", group=MOVE,
                tooltip="Move the selected status one step earlier in the pipeline"),
        Binding("shift+down", "move_status(1)", "Move down", group=MOVE,
                tooltip="Move the selected status one step later in the pipeline"),
        Binding("m", "merge_status", "Merge into…",
                tooltip="Move every deal of the selected status to another one and remove it"),
        Binding("x", "archive_status", "Archive",
                tooltip="Archive the selected status (hidden from pickers; its deals keep it)"),
        Binding("x", "restore_status", "Restore", tooltip="Restore the selected archived status"),
        Binding("delete", "delete_status", "Delete",
                tooltip="Delete the selected status if no deal uses it"),
        Binding("g", "set_goal", "Set goal", tooltip="Set the selected year's annual goal"),
        Binding("c", "clear_goal", "Use event sum",
                tooltip="Clear the selected year's annual goal: use the sum of its event goals"),
        Binding("tab", "app.focus_next", "Next section", tooltip="Go to the next section"),
        Binding("shift+tab", "app.focus_previous", "Previous section", show=False,
                tooltip="Go to the previous section"),
    ]

    view: SettingsView | None = None
    layout_name: str = ""
    _read_for: tuple[int, Any] | None = None
    """The last write (`last_command_id`) and the day `view` was read for."""
    _resuming = False

    # --- layout ----------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        yield Static("Pipeline statuses", classes="section-title -first")
        yield Static(PIPELINE_HINT, classes="section-hint")
        yield DataTable(id="statuses", cursor_type="row", zebra_stripes=True)
        yield Static(id="pipeline-message")
        yield Static("Goals", classes="section-title")
        yield Static(GOALS_HINT, classes="section-hint")
        yield DataTable(id="goals", cursor_type="row", zebra_stripes=True)
        for section in SECTIONS:
            yield Static(section, classes="section-title")
            yield DataTable(id=section_id(section), cursor_type="row", zebra_stripes=True)

    def _layout(self) -> str:
        return "narrow" if 0 < self.app.size.width < NARROW_BELOW else "wide"

    def _set_columns(self, layout: str) -> None:
        tables = [("#statuses", STATUS_COLUMNS), ("#goals", GOAL_COLUMNS)] + [
            (f"#{section_id(s)}", SETTING_COLUMNS) for s in SECTIONS
        ]
        for selector, columns in tables:
            table = self.query_one(selector, DataTable)
            table.clear(columns=True)
            for key, header, width, justify in columns[layout]:
                table.add_column(Text(header, justify=justify), key=key, width=width)
        self.layout_name = layout

    def on_resize(self) -> None:
        if self.view is not None and self._layout() != self.layout_name:
            self.reload()

    # --- reading ---------------------------------------------------------------------------

    def on_screen_resume(self) -> None:
        # Runs just before MainScreen's handler, which calls reload(): mark why it is called.
        self._resuming = True

    def reload(self) -> None:
        """Read everything again and refill the tables; shown again (built ahead, or the user
        comes back) with nothing written since, keep what is shown."""
        resuming, self._resuming = self._resuming, False
        today = self.app.clock.today()
        with self.app.store.read() as conn:  # first: a write during the read reads again
            read_for = (last_command_id(conn), today)
        if resuming and read_for == self._read_for and self._layout() == self.layout_name:
            return
        self._read_for = read_for
        self.view = settings_view(self.app.store, today)
        layout = self._layout()
        if layout != self.layout_name:
            self._set_columns(layout)
        wide = layout == "wide"
        fill(self.query_one("#statuses", DataTable), [
            (s.key, self._status_cells(s, wide)) for s in self.view.statuses
        ])
        fill(self.query_one("#goals", DataTable), [
            (str(g.year), self._goal_cells(g, wide)) for g in self.view.goals
        ])
        for section in SECTIONS:
            fill(self.query_one(f"#{section_id(section)}", DataTable), [
                (key, self._setting_cells(key, wide))
                for key, spec in SETTINGS.items() if spec.section == section
            ])
        self.refresh_bindings()

    def money(self, cents: int | None, *, signed: bool = False) -> str:
        """Full amount in the team's currency symbol (as every screen shows money)."""
        return Money.from_settings(self.view.settings if self.view else {}).full(cents, signed=signed)

    def _status_cells(self, s: StatusRow, wide: bool) -> list[Text]:
        dim = s.archived
        if wide:
            stale = "never" if s.stale_after_days is None else f"{s.stale_after_days} days"
            return [
                cell(s.position + 1, justify="right", dim=True), cell(s.label, dim=dim),
                cell(s.key, dim=True), cell(f"{s.probability}%", justify="right", dim=dim),
                cell("yes" if s.secured else "", dim=dim), cell("yes" if s.closed else "", dim=dim),
                cell(stale, dim=dim), cell(f"{s.deals:,}", justify="right", dim=dim),
                cell("archived" if s.archived else "", dim=True),
            ]
        stale = "never" if s.stale_after_days is None else f"{s.stale_after_days}d"
        return [
            cell(s.label, dim=dim), cell(s.key, dim=True),
            cell(f"{s.probability}%", justify="right", dim=dim), cell(s.kind, dim=dim),
            cell(stale, justify="right", dim=dim), cell(f"{s.deals:,}", justify="right", dim=dim),
            cell("arch." if s.archived else "", dim=True),
        ]

    def _goal_cells(self, g, wide: bool) -> list[Text]:
        annual = "not set" if g.annual_goal_cents is None else self.money(g.annual_goal_cents)
        difference = "" if g.difference_cents is None else self.money(g.difference_cents, signed=True)
        cells = [
            cell(g.year), cell(annual, justify="right", dim=g.annual_goal_cents is None),
            cell(self.money(g.event_goal_cents), justify="right"),
        ]
        if wide:
            events = f"{g.events}" + (f" (+{g.archived_events} archived)" if g.archived_events else "")
            cells.append(cell(events, justify="right"))
        cells.append(cell(difference, justify="right"))
        if wide:
            source = "annual" if g.annual_goal_cents is not None else "event sum"
            cells.append(cell(f"{self.money(g.goal_cents)} ({source})"))
        else:
            cells.append(cell("annual" if g.annual_goal_cents is not None else "events"))
        return cells

    def shown_value(self, key: str) -> str:
        assert self.view is not None
        value = self.view.settings[key]
        if key == "time_zone":
            return value or f"this machine's ({self.view.machine_time_zone})"
        if key == "week.first_day":
            return str(value).title()
        if key == "follow_up.window_days":
            return f"{value} days"
        if isinstance(value, list):
            return ", ".join(value)
        return str(value)

    def _setting_cells(self, key: str, wide: bool) -> list[Text]:
        spec = SETTINGS[key]
        cells = [cell(spec.label), cell(self.shown_value(key))]
        if wide:
            cells.append(cell(spec.help, dim=True))
        return cells

    # --- which row -------------------------------------------------------------------------

    def _row_key(self, table_id: str) -> str | None:
        table = self.query_one(f"#{table_id}", DataTable)
        if not table.row_count:
            return None
        try:
            return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        except Exception:  # cursor outside the rows
            return None

    def selected_status(self) -> StatusRow | None:
        key = self._row_key("statuses")
        return self.view.status(key) if self.view and key else None

    def selected_year(self) -> int:
        key = self._row_key("goals")
        return int(key) if key else self.app.clock.today().year

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Show a section's keys while its table has the focus (the palette runs any of them)."""
        focused = self.focused.id if self.focused else None
        if action in STATUS_ACTIONS:
            if focused not in (None, "statuses"):
                return False
            if action in ("archive_status", "restore_status"):
                status = self.selected_status()
                archived = bool(status and status.archived)
                return archived if action == "restore_status" else not archived
        if action in GOAL_ACTIONS and focused != "goals":
            return False
        return True

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "statuses":
            self.refresh_bindings()  # archive or restore

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self._edit(event.data_table.id or "statuses")

    # --- writing ---------------------------------------------------------------------------

    def submit(self, command: Callable[[], Any], success: str | Callable[[Any], str]) -> InvalidInput | None:
        """Run a store command for a dialog: None when saved, else the problems to show in it.

        Bad input is caught here (the dialog shows it next to its fields) instead of in a
        notification; any other failure is notified by `app.write` and also told in the dialog.
        """
        if self._busy():
            return InvalidInput(Problem(GENERAL, "Still saving; try again in a moment."))
        refused: InvalidInput | None = None

        def guarded() -> Any:
            nonlocal refused
            try:
                return command()
            except InvalidInput as exc:
                refused = exc
                return None

        ok, result = self.app.write(guarded)
        if not ok:
            return InvalidInput(Problem(GENERAL, f"Not saved: {result}"))
        if refused is not None:
            return refused
        self.app.notify(success(result) if callable(success) else success, markup=False)
        self._pipeline_message(None)
        return None

    def _write(self, command: Callable[[], Any], success: str | None = None, *, wait: bool = True) -> bool:
        """Run a store command from a key (no dialog); a refusal also shows under the statuses.
        `wait=False` skips the check for a running write (the merge worker reporting itself)."""
        if wait and self._busy():
            return False
        ok, result = self.app.write(command, success=success)
        self._pipeline_message(None if ok else result)
        return ok

    def _busy(self) -> bool:
        if self.app.writing:  # a merge or an undo is still running
            self.app.notify("Still saving; try again in a moment.", markup=False)
            return True
        return False

    def _pipeline_message(self, error: Exception | None) -> None:
        box = self.query_one("#pipeline-message", Static)
        if error is None:
            box.remove_class("-shown")
            return
        problems = error.problems if isinstance(error, InvalidInput) else [Problem(GENERAL, str(error))]
        text = "; ".join(p.message for p in problems)
        box.update(Content.assemble("Not saved: ", text[:1].upper() + text[1:]))
        box.add_class("-shown")

    # --- actions ---------------------------------------------------------------------------

    def action_edit(self) -> None:
        focused = self.focused.id if self.focused else None
        self._edit(focused or "statuses")

    def _edit(self, table_id: str) -> None:
        if table_id == "goals":
            self.action_set_goal()
        elif table_id.startswith("settings-"):
            key = self._row_key(table_id)
            if key:
                self._edit_setting(key)
        else:
            self._edit_status("label")

    def action_edit_probability(self) -> None:
        self._edit_status("probability")

    def _edit_status(self, focus: str) -> None:
        status = self.selected_status()
        if status is None:
            return
        store = self.app.store

        def save(changes: dict[str, Any]) -> InvalidInput | None:
            return self.submit(
                lambda: store.update_status(status.key, changes),
                f"Saved status {changes.get('label', status.label)}",
            )

        self.app.push_screen(StatusDialog(save, status, focus=focus))

    def action_add_status(self) -> None:
        store = self.app.store

        def save(values: dict[str, Any]) -> InvalidInput | None:
            return self.submit(lambda: store.add_status(values), lambda key: f"Added status {values['label']} ({key})")

        self.app.push_screen(StatusDialog(save), self._select_status)

    def _select_status(self, key: str | None) -> None:
        if not key:
            return
        table = self.query_one("#statuses", DataTable)
        try:
            table.move_cursor(row=table.get_row_index(key), animate=False)
        except Exception:  # not there (undone meanwhile)
            pass
        table.focus()

    def action_move_status(self, delta: int) -> None:
        status = self.selected_status()
        if status is None or self.view is None:
            return
        index = [s.key for s in self.view.statuses].index(status.key)
        target = index + delta
        if not 0 <= target < len(self.view.statuses):
            self.app.bell()
            return
        self._write(lambda: self.app.store.move_status(status.key, target))

    def action_merge_status(self) -> None:
        source = self.selected_status()
        if source is None or self.view is None:
            return
        targets = [s for s in self.view.statuses if s.key != source.key and not s.archived]

        def chosen(target_key: str | None) -> None:
            target = self.view.status(target_key) if target_key and self.view else None
            if target is None:
                return
            deals = f"{source.deals:,} deal{'s' if source.deals != 1 else ''}"
            message = Content.assemble(
                (deals, "bold"), " moves from " if source.deals == 1 else " move from ", (source.label, "bold"), f" ({source.probability}%, {source.kind})",
                " to ", (target.label, "bold"), f" ({target.probability}%, {target.kind}), and ",
                (source.label, "bold"), " is removed.\n\nctrl+z undoes it.",
            )

            def confirmed(yes: bool | None) -> None:
                if yes:
                    self.query_one("#statuses", DataTable).loading = True
                    self._merge(source.key, target.key, f"Merged {source.label} into {target.label}: {deals} moved.")

            self.app.push_screen(
                ConfirmDialog(f"Merge {source.label} into {target.label}?", message, "Merge"), confirmed
            )

        self.app.push_screen(MergeDialog(source, targets), chosen)

    # Group "write" so the app's undo waits for it; not exclusive, which would cancel a running
    # undo in that group (this screen refuses a second merge itself while one runs).
    @work(thread=True, group="write", exit_on_error=False, name="merge-status")
    def _merge(self, source: str, target: str, success: str) -> None:
        """Merging a status that holds tens of thousands of deals takes seconds: run the command
        here, then report through `app.write` on the UI thread (same messages, same refresh)."""
        try:
            result: tuple[bool, Any] = (True, self.app.store.merge_status(source, target))
        except Exception as exc:  # told by app.write, like any other refused or failed write
            result = (False, exc)

        def outcome() -> Any:
            ok, value = result
            if not ok:
                raise value
            return value

        def report() -> None:
            self.query_one("#statuses", DataTable).loading = False
            self._write(outcome, success, wait=False)

        self.app.call_from_thread(report)

    def action_archive_status(self) -> None:
        status = self.selected_status()
        if status is None:
            return
        if status.archived:
            self.app.notify(f"{status.label} is already archived.", markup=False)
            return
        keeps = (
            f" Its {status.deals:,} deal{'s' if status.deals != 1 else ''} keep it."
            if status.deals else ""
        )
        self._write(
            lambda: self.app.store.archive_status(status.key),
            f"Archived {status.label}: hidden from status pickers.{keeps}",
        )

    def action_restore_status(self) -> None:
        status = self.selected_status()
        if status is None:
            return
        if not status.archived:
            self.app.notify(f"{status.label} is not archived.", markup=False)
            return
        self._write(lambda: self.app.store.restore_status(status.key), f"Restored {status.label}.")

    def action_delete_status(self) -> None:
        status = self.selected_status()
        if status is None:
            return
        if status.deals:  # refused by the store with its own message (merge or archive instead)
            self._write(lambda: self.app.store.delete_status(status.key))
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._write(lambda: self.app.store.delete_status(status.key), f"Deleted status {status.label}.")

        self.app.push_screen(
            ConfirmDialog(
                f"Delete {status.label}?",
                Content.assemble("No deal uses ", (status.label, "bold"), ". It is removed from the pipeline.\n\nctrl+z undoes it."),
                "Delete",
            ),
            confirmed,
        )

    def action_set_goal(self) -> None:
        if self.view is None:
            return
        store = self.app.store
        goals = {g.year: g for g in self.view.goals}

        def save(year: int, goal: str | None) -> InvalidInput | None:
            def success(_: Any) -> str:
                if goal is None:
                    return f"{year} uses the sum of its event goals."
                return f"Annual goal {year} saved."

            return self.submit(lambda: store.set_annual_goal(year, goal), success)

        self.app.push_screen(GoalDialog(save, self.selected_year(), goals, self.money), self._select_year)

    def _select_year(self, year: int | None) -> None:
        if year is None:
            return
        table = self.query_one("#goals", DataTable)
        try:
            table.move_cursor(row=table.get_row_index(str(year)), animate=False)
        except Exception:
            pass
        table.focus()

    def action_clear_goal(self) -> None:
        if self.view is None:
            return
        year = self.selected_year()
        goal = self.view.goal(year)
        if goal is None or goal.annual_goal_cents is None:
            self.app.notify(f"{year} already uses the sum of its event goals.", markup=False)
            return
        self._write(
            lambda: self.app.store.set_annual_goal(year, None),
            f"{year} now uses the sum of its event goals ({self.money(goal.event_goal_cents)}).",
        )

    def _edit_setting(self, key: str) -> None:
        if self.view is None:
            return
        store = self.app.store
        spec = SETTINGS[key]

        def save(key: str, value: Any) -> InvalidInput | None:
            return self.submit(lambda: store.set_setting(key, value), lambda _: f"{spec.label}: {self.shown_value(key)}")

        self.app.push_screen(SettingDialog(save, key, self.view.settings[key], self.view.machine_time_zone))
