"""Action queue (DESIGN 4.6): follow-ups due within the window and stale deals, scored and ordered.

Only candidate rows are read, from migration 7's two tables that triggers keep ready: each
row holds what an item filters on, scores and shows (deal status and amount, partner and contact
names, archived flags), so nothing is looked up per row. Follow-ups: `queue_follow_up`, one
range per in-scope event up to the window's end. Stale deals: `queue_deal` (deals with no open
follow-up), one range per in-scope event and stale status, up to the UTC instant the local day
`today − N + 1` begins.

Scores use exact integers: a weighted amount is kept as amount × probability (cents × percent).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from typing import Any, Iterable, Mapping

from sqlalchemy import Connection

from partners_tui.store.clock import Clock
from partners_tui.store.queries.common import LocalDates, no_gc, plain_rows, round_half_up
from partners_tui.store.queries.scope import ResolvedScope
from partners_tui.store.queries.totals import StatusInfo, load_statuses

MAX_OVERDUE_BONUS = 20
MAX_STALE_BONUS = 20
VALUE_POINTS = 20

STALE_CLOCK = "d.clock"
"""A deal's last activity for staleness (DESIGN 4.6), as `queue_deal.clock` holds it: the
latest of its creation, its last status change and the last activity logged on it or on its
partner for its event. Not `updated_at`: an unrelated edit or a sync pull does not restart the
clock."""


@dataclass(frozen=True)
class ActionItem:
    """One thing to do. `kind` is "follow_up" or "stale".

    Follow-ups: `due_date`, `days_until_due` (negative when overdue), `overdue_days`.
    Stale deals are undated (`due_date` None): `stale_days` = days since the deal's last activity
    (latest of activity on the deal or its partner for that event, status change, creation) and
    `overdue_days` = days past twice its stale-after (0 on the day it becomes overdue).
    `weighted_cents` = amount × probability / 100 rounded (None without an amount).
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

    @classmethod
    def _fast(cls, fields: dict[str, Any]) -> "ActionItem":
        """Build from a complete field dict (taken over, not copied) without the frozen
        `__init__`, which costs about 5 µs for 21 fields: much of a large queue's time."""
        item = object.__new__(cls)
        object.__setattr__(item, "__dict__", fields)  # the dict becomes the item's own
        return item


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


def order_string(overdue: bool, score: int, due_date: str | None, partner: str, kind: str,
                 key: str) -> str:
    """`order_key` as one string, for sorting many items: "0" when overdue (else "1"),
    100 − score in three digits (scores are 0–100), the due date or "~" when undated (after
    any date), then the folded name, the name, the kind and the id, NUL-separated (NUL sorts
    before any character, so a shorter name comes first, as in a tuple). Strings compare in
    one step, tuples field by field: five times slower over a large queue."""
    return (f"{0 if overdue else 1}{100 - score:03d}{due_date or '~'}\0{partner.casefold()}\0"
            f"{partner}\0{kind}\0{key}")


@dataclass(frozen=True)
class QueueCounts:
    """How many items the whole queue has, how many are overdue, and per event how many of its
    follow-ups are due (today to the window's end) and overdue (the scoreboard's columns)."""

    total: int = 0
    overdue: int = 0
    follow_ups_due: Mapping[str, int] = field(default_factory=dict)
    follow_ups_overdue: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, items: Iterable[ActionItem]) -> "QueueCounts":
        total = overdue = 0
        due: dict[str, int] = {}
        late: dict[str, int] = {}
        for item in items:
            total += 1
            overdue += item.overdue
            if item.kind == "follow_up" and item.event_id is not None:
                bucket = late if item.overdue else due
                bucket[item.event_id] = bucket.get(item.event_id, 0) + 1
        return cls(total, overdue, due, late)


@dataclass(frozen=True)
class ActionQueue:
    """The queue in order: every item, or only its first ones when read with a top N
    (`queue_summary`); `counts` (and `len`, `overdue`) always cover the whole queue."""

    items: tuple[ActionItem, ...]
    known_counts: QueueCounts | None = field(default=None, repr=False, compare=False)

    @cached_property
    def counts(self) -> QueueCounts:
        return self.known_counts or QueueCounts.of(self.items)

    @property
    def overdue(self) -> int:
        return self.counts.overdue

    @property
    def complete(self) -> bool:
        """Whether `items` is the whole queue."""
        return len(self.items) == self.counts.total

    def __len__(self) -> int:
        return self.counts.total


