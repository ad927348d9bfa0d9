"""The small forms of the Settings screen: a status, a year's goal, one team setting, a merge
target, and a yes/no confirmation.

A form checks what it can on its own (the same `clean` / `parse_setting` rules the store uses)
and then hands its values to a `submit` callback from the screen, which runs the store command
through `app.write`. The callback returns the `InvalidInput` the command raised (a guard rail
such as "the pipeline needs at least one secured status"), or None once saved; the form shows
the problems next to their fields and stays open until the save succeeds or the user cancels.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, TypeVar
from zoneinfo import available_timezones

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.suggester import SuggestFromList
from textual.widgets import Button, Checkbox, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from partners_tui.store.queries.settings_view import StatusRow, YearGoal
from partners_tui.store.settings import SETTINGS, WEEKDAYS, parse_setting
from partners_tui.store.validate import InvalidInput, Problem, clean, parse_money, parse_int, slugify
from partners_tui.screens.dialog import Dialog

T = TypeVar("T")
Submit = Callable[..., "InvalidInput | None"]
MoneyFormat = Callable[..., str]
"""Formats cents in the team's currency; `signed=True` adds "+" to positive amounts."""

KIND_HELP = {
    "open": "Open: counted in the open pipeline, weighted by its probability.",
    "secured": "Secured: counted as revenue secured; deals in it still need work.",
    "won": "Secured and closed: revenue secured, nothing left to do.",
    "lost": "Lost: closed and not secured; out of the pipeline.",
}
GENERAL = "_general"
DIGITS = r"[0-9]*"


def status_kind(secured: bool, closed: bool) -> str:
    if secured:
        return "won" if closed else "secured"
    return "lost" if closed else "open"


