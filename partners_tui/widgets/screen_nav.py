"""The bar under the header that names every main screen, its key, and which one is showing.

The footer lists the keys too, but only this bar says where you are. Entries are links, so a mouse
works as well as the keys.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content
from textual.widgets import Static


@dataclass(frozen=True)
class NavEntry:
    mode: str
    key: str
    label: str


class ScreenNav(Static):
    """`1 Overview  2 Events  3 Partners  4 Action Queue` with the current screen highlighted."""

    DEFAULT_CSS = """
    ScreenNav {
        height: 1;
        width: 1fr;
        background: $panel;
        color: $text-muted;
        padding: 0 1;
        link-style: none;
        link-color: $text-muted;
        link-background: transparent;
        link-style-hover: none;
        link-color-hover: $text;
        link-background-hover: $boost;
    }
    """

    def __init__(self, entries: list[NavEntry], current: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.entries = entries
        self.current = current

    def render(self) -> Content:
        parts: list[Content] = []
        for entry in self.entries:
            # Labels come from our own code, never from data, so building markup here is safe.
            style = "bold reverse $accent" if entry.mode == self.current else ""
            link = f"@click=app.show('{entry.mode}')"
            parts.append(
                Content.from_markup(
                    f"[{link}][{style}] [b]{entry.key}[/b] {entry.label} [/][/]"
                    if style
                    else f"[{link}] [b $accent]{entry.key}[/] {entry.label} [/]"
                )
            )
        return Content(" ").join(parts)
