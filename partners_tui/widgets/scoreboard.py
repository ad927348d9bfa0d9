"""The event scoreboard: one row per event in scope (DESIGN 4.5), Enter opens the event.

Wide terminals get one column per figure; under 100 columns each event is drawn as a block of
lines with the same figures, so nothing needs sideways scrolling. Event names are data: every
cell is a `rich.text.Text`, never markup.

The columns are drawn by `aligned_line`, one DataTable cell per event holding its whole line (and
one header cell): a tenth of the drawing time of a cell per figure, which a scope change pays
for every visible line.
"""

from __future__ import annotations

from functools import partial

from rich.cells import cell_len
from rich.text import Text

from partners_tui.store.queries import EventRow
from partners_tui.widgets.aligned_line import AlignedColumns
from partners_tui.widgets.money import Money, percent
from partners_tui.widgets.panel import PanelTable

PACE_LABELS = {
    "ahead": ("Ahead", "success"),
    "on_track": ("On track", "success"),
    "behind": ("Behind", "error"),
    "not_started": ("Not started", "primary"),
    "no_goal": ("No goal", "text-muted"),
}

WIDE_COLUMNS = (
    ("event", "Event"), ("year", "Year"), ("goal", "Goal"), ("secured", "Secured"),
    ("actual", "Actual"), ("expected", "Expected"), ("pace", "Pace"), ("open", "Open pipeline"),
    ("committed", "Committed"), ("deals", "Deals"), ("due", "Due"), ("overdue", "Overdue"),
)
SHORT_LABELS = {"open": "Open", "committed": "Commit.", "expected": "Expect."}
"""Headers used with abbreviated amounts, when the full ones do not fit either (the focus line
names every figure of the selected event in full)."""
RIGHT = {"goal", "secured", "actual", "expected", "open", "committed", "deals", "due", "overdue"}
NARROW_HEIGHT = 4
EMPTY_KEY = "none"
MAX_NAME = 32
MIN_NAME = 16
"""The event column never narrows below this to make room for the numbers."""


def theme_color(widget, name: str) -> str:
    """A theme colour ("success", "error", ...) as a Rich style string ("" if unknown)."""
    try:
        return widget.app.theme_variables.get(name, "")
    except Exception:  # not mounted yet
        return ""


def plural(n: int, word: str) -> str:
    """"1 deal", "3 deals", "1,028 deals"."""
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def pace_label(pace: str) -> str:
    return PACE_LABELS.get(pace, (pace, ""))[0]


