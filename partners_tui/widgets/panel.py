"""The Overview's bordered panels share one look: a muted round border, a bold title, a muted
subtitle. Subclasses style only their size and padding."""

from __future__ import annotations

from textual.widget import Widget
from textual.widgets import DataTable

_LOOK = """
        border: round $primary-muted;
        border-title-color: $text;
        border-title-style: bold;
        border-subtitle-color: $text-muted;
"""


class Panel(Widget):
    DEFAULT_CSS = "Panel {" + _LOOK + "}"


class PanelTable(DataTable):
    """A DataTable drawn as a panel; its border lights up when it has focus."""

    DEFAULT_CSS = "PanelTable {" + _LOOK + "    &:focus { border: round $accent; }\n}"
