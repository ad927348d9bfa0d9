"""Applying a Sheets pull here: one store command (source "sync"), change-logged and undoable.

A pulled change and a typed change are the same kind of event (DESIGN 3), with two differences:
the record's `updated_at` becomes the sheet's time when that is later (never "now"), and a pull
never restarts a deal's stale clock: `last_activity_at` only follows the activities' own times,
and a status typed into the sheet keeps the deal's `status_changed_at`.

A field is only overwritten if it still holds the value the plan was made against, so an edit
made here while the sheet was being read is kept (and pushed next time).
"""

from __future__ import annotations

import json
from typing import Any, Callable

from sqlalchemy import delete, func, or_, select

from partners_tui.store.changelog import COMMAND, UnitOfWork, table
from partners_tui.store.commands import Store, _name_of, defaults, new_row
from partners_tui.sync import state
from partners_tui.sync.errors import SyncCancelled
from partners_tui.sync.pull_plan import NewRecord, PullPlan
from partners_tui.sync.settings import ENTITY_TABS
from partners_tui.sync.tabs import canonical_row


def apply_pull(store: Store, plan: PullPlan, *, cancelled: Callable[[], bool] | None = None) -> dict[str, int]:
    """Write the plan in one transaction; returns counts. Raises SyncCancelled (rolled back)."""
    counts = {"created": 0, "updated": 0, "archived": 0, "conflicts": 0}
    with store.command("sheets.pull", "Pull from Google Sheets", source="sync") as uow:
        deals_to_clock: set[str] = set()
        pairs_to_clock: set[tuple[str, str]] = set()
        conflicts: list[dict[str, Any]] = []
        for entity in ENTITY_TABS:
            ep = plan.entities.get(entity)
            if ep is None:
                continue
            if cancelled and cancelled():
                raise SyncCancelled()
            counts["created"] += _create(uow, entity, ep.creates, plan.at, deals_to_clock, pairs_to_clock)
            for merge in ep.merges:
                if merge.apply and _update(uow, entity, merge, deals_to_clock, pairs_to_clock):
                    counts["updated"] += 1
                for c in merge.conflicts:
                    row = uow.get(entity, c.entity_id)
                    conflicts.append(
                        {
                            "at": uow.at, "entity": entity, "entity_id": c.entity_id,
                            "label": _name_of(uow, entity, row) if row else c.entity_id,
                            "field": c.field, "local_value": json.dumps(c.local),
                            "sheet_value": json.dumps(c.sheet), "kept": c.kept,
                            "local_updated_at": c.local_updated_at,
                            "sheet_updated_at": c.sheet_updated_at, "reviewed": False,
                        }
                    )
            for key in ep.archives:
                if uow.update(entity, key, {"archived": True}):
                    counts["archived"] += 1
            state.put_base(uow.conn, entity, ep.base)
            state.delete_base(uow.conn, entity, ep.base_drop)
        _restart_clocks_from_activities(uow, deals_to_clock, pairs_to_clock)
        state.add_conflicts(uow.conn, conflicts)
        counts["conflicts"] = len(conflicts)
        uow.describe(
            f"Pull from Google Sheets: {counts['created']} new, {counts['updated']} changed, "
            f"{counts['archived']} archived"
        )
        if cancelled and cancelled():
            raise SyncCancelled()
        if not uow.counts:
            # Nothing changed here: keep the bookkeeping, but leave no empty step to undo.
            uow.conn.execute(delete(COMMAND).where(COMMAND.c.id == uow.command_id))
    return counts


