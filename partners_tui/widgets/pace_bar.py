"""The goal pace card: how far along the goal we are against how far along we should be by today.

A bar filled to the secured share of the goal, with a marker where "expected by today" sits,
both percentages, the pace delta in money and the status in words. With no goal it says how to
set one, because a pace without a goal means nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from textual.content import Content
from textual.widget import Widget

from partners_tui.store.queries import GoalPace
from partners_tui.widgets.money import Money, percent
from partners_tui.widgets.width_render import RendersToWidth

STATUS_TEXT = {
    "ahead": ("Ahead of pace", "success"),
    "on_track": ("On track", "success"),
    "behind": ("Behind pace", "error"),
    "not_started": ("Not started", "primary"),
    "no_goal": ("No goal set", "warning"),
}
FILL, EMPTY, MARKER, OVERFLOW = "█", "░", "┃", "▶"


def bar_cells(ratio: Fraction | float | None, width: int) -> int:
    """How many of `width` cells a ratio fills (clamped to the bar; a sliver shows as one)."""
    if not ratio or ratio <= 0 or width <= 0:
        return 0
    cells = round(min(float(ratio), 1.0) * width)
    return max(1, cells)


def marker_cell(ratio: Fraction | float | None, width: int) -> int:
    """The cell index of the expected marker (0 .. width − 1)."""
    if ratio is None or width <= 0:
        return 0
    return min(width - 1, max(0, round(min(float(ratio), 1.0) * width) - 1))


@dataclass(frozen=True)
class PaceView:
    pace: GoalPace
    money: Money
    scope_label: str
    """"2026", "all years" or an event name: whose goal this is."""
    goal_hint: str
    """How to set a goal for this scope (shown when there is none)."""


class PaceCard(RendersToWidth, Widget, can_focus=True):
    """Bordered card; `show(PaceView)` fills it."""

    DEFAULT_CSS = """
    PaceCard {
        height: auto;
        min-height: 7;
        border: round $primary-muted;
        border-title-color: $text;
        border-title-style: bold;
        padding: 0 1;
        &:focus {
            border: round $accent;
            background-tint: $foreground 5%;
        }
    }
    """

    EXPLANATION = (
        "Goal pace compares the secured share of the goal with the share expected by today "
        "(each event's goal spread evenly from its outreach start to its end date). Ahead: 8 "
        "points or more above expected; On track: no more than 5 points below; Behind: lower."
    )

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.border_title = "Goal pace"
        self.view: PaceView | None = None
        self.tooltip = self.EXPLANATION

    def show(self, view: PaceView | None) -> None:
        self.view = view
        self.border_title = f"Goal pace · {view.scope_label}" if view else "Goal pace"
        self.redraw()

    def describe(self) -> str:
        if self.view is None:
            return "Goal pace: …"
        return f"Goal pace: {self.summary()}. {self.EXPLANATION}"

    def summary(self) -> str:
        """The figures in one plain sentence (the focus line; tests read it)."""
        assert self.view is not None
        p, m = self.view.pace, self.view.money
        if p.status == "no_goal":
            return f"no goal set; {m.full(p.secured_cents)} secured"
        label = STATUS_TEXT[p.status][0]
        return (
            f"{label}; {m.full(p.secured_cents)} secured of {m.full(p.goal_cents)} "
            f"({percent(p.actual_pct)}), expected by today {m.full(p.expected_secured_cents)} "
            f"({percent(p.expected_pct)}), delta {m.full(p.pace_delta_cents, signed=True)}"
        )

    def render_width(self, width: int) -> Content:
        if self.view is None:
            return Content.styled("…", "dim")
        p, m = self.view.pace, self.view.money
        width = max(width, 10)
        label, tone = STATUS_TEXT.get(p.status, (p.status, "text"))
        if p.status == "no_goal":
            return Content.assemble(
                (label, f"bold ${tone}"), "\n",
                (f"{m.full(p.secured_cents)} secured", "bold"), " with nothing to measure it "
                "against.\n",
                (self.view.goal_hint, "$text-muted"),
            )
        delta = p.pace_delta_cents or 0
        delta_text = (
            f"{m.full(delta, signed=True, whole=True)} vs. expected"
            if delta else "exactly as expected"
        )
        head = Content.assemble((label, f"bold ${tone}"), "  ", (delta_text, f"${tone}"))
        bar = self._bar(width, tone)
        marker = self._marker_caption(width)
        secured = Content.assemble(
            ("Secured ", "$text-muted"), (percent(p.actual_pct), "bold"),
            ("  ", ""), (f"{m.full(p.secured_cents)} of {m.full(p.goal_cents)}", ""),
        )
        expected = Content.assemble(
            ("Expected by today ", "$text-muted"), (percent(p.expected_pct), "bold"),
            ("  ", ""), (m.full(p.expected_secured_cents, whole=True), ""),
        )
        return Content("\n").join([head, bar, marker, secured, expected])

    def _bar(self, width: int, tone: str) -> Content:
        p = self.view.pace  # type: ignore[union-attr]
        over = p.actual_ratio is not None and p.actual_ratio > 1
        cells = width - 1 if over else width
        filled = bar_cells(p.actual_ratio, cells)
        mark = marker_cell(p.expected_ratio, cells)
        parts: list[tuple[str, str]] = []
        for i in range(cells):
            if i == mark and p.expected_ratio:
                parts.append((MARKER, "bold $accent"))
            elif i < filled:
                parts.append((FILL, f"${tone}"))
            else:
                parts.append((EMPTY, "$text-disabled"))
        if over:
            parts.append((OVERFLOW, f"bold ${tone}"))
        return Content.assemble(*parts).simplify()

    def _marker_caption(self, width: int) -> Content:
        p = self.view.pace  # type: ignore[union-attr]
        over = p.actual_ratio is not None and p.actual_ratio > 1
        cells = width - 1 if over else width
        mark = marker_cell(p.expected_ratio, cells)
        right = f"▲ expected {percent(p.expected_pct)}"
        left = f"expected {percent(p.expected_pct)} ▲"
        if mark + len(right) <= width:
            text = " " * mark + right
        else:  # no room to the right of the marker: put the words on its left
            text = " " * max(0, mark - len(left) + 1) + left
        return Content.styled(text, "$text-muted")
