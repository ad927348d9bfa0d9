"""Keep a loaded action queue current after small writes, without reading the whole queue again.

On a large database the full queue (DESIGN 4.6) takes a second or more to read, yet one logged call
changes the items of one partner only. So a screen that holds a queue asks the change log what
changed since it loaded (`changes_since`), re-reads the items of just those partners
(`partner_items`: `action_queue` restricted to them) and splices them into its `LiveQueue`. Changes
that reach beyond single partners (events, statuses, settings, a big import) say so
(`reaches_everyone`) and the caller reads the whole queue instead.

Value points are relative to the largest weighted amount in the queue. Items carry that amount
rounded to the cent (`weighted_cents`), so a splice scores on cents: the same as a full read
whenever amounts are whole cents at their probability (any whole-dollar amount), at most a point
apart at an exact rounding boundary otherwise, until the next full read.
"""

from __future__ import annotations

import bisect
import json
from collections import defaultdict
from dataclasses import dataclass, replace
from operator import attrgetter
from typing import Iterable

from sqlalchemy import Connection

from partners_tui.store.clock import Clock
from partners_tui.store.queries.action_queue import (
    ActionItem, ActionQueue, action_queue, order_key, urgency_follow_up, urgency_stale,
    value_points,
)
from partners_tui.store.queries.action_item_text import item_key
from partners_tui.store.queries.common import rows
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


def partner_items(
    conn: Connection, scope: ResolvedScope, partner_ids: Iterable[str], clock: Clock,
    statuses: dict[str, StatusInfo],
) -> list[ActionItem]:
    """The queue items of these partners only (`action_queue` restricted to them: a few
    milliseconds however large the database). Their scores are relative to these partners
    alone until `LiveQueue.splice` puts them on the whole queue's scale."""
    ids = set(partner_ids)
    if not ids:
        return []
    return list(action_queue(conn, scope, clock, statuses, partner_ids=ids).items)


def item_urgency(item: ActionItem, window_days: int) -> int:
    """The urgency part of an item's score, from its own fields."""
    if item.kind == "stale":
        return urgency_stale(item.stale_days or 0, item.stale_after_days or 0)
    return urgency_follow_up(item.days_until_due or 0, window_days)


def rescored(item: ActionItem, largest: int, window_days: int) -> ActionItem:
    """`item` scored against the queue's largest weighted amount (both in rounded cents)."""
    score = max(0, min(100, item_urgency(item, window_days) + value_points(item.weighted_cents, largest)))
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

    def splice(self, partner_ids: Iterable[str], fresh: list[ActionItem]) -> bool:
        """Replace the items of `partner_ids` with `fresh` (from `partner_items`). Returns True
        when the largest weighted amount changed, so every item was re-scored."""
        ids = set(partner_ids)
        removed = [item for p in ids for item in self.by_partner.get(p, ())]
        top_removed = max((w for w in map(_weighted, removed) if w), default=0)
        if top_removed and top_removed >= self.largest:
            kept_largest = largest_weighted(i for i in self.items if i.partner_id not in ids)
        else:
            kept_largest = self.largest
        largest = max(kept_largest, largest_weighted(fresh))
        window = self.window_days
        new = [rescored(item, largest, window) for item in fresh]
        if largest != self.largest:
            kept = [rescored(i, largest, window) for i in self.items if i.partner_id not in ids]
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
    rescaled: bool
    """The largest weighted amount changed, so every item was re-scored."""


def patch_queue(
    queue: ActionQueue, partner_ids: Iterable[str], fresh: list[ActionItem], window_days: int,
) -> Patched:
    """`queue` with the items of `partner_ids` replaced by `fresh` (one `LiveQueue` splice)."""
    live = LiveQueue(queue.items, window_days)
    rescaled = live.splice(partner_ids, fresh)
    return Patched(live.queue(), rescaled)
