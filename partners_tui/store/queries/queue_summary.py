"""The action queue's counts and its first items, without building the whole queue.

The Overview shows how many items there are, how many are overdue, each event's follow-ups due
and overdue, and the top few items; a large database has tens of thousands of items, and making a
Python object of each costs far more than SQLite counting them. So SQL does the counting and the
scoring (DESIGN 4.6, the same integer formulas as `action_queue`) over one materialised set of
candidates, and returns the counts plus the ids of the items that can be among the first `top`:
every item whose (overdue, score, due date) key is not after the `top`-th one's, ties included,
since the partner name breaks ties. Only those are then built, by `action_queue` itself (same
rows, same scoring, same order), and the first `top` kept.

A stale deal's days since its last activity are local calendar days in the team's zone: SQL asks
`LocalDates` through a function registered on the connection, so both paths count them alike.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, text

from partners_tui.store.clock import Clock
from partners_tui.store.queries.action_queue import (
    FOLLOW_UP_FROM, MAX_OVERDUE_BONUS, MAX_STALE_BONUS, STALE_CLOCK, STALE_FROM, ActionQueue,
    QueueCounts, action_queue, follow_up_where, stale_where,
)
from partners_tui.store.queries.common import LocalDates
from partners_tui.store.queries.scope import ResolvedScope
from partners_tui.store.queries.totals import StatusInfo, load_statuses

STALE_DAYS_FUNCTION = "partners_stale_days"


def queue_summary(
    conn: Connection, scope: ResolvedScope, clock: Clock | None = None,
    statuses: dict[str, StatusInfo] | None = None, *, top: int,
) -> ActionQueue:
    """The queue's counts (all of it) and its first `top` items, in order."""
    clock = clock or Clock()
    statuses = statuses if statuses is not None else load_statuses(conn)
    candidates, params = _scored_sql(conn, scope, statuses, clock)
    params["top"] = max(top, 1)
    total = overdue = 0
    due: dict[str, int] = {}
    late: dict[str, int] = {}
    largest = 0
    follow_up_ids: list[str] = []
    stale_ids: list[str] = []
    for tag, kind, key, event_id, is_overdue, n in conn.execute(text(candidates + _SUMMARY), params):
        if tag == "count":
            total += n
            if is_overdue:
                overdue += n
            if kind == "follow_up" and event_id is not None:
                bucket = late if is_overdue else due
                bucket[event_id] = bucket.get(event_id, 0) + n
        elif tag == "largest":
            largest = n or 0
        else:
            (follow_up_ids if kind == "follow_up" else stale_ids).append(key)
    counts = QueueCounts(total, overdue, due, late)
    if not follow_up_ids and not stale_ids:
        return ActionQueue((), counts)
    chosen = action_queue(conn, scope, clock, statuses, follow_up_ids=follow_up_ids,
                          stale_ids=stale_ids, largest=largest)
    return ActionQueue(chosen.items[:top], counts)


def sql_scores(
    conn: Connection, scope: ResolvedScope, clock: Clock | None = None,
    statuses: dict[str, StatusInfo] | None = None,
) -> dict[tuple[str, str], tuple[bool, int]]:
    """(kind, follow-up or deal id) → (overdue, score) of every item as the SQL that ranks
    `queue_summary` computes them; the tests hold them equal to `action_queue`'s."""
    clock = clock or Clock()
    statuses = statuses if statuses is not None else load_statuses(conn)
    candidates, params = _scored_sql(conn, scope, statuses, clock)
    return {
        (kind, key): (not k1, -k2)
        for kind, key, k1, k2 in conn.execute(text(candidates + "SELECT kind, id, k1, k2 FROM k"), params)
    }


_SUMMARY = """
    , nth AS (SELECT k1, k2, k3, k4 FROM k ORDER BY k1, k2, k3, k4 LIMIT 1 OFFSET :top - 1)
    SELECT 'count', kind, NULL, event_id, overdue, count(*) FROM c
    GROUP BY kind, event_id, overdue
    UNION ALL
    SELECT 'largest', NULL, NULL, NULL, NULL, largest FROM l
    UNION ALL
    SELECT 'top', kind, id, NULL, NULL, NULL FROM k
    WHERE NOT EXISTS (SELECT 1 FROM nth)
       OR (k1, k2, k3, k4) <= (SELECT k1, k2, k3, k4 FROM nth)
"""
"""After `_scored_sql`: rows ("count", kind, None, event, overdue, n), one ("largest", …, L)
and ("top", kind, id, …) for each item that can be among the first `:top`: its key is not after
the `:top`-th one's."""


