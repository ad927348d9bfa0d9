"""Labelled form fields with their validation message right under them.

Each field knows the name the store's validation uses for it (`validate.clean` problems carry
that name), so a form can route every problem to the field it concerns. Fields are compact (one
line each) so a whole form fits an 80×30 terminal.
"""

from __future__ import annotations

from typing import Any, Iterable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, Static, TextArea


class FormField(Vertical):
    """A label, a control and a message line (hidden while there is nothing to say)."""

    DEFAULT_CSS = """
    FormField {
        height: auto;
        margin-bottom: 0;
    }
    FormField > .field-row {
        height: auto;
    }
    FormField .field-label {
        width: 18;
        padding: 0 1 0 0;
        color: $text-muted;
    }
    FormField:focus-within .field-label {
        color: $text;
        text-style: bold;
    }
    FormField .field-control {
        width: 1fr;
    }
    FormField .field-message {
        display: none;
        margin-left: 18;
        color: $text-error;
    }
    FormField.-error .field-message {
        display: block;
    }
    FormField.-error .field-label {
        color: $text-error;
    }
    FormField .field-hint {
        margin-left: 18;
        color: $text-muted;
        display: none;
    }
    FormField.-hinted .field-hint {
        display: block;
    }
    """

    def __init__(
        self, field: str, label: str, *, required: bool = False, hint: str = "",
        id: str | None = None,
    ) -> None:
        super().__init__(id=id or f"field-{field}")
        self.field = field
        self.label = label
        self.required = required
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Horizontal(classes="field-row"):
            yield Label(self.label + (" *" if self.required else ""), classes="field-label")
            control = self.make_control()
            control.add_class("field-control")
            yield control
        yield Static("", classes="field-message", markup=False)
        yield Static(self.hint, classes="field-hint", markup=False)

    def on_mount(self) -> None:
        self.set_class(bool(self.hint), "-hinted")

    def make_control(self) -> Widget:
        raise NotImplementedError

    @property
    def control(self) -> Widget:
        return self.query_one(".field-control")

    @property
    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    @property
    def message(self) -> str:
        return str(self.query_one(".field-message", Static).content) if self.has_class("-error") else ""

    def set_message(self, message: str | None) -> None:
        """Show `message` next to the field (None or "" hides it)."""
        self.query_one(".field-message", Static).update(message or "")
        self.set_class(bool(message), "-error")

    def set_hint(self, hint: str) -> None:
        self.hint = hint
        if self.is_mounted:
            self.query_one(".field-hint", Static).update(hint)
            self.set_class(bool(hint), "-hinted")

    def focus_control(self) -> None:
        self.control.focus()


class TextField(FormField):
    """One line of text; `suggestions` complete what is typed (→ accepts)."""

    def __init__(
        self, field: str, label: str, value: Any = None, *, placeholder: str = "",
        suggestions: Iterable[str] = (), **kwargs: Any,
    ) -> None:
        super().__init__(field, label, **kwargs)
        self._initial = "" if value is None else str(value)
        self._placeholder = placeholder
        self._suggestions = list(suggestions)

    def make_control(self) -> Widget:
        suggester = (
            SuggestFromList(self._suggestions, case_sensitive=False) if self._suggestions else None
        )
        return Input(
            self._initial, placeholder=self._placeholder, compact=True, suggester=suggester,
            id=f"input-{self.field}",
        )

    @property
    def value(self) -> str:
        return self.query_one(Input).value if self.is_mounted else self._initial

    def set_value(self, value: Any) -> None:
        text = "" if value is None else str(value)
        self._initial = text
        if self.is_mounted:
            self.query_one(Input).value = text


class ChoiceField(FormField):
    """A choice from a list; `value` is the chosen option's value, or None."""

    def __init__(
        self, field: str, label: str, options: Iterable[tuple[str, Any]], value: Any = None, *,
        allow_blank: bool = True, prompt: str = "(none)", **kwargs: Any,
    ) -> None:
        super().__init__(field, label, **kwargs)
        self._options = [(Content(str(text)), v) for text, v in options]
        self._initial = value
        self._allow_blank = allow_blank
        self._prompt = prompt

    def make_control(self) -> Widget:
        values = [v for _, v in self._options]
        value = self._initial if self._initial in values else Select.NULL
        return Select(
            self._options, value=value, allow_blank=self._allow_blank, prompt=self._prompt,
            compact=True, id=f"select-{self.field}",
        )

    @property
    def value(self) -> Any:
        if not self.is_mounted:
            return self._initial
        value = self.query_one(Select).value
        return None if value is Select.NULL else value

    def set_value(self, value: Any) -> None:
        self._initial = value
        if self.is_mounted:
            select = self.query_one(Select)
            select.value = value if value in [v for _, v in self._options] else Select.NULL

    def set_options(self, options: Iterable[tuple[str, Any]], value: Any = None) -> None:
        self._options = [(Content(str(text)), v) for text, v in options]
        self._initial = value
        if self.is_mounted:
            select = self.query_one(Select)
            with select.prevent(Select.Changed):
                select.set_options(self._options)
                if value in [v for _, v in self._options]:
                    select.value = value