def urgency_follow_up(days_until_due: int, window: int) -> int:
    if days_until_due < 0:
        return 60 + min(-days_until_due, MAX_OVERDUE_BONUS)
    if days_until_due == 0:
        return 55
    return 50 - (80 * days_until_due + window) // (2 * window)  # round_half_up(40d / w)


def urgency_stale(stale_days: int, stale_after: int) -> int:
    if stale_days >= 2 * stale_after:  # overdue: days overdue counted from 2 × stale-after
        return 60 + min(stale_days - 2 * stale_after, MAX_OVERDUE_BONUS)
    return 30 + min(stale_days - stale_after, MAX_STALE_BONUS)


def value_points(weighted: Fraction | int | None, largest: Fraction | int) -> int:
    """round(20 × weighted / largest); 0 without an amount or when no item has one. Any unit,
    as long as both are in the same one."""
    if not weighted or not largest:
        return 0
    if isinstance(weighted, int) and isinstance(largest, int):  # floor(20w/L + 1/2), exactly
        return (40 * weighted + largest) // (2 * largest)
    return round_half_up(VALUE_POINTS * Fraction(weighted) / Fraction(largest))


def _id_filter(column: str, prefix: str, ids: Iterable[str] | None) -> tuple[str, dict[str, Any]]:
    """`AND column IN (ids)` with its parameters; nothing for None, false for no ids."""
    if ids is None:
        return "", {}
    params = {f"{prefix}{i}": k for i, k in enumerate(sorted(set(ids)))}
    if not params:
        return "AND 0 = 1", {}
    return f"AND {column} IN ({', '.join(':' + k for k in params)})", params


def _keys_in(name: str, keys: list[str]) -> tuple[str, dict[str, str]]:
    params = {f"{name}{i}": k for i, k in enumerate(keys)}
    return ", ".join(":" + k for k in params) or "NULL", params


def follow_up_where(
    scope: ResolvedScope, statuses: dict[str, StatusInfo],
    partner_ids: Iterable[str] | None = None, ids: Iterable[str] | None = None,
) -> tuple[str, dict[str, Any]]:
    """The WHERE clause of the queue's follow-ups over `FOLLOW_UP_FROM` (migration 7's
    `queue_follow_up`, which holds only open follow-ups whose deal, if any, is not archived):
    due by the window's end, of visible partners, whose deal (if any) is in scope and not closed;
    a follow-up without a deal counts for its event (its activity's), and one with neither
    (`event_id` '') is general and counts in every scope without an event filter. The rows are
    clustered by (event, due date), so each in-scope event is one range. `ids`: only these
    follow-ups."""
    # A general follow-up's '' joins the events' list rather than an OR beside it: SQLite
    # would run an OR as two scans whose rows it gathers and then seeks again one by one. With
    # a few partners or ids, their index is the way in, and the list is only checked (`+`):
    # else SQLite would seek that index once per (id, event).
    narrow = partner_ids is not None or ids is not None
    events, params = scope.events_in("+f.event_id" if narrow else "f.event_id",
                                     also=("",) if scope.event_id is None else ())
    closed, closed_params = _keys_in("closed", [k for k, s in statuses.items() if s.closed])
    partners, partner_params = _id_filter("f.partner_id", "qp", partner_ids)
    only, id_params = _id_filter("f.id", "qf", ids)
    hidden = "" if scope.include_archived else (
        "AND f.partner_archived = 0 AND f.deal_partner_archived = 0"
    )
    where = f"""
        {events} AND f.due_date <= :horizon {partners} {only}
          AND (f.deal_id IS NULL OR f.status NOT IN ({closed})) {hidden}
    """
    return where, {**params, **closed_params, **partner_params, **id_params,
                   "horizon": scope.horizon.isoformat()}


FOLLOW_UP_FROM = "queue_follow_up f"
STALE_FROM = "queue_deal d"