class Scoreboard(AlignedColumns, PanelTable):
    """`show(rows, money)` fills it; `narrow` switches between columns and stacked blocks."""

    DEFAULT_CSS = """
    Scoreboard {
        height: auto;
        max-height: 20;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, cursor_type="row", zebra_stripes=True)
        self.border_title = "Events"
        self.rows_data: tuple[EventRow, ...] = ()
        self.money = Money()
        self.narrow = False
        self.abbreviated = False
        """True when the money columns show short amounts because the full ones do not fit."""
        self._filled_width = 0
        self.column_widths = {}
        self.tooltip = (
            "Each event in scope: goal, secured and its share of the goal, the share expected by "
            "today, pace, open pipeline, committed (every deal whatever its status), deals, "
            "follow-ups due within the window and overdue. Enter opens the event."
        )

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._fill())

    def show(self, rows: tuple[EventRow, ...], money: Money) -> None:
        self.rows_data = rows
        self.money = money
        self._fill()

    def set_narrow(self, narrow: bool) -> None:
        if narrow != self.narrow:
            self.narrow = narrow
            self._fill()

    # --- cells ------------------------------------------------------------------------------

    def _pace(self, pace: str) -> Text:
        label, tone = PACE_LABELS.get(pace, (pace, ""))
        return Text(label, style=theme_color(self, tone), no_wrap=True)

    def wide_values(self, row: EventRow, *, short: bool = False) -> dict[str, str]:
        """One row's figures as text; `short` abbreviates the money (when it does not fit)."""
        money = self.money.short if short else self.money.full
        return {
            "event": row.name + (" (archived)" if row.archived else ""),
            "year": str(row.year),
            "goal": money(row.goal_cents),
            "secured": money(row.secured_cents),
            "actual": percent(row.actual_pct),
            "expected": percent(row.expected_pct),
            "pace": pace_label(row.pace),
            "open": money(row.open_pipeline_cents),
            "committed": money(row.committed_cents),
            "deals": f"{row.deals:,}",
            "due": f"{row.follow_ups_due:,}",
            "overdue": f"{row.follow_ups_overdue:,}",
        }

    def wide_cells(self, row: EventRow, values: dict[str, str]) -> dict[str, Text]:
        """The cells of one row by column key, from `wide_values`."""
        cells = {}
        error = theme_color(self, "error")
        for key, _ in WIDE_COLUMNS:
            if key == "event":
                cell = Text(row.name, no_wrap=True, overflow="ellipsis")
                if row.archived:
                    cell.append(" (archived)", style="dim")
            elif key == "pace":
                cell = self._pace(row.pace)
            else:
                style = error if key == "overdue" and row.follow_ups_overdue else ""
                cell = Text(values[key], justify="right" if key in RIGHT else "left",
                            style=style, no_wrap=True)
            cells[key] = cell
        return cells

    def stacked_cell(self, row: EventRow) -> Text:
        """The narrow form: the same figures as four lines."""
        m = self.money
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(row.name, style="bold")
        if row.archived:
            text.append(" (archived)", style="dim")
        text.append(f" · {row.year} · ")
        text.append_text(self._pace(row.pace))
        text.append(
            f"\nGoal {m.full(row.goal_cents)} · Secured {m.full(row.secured_cents)}"
            f" · {percent(row.actual_pct)} (expected {percent(row.expected_pct)})"
        )
        text.append(
            f"\nOpen pipeline {m.full(row.open_pipeline_cents)}"
            f" · Committed {m.full(row.committed_cents)}"
        )
        text.append(
            f"\n{plural(row.deals, 'deal')} · {plural(row.follow_ups_due, 'follow-up')} due · "
        )
        text.append(
            f"{row.follow_ups_overdue:,} overdue",
            style=theme_color(self, "error") if row.follow_ups_overdue else "",
        )
        return text

    # --- filling ----------------------------------------------------------------------------

    def _fill(self) -> None:
        selected = None
        if self.row_count:
            try:
                selected = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
            except Exception:  # the cursor was on a row that is gone
                selected = None
        self.clear(columns=True)
        plan = None if self.narrow or not self.rows_data else self._wide_plan()
        self.show_header = plan is not None
        self.column_widths = {}
        if not self.rows_data:
            self.add_column("", key="empty")
            self.add_row(Text("No events in this scope.", style="dim"), key=EMPTY_KEY)
        elif plan is None:  # narrow, or the columns cannot fit: one block per event
            self.add_column("Event", key="event")
            for row in self.rows_data:
                self.add_row(self.stacked_cell(row), key=row.id, height=NARROW_HEIGHT)
        else:
            values, labels, widths = plan
            self.add_aligned(
                {key: Text(label, justify="right" if key in RIGHT else "left")
                 for key, label in labels.items()},
                ((row.id, partial(self.wide_cells, row, row_values))  # made when drawn
                 for row, row_values in zip(self.rows_data, values)),
                widths,
            )
        self._filled_width = self.size.width
        n = len(self.rows_data)
        self.border_subtitle = f"{n} event{'s' if n != 1 else ''} · enter opens" if n else ""
        if selected is not None:
            try:
                self.move_cursor(row=self.get_row_index(selected), animate=False)
            except Exception:  # that event left the scope
                pass

    def _wide_plan(self) -> tuple[list[dict[str, str]], dict[str, str], dict[str, int]] | None:
        """Cell texts, headers and widths of the one-line-per-event table: full amounts if they
        fit, else abbreviated ones with shorter headers and long names cut; None when even that
        would clip a column."""
        values = [self.wide_values(row) for row in self.rows_data]
        labels = dict(WIDE_COLUMNS)
        widths = self._widths(values, labels)
        self.abbreviated = self._overflow(widths) > 0
        if self.abbreviated:  # the full amounts do not fit: the focus line has them
            values = [self.wide_values(row, short=True) for row in self.rows_data]
            labels.update(SHORT_LABELS)
            widths = self._widths(values, labels)
            # Still too wide: long event names give way (cut with "…"), never a number.
            widths["event"] = max(MIN_NAME, widths["event"] - self._overflow(widths))
            if self._overflow(widths):
                return None
        return values, labels, widths

    def _widths(self, rows: list[dict[str, str]], labels: dict[str, str]) -> dict[str, int]:
        widths = {
            key: max([len(label), *(cell_len(r[key]) for r in rows)])
            for key, label in labels.items()
        }
        widths["event"] = min(widths["event"], MAX_NAME)
        return widths

    def _overflow(self, widths: dict[str, int]) -> int:
        """By how many cells the columns (each padded by 1 on both sides) overflow the table's
        inside, counting the scrollbar that more rows than fit will bring (0 when they fit)."""
        region = self.scrollable_content_region
        inside = region.width
        if inside <= 0:  # not laid out yet: decided again on the first resize
            return 0
        if not self.show_vertical_scrollbar and len(self.rows_data) + 1 > region.height:
            inside -= self.styles.scrollbar_size_vertical
        return max(0, sum(w + 2 * self.cell_padding for w in widths.values()) - inside)

    def on_resize(self) -> None:
        if self.rows_data and not self.narrow and self.size.width != self._filled_width:
            self._fill()

    def describe_row(self, event_id: str | None) -> str | None:
        """Every figure of one event, unabbreviated, for the focus line."""
        row = next((r for r in self.rows_data if r.id == event_id), None)
        if row is None:
            return None
        m = self.money
        return (
            f"{row.name} ({row.year}{', archived' if row.archived else ''}): "
            f"goal {m.full(row.goal_cents)}, secured {m.full(row.secured_cents)} "
            f"({percent(row.actual_pct)}; expected by today {percent(row.expected_pct)}), "
            f"{pace_label(row.pace)}; open pipeline {m.full(row.open_pipeline_cents)}, committed "
            f"{m.full(row.committed_cents)}; {plural(row.deals, 'deal')}; "
            f"{plural(row.follow_ups_due, 'follow-up')} due, {row.follow_ups_overdue:,} overdue. "
            "Enter opens it."
        )

    def selected_event_id(self) -> str | None:
        if not self.row_count:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        return None if key == EMPTY_KEY else key
