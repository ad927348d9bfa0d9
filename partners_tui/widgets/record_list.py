"""A list of records drawn a screenful at a time, for lists too long for a DataTable.

`DataTable` renders every cell through Rich (padding, wrapping, measuring): fine for a few
hundred rows, but filling and drawing a fresh page after each search keystroke costs a frame
budget on its own. This list keeps plain rows and draws only the lines on screen with Textual's
line API (a row is a handful of segments), so a new page shows in a few milliseconds whatever
the list's length. It asks for more rows (`NearEnd`) as the cursor or the scroll nears the last
loaded one. Cells are plain text (never markup): names show as typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

GAP = 2
NEAR_END = 20

Cell = str | tuple[str, str]
"""A cell's text, or (text, tone) where tone is one of TONES."""

TONES = ("muted", "accent", "warning", "success", "error")


@dataclass(frozen=True)
class ListColumn:
    key: str
    title: str
    width: int
    """Fixed width, or the minimum of a growing column."""
    grow: int = 0
    """Share of the spare width."""
    right: bool = False


def column_widths(columns: Sequence[ListColumn], width: int) -> list[int]:
    """Each column's width in `width` cells: growing columns share what the fixed ones leave."""
    fixed = sum(c.width for c in columns) + GAP * max(len(columns) - 1, 0) + 1
    spare = max(0, width - fixed)
    grow_total = sum(c.grow for c in columns)
    widths, given = [], 0
    growers = [i for i, c in enumerate(columns) if c.grow]
    for i, c in enumerate(columns):
        extra = 0
        if c.grow and grow_total:
            extra = spare - given if i == growers[-1] else spare * c.grow // grow_total
            given += extra
        widths.append(c.width + extra)
    return widths


def fit(text: str, width: int, right: bool = False) -> str:
    """`text` padded or cut (with …) to exactly `width` cells."""
    text = text.replace("\n", " ")
    if cell_len(text) > width:
        return set_cell_size(text, max(width - 1, 0)) + "…" if width > 0 else ""
    pad = " " * (width - cell_len(text))
    return pad + text if right else text + pad


