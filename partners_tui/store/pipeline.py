"""Commands that edit the pipeline itself: add, rename, reorder, merge, archive statuses.

Guard rails hold after every command: at least one open, one secured and one lost status remain
active, probabilities stay 0-100, and a key never changes once created (labels do). A status in
use is never deleted: it can be merged into another (moving its deals) or archived.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select, update

from partners_tui.store.changelog import UnitOfWork, _dump, table
from partners_tui.store.validate import InvalidInput, Problem, clean, slugify

if TYPE_CHECKING:
    from partners_tui.store.commands import Store


def _statuses(uow: UnitOfWork) -> list[dict[str, Any]]:
    st = table("status")
    return [dict(r) for r in uow.conn.execute(select(st).order_by(st.c.position)).mappings()]


def _check_pipeline(uow: UnitOfWork) -> None:
    active = [s for s in _statuses(uow) if not s["archived"]]
    missing = []
    if not any(not s["secured"] and not s["closed"] for s in active):
        missing.append("one open status (neither secured nor closed)")
    if not any(s["secured"] for s in active):
        missing.append("one secured status")
    if not any(s["closed"] and not s["secured"] for s in active):
        missing.append("one lost status (closed, not secured)")
    if missing:
        raise InvalidInput(Problem("statuses", "the pipeline needs at least " + " and ".join(missing)))


def _check_label(uow: UnitOfWork, key: str, label: str) -> None:
    """Two statuses may not share a name: pickers, imports and the CLI find a status by its
    label or by the slug of a typed name, so a second "Pitched" would be ambiguous."""
    def name(text: str) -> str:
        return " ".join(text.split()).lower()

    for other in _statuses(uow):
        if other["key"] == key:
            continue
        if name(other["label"]) == name(label) or other["key"] == slugify(label):
            raise InvalidInput(
                Problem("label", f"{label!r} is already the name of status {other['label']} ({other['key']})")
            )


def _deal_count(uow: UnitOfWork, key: str) -> int:
    d = table("deal")
    return uow.conn.execute(select(func.count()).where(d.c.status == key)).scalar()


def _move_deals(uow: UnitOfWork, source: str, target: str) -> int:
    """Every deal of `source` to `target` in one UPDATE, each deal's change logged (for undo).

    A re-labelling, not a pipeline move: `updated_at` and the status clock are left alone. One
    statement instead of a get/update per deal, so merging a status that holds tens of thousands
    of deals takes a moment, not minutes.
    """
    d = table("deal")
    ids = uow.conn.execute(select(d.c.id).where(d.c.status == source)).scalars().all()
    if not ids:
        return 0
    uow.conn.execute(update(d).where(d.c.status == source).values(status=target))
    old, new = _dump(source), _dump(target)
    uow._log(
        [
            {
                "command_id": uow.command_id, "entity": "deal", "entity_id": deal_id, "op": "update",
                "field": "status", "old": old, "new": new, "at": uow.at,
            }
            for deal_id in ids
        ]
    )
    uow._count("deal", "update", len(ids))
    return len(ids)


def _renumber(uow: UnitOfWork, keys: list[str]) -> None:
    for position, key in enumerate(keys):
        uow.update("status", key, {"position": position}, touch=False)


class PipelineCommands:
    """Mixed into `Store`: status editing commands."""

    def add_status(self: "Store", data: dict[str, Any]) -> str:
        data = dict(data)
        data.setdefault("stale_after_days", 14)
        values = clean("status", data)
        key = slugify(values["label"])
        with self.command("status.add", f"New status {values['label']}") as uow:
            if uow.get("status", key) is not None:
                raise InvalidInput(
                    Problem("label", f"{values['label']!r} would get the key {key!r}; a status with that key already exists")
                )
            _check_label(uow, key, values["label"])
            ordered = [s["key"] for s in _statuses(uow)]
            position = values.pop("position", None)
            if position is None:  # after the last open status, before secured and closed ones
                done = [s["position"] for s in _statuses(uow) if s["secured"] or s["closed"]]
                position = min(done) if done else len(ordered)
            from partners_tui.store.commands import new_row

            uow.insert("status", new_row("status", {**values, "key": key, "position": len(ordered)}, uow.at))
            ordered.insert(min(position, len(ordered)), key)
            _renumber(uow, ordered)
            _check_pipeline(uow)
            return key

    def update_status(self: "Store", key: str, changes: dict[str, Any]) -> dict:
        if "key" in changes:
            raise InvalidInput(Problem("key", "a status key never changes; rename its label instead"))
        values = clean("status", changes, partial=True)
        if "label" in changes and values.get("label") is None:
            raise InvalidInput(Problem("label", "is required"))
        position = values.pop("position", None)
        with self.command("status.update", f"Edit status {key}") as uow:
            current = self._require(uow, "status", key, "status")
            if "label" in values and values["label"] != current["label"]:
                _check_label(uow, key, values["label"])
            diff = uow.update("status", key, values) if values else {}
            if position is not None:
                ordered = [s["key"] for s in _statuses(uow) if s["key"] != key]
                ordered.insert(min(position, len(ordered)), key)
                _renumber(uow, ordered)
            _check_pipeline(uow)
            label = uow.get("status", key)["label"]
            uow.describe(f"Edit status {label}" + (f" (was {current['label']})" if label != current["label"] else ""))
            return diff

    def move_status(self: "Store", key: str, position: int) -> None:
        self.update_status(key, {"position": position})

    def merge_status(self: "Store", source: str, target: str) -> int:
        """Move every deal of `source` to `target`, then remove `source`. Returns deals moved."""
        if source == target:
            raise InvalidInput(Problem("target", "choose a different status to merge into"))
        with self.command("status.merge", f"Merge {source} into {target}") as uow:
            src = self._require(uow, "status", source, "status")
            dst = self._require(uow, "status", target, "target")
            if dst["archived"]:
                raise InvalidInput(
                    Problem("target", f"{dst['label']} is archived; restore it first or choose another status")
                )
            moved = _move_deals(uow, source, target)
            uow.delete("status", source)
            _renumber(uow, [s["key"] for s in _statuses(uow)])
            _check_pipeline(uow)
            uow.describe(f"Merge status {src['label']} into {dst['label']} ({moved} deals)")
            return moved

    def archive_status(self: "Store", key: str) -> None:
        """Hide a status from pickers; deals already in it keep it."""
        with self.command("status.archive", f"Archive status {key}") as uow:
            self._require(uow, "status", key, "status")
            uow.update("status", key, {"archived": True})
            _check_pipeline(uow)

    def restore_status(self: "Store", key: str) -> None:
        with self.command("status.restore", f"Restore status {key}") as uow:
            self._require(uow, "status", key, "status")
            uow.update("status", key, {"archived": False})

    def delete_status(self: "Store", key: str) -> None:
        with self.command("status.delete", f"Delete status {key}") as uow:
            status = self._require(uow, "status", key, "status")
            used = _deal_count(uow, key)
            if used:
                raise InvalidInput(
                    Problem("status", f"{status['label']} is used by {used} deal(s); merge it into another status or archive it")
                )
            uow.delete("status", key)
            _renumber(uow, [s["key"] for s in _statuses(uow)])
            _check_pipeline(uow)


def list_statuses(store: "Store") -> list[dict[str, Any]]:
    """Every status in pipeline order with the number of deals in it (archived deals included)."""
    st, d = table("status"), table("deal")
    used = select(d.c.status, func.count().label("deals")).group_by(d.c.status).subquery()
    with store.read() as conn:
        rows = conn.execute(
            select(st, func.coalesce(used.c.deals, 0).label("deals"))
            .outerjoin(used, used.c.status == st.c.key)
            .order_by(st.c.position)
        ).mappings()
        return [dict(r) for r in rows]
