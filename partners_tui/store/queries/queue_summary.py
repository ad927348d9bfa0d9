"""The action queue's counts and its first items, without building the whole queue.

The Overview shows how many items there are, how many are overdue, each event's follow-ups due
and overdue, and the top few items; a large database has tens of thousands of items, and making a
Python object of each costs far more than SQLite counting them. So SQL does it, over migration
7's candidate tables, in two passes:
1. the counts per (kind, event, overdue) and the largest amount × probability (the value
   points' scale); overdue needs no day count: a follow-up is overdue when due before today, a
   stale deal when its clock is before the start of local day today − 2 × stale-after + 1;
2. every candidate's score (DESIGN 4.6, the same integer formulas as `action_queue`), and the
   first ones by (overdue, score, due date), ties with the `top`-th included since the partner
   name breaks them. Only those are then built, by `action_queue` itself (same rows, same
   scoring, same order), and the first `top` kept.

A stale deal's days since its last activity are local calendar days in the team's zone: SQL asks
`LocalDates` through a function registered on the connection, so both paths count them alike,
and only for deals quiet for less than 2 × stale-after + 20 days (the score's cap): an older
deal scores the cap whatever its exact count, so the function is not called for it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, text

from partners_tui.store.clock import Clock
from partners_tui.store.queries.action_queue import (
    FOLLOW_UP_FROM, MAX_OVERDUE_BONUS, MAX_STALE_BONUS, STALE_FROM, ActionQueue,
    QueueCounts, action_queue, follow_up_where, stale_where,
)
from partners_tui.store.queries.common import LocalDates
from partners_tui.store.queries.scope import ResolvedScope
from partners_tui.store.queries.totals import StatusInfo, load_statuses

STALE_DAYS_FUNCTION = "partners_stale_days"


TIE_MARGIN = 32
"""Candidates read past the `top`-th in pass 2; if they all tie with it, the tie group is read
whole by a third query (rare: it needs that many items with one score and due date)."""


def queue_summary(
    conn: Connection, scope: ResolvedScope, clock: Clock | None = None,
    statuses: dict[str, StatusInfo] | None = None, *, top: int,
) -> ActionQueue:
    """The queue's counts (all of it) and its first `top` items, in order."""
    clock = clock or Clock()
    statuses = statuses if statuses is not None else load_statuses(conn)
    top = max(top, 1)
    sql = _CandidateSql(conn, scope, statuses, clock)
    total = overdue = 0
    due: dict[str, int] = {}
    late: dict[str, int] = {}
    largest = 0
    for kind, event_id, n, n_overdue, biggest in conn.execute(text(sql.counts()), sql.params):
        total += n
        overdue += n_overdue
        largest = max(largest, biggest or 0)
        if kind == "follow_up" and event_id is not None:
            for bucket, k in ((due, n - n_overdue), (late, n_overdue)):
                if k:
                    bucket[event_id] = bucket.get(event_id, 0) + k
    counts = QueueCounts(total, overdue, due, late)
    if not total:
        return ActionQueue((), counts)
    params = {**sql.params, "largest": largest, "limit": top + TIE_MARGIN}
    # Overdue items come first: with at least `top` of them, the head (ties included) is
    # among them, and the others need no score.
    keyed = sql.keyed(overdue_only=overdue >= top)
    head = conn.execute(text(keyed + " ORDER BY k1, k2, k3, k4 LIMIT :limit"), params).all()
    nth = tuple(head[min(top, len(head)) - 1][2:])
    if len(head) == top + TIE_MARGIN and tuple(head[-1][2:]) == nth:  # the ties go on
        params.update(n1=nth[0], n2=nth[1], n3=nth[2], n4=nth[3])
        head = conn.execute(text(
            f"SELECT * FROM ({keyed}) WHERE (k1, k2, k3, k4) <= (:n1, :n2, :n3, :n4)"
        ), params).all()
    chosen = [(kind, key) for kind, key, *k in head if tuple(k) <= nth]
    built = action_queue(
        conn, scope, clock, statuses, largest=largest,
        follow_up_ids=[key for kind, key in chosen if kind == "follow_up"],
        stale_ids=[key for kind, key in chosen if kind == "stale"],
    )
    return ActionQueue(built.items[:top], counts)


def sql_scores(
    conn: Connection, scope: ResolvedScope, clock: Clock | None = None,
    statuses: dict[str, StatusInfo] | None = None,
) -> dict[tuple[str, str], tuple[bool, int]]:
    """(kind, follow-up or deal id) → (overdue, score) of every item as the SQL that ranks
    `queue_summary` computes them (its count pass gives the scale); the tests hold them equal
    to `action_queue`'s."""
    clock = clock or Clock()
    statuses = statuses if statuses is not None else load_statuses(conn)
    sql = _CandidateSql(conn, scope, statuses, clock)
    largest = max((r[4] or 0 for r in conn.execute(text(sql.counts()), sql.params)), default=0)
    return {
        (kind, key): (not k1, -k2)
        for kind, key, k1, k2, _k3, _k4 in conn.execute(
            text(sql.keyed()), {**sql.params, "largest": largest})
    }


