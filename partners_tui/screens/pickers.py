"""Small keyboard pickers the Action Queue and the log form share.

- `ChoiceBar`: one row of choices, each with a one-key shortcut (channel `e c m i p n`, direction,
  next follow-up `1`-`9`); left/right move too.
- `OptionPicker`: a dialog listing values to pick one with the arrows and enter (status, year,
  event, window); digits pick the first nine at once.
- `DatePicker`: the snooze/reschedule dialog: the team's shortcuts (`follow_up.snooze_choices`)
  on `1`-`9`, or a typed date (`+3d`, `friday`, `2026-12-01`).

Every label goes through `Content(...)`, never markup: status and event names are user data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Generic, Sequence, TypeVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from partners_tui.store.follow_up_dates import FollowUpDateError, Shortcut, parse_follow_up_date
from partners_tui.screens.dialog import Dialog

T = TypeVar("T")

PICKER_CSS = """
OptionPicker > #dialog, DatePicker > #dialog {
    width: 64;
    max-width: 95%;
    max-height: 90%;
}
OptionPicker OptionList, DatePicker OptionList {
    height: auto;
    max-height: 20;
    border: none;
    padding: 0;
}
DatePicker #typed {
    margin-top: 1;
}
DatePicker .error {
    color: $text-error;
    height: auto;
}
.picker-hint {
    color: $text-muted;
    margin-top: 1;
}
"""


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    key: str | None = None


class ChoiceBar(Widget, can_focus=True):
    """`[e] Email  [c] Call ...`: the highlighted choice is the value. A shortcut key picks its
    choice and, with `advance=True`, moves focus on (one key per field when typing fast)."""

    DEFAULT_CSS = """
    ChoiceBar {
        height: auto;
        width: 1fr;
        padding: 0 1;
        background: $boost;
    }
    ChoiceBar:focus {
        background: $block-hover-background;
    }
    """

    value: reactive[str] = reactive("", init=False)

    class Changed(Message):
        def __init__(self, bar: "ChoiceBar", value: str) -> None:
            super().__init__()
            self.bar = bar
            self.value = value

        @property
        def control(self) -> "ChoiceBar":
            return self.bar

    def __init__(
        self, choices: Sequence[Choice], value: str | None = None, *, advance: bool = False,
        id: str | None = None, classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.choices = list(choices)
        self.advance = advance
        self.set_reactive(ChoiceBar.value, value if value is not None else self.choices[0].value)

    def render(self) -> Content:
        parts: list[Content] = []
        for choice in self.choices:
            chosen = choice.value == self.value
            key = Content.styled(f"{choice.key} ", "bold") if choice.key else Content("")
            label = Content.styled(choice.label, "bold reverse" if chosen else "")
            mark = Content.styled("● " if chosen else "○ ", "bold" if chosen else "dim")
            parts.append(Content.assemble(mark, key, label))
        return Content("  ").join(parts)

    def watch_value(self, value: str) -> None:
        self.post_message(self.Changed(self, value))

    def select(self, value: str) -> None:
        if any(c.value == value for c in self.choices):
            self.value = value

    def on_key(self, event: events.Key) -> None:
        values = [c.value for c in self.choices]
        if event.key == "enter":  # like tab: keep the choice, move on
            event.stop()
            event.prevent_default()
            self.screen.focus_next()
            return
        if event.key in ("left", "right"):
            step = -1 if event.key == "left" else 1
            index = values.index(self.value) if self.value in values else 0
            self.value = values[(index + step) % len(values)]
            event.stop()
            event.prevent_default()
            return
        if event.character is None:
            return
        for choice in self.choices:
            if choice.key and event.character.lower() == choice.key.lower():
                self.value = choice.value
                event.stop()
                event.prevent_default()
                if self.advance:
                    self.screen.focus_next()
                return
        if event.character.isprintable() and event.key not in ("space",):
            # Not one of ours: swallow it so a stray letter never reaches a screen key.
            event.stop()
            event.prevent_default()


class OptionPicker(Dialog["T | None"], Generic[T]):
    """Pick one value from a short list. Dismisses with the value, or None on escape."""

    CSS = PICKER_CSS
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self, title: str, options: Sequence[tuple[str, T]], current: T | None = None,
        hint: str = "↑↓ choose · enter pick · esc cancel",
    ) -> None:
        super().__init__()
        self.title_text = title
        self.options = list(options)
        self.current = current
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = Content(self.title_text)
            prompts = []
            for n, (label, value) in enumerate(self.options, start=1):
                number = f"{n} " if n <= 9 else "  "
                marker = "  (current)" if value == self.current else ""
                prompts.append(Option(Content.assemble(
                    Content.styled(number, "dim"), Content(label), Content.styled(marker, "dim")
                )))
            yield OptionList(*prompts, id="options")
            yield Static(self.hint, classes="picker-hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        index = next((i for i, (_, v) in enumerate(self.options) if v == self.current), 0)
        options.highlighted = index
        options.focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.options[event.option_index][1])

    def on_key(self, event: events.Key) -> None:
        if event.character and event.character.isdigit() and event.character != "0":
            index = int(event.character) - 1
            if index < len(self.options):
                event.stop()
                self.dismiss(self.options[index][1])

    def action_cancel(self) -> None:
        self.dismiss(None)


class DatePicker(Dialog[str | None]):
    """Snooze or reschedule: a shortcut (1-9) or a typed date. Dismisses with `YYYY-MM-DD`."""

    CSS = PICKER_CSS
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self, title: str, shortcuts: Sequence[Shortcut], today: dt.date, first_day: str,
        current: str | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.shortcuts = list(shortcuts)
        self.today = today
        self.first_day = first_day
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = Content(self.title_text)
            if self.current:
                dialog.border_subtitle = f"now due {self.current}"
            yield OptionList(
                *(
                    Option(Content.assemble(Content.styled(f"{n} ", "bold"), Content(s.label)))
                    for n, s in enumerate(self.shortcuts[:9], start=1)
                ),
                id="options",
            )
            yield Input(
                placeholder="or type a date: +3d, friday, 2026-12-01", id="typed", select_on_focus=False
            )
            yield Static("", classes="error", id="error")
            yield Static(
                "1-9 pick · tab, then type a date (+3d, friday, 2026-12-01) · esc cancel",
                classes="picker-hint",
            )

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if self.shortcuts:
            options.highlighted = 0
            options.focus()
        else:
            self.query_one("#typed", Input).focus()

    def on_key(self, event: events.Key) -> None:
        if isinstance(self.focused, Input):
            return
        if event.character and event.character.isdigit() and event.character != "0":
            index = int(event.character) - 1
            if index < len(self.shortcuts):
                event.stop()
                self.dismiss(self.shortcuts[index].day.isoformat())
        elif event.character and event.character.isprintable() and event.key != "space":
            # Start typing a date straight away (`+3d`, `friday`; a date starting with a digit
            # needs tab first, digits being the shortcuts).
            typed = self.query_one("#typed", Input)
            typed.focus()
            typed.insert_text_at_cursor(event.character)
            event.stop()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.shortcuts[event.option_index].day.isoformat())

    @on(Input.Submitted, "#typed")
    def _typed(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            day = parse_follow_up_date(event.value, self.today, self.first_day)
        except FollowUpDateError as exc:
            self.query_one("#error", Static).update(Content(str(exc)))
            return
        self.dismiss(day.isoformat())

    def action_cancel(self) -> None:
        self.dismiss(None)


def status_options(statuses: Sequence[dict[str, Any]]) -> list[tuple[str, str]]:
    """(label, key) for every active status in pipeline order, with its probability and kind."""
    out = []
    for s in statuses:
        if s.get("archived"):
            continue
        kind = "secured" if s["secured"] else "lost" if s["closed"] else "open"
        if s["secured"] and s["closed"]:
            kind = "secured, closed"
        out.append((f"{s['label']}  ·  {s['probability']}%  ·  {kind}", s["key"]))
    return out
