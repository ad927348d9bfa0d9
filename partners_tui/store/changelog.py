"""Writes as commands: one transaction each, every row change recorded, undo as a stack.

Every store command runs inside `run_command()`, which opens a write transaction, records a
`command` row and hands out a `UnitOfWork`. The unit of work is the only code that inserts,
updates or deletes entity rows, so nothing can change without landing in the change log.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterator

from sqlalchemy import Connection, Engine, Table, delete, insert, select, update

NOT_UNDOABLE = ("seed", "undo")


def table_models():
    """The SQLModel table models, imported on first use: SQLModel and pydantic take about a
    quarter of a second to import, which a process that only reads (the app's start-up, `report`)
    should not pay before its first write."""
    from partners_tui.store import models

    return models


def _command() -> Table:
    return table_models().Command.__table__


def _change() -> Table:
    return table_models().Change.__table__


def __getattr__(name: str) -> Table:
    """`COMMAND` and `CHANGE`, the change log's two tables (loaded with the models)."""
    if name == "COMMAND":
        return _command()
    if name == "CHANGE":
        return _change()
    raise AttributeError(name)


def table(entity: str) -> Table:
    return table_models().TABLES[entity].__table__


def pk_column(entity: str) -> str:
    return table(entity).primary_key.columns.keys()[0]


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


class UnitOfWork:
    """The writes of one command. Bulk methods exist for importers and demo data."""

    def __init__(self, conn: Connection, command_id: int, at: str):
        self.conn = conn
        self.command_id = command_id
        self.at = at
        self.counts: dict[tuple[str, str], int] = {}
        self.nested = 0  # > 0 while a joined command (Store.command inside another) runs
        self._parts: list[str] = []

    def _count(self, entity: str, op: str, n: int = 1) -> None:
        self.counts[(entity, op)] = self.counts.get((entity, op), 0) + n

    def _log(self, rows: list[dict[str, Any]]) -> None:
        if rows:
            self.conn.execute(insert(_change()), rows)

    def get(self, entity: str, key: Any) -> dict[str, Any] | None:
        t = table(entity)
        row = self.conn.execute(select(t).where(t.c[pk_column(entity)] == key)).mappings().first()
        return dict(row) if row else None

    def insert(self, entity: str, row: dict[str, Any]) -> None:
        self.insert_many(entity, [row])

    def insert_many(self, entity: str, rows: list[dict[str, Any]], at: str | None = None) -> None:
        if not rows:
            return
        pk = pk_column(entity)
        self.conn.execute(insert(table(entity)), rows)
        self._log(
            [
                {
                    "command_id": self.command_id, "entity": entity, "entity_id": str(r[pk]),
                    "op": "insert", "field": None, "old": None, "new": None,
                    "at": r.get("created_at") or at or self.at,
                }
                for r in rows
            ]
        )
        self._count(entity, "insert", len(rows))

    def update(
        self, entity: str, key: Any, changes: dict[str, Any], *, at: str | None = None,
        touch: bool = True,
    ) -> dict[str, tuple[Any, Any]]:
        """Set `changes` on one row; returns {field: (old, new)} for the fields that differ.

        `touch` also moves `updated_at` (every user edit does; a derived value such as the stale
        clock does not pretend the record was edited).
        """
        current = self.get(entity, key)
        if current is None:
            raise LookupError(f"{entity} {key} does not exist")
        diff = {f: (current[f], v) for f, v in changes.items() if current[f] != v}
        if not diff:
            return {}
        if touch and "updated_at" in current and "updated_at" not in diff:
            diff["updated_at"] = (current["updated_at"], at or self.at)
        t = table(entity)
        self.conn.execute(
            update(t).where(t.c[pk_column(entity)] == key).values({f: n for f, (_, n) in diff.items()})
        )
        self._log(
            [
                {
                    "command_id": self.command_id, "entity": entity, "entity_id": str(key),
                    "op": "update", "field": f, "old": _dump(o), "new": _dump(n),
                    "at": at or self.at,
                }
                for f, (o, n) in diff.items()
            ]
        )
        self._count(entity, "update")
        return diff

    def delete(self, entity: str, key: Any) -> dict[str, Any]:
        current = self.get(entity, key)
        if current is None:
            raise LookupError(f"{entity} {key} does not exist")
        t = table(entity)
        self.conn.execute(delete(t).where(t.c[pk_column(entity)] == key))
        self._log(
            [
                {
                    "command_id": self.command_id, "entity": entity, "entity_id": str(key),
                    "op": "delete", "field": None, "old": _dump(current), "new": None,
                    "at": self.at,
                }
            ]
        )
        self._count(entity, "delete")
        return current

    def delete_many(self, entity: str, keys: list[Any], chunk: int = 500) -> int:
        """Delete rows by key (those that exist), logging each whole row; for undoing imports."""
        t = table(entity)
        col = t.c[pk_column(entity)]
        deleted = 0
        for i in range(0, len(keys), chunk):
            part = keys[i : i + chunk]
            rows = [dict(r) for r in self.conn.execute(select(t).where(col.in_(part))).mappings()]
            if not rows:
                continue
            self.conn.execute(delete(t).where(col.in_(part)))
            self._log(
                [
                    {
                        "command_id": self.command_id, "entity": entity,
                        "entity_id": str(r[col.name]), "op": "delete", "field": None,
                        "old": _dump(r), "new": None, "at": self.at,
                    }
                    for r in rows
                ]
            )
            deleted += len(rows)
        self._count(entity, "delete", deleted)
        return deleted

    def describe(self, description: str) -> None:
        """Set what the history and undo say. Joined commands add theirs ("New deal X; Follow
        up with X on 2026-12-01"); the outermost command's own call replaces the whole text."""
        self._parts = [*self._parts, description] if self.nested else [description]
        self.conn.execute(
            update(_command()).where(_command().c.id == self.command_id)
            .values(description="; ".join(self._parts))
        )


@contextmanager
def run_command(
    engine: Engine, *, name: str, description: str, at: str, who: str, source: str = "manual"
) -> Iterator[UnitOfWork]:
    """One write transaction recorded as one command. An exception rolls everything back."""
    with engine.connect() as conn:
        conn.execution_options(write=True)
        with conn.begin():
            command_id = conn.execute(
                insert(_command()).values(
                    name=name, description=description, at=at, who=who, source=source
                )
            ).inserted_primary_key[0]
            yield UnitOfWork(conn, command_id, at)


# --- undo ----------------------------------------------------------------------------------


class NothingToUndo(LookupError):
    pass


class UndoConflict(RuntimeError):
    """A later change (another window, a teammate's sync) touched what undo would restore."""


@dataclass(frozen=True)
class Undone:
    command_id: int
    description: str
    changes: int


def last_undoable(conn: Connection) -> dict[str, Any] | None:
    row = conn.execute(
        select(_command())
        .where(_command().c.undone_by.is_(None), _command().c.source.not_in(NOT_UNDOABLE))
        .order_by(_command().c.id.desc())
        .limit(1)
    ).mappings().first()
    return dict(row) if row else None


def undo_last(engine: Engine, *, at: str, who: str) -> Undone:
    """Reverse the latest command not yet undone (undo itself is not undone: repeat to go back)."""
    with run_command(engine, name="undo", description="Undo", at=at, who=who, source="undo") as uow:
        target = last_undoable(uow.conn)
        if target is None:
            raise NothingToUndo("nothing to undo")
        changes = uow.conn.execute(
            select(_change()).where(_change().c.command_id == target["id"]).order_by(_change().c.id.desc())
        ).mappings().all()
        pending: list[tuple[str, Any]] = []  # a run of inserts to remove, newest first
        for change in changes:
            entity, key_text = change["entity"], change["entity_id"]
            key = int(key_text) if pk_column(entity) == "year" else key_text
            if change["op"] == "insert":
                if pending and pending[-1][0] != entity:
                    uow.delete_many(pending[-1][0], [k for _, k in pending])
                    pending = []
                pending.append((entity, key))
                continue
            if pending:
                uow.delete_many(pending[-1][0], [k for _, k in pending])
                pending = []
            if change["op"] == "delete":
                uow.insert(entity, json.loads(change["old"]))
            else:
                current = uow.get(entity, key)
                if current is None:
                    raise UndoConflict(f"the {entity} changed by this command no longer exists")
                field = change["field"]
                if _dump(current[field]) != change["new"]:
                    raise UndoConflict(
                        f"{entity} {field} was changed again since; undo would overwrite it"
                    )
                uow.update(entity, key, {field: json.loads(change["old"])}, touch=False)
        if pending:
            uow.delete_many(pending[-1][0], [k for _, k in pending])
        uow.conn.execute(
            update(_command()).where(_command().c.id == target["id"]).values(undone_by=uow.command_id)
        )
        uow.describe(f"Undo: {target['description']}")
        return Undone(target["id"], target["description"], len(changes))
