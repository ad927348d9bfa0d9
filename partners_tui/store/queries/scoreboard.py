"""Event scoreboard (DESIGN 4.5): one row per event in scope."""

from __future__ import annotations

from dataclasses import dataclass

from partners_tui.store.queries.action_queue import QueueCounts
from partners_tui.store.queries.common import round_half_up
from partners_tui.store.queries.pace import event_goal, make_pace
from partners_tui.store.queries.scope import ResolvedScope
from partners_tui.store.queries.totals import DealTotals


@dataclass(frozen=True)
class EventRow:
    """Amounts in integer cents; pct rounded to 2 decimals (None without a goal).

    `committed_cents` = Σ amount of every in-scope deal of the event whatever its status.
    `follow_ups_due` = its action-queue follow-ups due from today to the window's end;
    `follow_ups_overdue` = those due before today (the two never overlap).
    """

    id: str
    name: str
    year: int
    archived: bool
    start_date: str | None
    end_date: str | None
    goal_cents: int | None
    secured_cents: int
    committed_cents: int
    open_pipeline_cents: int
    weighted_pipeline_cents: int
    actual_pct: float | None
    expected_pct: float | None
    pace_delta_cents: int | None
    pace: str
    deals: int
    follow_ups_due: int
    follow_ups_overdue: int


def scoreboard_from(
    scope: ResolvedScope, totals: DealTotals, queue: QueueCounts
) -> tuple[EventRow, ...]:
    """`queue`: the action queue's counts (each event's follow-ups due and overdue)."""
    due, overdue = queue.follow_ups_due, queue.follow_ups_overdue
    out = []
    for event in scope.events:
        sums = totals.event(event.id)
        goal, expected = event_goal(event, scope.today)
        pace = make_pace(goal, sums.secured_cents, expected)
        out.append(
            EventRow(
                id=event.id, name=event.name, year=event.year, archived=event.archived,
                start_date=event.start_date, end_date=event.end_date,
                goal_cents=event.goal_cents,
                secured_cents=sums.secured_cents,
                committed_cents=sums.committed_cents,
                open_pipeline_cents=sums.open_cents,
                weighted_pipeline_cents=round_half_up(sums.open_weighted),
                actual_pct=pace.actual_pct, expected_pct=pace.expected_pct,
                pace_delta_cents=pace.pace_delta_cents, pace=pace.status,
                deals=sums.deals,
                follow_ups_due=due.get(event.id, 0),
                follow_ups_overdue=overdue.get(event.id, 0),
            )
        )
    return tuple(out)
