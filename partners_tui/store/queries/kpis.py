"""KPI cards (DESIGN 4.2)."""

from __future__ import annotations

from dataclasses import dataclass

from partners_tui.store.queries.common import round_half_up
from partners_tui.store.queries.pace import GoalPace
from partners_tui.store.queries.scope import ResolvedScope
from partners_tui.store.queries.totals import DealTotals


@dataclass(frozen=True)
class Kpis:
    """Amounts in integer cents. `goal_cents` / `goal_remaining_cents` are None for "no goal"."""

    active_partners: int
    events_in_scope: int
    archived_events: int
    revenue_secured_cents: int
    goal_cents: int | None
    goal_remaining_cents: int | None
    open_pipeline_cents: int
    weighted_pipeline_cents: int
    action_items: int
    overdue_items: int


def kpis_from(
    scope: ResolvedScope, totals: DealTotals, pace: GoalPace, action_items: int, overdue: int
) -> Kpis:
    secured = totals.secured_cents
    goal = pace.goal_cents or None
    return Kpis(
        active_partners=totals.active_partners,
        events_in_scope=len(scope.events),
        archived_events=scope.archived_events,
        revenue_secured_cents=secured,
        goal_cents=goal,
        goal_remaining_cents=max(goal - secured, 0) if goal else None,
        open_pipeline_cents=totals.open_cents,
        weighted_pipeline_cents=round_half_up(totals.open_weighted),
        action_items=action_items,
        overdue_items=overdue,
    )
