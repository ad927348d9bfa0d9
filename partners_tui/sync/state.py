"""Sync bookkeeping in the database: the merge base, the status of the last push and pull, the
push watermark and the conflicts to review (tables `sync_row`, `sync_state`, `sync_conflict`).

This is not entity data: it is written in plain transactions (or inside a pull's command), is
not change-logged and is not undone, so an undo after a sync undoes data, never bookkeeping.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from partners_tui.store.models import SyncConflict, SyncRow, SyncState

ROW = SyncRow.__table__
STATE = SyncState.__table__
CONFLICT = SyncConflict.__table__
CHUNK = 900  # SQLite's default limit on bound parameters is 999


@contextmanager
def write_tx(engine: Engine) -> Iterator[Connection]:
    """A short write transaction for bookkeeping (BEGIN IMMEDIATE, like store commands)."""
    with engine.connect() as conn:
        conn.execution_options(write=True)
        with conn.begin():
            yield conn


# --- key/value status ----------------------------------------------------------------------


def get_state(conn: Connection, key: str, default: Any = None) -> Any:
    raw = conn.execute(select(STATE.c.value).where(STATE.c.key == key)).scalar()
    return default if raw is None else json.loads(raw)


def all_state(conn: Connection) -> dict[str, Any]:
    return {k: json.loads(v) for k, v in conn.execute(select(STATE.c.key, STATE.c.value)).all()}


def set_state(conn: Connection, key: str, value: Any, at: str) -> None:
    encoded = json.dumps(value, ensure_ascii=False)
    done = conn.execute(
        update(STATE).where(STATE.c.key == key).values(value=encoded, updated_at=at)
    ).rowcount
    if not done:
        conn.execute(insert(STATE).values(key=key, value=encoded, updated_at=at))


# --- merge base ----------------------------------------------------------------------------


def load_base(conn: Connection, entity: str, ids: Iterable[str] | None = None) -> dict[str, str]:
    """Last-synced rows by id, as stored: the JSON array of the row's cells in our header order
    (id, fields, updated_at), exactly as pushed or as last read from the sheet. Comparing this
    text with a row read now tells an unchanged row without parsing a single cell."""
    out: dict[str, str] = {}
    if ids is None:
        query = select(ROW.c.entity_id, ROW.c.sheet_values).where(ROW.c.entity == entity)
        return dict(conn.execute(query).all())
    ids = list(ids)
    for i in range(0, len(ids), CHUNK):
        part = ids[i : i + CHUNK]
        query = select(ROW.c.entity_id, ROW.c.sheet_values).where(
            ROW.c.entity == entity, ROW.c.entity_id.in_(part)
        )
        out.update(conn.execute(query).all())
    return out


dump_cells = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
"""A row's cells as stored base text (one encoder, reused: this runs for every row)."""


def base_ids(conn: Connection, entity: str) -> set[str]:
    return set(conn.execute(select(ROW.c.entity_id).where(ROW.c.entity == entity)).scalars())


def put_base(conn: Connection, entity: str, rows: dict[str, str]) -> None:
    """Insert or replace these base rows (others stay)."""
    _write_base(conn, entity, rows, replace=False)


def delete_base(conn: Connection, entity: str, ids: Iterable[str]) -> None:
    ids = list(ids)
    for i in range(0, len(ids), CHUNK):
        conn.execute(delete(ROW).where(ROW.c.entity == entity, ROW.c.entity_id.in_(ids[i : i + CHUNK])))


def replace_base(conn: Connection, entity: str, rows: dict[str, str]) -> None:
    """The whole base of an entity becomes `rows` (after a push: exactly what the tab holds)."""
    _write_base(conn, entity, rows, replace=True)


def _write_base(conn: Connection, entity: str, rows: dict[str, str], *, replace: bool) -> None:
    """Write only what differs from the stored base (a quiet sync rewrites nothing)."""
    if not rows and not replace:
        return
    stored = dict(conn.execute(
        select(ROW.c.entity_id, ROW.c.sheet_values).where(ROW.c.entity == entity)
    ).all())
    changed = []
    for key, text in rows.items():
        if stored.get(key) != text:
            changed.append({"entity": entity, "entity_id": key, "sheet_values": text})
    stale = [c["entity_id"] for c in changed if c["entity_id"] in stored]
    if replace:
        stale += [key for key in stored if key not in rows]
    delete_base(conn, entity, stale)
    for i in range(0, len(changed), 5000):
        conn.execute(insert(ROW), changed[i : i + 5000])


def clear_base(conn: Connection) -> None:
    conn.execute(delete(ROW))


# --- conflicts -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ConflictRecord:
    id: int
    at: str
    entity: str
    entity_id: str
    label: str
    field: str
    local_value: Any
    sheet_value: Any
    kept: str  # local / sheet
    local_updated_at: str | None
    sheet_updated_at: str | None
    reviewed: bool


def add_conflicts(conn: Connection, rows: list[dict[str, Any]]) -> None:
    if rows:
        conn.execute(insert(CONFLICT), rows)


def list_conflicts(conn: Connection, include_reviewed: bool = False, limit: int | None = None) -> list[ConflictRecord]:
    query = select(CONFLICT).order_by(CONFLICT.c.id.desc())
    if not include_reviewed:
        query = query.where(CONFLICT.c.reviewed.is_(False))
    if limit:
        query = query.limit(limit)
    return [
        ConflictRecord(
            id=r.id, at=r.at, entity=r.entity, entity_id=r.entity_id, label=r.label,
            field=r.field, local_value=_load(r.local_value), sheet_value=_load(r.sheet_value),
            kept=r.kept, local_updated_at=r.local_updated_at, sheet_updated_at=r.sheet_updated_at,
            reviewed=bool(r.reviewed),
        )
        for r in conn.execute(query)
    ]


def open_conflict_count(conn: Connection) -> int:
    return conn.execute(
        select(func.count()).select_from(CONFLICT).where(CONFLICT.c.reviewed.is_(False))
    ).scalar() or 0


def mark_reviewed(conn: Connection, ids: Iterable[int] | None = None) -> int:
    query = update(CONFLICT).where(CONFLICT.c.reviewed.is_(False))
    if ids is not None:
        query = query.where(CONFLICT.c.id.in_(list(ids)))
    return conn.execute(query.values(reviewed=True)).rowcount


def clear_conflicts(conn: Connection) -> None:
    conn.execute(delete(CONFLICT))


def _load(raw: str | None) -> Any:
    return None if raw is None else json.loads(raw)
