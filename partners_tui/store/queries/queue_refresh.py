"""Keep a loaded action queue current after small writes, without reading the whole queue again.

On a large database the full queue (DESIGN 4.6) takes a second or more to read, yet one logged call
changes the items of one partner only. So a screen that holds a queue asks the change log what
changed since it loaded (`changes_since`), re-reads the items of just those partners
(`partner_items`, the same rules as `action_queue` restricted by the partner indexes) and splices
them in (`patch_queue`). Changes that reach beyond single partners (events, statuses, settings,
a big import) say so (`reaches_everyone`) and the caller reads the whole queue instead.

Value points are relative to the largest weighted amount in the queue; other items carry only
that amount rounded to the cent, so when the largest changes the patched scores are recomputed
from those and may differ by a point at an exact rounding boundary until the next full read.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, replace
from fractions import Fraction
from operator import attrgetter
from typing import Iterable

from sqlalchemy import Connection

from partners_tui.store.clock import Clock
from partners_tui.store.queries.action_queue import (
    ActionItem, ActionQueue, order_key, urgency_follow_up, urgency_stale, value_points,
)
from partners_tui.store.queries.action_item_text import item_key
from partners_tui.store.queries.common import round_half_up, rows, weighted_cents
from partners_tui.store.queries.scope import ResolvedScope
from partners_tui.store.queries.totals import StatusInfo

PARTNER_ENTITIES = ("partner", "contact", "deal", "activity", "follow_up")
MAX_PATCH_CHANGES = 2000
"""More changes than this since the last read (an import, a demo load): read everything again."""
MAX_PATCH_PARTNERS = 200


@dataclass(frozen=True)
class ChangesSince:
    last_command_id: int
    partner_ids: frozenset[str]
    reaches_everyone: bool

    @property
    def nothing(self) -> bool:
        return not self.partner_ids and not self.reaches_everyone


def last_command_id(conn: Connection) -> int:
    return rows(conn, "SELECT coalesce(max(id), 0) FROM command")[0][0]


def changes_since(conn: Connection, command_id: int) -> ChangesSince:
    """Which partners' items the commands after `command_id` may have changed."""
    latest = last_command_id(conn)
    if latest <= command_id:
        return ChangesSince(latest, frozenset(), False)
    found = rows(
        conn,
        """
        SELECT ch.entity, ch.field, ch.old,
               CASE ch.entity
                 WHEN 'partner' THEN ch.entity_id
                 WHEN 'contact' THEN (SELECT x.partner_id FROM contact x WHERE x.id = ch.entity_id)
                 WHEN 'deal' THEN (SELECT x.partner_id FROM deal x WHERE x.id = ch.entity_id)
                 WHEN 'activity' THEN (SELECT x.partner_id FROM activity x WHERE x.id = ch.entity_id)
                 WHEN 'follow_up' THEN (SELECT x.partner_id FROM follow_up x WHERE x.id = ch.entity_id)
               END AS partner_id
        FROM change ch WHERE ch.command_id > :since AND ch.command_id <= :latest
        LIMIT :cap
        """,
        {"since": command_id, "latest": latest, "cap": MAX_PATCH_CHANGES + 1},
    )
    if len(found) > MAX_PATCH_CHANGES:
        return ChangesSince(latest, frozenset(), True)
    partners: set[str] = set()
    for r in found:
        if r.entity not in PARTNER_ENTITIES:
            return ChangesSince(latest, frozenset(), True)
        if r.partner_id:
            partners.add(r.partner_id)
        old = _json(r.old)
        if isinstance(old, dict) and old.get("partner_id"):  # a deleted row
            partners.add(old["partner_id"])
        elif r.field == "partner_id" and isinstance(old, str):  # moved to another partner
            partners.add(old)
        elif r.partner_id is None and r.entity != "partner" and not isinstance(old, dict):
            return ChangesSince(latest, frozenset(), True)  # cannot tell whose it was
    if len(partners) > MAX_PATCH_PARTNERS:
        return ChangesSince(latest, frozenset(), True)
    return ChangesSince(latest, frozenset(partners), False)


def _json(raw: str | None):
    if raw is None:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


@dataclass(frozen=True)
class FreshItem:
    """An item's fields before value points, with its exact weighted amount."""

    fields: dict
    weighted: Fraction | None
    urgency: int


def _probability(statuses: dict[str, StatusInfo], status: str | None, override: int | None) -> int:
    if override is not None:
        return override
    return statuses[status].probability if status in statuses else 0


def _in_list(prefix: str, values: Iterable[str]) -> tuple[str, dict[str, str]]:
    params = {f"{prefix}{i}": v for i, v in enumerate(sorted(values))}
    return ", ".join(f":{k}" for k in params), params


