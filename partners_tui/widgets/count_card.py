"""A bordered card with one big number and what it counts (the Overview's KPI card shape)."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static


class CountCard(Static):
    """One number with a caption in the border; `note` is an optional second line."""

    DEFAULT_CSS = """
    CountCard {
        height: 5;
        border: round $primary-muted;
        border-title-color: $text;
        border-title-style: bold;
        padding: 0 1;
        content-align: center middle;
        text-align: center;
    }
    """

    value: reactive[int | None] = reactive(None)
    note: reactive[str] = reactive("")

    def __init__(self, caption: str, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.border_title = caption

    def render(self) -> Content:
        number = "…" if self.value is None else f"{self.value:,}"
        text = Content.styled(number, "bold")
        if self.note:
            text = Content.assemble(text, "\n", Content.styled(self.note, "dim"))
        return text
