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

The SQL is `queue_sql.CandidateSql`'s.
"""

from __future__ import annotations

from typing import Callable

from sqlalchemy import Connection, text

from partners_tui.store.clock import Clock
from partners_tui.store.queries.action_queue import ActionQueue, action_queue
from partners_tui.store.queries.queue_sql import CandidateSql
from partners_tui.store.queries.scope import ResolvedScope
from partners_tui.store.queries.totals import StatusInfo, load_statuses

TIE_MARGIN = 32
"""Candidates read past the `top`-th in pass 2; if they all tie with it, the tie group is read
whole by a third query (rare: it needs that many items with one score and due date)."""


def queue_summary(
    conn: Connection, scope: ResolvedScope, clock: Clock | None = None,
    statuses: dict[str, StatusInfo] | None = None, *, top: int,
    stale_counts: Callable[[], list[tuple]] | None = None,
) -> ActionQueue:
    """The queue's counts (all of it) and its first `top` items, in order. `stale_counts`:
    the stale deals' count rows read elsewhere (`queue_sql.stale_count_rows`, beside)."""
    clock = clock or Clock()
    statuses = statuses if statuses is not None else load_statuses(conn)
    top = max(top, 1)
    sql = CandidateSql(conn, scope, statuses, clock)
    counts, largest = sql.read_counts(conn, stale_counts)
    if not counts.total:
        return ActionQueue((), counts)
    params = {**sql.params, "largest": largest, "limit": top + TIE_MARGIN}
    # Overdue items come first: with at least `top` of them, the head (ties included) is
    # among them, and the others need no score.
    keyed = sql.keyed(overdue_only=counts.overdue >= top)
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
    statuses: dict[str, StatusInfo] | None = None, *, overdue_only: bool = False,
) -> dict[tuple[str, str], tuple[bool, int]]:
    """(kind, follow-up or deal id) → (overdue, score) of every item (`overdue_only`: of the
    overdue ones, as that shorter statement counts their days) as the SQL that ranks
    `queue_summary` computes them (its count pass gives the scale); the tests hold them equal
    to `action_queue`'s."""
    clock = clock or Clock()
    statuses = statuses if statuses is not None else load_statuses(conn)
    sql = CandidateSql(conn, scope, statuses, clock)
    _counts, largest = sql.read_counts(conn)
    return {
        (kind, key): (not k1, -k2)
        for kind, key, k1, k2, _k3, _k4 in conn.execute(
            text(sql.keyed(overdue_only)), {**sql.params, "largest": largest})
    }
