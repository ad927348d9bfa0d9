"""Pick one of a short list (a deal's next status): arrows or the first letters, then enter."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option
from partners_tui.screens.dialog import Dialog


class ChooseScreen(Dialog[str | None]):
    """Dismissed with the chosen value, or None (esc)."""

    DEFAULT_CSS = """
    ChooseScreen > #dialog {
        width: 48;
        max-width: 100%;
        max-height: 90%;
    }
    ChooseScreen OptionList {
        height: auto;
        max-height: 20;
        border: none;
    }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, choices: list[tuple[str, str]], current: str | None = None) -> None:
        """`choices`: (value, label) pairs."""
        super().__init__()
        self.title_text = title
        self.choices = choices
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = self.title_text
            dialog.border_subtitle = "enter choose · esc cancel"
            yield OptionList(
                *(
                    Option(Content(label + ("  (now)" if value == self.current else "")), id=value)
                    for value, label in self.choices
                ),
                id="choices",
            )

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        values = [v for v, _ in self.choices]
        if self.current in values:
            options.highlighted = values.index(self.current)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