def partner_items(
    conn: Connection, scope: ResolvedScope, partner_ids: Iterable[str], clock: Clock,
    statuses: dict[str, StatusInfo],
) -> list[FreshItem]:
    """The queue items of these partners only: `action_queue`'s rules, read through the partner
    indexes (a few milliseconds however large the database)."""
    ids = set(partner_ids)
    if not ids:
        return []
    in_partners, pparams = _in_list("qp", ids)
    today = scope.today
    out: list[FreshItem] = []
    ev, params = scope.event_filter("se")
    hidden = "" if scope.include_archived else "AND p.archived = 0"
    deal_partner = "" if scope.include_archived else "AND dp.archived = 0"
    general = "OR (f.deal_id IS NULL AND f.event_id IS NULL)" if scope.event_id is None else ""
    for r in rows(
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
        WHERE f.partner_id IN ({in_partners})
          -- unary + keeps SQLite on the partner index rather than scanning every open follow-up
          AND +f.done_at IS NULL AND +f.due_date <= :horizon AND f.archived = 0 {hidden}
          AND (
            (f.deal_id IS NOT NULL AND d.archived = 0 AND s.closed = 0 {deal_partner}
             AND d.event_id IN (SELECT se.id FROM event se WHERE {ev}))
            OR (f.deal_id IS NULL AND f.event_id IN (SELECT se.id FROM event se WHERE {ev}))
            {general}
          )
        """,
        {**params, **pparams, "horizon": scope.horizon.isoformat()},
    ):
        days = (dt.date.fromisoformat(r.due_date) - today).days
        prob = _probability(statuses, r.status, r.probability_override)
        out.append(FreshItem(
            dict(
                kind="follow_up", follow_up_id=r.id, deal_id=r.deal_id, partner_id=r.partner_id,
                partner=r.partner, contact_id=r.contact_id, contact=r.contact,
                event_id=r.event_id, event=r.event, status=r.status,
                amount_cents=r.amount_cents, due_date=r.due_date, days_until_due=days,
                overdue=days < 0, overdue_days=max(-days, 0), stale_days=None,
                stale_after_days=None, note=r.note,
            ),
            weighted_cents(r.amount_cents, prob) if r.amount_cents is not None else None,
            urgency_follow_up(days, scope.window_days),
        ))
    out += _stale_items(conn, scope, in_partners, pparams, clock, statuses)
    return out


def _stale_items(
    conn: Connection, scope: ResolvedScope, in_partners: str, pparams: dict, clock: Clock,
    statuses: dict[str, StatusInfo],
) -> list[FreshItem]:
    stale = {k: s.stale_after_days for k, s in statuses.items() if s.stale_after_days is not None}
    if not stale or not scope.events:
        return []
    cond, params = scope.deal_filter("d", "p")
    params.update(pparams)
    cases = " ".join(f"WHEN :st{i} THEN :cut{i}" for i in range(len(stale)))
    for i, (key, days) in enumerate(stale.items()):
        params[f"st{i}"] = key
        params[f"cut{i}"] = clock.start_of_day(scope.today - dt.timedelta(days=days - 1))
    in_list = ", ".join(f":st{i}" for i in range(len(stale)))
    out = []
    for r in rows(
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
            WHERE d.partner_id IN ({in_partners}) AND {cond} AND d.status IN ({in_list})
        ) AS x WHERE x.last_at < x.cutoff
          AND NOT EXISTS (
              SELECT 1 FROM follow_up f
              WHERE f.deal_id = x.id AND f.done_at IS NULL AND f.archived = 0
          )
        """,
        params,
    ):
        after = statuses[r.status].stale_after_days
        days = (scope.today - clock.local_date(r.last_at)).days
        prob = _probability(statuses, r.status, r.probability_override)
        out.append(FreshItem(
            dict(
                kind="stale", follow_up_id=None, deal_id=r.id, partner_id=r.partner_id,
                partner=r.partner, contact_id=r.contact_id, contact=r.contact,
                event_id=r.event_id, event=r.event, status=r.status,
                amount_cents=r.amount_cents, due_date=None, days_until_due=None,
                overdue=days >= 2 * after, overdue_days=max(days - 2 * after, 0),
                stale_days=days, stale_after_days=after, note=None,
            ),
            weighted_cents(r.amount_cents, prob) if r.amount_cents is not None else None,
            urgency_stale(days, after),
        ))
    return out


def _score(fresh: FreshItem, largest: Fraction, statuses: dict[str, StatusInfo]) -> ActionItem:
    status = statuses.get(fresh.fields["status"]) if fresh.fields["status"] else None
    return ActionItem(
        **fresh.fields,
        status_label=status.label if status else None,
        weighted_cents=round_half_up(fresh.weighted) if fresh.weighted is not None else None,
        score=max(0, min(100, fresh.urgency + value_points(fresh.weighted, largest))),
    )


