"""Action queue (DESIGN 4.6): follow-ups due within the window and stale deals, scored and ordered.

Only candidate rows are read: open follow-ups through the (done_at, due_date) index up to the
window's end, and stale deals of the in-scope events through (event_id, status), with "last
activity at least N days ago" turned into a timestamp comparison against the UTC instant the
local day `today − N + 1` begins.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy import Connection

from partners_tui.store.clock import Clock
from partners_tui.store.queries.common import round_half_up, rows, weighted_cents
from partners_tui.store.queries.scope import ResolvedScope
from partners_tui.store.queries.totals import StatusInfo, load_statuses

MAX_OVERDUE_BONUS = 20
MAX_STALE_BONUS = 20
VALUE_POINTS = 20


@dataclass(frozen=True)
class ActionItem:
    """One thing to do. `kind` is "follow_up" or "stale".

    Follow-ups: `due_date`, `days_until_due` (negative when overdue), `overdue_days`.
    Stale deals are undated (`due_date` None): `stale_days` = days since the deal's last activity
    (latest of activity on the deal or its partner for that event, status change, creation) and
    `overdue_days` = days past twice its stale-after (0 on the day it becomes overdue).
    """

    kind: str
    follow_up_id: str | None
    deal_id: str | None
    partner_id: str
    partner: str
    contact_id: str | None
    contact: str | None
    event_id: str | None
    event: str | None
    status: str | None
    status_label: str | None
    amount_cents: int | None
    weighted_cents: int | None
    due_date: str | None
    days_until_due: int | None
    overdue: bool
    overdue_days: int
    stale_days: int | None
    stale_after_days: int | None
    score: int
    note: str | None

    def sort_key(self) -> tuple:
        return order_key(self)


def order_key(item) -> tuple:
    """Overdue first, then score (high first), then due date (earliest, undated last), then
    partner name; then kind and id so equal items keep one stable order."""
    return (
        not item.overdue,
        -item.score,
        item.due_date is None,
        item.due_date or "",
        item.partner.casefold(),
        item.partner,
        item.kind,
        item.follow_up_id or item.deal_id or "",
    )


@dataclass(frozen=True)
class ActionQueue:
    items: tuple[ActionItem, ...]

    @property
    def overdue(self) -> int:
        return sum(1 for i in self.items if i.overdue)

    def __len__(self) -> int:
        return len(self.items)


def urgency_follow_up(days_until_due: int, window: int) -> int:
    if days_until_due < 0:
        return 60 + min(-days_until_due, MAX_OVERDUE_BONUS)
    if days_until_due == 0:
        return 55
    return 50 - round_half_up(Fraction(40 * days_until_due, window))


def urgency_stale(stale_days: int, stale_after: int) -> int:
    if stale_days >= 2 * stale_after:  # overdue: days overdue counted from 2 × stale-after
        return 60 + min(stale_days - 2 * stale_after, MAX_OVERDUE_BONUS)
    return 30 + min(stale_days - stale_after, MAX_STALE_BONUS)


def value_points(weighted: Fraction | None, largest: Fraction) -> int:
    if not weighted or not largest:
        return 0
    return round_half_up(VALUE_POINTS * weighted / largest)


def _probability(statuses: dict[str, StatusInfo], status: str | None, override: int | None) -> int:
    if override is not None:
        return override
    return statuses[status].probability if status in statuses else 0


def _follow_up_rows(conn: Connection, scope: ResolvedScope) -> list:
    ev, params = scope.event_filter("se")
    hidden = "" if scope.include_archived else "AND p.archived = 0"
    deal_partner = "" if scope.include_archived else "AND dp.archived = 0"
    general = "OR (f.deal_id IS NULL AND f.event_id IS NULL)" if scope.event_id is None else ""
    return rows(
        conn,
        f"""
        SELECT f.id, f.partner_id, p.name AS partner, f.deal_id, f.due_date, f.note,
               coalesce(d.event_id, f.event_id) AS event_id, e.name AS event,
               d.status, d.amount_cents, d.probability_override,
               c.id AS contact_id, c.name AS contact
        FROM follow_up f
        JOIN partner p ON p.id = f.partner_id
        LEFT JOIN deal d ON d.id = f.deal_id
        LEFT JOIN partner dp ON dp.id = d.partner_id
        LEFT JOIN status s ON s.key = d.status
        LEFT JOIN activity a ON a.id = f.activity_id
        LEFT JOIN contact c ON c.id = coalesce(d.contact_id, a.contact_id)
        LEFT JOIN event e ON e.id = coalesce(d.event_id, f.event_id)
        WHERE f.done_at IS NULL AND f.due_date <= :horizon AND f.archived = 0 {hidden}
          AND (
            (f.deal_id IS NOT NULL AND d.archived = 0 AND s.closed = 0 {deal_partner}
             AND d.event_id IN (SELECT se.id FROM event se WHERE {ev}))
            OR (f.deal_id IS NULL AND f.event_id IN (SELECT se.id FROM event se WHERE {ev}))
            {general}
          )
        """,
        {**params, "horizon": scope.horizon.isoformat()},
    )


def _stale_rows(
    conn: Connection, scope: ResolvedScope, statuses: dict[str, StatusInfo], clock: Clock
) -> list:
    stale = {k: s.stale_after_days for k, s in statuses.items() if s.stale_after_days is not None}
    if not stale or not scope.events:
        return []
    cond, params = scope.deal_filter("d", "p")
    # Per status: the deal is stale when its clock is before the start of local day today − N + 1.
    cases = " ".join(f"WHEN :st{i} THEN :cut{i}" for i in range(len(stale)))
    for i, (key, days) in enumerate(stale.items()):
        params[f"st{i}"] = key
        params[f"cut{i}"] = clock.start_of_day(scope.today - dt.timedelta(days=days - 1))
    in_list = ", ".join(f":st{i}" for i in range(len(stale)))
    return rows(
        conn,
        f"""
        SELECT * FROM (
            SELECT d.id, d.partner_id, p.name AS partner, d.event_id, e.name AS event, d.status,
                   d.amount_cents, d.probability_override, d.contact_id, c.name AS contact,
                   max(d.created_at, coalesce(d.status_changed_at, d.created_at),
                       coalesce(d.last_activity_at, d.created_at)) AS last_at,
                   CASE d.status {cases} END AS cutoff
            FROM deal d
            JOIN partner p ON p.id = d.partner_id
            JOIN event e ON e.id = d.event_id
            LEFT JOIN contact c ON c.id = d.contact_id
            WHERE {cond} AND d.status IN ({in_list})
        ) AS x WHERE x.last_at < x.cutoff
          AND NOT EXISTS (
              SELECT 1 FROM follow_up f
              WHERE f.deal_id = x.id AND f.done_at IS NULL AND f.archived = 0
          )
        """,
        params,
    )


def action_queue(
    conn: Connection, scope: ResolvedScope, clock: Clock | None = None,
    statuses: dict[str, StatusInfo] | None = None,
) -> ActionQueue:
    """The queue for `scope`, ordered (see `order_key`). `clock` gives the team's time zone."""
    clock = clock or Clock()
    statuses = statuses if statuses is not None else load_statuses(conn)
    today = scope.today
    raw: list[dict] = []
    for r in _follow_up_rows(conn, scope):
        days = (dt.date.fromisoformat(r.due_date) - today).days
        prob = _probability(statuses, r.status, r.probability_override)
        raw.append(dict(
            kind="follow_up", follow_up_id=r.id, deal_id=r.deal_id, partner_id=r.partner_id,
            partner=r.partner, contact_id=r.contact_id, contact=r.contact,
            event_id=r.event_id, event=r.event, status=r.status,
            amount_cents=r.amount_cents,
            weighted=weighted_cents(r.amount_cents, prob) if r.amount_cents is not None else None,
            due_date=r.due_date, days_until_due=days, overdue=days < 0,
            overdue_days=max(-days, 0), stale_days=None, stale_after_days=None,
            urgency=urgency_follow_up(days, scope.window_days), note=r.note,
        ))
    for r in _stale_rows(conn, scope, statuses, clock):
        after = statuses[r.status].stale_after_days
        days = (today - clock.local_date(r.last_at)).days
        prob = _probability(statuses, r.status, r.probability_override)
        raw.append(dict(
            kind="stale", follow_up_id=None, deal_id=r.id, partner_id=r.partner_id,
            partner=r.partner, contact_id=r.contact_id, contact=r.contact,
            event_id=r.event_id, event=r.event, status=r.status,
            amount_cents=r.amount_cents,
            weighted=weighted_cents(r.amount_cents, prob) if r.amount_cents is not None else None,
            due_date=None, days_until_due=None, overdue=days >= 2 * after,
            overdue_days=max(days - 2 * after, 0), stale_days=days, stale_after_days=after,
            urgency=urgency_stale(days, after), note=None,
        ))
    largest = max((x["weighted"] for x in raw if x["weighted"]), default=Fraction(0))
    items = []
    for x in raw:
        weighted = x.pop("weighted")
        urgency = x.pop("urgency")
        status = statuses.get(x["status"]) if x["status"] else None
        items.append(ActionItem(
            **x,
            status_label=status.label if status else None,
            weighted_cents=round_half_up(weighted) if weighted is not None else None,
            score=max(0, min(100, urgency + value_points(weighted, largest))),
        ))
    items.sort(key=order_key)
    return ActionQueue(tuple(items))
