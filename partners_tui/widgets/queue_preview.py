"""The Overview's peek at the action queue: its first few items, Enter opens one on the queue.

Each item is keyed `item_key(item)`: "follow_up:<follow-up id>" or "stale:<deal id>", the key
the Action Queue screen's `select_item()` receives.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text

from partners_tui.store.queries import ActionItem
from partners_tui.widgets.aligned_line import AlignedColumns
from partners_tui.widgets.money import Money
from partners_tui.widgets.scoreboard import theme_color
from partners_tui.widgets.panel import PanelTable

COLUMNS = (
    ("due", "Due"), ("score", "Score"), ("partner", "Partner"), ("event", "Event"),
    ("status", "Status"), ("amount", "Amount"),
)
RIGHT = {"score", "amount"}
WIDTHS = {"partner": 34, "event": 30, "status": 18}
"""The most a name column takes; shorter names take less."""
NARROW_HEIGHT = 2
EMPTY_KEY = "none"


def item_key(item: ActionItem) -> str:
    """Stable key of an action item: "follow_up:<follow_up_id>" or "stale:<deal_id>"."""
    return f"{item.kind}:{item.follow_up_id or item.deal_id}"


def due_label(item: ActionItem) -> str:
    """"3d overdue", "Due today", "Due in 4d" for follow-ups; "Stale 18d" for quiet deals."""
    if item.kind == "stale":
        return f"Stale {item.stale_days}d"
    days = item.days_until_due
    if days is None:
        return ""
    if days < 0:
        return f"{-days}d overdue"
    if days == 0:
        return "Due today"
    return f"Due in {days}d"


class QueuePreview(AlignedColumns, PanelTable):
    """`show(items, total, overdue, money)`: the first items of the queue."""

    DEFAULT_CSS = """
    QueuePreview {
        height: auto;
        max-height: 14;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, cursor_type="row", zebra_stripes=True)
        self.border_title = "Action queue"
        self.items: tuple[ActionItem, ...] = ()
        self.total = 0
        self.overdue = 0
        self.money = Money()
        self.narrow = False
        self.column_widths = {}
        self.tooltip = (
            "The most urgent follow-ups and quiet deals: overdue first, then by score (urgency "
            "plus deal value, 0-100). Enter opens the item on the Action Queue screen (4)."
        )

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._fill())

    def show(self, items: tuple[ActionItem, ...], total: int, overdue: int, money: Money) -> None:
        self.items, self.total, self.overdue, self.money = items, total, overdue, money
        self._fill()

    def set_narrow(self, narrow: bool) -> None:
        if narrow != self.narrow:
            self.narrow = narrow
            self._fill()

    def _due(self, item: ActionItem) -> Text:
        style = theme_color(self, "error") if item.overdue else (
            theme_color(self, "warning") if item.days_until_due == 0 else ""
        )
        return Text(due_label(item), style=style, no_wrap=True)

    def cells(self, item: ActionItem) -> dict[str, Text]:
        return {
            "due": self._due(item),
            "score": Text(str(item.score), justify="right"),
            "partner": Text(item.partner, no_wrap=True, overflow="ellipsis"),
            "event": Text(item.event or "General", no_wrap=True, overflow="ellipsis",
                          style="" if item.event else "dim"),
            "status": Text(item.status_label or "", no_wrap=True, overflow="ellipsis"),
            "amount": Text(self.money.full(item.amount_cents), justify="right", no_wrap=True),
        }

    def _fill(self) -> None:
        selected = None
        if self.row_count:
            try:
                selected = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
            except Exception:  # the cursor was on a row that is gone
                selected = None
        self.clear(columns=True)
        self.column_widths = {}
        self.show_header = bool(self.items) and not self.narrow
        if not self.items:
            self.add_column("", key="empty")
            self.add_row(Text("Nothing to do in this scope and window.", style="dim"),
                         key=EMPTY_KEY)
        elif self.narrow:
            self.add_column("Item", key="item")
            for item in self.items:
                c = self.cells(item)
                line = Text(no_wrap=True, overflow="ellipsis")
                line.append_text(c["due"])
                line.append(f" · score {item.score} · ")
                line.append(item.partner, style="bold")
                line.append(f"\n{item.event or 'General'} · {item.status_label or 'no deal'}"
                            f" · {self.money.full(item.amount_cents)}")
                self.add_row(line, key=item_key(item), height=NARROW_HEIGHT)
        else:
            cells = [(item_key(item), self.cells(item)) for item in self.items]
            widths = {
                key: max([cell_len(label), *(c[key].cell_len for _, c in cells)])
                for key, label in COLUMNS
            }
            for key, most in WIDTHS.items():  # long names give way (cut with "…")
                widths[key] = max(cell_len(dict(COLUMNS)[key]), min(most, widths[key]))
            self.add_aligned(
                {key: Text(label, justify="right" if key in RIGHT else "left")
                 for key, label in COLUMNS},
                cells, widths,
            )
        shown = len(self.items)
        if self.total:
            more = f"top {shown} of {self.total:,}" if self.total > shown else f"all {self.total:,}"
            self.border_subtitle = f"{more} · {self.overdue:,} overdue · enter opens"
        else:
            self.border_subtitle = ""
        if selected is not None:
            try:
                self.move_cursor(row=self.get_row_index(selected), animate=False)
            except Exception:  # that item is done or left the window
                pass

    def describe_item(self, key: str | None) -> str | None:
        """One item in full, for the focus line."""
        item = next((i for i in self.items if item_key(i) == key), None)
        if item is None:
            return None
        what = (
            f"quiet for {item.stale_days} days (stale after {item.stale_after_days})"
            if item.kind == "stale" else f"follow-up due {item.due_date} ({due_label(item)})"
        )
        parts = [item.partner]
        if item.contact:
            parts.append(item.contact)
        parts.append(item.event or "General")
        if item.status_label:
            parts.append(item.status_label)
        parts.append(self.money.full(item.amount_cents))
        text = f"{' · '.join(parts)}: {what}, score {item.score}"
        if item.note:
            text += f". Note: {item.note}"
        return text + ". Enter opens it on the Action Queue screen."

    def selected_key(self) -> str | None:
        if not self.row_count:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        return None if key == EMPTY_KEY else key