def item_urgency(item: ActionItem, window_days: int) -> int:
    """The urgency part of an item's score, from its own fields."""
    if item.kind == "stale":
        return urgency_stale(item.stale_days or 0, item.stale_after_days or 0)
    return urgency_follow_up(item.days_until_due or 0, window_days)


def _rescored(item: ActionItem, largest: Fraction, window_days: int) -> ActionItem:
    weighted = Fraction(item.weighted_cents) if item.weighted_cents else None
    score = max(0, min(100, item_urgency(item, window_days) + value_points(weighted, largest)))
    return item if score == item.score else replace(item, score=score)


def largest_weighted(items: Iterable[ActionItem]) -> int:
    """The largest weighted amount (rounded cents) among items, 0 when none has one."""
    return max((w for w in map(_weighted, items) if w), default=0)


_weighted = attrgetter("weighted_cents")


@dataclass
class Counts:
    """What the queue's summary line shows."""

    total: int = 0
    overdue: int = 0
    due_today: int = 0
    stale: int = 0

    def add(self, item: ActionItem, sign: int = 1) -> None:
        self.total += sign
        self.overdue += sign if item.overdue else 0
        self.stale += sign if item.kind == "stale" else 0
        self.due_today += sign if item.kind == "follow_up" and item.days_until_due == 0 else 0


class LiveQueue:
    """A loaded queue kept current by splicing: the items in queue order plus the indexes that
    make a splice cost O(k log n) for k changed items (build it in a worker thread; afterwards
    use it from one thread only)."""

    def __init__(self, items: Iterable[ActionItem], window_days: int):
        self.window_days = window_days
        self._index(list(items))

    def _index(self, items: list[ActionItem]) -> None:
        self.items = items
        self.by_partner: dict[str, list[ActionItem]] = defaultdict(list)
        self.by_key: dict[str, ActionItem] = {}
        self.counts = Counts()
        for item in items:
            self.by_partner[item.partner_id].append(item)
            self.by_key[item_key(item)] = item
            self.counts.add(item)
        self.largest = largest_weighted(items)

    def queue(self) -> ActionQueue:
        return ActionQueue(tuple(self.items))

    def __len__(self) -> int:
        return len(self.items)

    def position(self, key: str) -> int | None:
        """Row of the item `key`, or None when it is not in the queue."""
        item = self.by_key.get(key)
        if item is None:
            return None
        return bisect.bisect_left(self.items, order_key(item), key=order_key)

    def splice(
        self, partner_ids: Iterable[str], fresh: list[FreshItem], statuses: dict[str, StatusInfo]
    ) -> bool:
        """Replace the items of `partner_ids` with `fresh` (from `partner_items`). Returns True
        when the largest weighted amount changed, so every other item was re-scored from its
        rounded amount (see the module note)."""
        ids = set(partner_ids)
        removed = [item for p in ids for item in self.by_partner.get(p, ())]
        top_removed = max((w for w in map(_weighted, removed) if w), default=0)
        if top_removed and top_removed >= self.largest:
            kept_largest = largest_weighted(i for i in self.items if i.partner_id not in ids)
        else:
            kept_largest = self.largest
        top_fresh = max((f.weighted for f in fresh if f.weighted), default=Fraction(0))
        if top_fresh and round_half_up(top_fresh) >= kept_largest:
            largest = top_fresh
        else:
            largest = Fraction(kept_largest)
        changed = round_half_up(largest) != self.largest
        new = [_score(f, largest, statuses) for f in fresh]
        if changed:
            kept = [_rescored(i, largest, self.window_days) for i in self.items if i.partner_id not in ids]
            merged = kept + new
            merged.sort(key=order_key)
            self._index(merged)
            return True
        items = self.items
        for item in removed:
            del items[bisect.bisect_left(items, order_key(item), key=order_key)]
            del self.by_key[item_key(item)]
            self.counts.add(item, -1)
        for p in ids:
            self.by_partner.pop(p, None)
        for item in new:
            bisect.insort(items, item, key=order_key)
            self.by_partner[item.partner_id].append(item)
            self.by_key[item_key(item)] = item
            self.counts.add(item)
        return False


@dataclass(frozen=True)
class Patched:
    queue: ActionQueue
    approximate: bool
    """The largest weighted amount changed, so every other item was re-scored from its amount
    rounded to the cent: read the whole queue again when convenient to be exact."""


def patch_queue(
    queue: ActionQueue, partner_ids: Iterable[str], fresh: list[FreshItem],
    statuses: dict[str, StatusInfo], window_days: int,
) -> Patched:
    """`queue` with the items of `partner_ids` replaced by `fresh` (a `LiveQueue` splice)."""
    live = LiveQueue(queue.items, window_days)
    approximate = live.splice(partner_ids, fresh, statuses)
    return Patched(live.queue(), approximate)