class _CandidateSql:
    """The two passes' SQL over the queue's candidates (`follow_up_where`, and `stale_where`
    once per stale status, so that every per-status value is a constant and each (event,
    status) is one index range) and their parameters. Registers the stale-days function."""

    def __init__(self, conn: Connection, scope: ResolvedScope,
                 statuses: dict[str, StatusInfo], clock: Clock):
        local, today = LocalDates(clock), scope.today
        conn.connection.driver_connection.create_function(
            STALE_DAYS_FUNCTION, 1, lambda stamp: (today - local.of(stamp)).days,
            deterministic=True,
        )
        params: dict[str, Any] = {f"qs{i}": key for i, key in enumerate(statuses)}
        self._probability = " ".join(
            f"WHEN :qs{i} THEN {int(s.probability)}" for i, s in enumerate(statuses.values())
        )
        self.fu_where, fu_params = follow_up_where(scope, statuses)
        params.update(fu_params)
        # Per stale status: its WHERE, stale-after N, probability, the start of local day
        # today − 2N + 1 (before it: overdue) and of today − (2N + 20) + 1 (before it: the
        # score's cap, 2N + 20 days).
        self.stale: list[tuple[str, int, int, str, str, int]] = []
        for i, (key, s) in enumerate(statuses.items()):
            n = s.stale_after_days
            found = stale_where(scope, {key: s}, clock, tag=f"q{i}s") if n is not None else None
            if found is None:
                continue
            where, stale_params = found
            params.update(stale_params)
            cap = 2 * n + MAX_OVERDUE_BONUS
            params[f"q{i}o"] = clock.start_of_day(today - dt.timedelta(days=2 * n - 1))
            params[f"q{i}c"] = clock.start_of_day(today - dt.timedelta(days=cap - 1))
            self.stale.append((where, int(n), int(s.probability), f":q{i}o", f":q{i}c", cap))
        params.update(today=today.isoformat(), window=scope.window_days,
                      fb=MAX_OVERDUE_BONUS, sb=MAX_STALE_BONUS)
        self.params = params

    def _follow_up_weighted(self) -> str:
        return ("f.amount_cents * coalesce(f.probability_override,"
                f" CASE f.status {self._probability} ELSE 0 END)")

    def counts(self) -> str:
        """Rows (kind, event, count, overdue count, largest amount × probability)."""
        parts = [f"""
            SELECT 'follow_up', nullif(f.event_id, ''), count(*), sum(f.due_date < :today),
                   max({self._follow_up_weighted()})
            FROM {FOLLOW_UP_FROM} WHERE {self.fu_where} GROUP BY f.event_id
        """]
        for where, _after, probability, overdue_cut, _cap_cut, _cap in self.stale:
            parts.append(f"""
            SELECT 'stale', d.event_id, count(*), sum(d.clock < {overdue_cut}),
                   max(d.amount_cents * coalesce(d.probability_override, {probability}))
            FROM {STALE_FROM} WHERE {where} GROUP BY d.event_id
            """)
        return " UNION ALL ".join(parts)

    def keyed(self, overdue_only: bool = False) -> str:
        """Rows (kind, id, k1, k2, k3, k4): each candidate's ascending sort key up to the
        partner name (k1 not overdue, k2 −score, k3 undated, k4 due date), as `order_key`;
        needs :largest. Urgency and value points as in action_queue.urgency_* and value_points
        (integer division of non-negative integers floors, as Python's // does).
        `overdue_only`: only the overdue candidates (a shorter range of each index)."""
        value = ("CASE WHEN weighted > 0 AND :largest > 0"
                 " THEN (40 * weighted + :largest) / (2 * :largest) ELSE 0 END")
        parts = [f"""
            SELECT 'follow_up' AS kind, f.id AS id, f.due_date < :today AS overdue,
                   CASE WHEN f.due_date < :today
                            THEN 60 + min(CAST(julianday(:today) - julianday(f.due_date) AS INTEGER), :fb)
                        WHEN f.due_date = :today THEN 55
                        ELSE 50 - (80 * CAST(julianday(f.due_date) - julianday(:today) AS INTEGER)
                                   + :window) / (2 * :window) END AS urgency,
                   {self._follow_up_weighted()} AS weighted, 0 AS undated, f.due_date AS due_date
            FROM {FOLLOW_UP_FROM} WHERE {self.fu_where}
                {"AND f.due_date < :today" if overdue_only else ""}
        """]
        for where, after, probability, overdue_cut, cap_cut, cap in self.stale:
            days = (f"CASE WHEN d.clock < {cap_cut} THEN {cap}"
                    f" ELSE {STALE_DAYS_FUNCTION}(d.clock) END")
            parts.append(f"""
            SELECT 'stale', d.id, d.clock < {overdue_cut},
                   CASE WHEN d.clock < {overdue_cut} THEN 60 + min({days} - {2 * after}, :fb)
                        ELSE 30 + min({days} - {after}, :sb) END,
                   d.amount_cents * coalesce(d.probability_override, {probability}), 1, ''
            FROM {STALE_FROM} WHERE {where} {f"AND d.clock < {overdue_cut}" if overdue_only else ""}
            """)
        return (f"SELECT kind, id, 1 - overdue AS k1, -(urgency + {value}) AS k2,"
                f" undated AS k3, due_date AS k4 FROM ({' UNION ALL '.join(parts)})")