def _create(uow: UnitOfWork, entity: str, records: list[NewRecord], at: str,
            deals: set[str], pairs: set[tuple[str, str]]) -> int:
    if not records:
        return 0
    if entity == "partner":
        records = _parents_first(records)
    rows = []
    fallback = defaults(entity)
    for record in records:
        values = dict(record.values)
        when = record.sheet_updated_at or at
        if entity == "deal":
            values["status"] = values.get("status") or "prospecting"
            values["status_changed_at"] = when
        if entity == "activity":
            if values.get("deal_id") and not values.get("event_id"):
                values["event_id"] = uow.get("deal", values["deal_id"])["event_id"]
            _note_activity(values, deals, pairs)
        if entity == "follow_up":
            if values.get("deal_id"):
                values["event_id"] = uow.get("deal", values["deal_id"])["event_id"]
            elif values.get("activity_id") and not values.get("event_id"):
                values["event_id"] = uow.get("activity", values["activity_id"])["event_id"]
        # A blank cell in a column with a default (direction, source, tags) takes the default.
        values = {k: v for k, v in values.items() if not (v is None and fallback.get(k) is not None)}
        row = new_row(entity, values, when, id=record.id)
        row["created_at"] = row["updated_at"] = when
        rows.append(row)
    uow.insert_many(entity, rows)
    return len(rows)


def _parents_first(records: list[NewRecord]) -> list[NewRecord]:
    by_id = {r.id: r for r in records}
    done: set[str] = set()
    out: list[NewRecord] = []

    def visit(record: NewRecord, depth: int = 0) -> None:
        if record.id in done or depth > len(records):
            return
        parent = by_id.get(record.values.get("parent_id") or "")
        if parent is not None:
            visit(parent, depth + 1)
        done.add(record.id)
        out.append(record)

    for record in records:
        visit(record)
    return out


def _update(uow: UnitOfWork, entity: str, merge, deals: set[str], pairs: set[tuple[str, str]]) -> bool:
    current = uow.get(entity, merge.entity_id)
    if current is None:
        return False
    mine = canonical_row(entity, current)
    changes = {f: v for f, v in merge.apply.items() if mine.get(f) == merge.expect.get(f)}
    if not changes:
        return False
    if entity == "deal" and "status" in changes and merge.updated_at:
        # A teammate moved it at that time; a status typed into the sheet has no time we know.
        if (current.get("status_changed_at") or "") < merge.updated_at:
            changes["status_changed_at"] = merge.updated_at
    if merge.updated_at and merge.updated_at > (current.get("updated_at") or ""):
        changes["updated_at"] = merge.updated_at
    if entity == "activity":
        _note_activity(current, deals, pairs)
        _note_activity({**current, **changes}, deals, pairs)
    # A teammate's change enters the history (status velocity) at its own time.
    return bool(uow.update(entity, merge.entity_id, changes, touch=False, at=merge.updated_at))


def _note_activity(activity: dict[str, Any], deals: set[str], pairs: set[tuple[str, str]]) -> None:
    if activity.get("deal_id"):
        deals.add(activity["deal_id"])
    if activity.get("event_id") and activity.get("partner_id"):
        pairs.add((activity["partner_id"], activity["event_id"]))


def _restart_clocks_from_activities(uow: UnitOfWork, deals: set[str], pairs: set[tuple[str, str]]) -> None:
    """Deals whose activities changed take the latest activity's own time (as logging does)."""
    if not deals and not pairs:
        return
    d, a = table("deal"), table("activity")
    keys = set(deals)
    pair_list = list(pairs)
    for i in range(0, len(pair_list), 400):
        part = pair_list[i : i + 400]
        cond = or_(*((d.c.partner_id == p) & (d.c.event_id == e) for p, e in part))
        keys.update(uow.conn.execute(select(d.c.id).where(cond)).scalars())
    for key in sorted(keys):
        deal = uow.get("deal", key)
        if deal is None:
            continue
        latest = uow.conn.execute(
            select(func.max(a.c.occurred_at)).where(
                or_(a.c.deal_id == key, (a.c.partner_id == deal["partner_id"]) & (a.c.event_id == deal["event_id"]))
            )
        ).scalar()
        if latest != deal["last_activity_at"]:
            uow.update("deal", key, {"last_activity_at": latest}, touch=False)
