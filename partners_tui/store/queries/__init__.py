"""The query layer: DESIGN section 4's read models as plain frozen dataclasses (integer cents).

Screens and the `report` command read only through here; nothing below imports Textual.

    ov = overview(store, Scope.parse("auto", window_days=21), store.clock.today())
    ov.kpis.revenue_secured_cents, ov.goal_pace.status, ov.pipeline.rows, ov.events,
    ov.action_queue.items, ov.sync.sheets.configured

Each read model also has its own function taking (conn, resolved_scope, ...), for a screen
that refreshes one part.
"""

from partners_tui.store.queries.action_queue import (
    ActionItem, ActionQueue, QueueCounts, action_queue, order_key, urgency_follow_up, urgency_stale,
    value_points,
)
from partners_tui.store.queries.kpis import Kpis, kpis_from
from partners_tui.store.queries.overview import Overview, overview
from partners_tui.store.queries.pace import (
    GoalPace, event_goal, expected_ratio, goal_pace, make_pace, pace_status, scope_goal,
)
from partners_tui.store.queries.pipeline import Pipeline, PipelineRow, pipeline, pipeline_from_totals
from partners_tui.store.queries.queue_summary import queue_summary
from partners_tui.store.queries.scope import (
    DEFAULT_WINDOW, MAX_WINDOW, MIN_WINDOW, EventInfo, ResolvedScope, Scope, ScopeError,
    auto_year, resolve_scope,
)
from partners_tui.store.queries.scoreboard import EventRow, scoreboard_from
from partners_tui.store.queries.sync import EmailHealth, SheetsHealth, SyncHealth, sync_health
from partners_tui.store.queries.totals import DealTotals, StatusInfo, deal_totals, load_statuses

__all__ = [
    "ActionItem", "ActionQueue", "DEFAULT_WINDOW", "DealTotals", "EmailHealth", "EventInfo",
    "EventRow", "GoalPace", "Kpis", "MAX_WINDOW", "MIN_WINDOW", "Overview", "Pipeline",
    "PipelineRow", "QueueCounts", "ResolvedScope", "Scope", "ScopeError", "SheetsHealth", "StatusInfo",
    "SyncHealth", "action_queue", "auto_year", "deal_totals", "event_goal", "expected_ratio",
    "goal_pace", "kpis_from", "load_statuses", "make_pace", "order_key", "overview",
    "pace_status", "pipeline", "pipeline_from_totals", "queue_summary", "resolve_scope", "scope_goal",
    "scoreboard_from", "sync_health", "urgency_follow_up", "urgency_stale", "value_points",
]
