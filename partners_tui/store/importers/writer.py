"""Writing a `Plan` as one command: new rows in bulk, changed rows updated, unchanged ones left.

Existing rows are fetched by id in chunks (one SELECT per chunk, never per row), so importing a
million communications stays a few hundred queries. A stored row whose `updated_at` is at least
the file's is kept as it is: a later local edit is not reverted by re-importing an older export.
If nothing differs, the command is rolled back, so a re-import leaves no trace in the history.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from partners_tui.store.changelog import UnitOfWork, table
from partners_tui.store.commands import Store, new_row
from partners_tui.store.importers.plan import ENTITIES, Plan, Planned

CHUNK = 2000


class _NothingChanged(Exception):
    """Raised inside the command to roll it back when the import changes nothing."""


Counts = dict[str, list[int]]  # entity → [created, updated, unchanged]


def write_plan(store: Store, plan: Plan, name: str, description: str) -> tuple[Counts, list[str]]:
    """Apply `plan`; returns the counts per entity and the custom statuses created."""
    counts: Counts = {entity: [0, 0, 0] for entity in ENTITIES}
    new_statuses: list[str] = []
    try:
        with store.command(name, description, source="import") as uow:
            _resolve_statuses(store, uow, plan, new_statuses)
            for entity in ENTITIES:
                _write_entity(uow, entity, plan, counts[entity])
            _touch_deals(uow, plan)
            if not uow.counts:
                raise _NothingChanged
            created = sum(c[0] for c in counts.values())
            updated = sum(c[1] for c in counts.values())
            uow.describe(f"{description}: {created:,} new, {updated:,} updated")
    except _NothingChanged:
        pass
    return counts, new_statuses


def _resolve_statuses(store: Store, uow: UnitOfWork, plan: Plan, created: list[str]) -> None:
    """Reference status names to keys ("reached out" → reached_out); unknown ones become custom."""
    known = set(uow.conn.execute(select(table("status").c.key)).scalars())
    keys: dict[str, str] = {}
    for planned in plan.rows["deal"].values():
        raw = planned.values["status"]
        if raw not in keys:
            keys[raw] = store.resolve_status(uow, raw)
            if keys[raw] not in known:
                known.add(keys[raw])
                created.append(keys[raw])
        planned.values["status"] = keys[raw]


def _write_entity(uow: UnitOfWork, entity: str, plan: Plan, count: list[int]) -> None:
    planned = plan.rows[entity]
    t = table(entity)
    ids = list(planned)
    for start in range(0, len(ids), CHUNK):
        part = ids[start : start + CHUNK]
        stored = {r["id"]: r for r in uow.conn.execute(select(t).where(t.c.id.in_(part))).mappings()}
        fresh = []
        for key in part:
            item = planned[key]
            current = stored.get(key)
            if current is None:
                fresh.append(_new_row(entity, item, plan, uow.at))
            elif _update(uow, entity, key, item, current):
                count[1] += 1
            else:
                count[2] += 1
        uow.insert_many(entity, fresh)
        count[0] += len(fresh)


def _new_row(entity: str, item: Planned, plan: Plan, at: str) -> dict[str, Any]:
    values = {**item.values, **{k: v for k, v in item.on_insert.items() if v is not None}}
    if entity == "deal":
        values.setdefault("status_changed_at", values.get("updated_at") or at)
        values["last_activity_at"] = plan.latest.get((values["partner_id"], values["event_id"]))
    return new_row(entity, values, at)


def _update(uow: UnitOfWork, entity: str, key: str, item: Planned, current: dict) -> bool:
    """Update the stored row from the file's record when the record is newer; True if changed.

    A value the file leaves empty does not clear a stored one (blank is "not said", not "erase").
    """
    values = item.values
    file_time = values.get("updated_at")
    if file_time and current.get("updated_at") and current["updated_at"] >= file_time:
        return False
    changes = {
        f: v for f, v in values.items()
        if f not in ("id", "created_at") and v not in (None, "") and current.get(f) != v
    }
    if not changes or set(changes) == {"updated_at"}:
        return False
    if "status" in changes:
        changes["status_changed_at"] = file_time or uow.at
    uow.update(entity, key, changes, at=file_time or uow.at, touch=file_time is None)
    return True


def _touch_deals(uow: UnitOfWork, plan: Plan) -> None:
    """Move the stale clock of stored deals on the partner+event of an imported activity."""
    if not plan.latest:
        return
    d = table("deal")
    for deal_id, partner_id, event_id, last in uow.conn.execute(
        select(d.c.id, d.c.partner_id, d.c.event_id, d.c.last_activity_at)
    ):
        latest = plan.latest.get((partner_id, event_id))
        if latest and (last is None or last < latest):
            uow.update("deal", deal_id, {"last_activity_at": latest}, touch=False)