def _follow_up_rows(
    conn: Connection, scope: ResolvedScope, statuses: dict[str, StatusInfo],
    partner_ids: Iterable[str] | None = None, ids: Iterable[str] | None = None,
) -> list:
    """The queue's follow-ups (see `follow_up_where`) with the names an item shows."""
    where, params = follow_up_where(scope, statuses, partner_ids, ids)
    return plain_rows(
        conn,
        f"""
        SELECT f.id, f.partner_id, f.partner, f.deal_id, f.due_date, f.note,
               nullif(f.event_id, '') AS event_id, f.status, f.amount_cents,
               f.probability_override, f.contact_id, f.contact
        FROM {FOLLOW_UP_FROM} WHERE {where}
        """,
        params,
    )


def stale_where(
    scope: ResolvedScope, statuses: dict[str, StatusInfo], clock: Clock,
    partner_ids: Iterable[str] | None = None, ids: Iterable[str] | None = None, *,
    tag: str = "st",
) -> tuple[str, dict[str, Any]] | None:
    """The WHERE clause of the queue's stale deals over `STALE_FROM` (migration 7's
    `queue_deal`, which holds only deals that are not archived and have no open follow-up): in
    scope, of visible partners, in a status with a stale-after value, whose stale clock is at
    least that many local days before today. The rows are clustered by (event, status, clock),
    so each (event, status) is one range that stops at the cut-off. None when no deal can be
    stale. `ids`: only these deals. `tag` prefixes the status parameters' names, so that one
    statement can hold several of these clauses (one per status, say)."""
    stale = {k: s.stale_after_days for k, s in statuses.items() if s.stale_after_days is not None}
    if not stale or not scope.events:
        return None
    narrow = partner_ids is not None or ids is not None  # as in `follow_up_where`
    events, params = scope.events_in("+d.event_id" if narrow else "d.event_id")
    partners, partner_params = _id_filter("d.partner_id", "qp", partner_ids)
    only, id_params = _id_filter("d.id", "qd", ids)
    params.update(partner_params)
    params.update(id_params)
    hidden = "" if scope.include_archived else "AND d.partner_archived = 0"
    # Per status: stale when the clock is before the start of local day today − N + 1.
    for i, (key, days) in enumerate(stale.items()):
        params[f"{tag}{i}"] = key
        params[f"{tag}cut{i}"] = clock.start_of_day(scope.today - dt.timedelta(days=days - 1))
    if len(stale) == 1:  # one range per event, its end a plain bound
        where = f"""
            {events} AND d.status = :{tag}0 {partners} {only}
              AND d.clock < :{tag}cut0 {hidden}
        """
        return where, params
    cases = " ".join(f"WHEN :{tag}{i} THEN :{tag}cut{i}" for i in range(len(stale)))
    in_list = ", ".join(f":{tag}{i}" for i in range(len(stale)))
    where = f"""
        {events} AND d.status IN ({in_list}) {partners} {only}
          AND d.clock < CASE d.status {cases} END {hidden}
    """
    return where, params


def _stale_rows(
    conn: Connection, scope: ResolvedScope, statuses: dict[str, StatusInfo], clock: Clock,
    partner_ids: Iterable[str] | None = None, ids: Iterable[str] | None = None,
) -> list:
    """The queue's stale deals (see `stale_where`) with the names an item shows."""
    found = stale_where(scope, statuses, clock, partner_ids, ids)
    if found is None:
        return []
    where, params = found
    return plain_rows(
        conn,
        f"""
        SELECT d.id, d.partner_id, d.partner, d.event_id, d.status, d.amount_cents,
               d.probability_override, d.contact_id, d.contact, d.clock AS last_at
        FROM {STALE_FROM} WHERE {where}
        """,
        params,
    )


def _weight(amount: int | None, override: int | None, probability: int) -> int | None:
    """amount × probability (cents × percent, exact), None without an amount."""
    if amount is None:
        return None
    return amount * (override if override is not None else probability)


