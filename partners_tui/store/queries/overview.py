"""Everything the Overview shows, computed in one read transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from partners_tui.store.queries.action_queue import ActionQueue, action_queue
from partners_tui.store.queries.common import reading
from partners_tui.store.queries.kpis import Kpis, kpis_from
from partners_tui.store.queries.pace import GoalPace, annual_goals, goal_pace
from partners_tui.store.queries.pipeline import Pipeline, pipeline_from_totals
from partners_tui.store.queries.queue_rows import QueueRows, queue_rows
from partners_tui.store.queries.queue_sql import stale_count_rows
from partners_tui.store.queries.queue_summary import queue_summary
from partners_tui.store.queries.scope import ResolvedScope, Scope, resolve_scope
from partners_tui.store.queries.scoreboard import EventRow, scoreboard_from
from partners_tui.store.queries.side_read import SideRead
from partners_tui.store.queries.sync import SyncHealth, sync_health
from partners_tui.store.queries.totals import deal_totals, load_statuses


@dataclass(frozen=True)
class Overview:
    scope: ResolvedScope
    kpis: Kpis
    goal_pace: GoalPace
    pipeline: Pipeline
    events: tuple[EventRow, ...]
    action_queue: ActionQueue | QueueRows
    sync: SyncHealth


def overview(
    source: Any, scope: Scope, today: dt.date, *, clock=None, queue_top: int | None = None,
    queue_as_rows: bool = False,
) -> Overview:
    """All read models of DESIGN 4 for `scope` as of `today`.

    `source` is a Store (its clock gives the time zone) or a SQLAlchemy Connection (then pass
    `clock`, else the machine's zone is used). Raises ScopeError for a bad scope option.
    `queue_top`: keep only the action queue's first items (its counts still cover all of it),
    which spares building every item of a large queue (`queue_summary`). `queue_as_rows`: the
    whole queue as plain rows scored in SQL (`queue_rows`), for the report; `action_queue` is
    then a `QueueRows` (no `items`; counts, `len` and `overdue` as an `ActionQueue`'s).
    """
    if queue_as_rows and queue_top is not None:
        raise ValueError("queue_top and queue_as_rows are two different reads of the queue")
    with reading(source) as (conn, source_clock):
        clock = clock or source_clock
        resolved = resolve_scope(conn, scope, today)
        statuses = load_statuses(conn)
        # The totals and the queue are independent: on a Store, the totals are read beside.
        # So is the stale half of the queue's counts, first: the summary counts the follow-ups
        # meanwhile, and ranks its head (which needs both) while the totals are read.
        beside = [lambda c: deal_totals(c, resolved, statuses)]
        if queue_top is not None:
            beside.insert(0, lambda c: stale_count_rows(c, resolved, statuses, clock))
        side = SideRead(source, *beside)
        try:
            if queue_as_rows:
                queue = queue_rows(conn, resolved, clock, statuses)
            elif queue_top is None:
                queue = action_queue(conn, resolved, clock, statuses)
            else:
                queue = queue_summary(conn, resolved, clock, statuses, top=queue_top,
                                      stale_counts=lambda: side.result(conn, 0))
        except BaseException:
            side.wait()
            raise
        totals = side.result(conn, -1)  # the totals are the last read beside
        secured = totals.secured_cents
        pace = goal_pace(conn, resolved, secured, annual_goals(conn))
        return Overview(
            scope=resolved,
            kpis=kpis_from(resolved, totals, pace, len(queue), queue.overdue),
            goal_pace=pace,
            pipeline=pipeline_from_totals(totals),
            events=scoreboard_from(resolved, totals, queue.counts),
            action_queue=queue,
            sync=sync_health(conn),
        )