class RecordList(ScrollView, can_focus=True):
    """Rows of cells under a header line, with a cursor row."""

    BINDINGS = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Last loaded", show=False),
        Binding("enter", "select", "Open", show=False),
    ]

    COMPONENT_CLASSES = {
        "record-list--header", "record-list--cursor", "record-list--empty",
        *(f"record-list--{tone}" for tone in TONES),
    }

    DEFAULT_CSS = """
    RecordList {
        height: 1fr;
        min-height: 4;
        background: $surface;
        scrollbar-gutter: stable;
        overflow-x: hidden;
    }
    RecordList > .record-list--header {
        text-style: bold;
        color: $text;
        background: $panel;
    }
    RecordList > .record-list--cursor {
        background: $block-cursor-blurred-background;
        text-style: $block-cursor-blurred-text-style;
    }
    RecordList:focus > .record-list--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: $block-cursor-text-style;
    }
    RecordList > .record-list--empty {
        color: $text-muted;
    }
    RecordList > .record-list--muted {
        color: $text-muted;
    }
    RecordList > .record-list--accent {
        color: $text-accent;
    }
    RecordList > .record-list--warning {
        color: $text-warning;
    }
    RecordList > .record-list--success {
        color: $text-success;
    }
    RecordList > .record-list--error {
        color: $text-error;
    }
    """

    cursor: reactive[int] = reactive(0, init=False)

    class Highlighted(Message):
        def __init__(self, record_list: "RecordList", key: str | None) -> None:
            super().__init__()
            self.record_list = record_list
            self.key = key

        @property
        def control(self) -> "RecordList":
            return self.record_list

    class Selected(Message):
        def __init__(self, record_list: "RecordList", key: str) -> None:
            super().__init__()
            self.record_list = record_list
            self.key = key

        @property
        def control(self) -> "RecordList":
            return self.record_list

    class NearEnd(Message):
        """The cursor or the scroll is within a screenful of the last loaded row."""

        def __init__(self, record_list: "RecordList") -> None:
            super().__init__()
            self.record_list = record_list

        @property
        def control(self) -> "RecordList":
            return self.record_list

    def __init__(self, columns: Sequence[ListColumn] = (), *, empty_text: str = "Nothing here.",
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.columns: tuple[ListColumn, ...] = tuple(columns)
        self.empty_text = empty_text
        self._keys: list[str] = []
        self._rows: dict[str, dict[str, Cell]] = {}
        self._lines: dict[str, Strip] = {}
        self._widths: tuple[int, list[int]] | None = None

    # --- data ------------------------------------------------------------------------------

    @property
    def keys(self) -> list[str]:
        return list(self._keys)

    @property
    def row_count(self) -> int:
        return len(self._keys)

    @property
    def current_key(self) -> str | None:
        return self._keys[self.cursor] if 0 <= self.cursor < len(self._keys) else None

    def row(self, key: str) -> dict[str, Cell]:
        return self._rows[key]

    def text(self, key: str, column: str) -> str:
        cell = self._rows[key].get(column, "")
        return cell if isinstance(cell, str) else cell[0]

    def set_columns(self, columns: Sequence[ListColumn]) -> None:
        self.columns = tuple(columns)
        self._widths = None
        self._lines.clear()
        self.refresh()

    def set_rows(self, rows: Iterable[tuple[str, dict[str, Cell]]], *, keep: str | None = None,
                 cursor: int | None = None) -> None:
        """Replace the rows; the cursor goes to `keep` if it is still there, else `cursor`
        (clamped), else the top."""
        self._keys, self._rows, self._lines = [], {}, {}
        self._append(rows)
        index = self._keys.index(keep) if keep in self._rows else (cursor or 0)
        self._resize_virtual()
        self.set_reactive(RecordList.cursor, self._clamp(index))
        self._scroll_to_cursor()
        self.refresh()
        self.post_message(self.Highlighted(self, self.current_key))

    def append_rows(self, rows: Iterable[tuple[str, dict[str, Cell]]]) -> None:
        self._append(rows)
        self._resize_virtual()
        self.refresh()

    def _append(self, rows: Iterable[tuple[str, dict[str, Cell]]]) -> None:
        for key, cells in rows:
            if key not in self._rows:
                self._keys.append(key)
            self._rows[key] = cells

    def move_to(self, key: str) -> bool:
        if key in self._rows:
            self.cursor = self._keys.index(key)
            return True
        return False

    def _clamp(self, row: int) -> int:
        return max(0, min(row, len(self._keys) - 1)) if self._keys else 0

    def _resize_virtual(self) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, len(self._keys) + 1)

    # --- cursor and scrolling --------------------------------------------------------------

    def validate_cursor(self, row: int) -> int:
        return self._clamp(row)

    def watch_cursor(self, old: int, new: int) -> None:
        self._scroll_to_cursor()
        self.refresh()
        self.post_message(self.Highlighted(self, self.current_key))
        self._check_near_end()

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self._check_near_end()

    def _check_near_end(self) -> None:
        if not self._keys:
            return
        last_visible = round(self.scroll_offset.y) + self._rows_visible
        if self.cursor >= len(self._keys) - NEAR_END or last_visible >= len(self._keys) - NEAR_END:
            self.post_message(self.NearEnd(self))

    @property
    def _rows_visible(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _scroll_to_cursor(self) -> None:
        top = round(self.scroll_offset.y)
        visible = self._rows_visible
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + visible:
            self.scroll_to(y=self.cursor - visible + 1, animate=False, immediate=True)

    def action_cursor(self, step: int) -> None:
        self.cursor += step

    def action_page(self, direction: int) -> None:
        self.cursor += direction * self._rows_visible

    def action_jump(self, row: int) -> None:
        self.cursor = row if row >= 0 else len(self._keys) - 1

    def action_select(self) -> None:
        key = self.current_key
        if key is not None:
            self.post_message(self.Selected(self, key))

    def on_click(self, event: events.Click) -> None:
        self.focus()
        if event.y >= 1:
            row = round(self.scroll_offset.y) + event.y - 1
            if row < len(self._keys):
                if row == self.cursor and event.chain > 1:
                    self.action_select()
                self.cursor = row

    def on_resize(self, event: events.Resize) -> None:
        self._widths = None
        self._lines.clear()
        self._resize_virtual()
        self._scroll_to_cursor()

    # --- drawing ---------------------------------------------------------------------------

    def _column_widths(self, width: int) -> list[int]:
        if self._widths is None or self._widths[0] != width:
            self._widths = (width, column_widths(self.columns, width))
            self._lines.clear()
        return self._widths[1]

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        widths = self._column_widths(width)
        if y == 0:
            style = base + self.get_component_rich_style("record-list--header")
            cells = [(fit(c.title, w, c.right), style) for c, w in zip(self.columns, widths)]
            return self._strip(cells, style, width)
        row = round(self.scroll_offset.y) + y - 1
        if row >= len(self._keys):
            if not self._keys and y == 2:
                style = base + self.get_component_rich_style("record-list--empty")
                return Strip([Segment(fit(" " + self.empty_text, width), style)], width)
            return Strip.blank(width, base)
        key = self._keys[row]
        if row == self.cursor:
            style = base + self.get_component_rich_style("record-list--cursor")
            cells = self._cells(key, widths, style, tones=False)
            return self._strip(cells, style, width)
        strip = self._lines.get(key)
        if strip is None:
            strip = self._strip(self._cells(key, widths, base, tones=True), base, width)
            self._lines[key] = strip
        return strip

    def _cells(self, key: str, widths: list[int], style: Style, *, tones: bool) -> list[tuple[str, Style]]:
        cells = self._rows[key]
        out = []
        for column, w in zip(self.columns, widths):
            cell = cells.get(column.key, "")
            text, tone = (cell, None) if isinstance(cell, str) else cell
            cell_style = style
            if tones and tone:
                cell_style = style + self.get_component_rich_style(f"record-list--{tone}")
            out.append((fit(text, w, column.right), cell_style))
        return out

    @staticmethod
    def _strip(cells: list[tuple[str, Style]], style: Style, width: int) -> Strip:
        segments = [Segment(" ", style)]
        for n, (text, cell_style) in enumerate(cells):
            if n:
                segments.append(Segment(" " * GAP, style))
            segments.append(Segment(text, cell_style))
        return Strip(segments).extend_cell_length(width, style).crop(0, width)
