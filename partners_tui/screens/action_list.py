"""The Action Queue's list: tens of thousands of ranked items, drawn a screenful at a time.

A `DataTable` costs about 0.15 ms a row to fill (LIBRARY-NOTES 6), so a 16,000-item queue would
take seconds to show and again after every save. This list keeps the items as a plain sequence
and renders only the lines on screen (Textual's line API), so replacing the items after a save
costs the same whatever the queue's size. Cells never interpret markup: names show as typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

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

from partners_tui.store.queries import ActionItem
from partners_tui.store.queries.action_item_text import due_label, reason, urgency

NARROW_WIDTH = 96
"""Below this many columns the contact, event and reason move to the detail panel."""


@dataclass(frozen=True)
class Column:
    title: str
    width: int  # fixed width, or the minimum for a flexible column
    grow: int = 0  # share of the spare width
    right: bool = False
    wide_only: bool = False


COLUMNS = (
    Column("Due", 11),
    Column("Score", 5, right=True),
    Column("Partner", 14, grow=2),
    Column("Contact", 10, grow=2, wide_only=True),
    Column("Event", 14, grow=3, wide_only=True),
    Column("Status", 15),
    Column("Amount", 10, right=True),
    Column("Why", 14, grow=4, wide_only=True),
)
GAP = 2


def layout(width: int) -> list[tuple[int, int]]:
    """(column index, width) of the columns shown in `width` cells, flexible ones sharing the rest."""
    wide = width >= NARROW_WIDTH
    shown = [i for i, c in enumerate(COLUMNS) if wide or not c.wide_only]
    fixed = sum(COLUMNS[i].width for i in shown) + GAP * (len(shown) - 1) + 1
    spare = max(0, width - fixed)
    grow_total = sum(COLUMNS[i].grow for i in shown) or 1
    widths, given = [], 0
    growers = [i for i in shown if COLUMNS[i].grow]
    for i in shown:
        extra = 0
        if COLUMNS[i].grow:
            extra = spare * COLUMNS[i].grow // grow_total
            if i == growers[-1]:
                extra = spare - given
            given += extra
        widths.append((i, COLUMNS[i].width + extra))
    return widths


def _fit(text: str, width: int, right: bool) -> str:
    if cell_len(text) > width:
        return set_cell_size(text, max(width - 1, 0)) + "…" if width > 0 else ""
    pad = " " * (width - cell_len(text))
    return pad + text if right else text + pad


class ActionList(ScrollView, can_focus=True):
    """Ranked action items with a cursor. Posts `Highlighted` when the cursor moves."""

    BINDINGS = [
        Binding("up,k", "cursor(-1)", "Up", show=False),
        Binding("down,j", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home,g", "jump(0)", "First", show=False),
        Binding("end,G", "jump(-1)", "Last", show=False),
    ]

    COMPONENT_CLASSES = {
        "action-list--header",
        "action-list--cursor",
        "action-list--overdue",
        "action-list--today",
        "action-list--stale",
        "action-list--later",
    }

    DEFAULT_CSS = """
    ActionList {
        height: 1fr;
        min-height: 4;
        background: $surface;
        scrollbar-gutter: stable;
        overflow-x: hidden;
    }
    ActionList > .action-list--header {
        text-style: bold;
        color: $text;
        background: $panel;
    }
    ActionList > .action-list--cursor {
        background: $block-cursor-blurred-background;
        text-style: $block-cursor-blurred-text-style;
    }
    ActionList:focus > .action-list--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: $block-cursor-text-style;
    }
    ActionList > .action-list--overdue {
        color: $text-error;
        text-style: bold;
    }
    ActionList > .action-list--today {
        color: $text-warning;
        text-style: bold;
    }
    ActionList > .action-list--stale {
        color: $text-accent;
    }
    ActionList > .action-list--later {
        color: $text-muted;
    }
    """

    cursor: reactive[int] = reactive(0, init=False)

    class Highlighted(Message):
        def __init__(self, item: ActionItem | None) -> None:
            super().__init__()
            self.item = item

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.items: Sequence[ActionItem] = ()
        self.money: Callable[[int | None], str] = lambda cents: "" if cents is None else str(cents)
        self.empty_text = "Nothing to do."

    # --- data ------------------------------------------------------------------------------

    @property
    def current(self) -> ActionItem | None:
        if 0 <= self.cursor < len(self.items):
            return self.items[self.cursor]
        return None

    def set_items(self, items: Sequence[ActionItem], cursor: int = 0) -> None:
        """Show `items` with the cursor on row `cursor` (clamped)."""
        self.items = items
        self.virtual_size = Size(self.scrollable_content_region.width, len(items) + 1)
        self.set_reactive(ActionList.cursor, self._clamp(cursor))
        self._scroll_to_cursor()
        self.refresh()
        self.post_message(self.Highlighted(self.current))

    def _clamp(self, row: int) -> int:
        return max(0, min(row, len(self.items) - 1)) if self.items else 0

    # --- cursor ----------------------------------------------------------------------------

    def validate_cursor(self, row: int) -> int:
        return self._clamp(row)

    def watch_cursor(self, old: int, new: int) -> None:
        self._scroll_to_cursor()
        self.refresh()
        self.post_message(self.Highlighted(self.current))

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
        self.cursor = row if row >= 0 else len(self.items) - 1

    def on_click(self, event: events.Click) -> None:
        if event.y >= 1:
            row = round(self.scroll_offset.y) + event.y - 1
            if row < len(self.items):
                self.cursor = row
        self.focus()

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.items) + 1)
        self._scroll_to_cursor()

    # --- drawing ---------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            return self._header(width, base)
        row = round(self.scroll_offset.y) + y - 1
        if row >= len(self.items):
            if not self.items and y == 2:
                return Strip([Segment(_fit(" " + self.empty_text, width, False), base)], width)
            return Strip.blank(width, base)
        return self._row(self.items[row], row == self.cursor, width, base)

    def _header(self, width: int, base: Style) -> Strip:
        style = base + self.get_component_rich_style("action-list--header")
        segments = [Segment(" ", style)]
        for n, (i, w) in enumerate(layout(width)):
            if n:
                segments.append(Segment(" " * GAP, style))
            segments.append(Segment(_fit(COLUMNS[i].title, w, COLUMNS[i].right), style))
        return Strip(segments).extend_cell_length(width, style).crop(0, width)

    def _row(self, item: ActionItem, selected: bool, width: int, base: Style) -> Strip:
        style = base + self.get_component_rich_style("action-list--cursor") if selected else base
        flag = self.get_component_rich_style(f"action-list--{_due_class(item)}")
        values = {
            0: due_label(item),
            1: str(item.score),
            2: item.partner,
            3: item.contact or "",
            4: item.event or "",
            5: item.status_label or "",
            6: self.money(item.amount_cents),
            7: reason(item),
        }
        segments = [Segment(" ", style)]
        for n, (i, w) in enumerate(layout(width)):
            if n:
                segments.append(Segment(" " * GAP, style))
            cell = _fit(values[i], w, COLUMNS[i].right)
            segments.append(Segment(cell, style + flag if i == 0 and not selected else style))
        return Strip(segments).extend_cell_length(width, style).crop(0, width)


def _due_class(item: ActionItem) -> str:
    kind = urgency(item)
    return "later" if kind == "soon" else kind
