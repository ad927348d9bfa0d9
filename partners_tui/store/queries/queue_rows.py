"""The whole action queue as plain rows, scored from SQL: for the report.

`partners-tui report` lists every item, tens of thousands on a large database. Making an
`ActionItem` of each (a field dict, then the object) cost about as much as reading them. Here
one statement (`CandidateSql.rows`) reads every candidate with its urgency, weighted amount and
day counts worked out by SQLite (the same integer formulas, a stale deal's days by the same
`LocalDates`), and one pass in Python adds the value points (they need the largest weighted
amount of all), counts, and sorts the tuples by `order_string`. (SQLite's own ORDER BY was
slower: it sorts records of every column, and the name's casefold needs Python per row.) The
tests hold these rows equal to `action_queue`'s items, field by field and in order.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from partners_tui.store.clock import Clock
from partners_tui.store.queries.action_queue import QueueCounts, order_string, value_points
from partners_tui.store.queries.common import no_gc, plain_rows
from partners_tui.store.queries.queue_sql import CandidateSql
from partners_tui.store.queries.scope import ResolvedScope
from partners_tui.store.queries.totals import StatusInfo, load_statuses

QUEUE_ROW_FIELDS = (
    "kind", "partner_id", "partner", "event_id", "deal_id", "status", "amount_cents",
    "due_date", "days_until_due", "overdue", "stale_days", "score",
)
"""Each row's values, as the `ActionItem` fields of those names; `overdue` is 0 or 1. A row
has one more value at the end, the follow-up's id ("follow_up") or the deal's ("stale")."""


@dataclass(frozen=True)
class QueueRows:
    """Every item of the queue as a tuple (`QUEUE_ROW_FIELDS`, then the id), in order; `counts`,
    `len` and `overdue` as `ActionQueue`'s."""

    rows: list[tuple]
    counts: QueueCounts

    @property
    def overdue(self) -> int:
        return self.counts.overdue

    def __len__(self) -> int:
        return self.counts.total


def queue_rows(
    conn: Connection, scope: ResolvedScope, clock: Clock | None = None,
    statuses: dict[str, StatusInfo] | None = None,
) -> QueueRows:
    """The queue for `scope` (as `action_queue`), as rows."""
    clock = clock or Clock()
    statuses = statuses if statuses is not None else load_statuses(conn)
    sql = CandidateSql(conn, scope, statuses, clock)
    with no_gc():
        found = plain_rows(conn, sql.rows(), sql.params)
        largest = max((r[12] for r in found if r[12]), default=0)
        out: list[tuple] = []
        append = out.append
        due: dict[str, int] = {}
        late: dict[str, int] = {}
        overdue_count = 0
        for (kind, partner_id, partner, event_id, deal_id, status, amount, due_date, days,
             overdue, stale_days, urgency, weighted, key) in found:
            overdue_count += overdue
            if kind == "follow_up" and event_id is not None:
                bucket = late if overdue else due
                bucket[event_id] = bucket.get(event_id, 0) + 1
            append((kind, partner_id, partner, event_id, deal_id, status, amount, due_date, days,
                    overdue, stale_days, urgency + value_points(weighted, largest), key))
        del found  # freed while the collector is held: a collection as it ends would walk them
        # A key function, not (key, row) pairs: the sort keeps its keys apart, so no pair is
        # made and freed per row (about 15 % of this function on the large demo).
        out.sort(key=_order)
        return QueueRows(out, QueueCounts(len(out), overdue_count, due, late))


def _order(row: tuple) -> str:
    return order_string(row[9], row[11], row[7], row[2], row[0], row[12])
