"""Pipeline breakdown (DESIGN 4.4): one row per status that has in-scope deals, plus totals."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy import Connection

from partners_tui.store.queries.common import round_half_up, shares
from partners_tui.store.queries.scope import ResolvedScope
from partners_tui.store.queries.totals import DealTotals, deal_totals


@dataclass(frozen=True)
class PipelineRow:
    status: str
    label: str
    position: int
    count: int
    amount_cents: int
    weighted_cents: int
    share_count_pct: float
    share_amount_pct: float
    secured: bool
    closed: bool


@dataclass(frozen=True)
class Pipeline:
    """`rows` in pipeline position order; shares are of the in-scope totals and sum to 100.00
    (largest-remainder rounding) unless the total is 0, when they are all 0."""

    rows: tuple[PipelineRow, ...]
    total_count: int
    total_amount_cents: int
    total_weighted_cents: int


def pipeline_from_totals(totals: DealTotals) -> Pipeline:
    present = [s for s in totals.statuses.values() if s.key in totals.by_status]
    cells = [totals.by_status[s.key] for s in present]
    counts = [c.count for c in cells]
    amounts = [c.amount_cents for c in cells]
    count_shares, amount_shares = shares(counts), shares(amounts)
    out = tuple(
        PipelineRow(s.key, s.label, s.position, counts[i], amounts[i],
                    round_half_up(cells[i].weighted), count_shares[i], amount_shares[i],
                    s.secured, s.closed)
        for i, s in enumerate(present)
    )
    return Pipeline(out, sum(counts), sum(amounts), round_half_up(sum((c.weighted for c in cells), Fraction(0))))


def pipeline(conn: Connection, scope: ResolvedScope) -> Pipeline:
    return pipeline_from_totals(deal_totals(conn, scope))