def action_queue(
    conn: Connection, scope: ResolvedScope, clock: Clock | None = None,
    statuses: dict[str, StatusInfo] | None = None, *,
    partner_ids: Iterable[str] | None = None, follow_up_ids: Iterable[str] | None = None,
    stale_ids: Iterable[str] | None = None, largest: int | None = None,
) -> ActionQueue:
    """The queue for `scope`, ordered (see `order_key`). `clock` gives the team's time zone.

    `partner_ids`: only these partners' items (value points then relative to them alone).
    `follow_up_ids` / `stale_ids`: only these follow-ups / stale deals, scored against
    `largest` (the whole queue's largest amount × probability), as `queue_summary` asks.
    Each item is built once: both row sets are read first, so the largest weighted amount (the
    value points' scale) is known before any item is made. Rows are unpacked as tuples:
    attribute access on a result row costs about 0.5 µs, which adds up over a large queue.
    """
    clock = clock or Clock()
    statuses = statuses if statuses is not None else load_statuses(conn)
    today, window = scope.today, scope.window_days
    names = {e.id: e.name for e in scope.events}
    labels = {k: s.label for k, s in statuses.items()}
    probability = {k: s.probability for k, s in statuses.items()}
    with no_gc():
        follow_ups = [(r, _weight(r[8], r[9], probability.get(r[7], 0)))
                      for r in _follow_up_rows(conn, scope, statuses, partner_ids, follow_up_ids)]
        stale = [(r, _weight(r[5], r[6], probability[r[4]]))
                 for r in _stale_rows(conn, scope, statuses, clock, partner_ids, stale_ids)]
        if largest is None:
            largest = max((w for _, w in (*follow_ups, *stale) if w), default=0)
        keyed: list[tuple[str, dict[str, Any]]] = []
        # value_points(w, largest) for these integer weights, inline: a call per item adds up.
        twice = 2 * largest
        urgency: dict[str, tuple[int, int]] = {}  # due date -> (days until due, urgency)
        due: dict[str, int] = {}
        late: dict[str, int] = {}
        overdue_count = 0
        for (fid, partner_id, partner, deal_id, due_date, note, event_id, status, amount, _o,
             contact_id, contact), weighted in follow_ups:
            found = urgency.get(due_date)
            if found is None:
                days = (dt.date.fromisoformat(due_date) - today).days
                found = urgency[due_date] = (days, urgency_follow_up(days, window))
            days, score = found
            if weighted and largest:
                score += (40 * weighted + largest) // twice
            if event_id is not None:
                bucket = late if days < 0 else due
                bucket[event_id] = bucket.get(event_id, 0) + 1
            overdue_count += days < 0
            keyed.append((order_string(days < 0, score, due_date, partner, "follow_up", fid), {
                "kind": "follow_up", "follow_up_id": fid, "deal_id": deal_id,
                "partner_id": partner_id, "partner": partner, "contact_id": contact_id,
                "contact": contact, "event_id": event_id, "event": names.get(event_id),
                "status": status, "status_label": labels.get(status), "amount_cents": amount,
                "weighted_cents": None if weighted is None else (weighted + 50) // 100,
                "due_date": due_date, "days_until_due": days, "overdue": days < 0,
                "overdue_days": -days if days < 0 else 0, "stale_days": None,
                "stale_after_days": None, "score": score, "note": note,
            }))
        local = LocalDates(clock)
        stale_after = {k: s.stale_after_days for k, s in statuses.items()}
        for (deal_id, partner_id, partner, event_id, status, amount, _o, contact_id, contact,
             last_at), weighted in stale:
            after = stale_after[status]
            days = (today - local.of(last_at)).days
            overdue = days >= 2 * after
            score = urgency_stale(days, after)
            if weighted and largest:
                score += (40 * weighted + largest) // twice
            overdue_count += overdue
            keyed.append((order_string(overdue, score, None, partner, "stale", deal_id), {
                "kind": "stale", "follow_up_id": None, "deal_id": deal_id,
                "partner_id": partner_id, "partner": partner, "contact_id": contact_id,
                "contact": contact, "event_id": event_id, "event": names.get(event_id),
                "status": status, "status_label": labels.get(status), "amount_cents": amount,
                "weighted_cents": None if weighted is None else (weighted + 50) // 100,
                "due_date": None, "days_until_due": None, "overdue": overdue,
                "overdue_days": max(days - 2 * after, 0), "stale_days": days,
                "stale_after_days": after, "score": score, "note": None,
            }))
        keyed.sort(key=_first)  # order_string: order_key's order
        make = ActionItem._fast
        counts = QueueCounts(len(keyed), overdue_count, due, late)  # = QueueCounts.of(items)
        return ActionQueue(tuple(make(fields) for _, fields in keyed), counts)


def _first(pair: tuple) -> tuple:
    return pair[0]