class CheckField(FormField):
    """Yes or no (space toggles)."""

    def __init__(self, field: str, label: str, value: bool = False, *, text: str = "", **kwargs: Any) -> None:
        super().__init__(field, label, **kwargs)
        self._initial = bool(value)
        self._text = text

    def make_control(self) -> Widget:
        return Checkbox(self._text, self._initial, compact=True, id=f"check-{self.field}")

    @property
    def value(self) -> bool:
        return self.query_one(Checkbox).value if self.is_mounted else self._initial

    def set_value(self, value: Any) -> None:
        self._initial = bool(value)
        if self.is_mounted:
            self.query_one(Checkbox).value = bool(value)


class NotesField(FormField):
    """Several lines of text (tab leaves the box; enter starts a new line)."""

    DEFAULT_CSS = """
    NotesField TextArea {
        height: 4;
        border: none;
        padding: 0;
        background: $boost;
    }
    NotesField TextArea:focus {
        background: $boost;
        background-tint: $foreground 5%;
    }
    """

    def __init__(self, field: str, label: str, value: Any = None, *, rows: int = 4, **kwargs: Any) -> None:
        super().__init__(field, label, **kwargs)
        self._initial = "" if value is None else str(value)
        self._rows = rows

    def make_control(self) -> Widget:
        area = TextArea(self._initial, soft_wrap=True, show_line_numbers=False, id=f"text-{self.field}")
        area.styles.height = self._rows
        return area

    @property
    def value(self) -> str:
        return self.query_one(TextArea).text if self.is_mounted else self._initial

    def set_value(self, value: Any) -> None:
        self._initial = "" if value is None else str(value)
        if self.is_mounted:
            self.query_one(TextArea).text = self._initial


class PickButton(Static, can_focus=True):
    """The focusable face of a PickField: shows the choice; enter picks, delete clears."""

    DEFAULT_CSS = """
    PickButton {
        width: 1fr;
        height: 1;
        background: $boost;
        padding: 0 1;
    }
    PickButton:focus {
        background-tint: $foreground 5%;
        text-style: bold;
    }
    """

    BINDINGS = [
        Binding("enter,space", "pick", "Choose", show=False),
        Binding("delete,backspace", "clear", "Clear", show=False),
    ]

    def action_pick(self) -> None:
        field = self.parent.parent  # PickButton → row → PickField
        if isinstance(field, PickField):
            field.post_message(PickField.PickRequested(field))

    def action_clear(self) -> None:
        field = self.parent.parent
        if isinstance(field, PickField) and field.clearable:
            field.set_value(None, "")


class PickField(FormField):
    """A record chosen in a picker dialog (a partner among 50,000 does not fit a drop-down).

    Enter asks the form (a `PickRequested` message) to open the picker; the form calls
    `set_value(id, label)` with the answer.
    """

    class PickRequested(Message):
        def __init__(self, field: "PickField") -> None:
            super().__init__()
            self.field = field

    class Picked(Message):
        def __init__(self, field: "PickField", value: str | None) -> None:
            super().__init__()
            self.field = field
            self.value = value

    def __init__(
        self, field: str, label: str, value: str | None = None, value_label: str = "", *,
        clearable: bool = True, empty: str = "(none: enter to choose)", **kwargs: Any,
    ) -> None:
        super().__init__(field, label, **kwargs)
        self._value = value
        self._label = value_label
        self.clearable = clearable
        self.empty = empty

    def make_control(self) -> Widget:
        return PickButton(self._face(), markup=False, id=f"pick-{self.field}")

    def _face(self) -> str:
        return f"{self._label}  (enter to change)" if self._value else self.empty

    @property
    def value(self) -> str | None:
        return self._value

    @property
    def value_label(self) -> str:
        return self._label

    def set_value(self, value: str | None, label: str = "") -> None:
        self._value = value or None
        self._label = label if value else ""
        if self.is_mounted:
            self.query_one(PickButton).update(self._face())
        self.post_message(self.Picked(self, self._value))


class ReadOnlyField(FormField):
    """A value shown for context that this form does not change."""

    def __init__(self, field: str, label: str, text: str, **kwargs: Any) -> None:
        super().__init__(field, label, **kwargs)
        self._text = text

    def make_control(self) -> Widget:
        return Static(self._text, markup=False)

    @property
    def value(self) -> str:
        return self._text

    def set_value(self, value: Any) -> None:
        self._text = str(value)
        if self.is_mounted:
            self.query_one(".field-control", Static).update(self._text)