class SettingsDialog(Dialog[T]):
    """A centred form: ctrl+s saves, esc cancels, problems show under their fields."""

    DEFAULT_CSS = """
    SettingsDialog #dialog {
        width: 72;
        max-width: 96%;
        max-height: 96%;
        padding: 0 2;
    }
    SettingsDialog .intro {
        margin: 1 0;
        color: $text-muted;
    }
    SettingsDialog .row {
        height: auto;
    }
    SettingsDialog .row > Label {
        width: 18;
        padding: 1 1 0 0;
    }
    SettingsDialog .row > Input, SettingsDialog .row > Select {
        width: 1fr;
    }
    SettingsDialog .row > Checkbox {
        width: 1fr;
    }
    SettingsDialog .error {
        display: none;
        color: $text-error;
        padding-left: 18;
    }
    SettingsDialog .error.-shown {
        display: block;
    }
    SettingsDialog #form-error {
        padding-left: 0;
        margin-top: 1;
        text-style: bold;
    }
    SettingsDialog .note {
        margin-top: 1;
        color: $text-muted;
    }
    SettingsDialog #buttons {
        height: auto;
        margin: 1 0;
        align-horizontal: right;
    }
    SettingsDialog #buttons Button {
        margin-left: 2;
    }
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", tooltip="Save and close"),
        Binding("escape", "cancel", "Cancel", tooltip="Close without saving"),
    ]

    TITLE_TEXT = "Edit"
    SAVE_LABEL = "Save"

    def __init__(self, submit: Submit) -> None:
        super().__init__()
        self.submit = submit

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = Content(self.TITLE_TEXT)  # may hold a label: never markup
            dialog.border_subtitle = "ctrl+s save · esc cancel"
            yield from self.compose_form()
            yield Static(id="form-error", classes="error", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button(f"{self.SAVE_LABEL} (ctrl+s)", id="save", variant="primary")

    def compose_form(self) -> ComposeResult:
        yield from ()

    def field_row(self, field: str, caption: str, widget) -> ComposeResult:
        with Horizontal(classes="row"):
            yield Label(caption)
            yield widget
        yield Static(id=f"{field}-error", classes="error", markup=False)

    # --- problems --------------------------------------------------------------------------

    def clear_problems(self) -> None:
        for error in self.query(".error"):
            error.remove_class("-shown")

    def show_problems(self, problems: Iterable[Problem]) -> None:
        """Each problem under its field; anything else (a guard rail) above the buttons."""
        self.clear_problems()
        general: list[str] = []
        first = None
        for problem in problems:
            found = self.query(f"#{problem.field.replace('.', '_')}-error")
            if found:
                found.first(Static).update(Content(problem.message))
                found.first().add_class("-shown")
                first = first or problem.field
            else:
                message = problem.message
                general.append(message[:1].upper() + message[1:])
        if general:
            box = self.query_one("#form-error", Static)
            box.update(Content("\n".join(general)))
            box.add_class("-shown")
        if first:
            widget = self.query(f"#{first.replace('.', '_')}")
            if widget:
                widget.first().focus()

    def attempt(self, *args: Any) -> bool:
        """Run the submit callback; True when saved, else the problems are shown."""
        error = self.submit(*args)
        if error is None:
            return True
        self.show_problems(error.problems if isinstance(error, InvalidInput) else [Problem(GENERAL, str(error))])
        return False

    # --- actions ---------------------------------------------------------------------------

    def action_save(self) -> None:
        raise NotImplementedError

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    @on(Input.Submitted)
    def _input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()


class StatusDialog(SettingsDialog[str]):
    """Add a status, or change one's label, probability, stale-after days and flags.

    `submit(values)` gets only the fields that changed (all of them when adding) and returns
    None or the InvalidInput raised. Dismisses with the status key, or None when cancelled or
    nothing changed.
    """

    def __init__(self, submit: Submit, status: StatusRow | None = None, focus: str = "label") -> None:
        super().__init__(submit)
        self.status = status
        self.initial_focus = focus
        self.TITLE_TEXT = f"Status {status.label}" if status else "New status"

    def compose_form(self) -> ComposeResult:
        s = self.status
        yield Static(id="key-line", classes="intro")
        yield from self.field_row("label", "Label", Input(s.label if s else "", id="label", placeholder="e.g. Waiting Contract"))
        yield from self.field_row(
            "probability", "Probability %",
            Input(str(s.probability) if s else "10", id="probability", restrict=DIGITS, placeholder="0-100"),
        )
        stale = "" if s is None else ("" if s.stale_after_days is None else str(s.stale_after_days))
        yield from self.field_row(
            "stale_after_days", "Stale after days",
            Input(stale if s else "14", id="stale_after_days", restrict=DIGITS, placeholder="empty: never stale"),
        )
        with Horizontal(classes="row"):
            yield Label("Flags")
            yield Checkbox("Secured", bool(s and s.secured), id="secured")
            yield Checkbox("Closed", bool(s and s.closed), id="closed")
        yield Static(id="kind-line", classes="note")

    def on_mount(self) -> None:
        self._update_key_line()
        self._update_kind_line()
        self.query_one(f"#{self.initial_focus}").focus()

    @on(Input.Changed, "#label")
    def _update_key_line(self) -> None:
        line = self.query_one("#key-line", Static)
        if self.status is not None:
            line.update(Content.assemble("Key ", (self.status.key, "bold"), " (keys never change; the label can)"))
            return
        label = self.query_one("#label", Input).value
        key = slugify(label) if label.strip() else "…"
        line.update(Content.assemble("Key ", (key, "bold"), " (made from the label, fixed once created)"))

    @on(Checkbox.Changed)
    def _update_kind_line(self) -> None:
        kind = status_kind(self.query_one("#secured", Checkbox).value, self.query_one("#closed", Checkbox).value)
        self.query_one("#kind-line", Static).update(Content(KIND_HELP[kind]))

    def values(self) -> dict[str, Any]:
        return {
            "label": self.query_one("#label", Input).value,
            "probability": self.query_one("#probability", Input).value,
            "stale_after_days": self.query_one("#stale_after_days", Input).value or None,
            "secured": self.query_one("#secured", Checkbox).value,
            "closed": self.query_one("#closed", Checkbox).value,
        }

    def action_save(self) -> None:
        values = self.values()
        try:
            cleaned = clean("status", values)
        except InvalidInput as exc:
            self.show_problems(exc.problems)
            return
        s = self.status
        if s is not None:
            current = {
                "label": s.label, "probability": s.probability, "stale_after_days": s.stale_after_days,
                "secured": s.secured, "closed": s.closed,
            }
            changed = {k: v for k, v in cleaned.items() if current[k] != v}
            if not changed:
                self.dismiss(None)
                return
            if self.attempt(changed):
                self.dismiss(s.key)
        elif self.attempt(cleaned):
            self.dismiss(slugify(cleaned["label"]))


class GoalDialog(SettingsDialog[int]):
    """A year's explicit annual goal; an empty amount means "sum of event goals".

    `submit(year, cents_or_None)`. Shows the year's sum of event goals and the difference as
    you type. Dismisses with the year, or None when cancelled.
    """

    TITLE_TEXT = "Annual goal"

    def __init__(self, submit: Submit, year: int, goals: dict[int, YearGoal], money: MoneyFormat) -> None:
        super().__init__(submit)
        self.year = year
        self.goals = goals
        self.money = money

    def compose_form(self) -> ComposeResult:
        current = self.goals.get(self.year)
        amount = ""
        if current is not None and current.annual_goal_cents is not None:
            amount = f"{current.annual_goal_cents / 100:.2f}".removesuffix(".00")
        yield Static(
            "A year's goal is its explicit annual goal if one is set, else the sum of its "
            "events' goals. Leave the amount empty to use the sum.",
            classes="intro",
        )
        yield from self.field_row("year", "Year", Input(str(self.year), id="year", restrict=DIGITS))
        yield from self.field_row(
            "goal", "Annual goal", Input(amount, id="goal", placeholder="empty: sum of event goals"),
        )
        yield Static(id="sum-line", classes="note")

    def on_mount(self) -> None:
        self._update_sum()
        self.query_one("#goal", Input).focus()

    @on(Input.Changed)
    def _update_sum(self) -> None:
        line = self.query_one("#sum-line", Static)
        try:
            year = parse_int(self.query_one("#year", Input).value, 2000, 2100)
        except ValueError:
            year = None
        if year is None:
            line.update("")
            return
        found = self.goals.get(year)
        total = found.event_goal_cents if found else 0
        events = found.events if found else 0
        parts = [f"Sum of event goals for {year}: {self.money(total)} ({events} event{'s' if events != 1 else ''})."]
        try:
            cents = parse_money(self.query_one("#goal", Input).value)
        except ValueError:
            cents = None
        if cents is not None:
            parts.append(f"Difference: {self.money(cents - total, signed=True)}.")
        line.update(Content(" ".join(parts)))

    def action_save(self) -> None:
        raw_year, raw_goal = self.query_one("#year", Input).value, self.query_one("#goal", Input).value
        try:
            clean("event", {"year": raw_year, "goal": raw_goal}, partial=True)
            year = parse_int(raw_year, 2000, 2100)
            if year is None:
                raise InvalidInput(Problem("year", "is required"))
        except InvalidInput as exc:
            self.show_problems(exc.problems)
            return
        if self.attempt(year, raw_goal.strip() or None):
            self.dismiss(year)


class SettingDialog(SettingsDialog[str]):
    """One team setting. `submit(key, value)`; dismisses with the key, or None."""

    TITLE_TEXT = "Setting"

    def __init__(self, submit: Submit, key: str, value: Any, machine_zone: str) -> None:
        super().__init__(submit)
        self.key = key
        self.value = value
        self.machine_zone = machine_zone
        self.spec = SETTINGS[key]
        self.TITLE_TEXT = self.spec.label

    @property
    def field_id(self) -> str:
        return self.key.replace(".", "_")

    def compose_form(self) -> ComposeResult:
        yield Static(Content(self.spec.help + "."), classes="intro")
        if self.key == "week.first_day":
            widget = Select(
                [(day.title(), day) for day in WEEKDAYS], value=self.value, allow_blank=False, id=self.field_id
            )
        else:
            shown = ", ".join(self.value) if isinstance(self.value, list) else str(self.value)
            options: dict[str, Any] = {}
            if self.key == "time_zone":
                options["suggester"] = SuggestFromList(sorted(available_timezones()), case_sensitive=False)
                options["placeholder"] = f"empty: this machine's ({self.machine_zone})"
            elif self.key == "follow_up.window_days":
                options["restrict"] = DIGITS
            elif self.key == "follow_up.snooze_choices":
                options["placeholder"] = "+2d, +1w, next monday"
            widget = Input(shown, id=self.field_id, **options)
        yield from self.field_row(self.field_id, "Value", widget)
        note = {
            "time_zone": "Type a few letters and press → to complete. 'Today' follows the new zone "
            "the next time partners-tui starts.",
            "follow_up.snooze_choices": "Comma-separated: +Nd (days), +Nw (weeks), next monday … "
            "next sunday, or next week (the first day of next week).",
            "follow_up.window_days": "How far ahead follow-ups count as coming up, when no other "
            "window is chosen on the Overview.",
            "currency.code": "Amounts are not converted; this only names the currency.",
        }.get(self.key)
        if note:
            yield Static(Content(note), classes="note")

    def on_mount(self) -> None:
        self.query_one(f"#{self.field_id}").focus()

    def action_save(self) -> None:
        widget = self.query_one(f"#{self.field_id}")
        raw = widget.value
        try:
            value = parse_setting(self.key, raw)
        except InvalidInput as exc:
            self.show_problems([Problem(self.field_id, p.message) for p in exc.problems])
            return
        if value == self.value:
            self.dismiss(None)
            return
        if self.attempt(self.key, value):
            self.dismiss(self.key)

    def show_problems(self, problems: Iterable[Problem]) -> None:
        # The store names the setting key (currency.code); the field is its id (currency_code).
        super().show_problems(
            Problem(self.field_id, p.message) if p.field == self.key else p for p in problems
        )


class MergeDialog(Dialog[str]):
    """Pick the status to merge `source` into; dismisses with its key, or None."""

    DEFAULT_CSS = """
    MergeDialog #dialog {
        width: 64;
        max-width: 96%;
        max-height: 96%;
        padding: 0 2 1 2;
    }
    MergeDialog .intro {
        margin: 1 0;
    }
    MergeDialog OptionList {
        height: auto;
        max-height: 14;
    }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without merging"),
    ]

    def __init__(self, source: StatusRow, targets: list[StatusRow]) -> None:
        super().__init__()
        self.source = source
        self.targets = targets

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = Content(f"Merge {self.source.label} into…")
            dialog.border_subtitle = "enter choose · esc cancel"
            deals = self.source.deals
            yield Static(
                Content.assemble(
                    "Its ", (f"{deals} deal{'s' if deals != 1 else ''}", "bold"),
                    " move to the status you choose, then ", (self.source.label, "bold"),
                    " is removed. You confirm on the next step.",
                ),
                classes="intro",
            )
            yield OptionList(
                *(
                    Option(
                        Content.assemble(
                            (f"{t.label:<20}", "bold"), f" {t.probability:>3}%  {t.kind:<8} {t.key}"
                        ),
                        id=t.key,
                    )
                    for t in self.targets
                ),
                id="targets",
            )

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmDialog(Dialog[bool]):
    """A yes/no question about something that changes many records: y confirms, n/esc cancels."""

    DEFAULT_CSS = """
    ConfirmDialog #dialog {
        width: 64;
        max-width: 96%;
        padding: 1 2 0 2;
        border: thick $warning;
    }
    ConfirmDialog #buttons {
        height: auto;
        margin: 1 0;
        align-horizontal: right;
    }
    ConfirmDialog #buttons Button {
        margin-left: 2;
    }
    """

    BINDINGS = [
        Binding("y", "confirm", "Yes", tooltip="Go ahead"),
        Binding("n,escape", "cancel", "No", tooltip="Cancel"),
    ]

    def __init__(self, title: str, message: Content, confirm: str) -> None:
        super().__init__()
        self.title_text = title
        self.message = message
        self.confirm_label = confirm

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = Content(self.title_text)
            dialog.border_subtitle = "y yes · n / esc no"
            yield Static(self.message)
            with Horizontal(id="buttons"):
                yield Button("No (n)", id="no")
                yield Button(f"{self.confirm_label} (y)", id="yes", variant="warning")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
