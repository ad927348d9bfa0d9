"""The action queue in SQL, over migration 7's candidate tables: what `queue_summary` counts
and ranks and what `queue_rows` lists, with DESIGN 4.6's integer formulas written once here.

They equal `action_queue`'s Python (the tests hold them so):
- urgency and value points as `urgency_follow_up`, `urgency_stale` and `value_points` (integer
  division of non-negative integers floors, as Python's // does);
- a stale deal's days since its last activity are local calendar days in the team's zone, which
  SQL asks `LocalDates` for through a function registered on the connection, or, for the
  overdue ones being ranked, finds by comparing the clock with the start of each local day
  (`overdue_days`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable, Iterable

from sqlalchemy import Connection

from partners_tui.store.clock import Clock
from partners_tui.store.queries.action_queue import (
    FOLLOW_UP_FROM, MAX_OVERDUE_BONUS, MAX_STALE_BONUS, STALE_FROM, QueueCounts, follow_up_where,
    stale_where,
)
from partners_tui.store.queries.common import LocalDates, plain_rows
from partners_tui.store.queries.scope import ResolvedScope
from partners_tui.store.queries.totals import StatusInfo

STALE_DAYS_FUNCTION = "partners_stale_days"

VALUE_POINTS_SQL = ("CASE WHEN weighted > 0 AND :largest > 0"
                    " THEN (40 * weighted + :largest) / (2 * :largest) ELSE 0 END")
"""`value_points(weighted, largest)` over a column `weighted` (amount × probability)."""

FOLLOW_UP_URGENCY_SQL = """
    CASE WHEN f.due_date < :today
             THEN 60 + min(CAST(julianday(:today) - julianday(f.due_date) AS INTEGER), :fb)
         WHEN f.due_date = :today THEN 55
         ELSE 50 - (80 * CAST(julianday(f.due_date) - julianday(:today) AS INTEGER)
                    + :window) / (2 * :window) END"""
"""`urgency_follow_up` of a `queue_follow_up f` row."""

COUNT_KINDS = ("follow_up", "stale")
"""The two halves `CandidateSql.counts` can read, together or apart (the stale one beside)."""


def stale_urgency_sql(days: str, after: int, overdue: str) -> str:
    """`urgency_stale(days, after)` for SQL expressions `days` and `overdue` (days ≥ 2 ×
    after, which a caller may have a cheaper way to tell)."""
    return (f"CASE WHEN {overdue} THEN 60 + min({days} - {2 * after}, :fb)"
            f" ELSE 30 + min({days} - {after}, :sb) END")



def overdue_days(after: int, cap_cut: str, cap: int) -> str:
    """SQL for an overdue stale deal's days since its clock (at least 2 × `after`), counted
    up to `cap` (the score's cap; `cap_cut` the start of local day today − (cap − 1): days ≥
    cap before it) by comparing the clock with the start of each local day between (`:sd{k}`,
    the start of day today − (k − 1): days ≥ k when the clock is before it). No Python
    function is called per row: such a call needs the GIL, which the Overview's other threads
    hold now and then."""
    whens = " ".join(f"WHEN d.clock < :sd{k} THEN {k}" for k in range(cap - 1, 2 * after, -1))
    return f"(CASE WHEN d.clock < {cap_cut} THEN {cap} {whens} ELSE {2 * after} END)"


class CandidateSql:
    """SQL over the queue's candidates (`follow_up_where`, and `stale_where` once per stale
    status, so that every per-status value is a constant and each (event, status) is one index
    range) and its parameters. Registers the stale-days function."""

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
            # Between the two, the start of each local day: an overdue deal's days are then
            # found by comparing its clock, with no call to the function (`overdue_days`).
            for k in range(2 * n + 1, cap):
                if f"sd{k}" not in params:  # one per day: statuses whose bands overlap share
                    params[f"sd{k}"] = clock.start_of_day(today - dt.timedelta(days=k - 1))
        params.update(today=today.isoformat(), window=scope.window_days,
                      fb=MAX_OVERDUE_BONUS, sb=MAX_STALE_BONUS)
        self.params = params

    def _follow_up_weighted(self) -> str:
        return ("f.amount_cents * coalesce(f.probability_override,"
                f" CASE f.status {self._probability} ELSE 0 END)")

    def counts(self, kinds: Iterable[str] = COUNT_KINDS) -> str:
        """Rows (kind, event, count, overdue count, largest amount × probability) of the
        candidates of `kinds` ("follow_up", "stale"); "" when there is nothing to read.

        Overdue needs no day count: a follow-up is overdue when due before today, a stale deal
        when its clock is before the start of local day today − 2 × stale-after + 1."""
        parts = []
        if "follow_up" in kinds:
            parts.append(f"""
            SELECT 'follow_up', nullif(f.event_id, ''), count(*), sum(f.due_date < :today),
                   max({self._follow_up_weighted()})
            FROM {FOLLOW_UP_FROM} WHERE {self.fu_where} GROUP BY f.event_id
            """)
        for where, _after, probability, overdue_cut, _cap_cut, _cap in (
            self.stale if "stale" in kinds else ()
        ):
            parts.append(f"""
            SELECT 'stale', d.event_id, count(*), sum(d.clock < {overdue_cut}),
                   max(d.amount_cents * coalesce(d.probability_override, {probability}))
            FROM {STALE_FROM} WHERE {where} GROUP BY d.event_id
            """)
        return " UNION ALL ".join(parts)

    def count_rows(self, conn: Connection, kinds: Iterable[str] = COUNT_KINDS) -> list[tuple]:
        """The rows of `counts(kinds)`."""
        sql = self.counts(kinds)
        return plain_rows(conn, sql, self.params) if sql else []

    def read_counts(
        self, conn: Connection, stale_rows: Callable[[], list[tuple]] | None = None,
    ) -> tuple[QueueCounts, int]:
        """The queue's counts (`QueueCounts`) and the largest amount × probability (the value
        points' scale, `:largest` of the statements below), from `counts()`. `stale_rows`: where
        the stale deals' rows come from when they are read elsewhere (beside, in a second
        connection: `stale_count_rows`); the follow-ups' are read here meanwhile."""
        if stale_rows is None:
            found = self.count_rows(conn)
        else:
            found = self.count_rows(conn, ("follow_up",)) + stale_rows()
        total = overdue = largest = 0
        due: dict[str, int] = {}
        late: dict[str, int] = {}
        for kind, event_id, n, n_overdue, biggest in found:
            total += n
            overdue += n_overdue
            largest = max(largest, biggest or 0)
            if kind == "follow_up" and event_id is not None:
                for bucket, k in ((due, n - n_overdue), (late, n_overdue)):
                    if k:
                        bucket[event_id] = bucket.get(event_id, 0) + k
        return QueueCounts(total, overdue, due, late), largest

    def keyed(self, overdue_only: bool = False) -> str:
        """Rows (kind, id, k1, k2, k3, k4): each candidate's ascending sort key up to the
        partner name (k1 not overdue, k2 −score, k3 undated, k4 due date), as `order_key`;
        needs :largest. A stale deal's days are counted (by the registered function) only under
        the score's cap, 2 × stale-after + 20 days: an older deal scores the cap whatever its
        exact count. `overdue_only`: only the overdue candidates (a shorter range of each
        index), whose days are counted in SQL (`overdue_days`)."""
        parts = [f"""
            SELECT 'follow_up' AS kind, f.id AS id, f.due_date < :today AS overdue,
                   {FOLLOW_UP_URGENCY_SQL} AS urgency,
                   {self._follow_up_weighted()} AS weighted, 0 AS undated, f.due_date AS due_date
            FROM {FOLLOW_UP_FROM} WHERE {self.fu_where}
                {"AND f.due_date < :today" if overdue_only else ""}
        """]
        for where, after, probability, overdue_cut, cap_cut, cap in self.stale:
            days = (overdue_days(after, cap_cut, cap) if overdue_only else
                    f"(CASE WHEN d.clock < {cap_cut} THEN {cap}"
                    f" ELSE {STALE_DAYS_FUNCTION}(d.clock) END)")
            overdue = f"d.clock < {overdue_cut}"
            parts.append(f"""
            SELECT 'stale', d.id, {overdue}, {stale_urgency_sql(days, after, overdue)},
                   d.amount_cents * coalesce(d.probability_override, {probability}), 1, ''
            FROM {STALE_FROM} WHERE {where} {f"AND d.clock < {overdue_cut}" if overdue_only else ""}
            """)
        return (f"SELECT kind, id, 1 - overdue AS k1, -(urgency + {VALUE_POINTS_SQL}) AS k2,"
                f" undated AS k3, due_date AS k4 FROM ({' UNION ALL '.join(parts)})")

    def rows(self) -> str:
        """Every candidate as (kind, partner_id, partner, event_id, deal_id, status,
        amount_cents, due_date, days_until_due, overdue, stale_days, urgency, weighted, id),
        unordered: the score is urgency + value points, which need the largest weighted amount
        of them all (`queue_rows` adds them). Each stale deal's days are counted once, in a
        subquery that SQLite keeps apart (its LIMIT stops the flattening that would call the
        function for every use of the column)."""
        parts = [f"""
            SELECT 'follow_up', f.partner_id, f.partner, nullif(f.event_id, ''), f.deal_id,
                   f.status, f.amount_cents, f.due_date,
                   CAST(julianday(f.due_date) - julianday(:today) AS INTEGER),
                   f.due_date < :today, NULL, {FOLLOW_UP_URGENCY_SQL},
                   {self._follow_up_weighted()}, f.id
            FROM {FOLLOW_UP_FROM} WHERE {self.fu_where}
        """]
        for where, after, probability, _overdue_cut, _cap_cut, _cap in self.stale:
            overdue = f"days >= {2 * after}"
            parts.append(f"""
            SELECT 'stale', partner_id, partner, event_id, id, status, amount_cents, NULL, NULL,
                   {overdue}, days, {stale_urgency_sql("days", after, overdue)},
                   amount_cents * coalesce(probability_override, {probability}), id
            FROM (SELECT d.partner_id, d.partner, d.event_id, d.id, d.status, d.amount_cents,
                         d.probability_override, {STALE_DAYS_FUNCTION}(d.clock) AS days
                  FROM {STALE_FROM} WHERE {where} LIMIT -1)
            """)
        return " UNION ALL ".join(parts)


def stale_count_rows(
    conn: Connection, scope: ResolvedScope, statuses: dict[str, StatusInfo], clock: Clock,
) -> list[tuple]:
    """The stale deals' rows of `CandidateSql.counts`: for reading them beside the follow-ups'
    (`read_counts(stale_rows=...)`); on the large demo's all-years scope they are the larger
    half of the counting."""
    return CandidateSql(conn, scope, statuses, clock).count_rows(conn, ("stale",))