def _scored_sql(
    conn: Connection, scope: ResolvedScope, statuses: dict[str, StatusInfo], clock: Clock,
) -> tuple[str, dict[str, Any]]:
    """The WITH part of a statement: `c` the candidates (kind, id, partner, event, due date,
    amount × probability, days, stale-after, overdue), `l` the largest amount × probability, `k`
    each candidate's ascending sort key up to the partner name (k1 not overdue, k2 −score,
    k3 undated, k4 due date). Registers the stale-days function on `conn`."""
    local, today = LocalDates(clock), scope.today
    conn.connection.driver_connection.create_function(
        STALE_DAYS_FUNCTION, 1, lambda stamp: (today - local.of(stamp)).days, deterministic=True,
    )
    probability = " ".join(
        f"WHEN :qs{i} THEN {int(s.probability)}" for i, s in enumerate(statuses.values())
    )
    params: dict[str, Any] = {f"qs{i}": key for i, key in enumerate(statuses)}
    def weighted(t: str) -> str:
        return (f"{t}.amount_cents * coalesce({t}.probability_override,"
                f" CASE {t}.status {probability} ELSE 0 END)")
    where, fu_params = follow_up_where(scope, statuses)
    params.update(fu_params)
    parts = [f"""
        SELECT 'follow_up' AS kind, f.id AS id, f.partner_id AS partner_id,
               nullif(f.event_id, '') AS event_id, f.due_date AS due_date,
               {weighted('f')} AS weighted,
               CAST(julianday(f.due_date) - julianday(:today) AS INTEGER) AS days,
               NULL AS after
        FROM {FOLLOW_UP_FROM} WHERE {where}
    """]
    stale = stale_where(scope, statuses, clock)
    if stale is not None:
        stale_sql, stale_params = stale
        params.update(stale_params)
        after = " ".join(
            f"WHEN :qs{i} THEN {int(s.stale_after_days)}"
            for i, s in enumerate(statuses.values()) if s.stale_after_days is not None
        )
        parts.append(f"""
        SELECT 'stale', d.id, d.partner_id, d.event_id, NULL, {weighted('d')},
               {STALE_DAYS_FUNCTION}({STALE_CLOCK}), CASE d.status {after} END
        FROM {STALE_FROM} WHERE {stale_sql}
        """)
    params.update(today=scope.today.isoformat(), window=scope.window_days,
                  fb=MAX_OVERDUE_BONUS, sb=MAX_STALE_BONUS)
    # Ascending sort key of `order_key` up to the partner name: (not overdue, −score, undated,
    # due date). Urgency and value points as in action_queue.urgency_* and value_points:
    # integer division of non-negative integers floors, as Python's // does.
    sql = f"""
    WITH c AS MATERIALIZED (
        SELECT *, CASE WHEN kind = 'stale' THEN days >= 2 * after ELSE days < 0 END AS overdue
        FROM ({' UNION ALL '.join(parts)})
    ),
    l AS (SELECT coalesce(max(weighted), 0) AS largest FROM c),
    k AS MATERIALIZED (
        SELECT c.kind, c.id, 1 - c.overdue AS k1, -(
                 CASE WHEN c.kind = 'stale' THEN
                     CASE WHEN c.overdue THEN 60 + min(c.days - 2 * c.after, :fb)
                          ELSE 30 + min(c.days - c.after, :sb) END
                 WHEN c.days < 0 THEN 60 + min(-c.days, :fb)
                 WHEN c.days = 0 THEN 55
                 ELSE 50 - (80 * c.days + :window) / (2 * :window) END
               + CASE WHEN c.weighted > 0 AND l.largest > 0
                      THEN (40 * c.weighted + l.largest) / (2 * l.largest) ELSE 0 END
               ) AS k2,
               c.due_date IS NULL AS k3, coalesce(c.due_date, '') AS k4
        FROM c, l
    )
    """
    return sql, params
