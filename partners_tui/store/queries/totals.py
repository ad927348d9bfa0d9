"""The in-scope deals summed per (event, status), shared by KPIs, pipeline and scoreboard.

The sums per (event, status) of the in-scope deals; everything else is arithmetic on those few
rows, so the KPI totals, the pipeline totals and the scoreboard sums are the same numbers by
construction.

Speed: the sums come from migration 8's `deal_cell` (kept by triggers, per event, status and
whether the partner is archived), so no deal is read. Active partners of a whole year (or all
years) come from migration 9's `active_partner_year` (per year and partner, kept by triggers);
of one event or a narrowed list of events, from the covering index `ix_deal_scope` (event,
archived, status, partner, ...). Either way, archived partners are not filtered row by row (a
lookup per row) but counted from the few archived partners and subtracted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
class EventSums:
    """One event's in-scope deals, summed (integer cents; `open_weighted` exact)."""

    deals: int = 0
    committed_cents: int = 0  # every status
    secured_cents: int = 0
    open_cents: int = 0
    open_weighted: Fraction = Fraction(0)


@dataclass(frozen=True)
class DealTotals:
    """The cells plus two summaries made from them in one pass: per event and per status."""

    cells: tuple[Cell, ...]
    active_partners: int
    statuses: dict[str, StatusInfo]
    events: dict[str, EventSums] = field(default_factory=dict)
    by_status: dict[str, Cell] = field(default_factory=dict)  # event_id "" = every event

    @classmethod
    def build(cls, cells: tuple[Cell, ...], active: int, statuses: dict[str, StatusInfo]) -> "DealTotals":
        events: dict[str, list] = {}
        by_status: dict[str, list] = {}
        for c in cells:
            s = statuses[c.status]
            e = events.setdefault(c.event_id, [0, 0, 0, 0, Fraction(0)])
            e[0] += c.count
            e[1] += c.amount_cents
            if s.secured:
                e[2] += c.amount_cents
            elif not s.closed:
                e[3] += c.amount_cents
                e[4] += c.weighted
            t = by_status.setdefault(c.status, [0, 0, Fraction(0)])
            t[0] += c.count
            t[1] += c.amount_cents
            t[2] += c.weighted
        return cls(
            cells, active, statuses,
            {k: EventSums(*v) for k, v in events.items()},
            {k: Cell("", k, *v) for k, v in by_status.items()},
        )

    @property
    def secured_cents(self) -> int:
        return sum(e.secured_cents for e in self.events.values())

    @property
    def open_cents(self) -> int:
        return sum(e.open_cents for e in self.events.values())

    @property
    def open_weighted(self) -> Fraction:
        return sum((e.open_weighted for e in self.events.values()), Fraction(0))

    def event(self, event_id: str) -> EventSums:
        return self.events.get(event_id) or EventSums()

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


def _raw_cells(conn: Connection, scope: ResolvedScope) -> dict[tuple[str, str], list[int]]:
    """(event, status) → [count, amount, plain amount, override weight] of the in-scope deals,
    from migration 8's `deal_cell` (already summed per event, status and partner archived)."""
    events, params = scope.events_in("c.event_id")
    visible = "" if scope.include_archived else "AND c.partner_archived = 0"
    return {
        (r[0], r[1]): [r[2], r[3], r[4], r[5]]
        for r in rows(
            conn,
            f"""
            SELECT c.event_id, c.status, sum(c.n), sum(c.amount), sum(c.plain_amount),
                   sum(c.override_weight)
            FROM deal_cell c WHERE {events} {visible}
            GROUP BY c.event_id, c.status
            """,
            params,
        )
    }


def _active_partners(conn: Connection, scope: ResolvedScope, statuses: dict[str, StatusInfo]) -> int:
    """Distinct visible partners with an in-scope deal that is not lost."""
    if _whole_years(conn, scope):
        # Migration 9's rows per (year, event archived, partner) with live deals.
        conds, params = ["a.n > 0"], {}
        if scope.year is not None:
            conds.append("a.year = :active_year")
            params["active_year"] = scope.year
        if not scope.include_archived:
            conds.append("a.event_archived = 0")
        live = " AND ".join(conds)
        return _distinct_partners(conn, scope, "active_partner_year a", "a", live, live, params)
    events, params = scope.events_in("d.event_id")
    lost = [k for k, s in statuses.items() if s.lost]
    params.update({f"lost{i}": k for i, k in enumerate(lost)})
    not_lost = (
        "AND d.status NOT IN (" + ", ".join(f":lost{i}" for i in range(len(lost))) + ")"
        if lost else ""
    )
    by_partner, _ = scope.events_in("+d.event_id")  # one partner's deals: checked, not sought
    return _distinct_partners(conn, scope, "deal d", "d", f"{events} AND d.archived = 0 {not_lost}",
                              f"{by_partner} AND d.archived = 0 {not_lost}", params)


def _distinct_partners(
    conn: Connection, scope: ResolvedScope, table: str, alias: str, live: str,
    live_of_one: str, params: dict,
) -> int:
    """How many partners have a row of `table` (aliased `alias`) matching `live`, less, when
    archived partners are hidden, the archived ones among them (`live_of_one`: the same
    condition for one partner's rows). Archived partners are not filtered row by row (a lookup
    per row) but counted from the few there are and subtracted. GROUP BY sorts once (or reads
    in partner order); count(DISTINCT) inserts row by row into a temporary index (slower)."""
    active = rows(
        conn,
        f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {live} GROUP BY {alias}.partner_id)",
        params,
    )[0][0]
    if active and not scope.include_archived:
        active -= rows(
            conn,
            f"""
            SELECT count(*) FROM partner p WHERE p.archived = 1
              AND EXISTS (SELECT 1 FROM {table} WHERE {alias}.partner_id = p.id
                          AND {live_of_one})
            """,
            params,
        )[0][0]
    return active


def _whole_years(conn: Connection, scope: ResolvedScope) -> bool:
    """Whether the scope's events are every event of its year (or of all years), as its
    archived rule takes them: then migration 9's per-year counts answer for it. Not for one
    event, nor for a caller that narrowed `events` (a text filter, say)."""
    if scope.event_id is not None:
        return False
    cond, params = scope.event_filter("e")
    found = {r[0] for r in rows(conn, f"SELECT e.id FROM event e WHERE {cond}", params)}
    return found == set(scope.event_ids)


def deal_totals(
    conn: Connection, scope: ResolvedScope, statuses: dict[str, StatusInfo] | None = None
) -> DealTotals:
    """The in-scope deals of `scope.events` summed per (event, status)."""
    statuses = statuses if statuses is not None else load_statuses(conn)
    if not scope.events:
        return DealTotals.build((), 0, statuses)
    cells = tuple(
        Cell(event_id, status, n, amount,
             Fraction(plain * statuses[status].probability + override, 100))
        for (event_id, status), (n, amount, plain, override) in _raw_cells(conn, scope).items()
        if n
    )
    return DealTotals.build(cells, _active_partners(conn, scope, statuses), statuses)
