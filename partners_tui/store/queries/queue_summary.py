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
    for kind, event_id, is_overdue, n, biggest in conn.execute(text(sql.counts()), sql.params):
        total += n
        overdue += n if is_overdue else 0
        largest = max(largest, biggest or 0)
        if kind == "follow_up" and event_id is not None:
            bucket = late if is_overdue else due
            bucket[event_id] = bucket.get(event_id, 0) + n
    counts = QueueCounts(total, overdue, due, late)
    if not total:
        return ActionQueue((), counts)
    params = {**sql.params, "largest": largest, "limit": top + TIE_MARGIN}
    head = conn.execute(text(sql.keyed() + " ORDER BY k1, k2, k3, k4 LIMIT :limit"), params).all()
    nth = tuple(head[min(top, len(head)) - 1][2:])
    if len(head) == top + TIE_MARGIN and tuple(head[-1][2:]) == nth:  # the ties go on
        params.update(n1=nth[0], n2=nth[1], n3=nth[2], n4=nth[3])
        head = conn.execute(text(
            f"SELECT * FROM ({sql.keyed()}) WHERE (k1, k2, k3, k4) <= (:n1, :n2, :n3, :n4)"
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
    """The two passes' SQL over the queue's candidates (`follow_up_where`, `stale_where`) and
    their parameters. Registers the stale-days function on `conn`."""

    def __init__(self, conn: Connection, scope: ResolvedScope,
                 statuses: dict[str, StatusInfo], clock: Clock):
        local, today = LocalDates(clock), scope.today
        conn.connection.driver_connection.create_function(
            STALE_DAYS_FUNCTION, 1, lambda stamp: (today - local.of(stamp)).days,
            deterministic=True,
        )
        params: dict[str, Any] = {f"qs{i}": key for i, key in enumerate(statuses)}
        probability = " ".join(
            f"WHEN :qs{i} THEN {int(s.probability)}" for i, s in enumerate(statuses.values())
        )
        self.fu_where, fu_params = follow_up_where(scope, statuses)
        params.update(fu_params)
        stale = stale_where(scope, statuses, clock)
        self.stale_where = None
        if stale is not None:
            self.stale_where, stale_params = stale
            params.update(stale_params)
        # Per stale status: its stale-after N; the start of local day today − 2N + 1 (before
        # it: overdue); the start of today − (2N + 20) + 1 (before it: the score's cap).
        after, overdue_cut, cap_cut, cap_days = [], [], [], []
        for i, s in enumerate(statuses.values()):
            n = s.stale_after_days
            if n is None:
                continue
            cap = 2 * n + MAX_OVERDUE_BONUS
            params[f"qo{i}"] = clock.start_of_day(today - dt.timedelta(days=2 * n - 1))
            params[f"qc{i}"] = clock.start_of_day(today - dt.timedelta(days=cap - 1))
            after.append(f"WHEN :qs{i} THEN {int(n)}")
            overdue_cut.append(f"WHEN :qs{i} THEN :qo{i}")
            cap_cut.append(f"WHEN :qs{i} THEN :qc{i}")
            cap_days.append(f"WHEN :qs{i} THEN {cap}")
        params.update(today=today.isoformat(), window=scope.window_days,
                      fb=MAX_OVERDUE_BONUS, sb=MAX_STALE_BONUS)
        self.params = params
        self._probability = probability
        self._after = " ".join(after)
        self._overdue_cut = " ".join(overdue_cut)
        self._cap_cut = " ".join(cap_cut)
        self._cap_days = " ".join(cap_days)

    def _weighted(self, t: str) -> str:
        return (f"{t}.amount_cents * coalesce({t}.probability_override,"
                f" CASE {t}.status {self._probability} ELSE 0 END)")

    def _stale_overdue(self) -> str:
        return f"d.clock < CASE d.status {self._overdue_cut} END"

    def counts(self) -> str:
        """Rows (kind, event, overdue, count, largest amount × probability)."""
        parts = [f"""
            SELECT 'follow_up' AS kind, nullif(f.event_id, '') AS event_id,
                   f.due_date < :today AS overdue, {self._weighted('f')} AS weighted
            FROM {FOLLOW_UP_FROM} WHERE {self.fu_where}
        """]
        if self.stale_where is not None:
            parts.append(f"""
            SELECT 'stale', d.event_id, {self._stale_overdue()}, {self._weighted('d')}
            FROM {STALE_FROM} WHERE {self.stale_where}
            """)
        return (f"SELECT kind, event_id, overdue, count(*), max(weighted)"
                f" FROM ({' UNION ALL '.join(parts)}) GROUP BY kind, event_id, overdue")

    def keyed(self) -> str:
        """Rows (kind, id, k1, k2, k3, k4): each candidate's ascending sort key up to the
        partner name (k1 not overdue, k2 −score, k3 undated, k4 due date), as `order_key`;
        needs :largest. Urgency and value points as in action_queue.urgency_* and value_points
        (integer division of non-negative integers floors, as Python's // does)."""
        value = ("CASE WHEN weighted > 0 AND :largest > 0"
                 " THEN (40 * weighted + :largest) / (2 * :largest) ELSE 0 END")
        parts = [f"""
            SELECT 'follow_up' AS kind, f.id AS id, f.due_date < :today AS overdue,
                   CASE WHEN f.due_date < :today
                            THEN 60 + min(CAST(julianday(:today) - julianday(f.due_date) AS INTEGER), :fb)
                        WHEN f.due_date = :today THEN 55
                        ELSE 50 - (80 * CAST(julianday(f.due_date) - julianday(:today) AS INTEGER)
                                   + :window) / (2 * :window) END AS urgency,
                   {self._weighted('f')} AS weighted, 0 AS undated, f.due_date AS due_date
            FROM {FOLLOW_UP_FROM} WHERE {self.fu_where}
        """]
        if self.stale_where is not None:
            days = (f"CASE WHEN d.clock < CASE d.status {self._cap_cut} END"
                    f" THEN CASE d.status {self._cap_days} END"
                    f" ELSE {STALE_DAYS_FUNCTION}(d.clock) END")
            after = f"CASE d.status {self._after} END"
            parts.append(f"""
            SELECT 'stale', d.id, {self._stale_overdue()},
                   CASE WHEN {self._stale_overdue()}
                            THEN 60 + min({days} - 2 * {after}, :fb)
                        ELSE 30 + min({days} - {after}, :sb) END,
                   {self._weighted('d')}, 1, ''
            FROM {STALE_FROM} WHERE {self.stale_where}
            """)
        return (f"SELECT kind, id, 1 - overdue AS k1, -(urgency + {value}) AS k2,"
                f" undated AS k3, due_date AS k4 FROM ({' UNION ALL '.join(parts)})")
