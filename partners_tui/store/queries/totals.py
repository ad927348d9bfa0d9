"""The one aggregate pass over the deals in scope, shared by KPIs, pipeline and scoreboard.

One GROUP BY (event, status) in SQL over the whole filtered set; everything else is arithmetic
on its few rows, so the KPI totals, the pipeline totals and the scoreboard sums are the same
numbers by construction.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy import Connection

from partners_tui.store.queries.common import rows
from partners_tui.store.queries.scope import ResolvedScope


@dataclass(frozen=True)
class StatusInfo:
    key: str
    label: str
    position: int
    probability: int
    secured: bool
    closed: bool
    stale_after_days: int | None

    @property
    def is_open(self) -> bool:
        return not self.secured and not self.closed

    @property
    def lost(self) -> bool:
        return self.closed and not self.secured


def load_statuses(conn: Connection) -> dict[str, StatusInfo]:
    """Every status (archived ones too: a deal may still sit in one), in pipeline order."""
    return {
        r.key: StatusInfo(r.key, r.label, r.position, r.probability, bool(r.secured),
                          bool(r.closed), r.stale_after_days)
        for r in rows(
            conn,
            "SELECT key, label, position, probability, secured, closed, stale_after_days "
            "FROM status ORDER BY position, key",
        )
    }


@dataclass(frozen=True)
class Cell:
    """In-scope deals of one event in one status."""

    event_id: str
    status: str
    count: int
    amount_cents: int  # missing amounts count as 0
    weighted: Fraction  # Σ amount × probability / 100, in cents (exact)


@dataclass(frozen=True)
class DealTotals:
    cells: tuple[Cell, ...]
    active_partners: int
    statuses: dict[str, StatusInfo]

    def where(self, *, event_id: str | None = None, pred=None) -> list[Cell]:
        return [
            c for c in self.cells
            if (event_id is None or c.event_id == event_id)
            and (pred is None or pred(self.statuses[c.status]))
        ]

    def amount(self, **kw) -> int:
        return sum(c.amount_cents for c in self.where(**kw))

    def count(self, **kw) -> int:
        return sum(c.count for c in self.where(**kw))

    def weighted(self, **kw) -> Fraction:
        return sum((c.weighted for c in self.where(**kw)), Fraction(0))


def deal_totals(
    conn: Connection, scope: ResolvedScope, statuses: dict[str, StatusInfo] | None = None
) -> DealTotals:
    statuses = statuses if statuses is not None else load_statuses(conn)
    cond, params = scope.deal_filter("d", "p")
    join = "" if scope.include_archived else "JOIN partner p ON p.id = d.partner_id"
    found = rows(
        conn,
        f"""
        SELECT d.event_id, d.status, count(*) AS n,
               coalesce(sum(d.amount_cents), 0) AS amount,
               coalesce(sum(CASE WHEN d.probability_override IS NULL THEN d.amount_cents END), 0)
                   AS plain_amount,
               coalesce(sum(d.amount_cents * d.probability_override), 0) AS override_weight
        FROM deal d {join}
        WHERE {cond}
        GROUP BY d.event_id, d.status
        """,
        params,
    )
    cells = tuple(
        Cell(
            r.event_id, r.status, r.n, r.amount,
            Fraction(r.plain_amount * statuses[r.status].probability + r.override_weight, 100),
        )
        for r in found
    )
    lost = [k for k, s in statuses.items() if s.lost]
    lost_sql = ", ".join(f":lost{i}" for i in range(len(lost)))
    not_lost = f"AND d.status NOT IN ({lost_sql})" if lost else ""
    active = rows(
        conn,
        f"SELECT count(DISTINCT d.partner_id) FROM deal d {join} WHERE {cond} {not_lost}",
        {**params, **{f"lost{i}": k for i, k in enumerate(lost)}},
    )[0][0]
    return DealTotals(cells, active, statuses)
