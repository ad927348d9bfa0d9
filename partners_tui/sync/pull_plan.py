"""Reading the sheet's values into a plan: what a pull creates, changes and archives here.

Planning only reads the database (one snapshot); `store.sync_apply` then applies the plan in one
command. Each tab is read by its header (people move columns), each cell judged like typed
input, references resolved by id or, for people adding rows by hand, by a unique name. A bad row
is reported with its tab and row number and left alone (in the sheet too); nothing else stops.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, func, select

from partners_tui.store.changelog import table
from partners_tui.store.clock import Clock
from partners_tui.store.statuses import status_key_for
from partners_tui.store.validate import InvalidInput, check_event_dates
from partners_tui.sync import state
from partners_tui.sync.merge import RowMerge, merge_row
from partners_tui.sync.tabs import (
    COLUMNS, FIELDS, ID, REQUIRED_ON_CREATE, UPDATED_AT, BadCell, HeaderMap, canonical_row, cell_text, parse_cell, parse_stamp_cell,
)

CHUNK = 900
BOOLEANS = {e: tuple(c.field for c in cols if c.kind == "bool") for e, cols in COLUMNS.items()}
NAMED = {"partner", "event", "contact"}  # references a person may type as a name


@dataclass(frozen=True)
class RowProblem:
    tab: str
    row: int  # the sheet's row number (row 1 is the header)
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.tab} row {self.row}" if self.row else self.tab
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


@dataclass
class NewRecord:
    id: str
    values: dict[str, Any]
    row: int
    had_id: bool  # a teammate's record (its id came from the sheet) or a row typed by a person
    sheet_updated_at: str | None


@dataclass
class EntityPlan:
    entity: str
    title: str
    read: bool = False  # the tab was there and had a usable header
    rows: int = 0  # non-blank data rows seen
    creates: list[NewRecord] = field(default_factory=list)
    merges: list[RowMerge] = field(default_factory=list)  # records with changes or conflicts
    archives: list[str] = field(default_factory=list)
    base: dict[str, str] = field(default_factory=dict)  # new base: rows now in the sheet, as cells JSON
    base_drop: list[str] = field(default_factory=list)
    keep_rows: dict[str, list[Any]] = field(default_factory=dict)  # bad rows with an id (our column order)
    keep_new: list[list[Any]] = field(default_factory=list)  # bad rows without an id
    writeback: list[tuple[int, str]] = field(default_factory=list)  # (row, new id)
    id_column: int = 0
    updated_column: int | None = None


@dataclass
class PullPlan:
    at: str
    entities: dict[str, EntityPlan]
    problems: list[RowProblem]
    missing_tabs: list[str] = field(default_factory=list)

    def count(self, what: str) -> int:
        return sum(len(getattr(p, what)) for p in self.entities.values())

    @property
    def updates(self) -> int:
        return sum(1 for p in self.entities.values() for m in p.merges if m.apply)

    @property
    def conflicts(self) -> int:
        return sum(len(m.conflicts) for p in self.entities.values() for m in p.merges)


class Resolver:
    """References in cells → ids: an existing id, a record created by this pull, or a unique name."""

    def __init__(self, conn: Connection):
        self.conn = conn
        st = table("status")
        self.status_keys: dict[str, str] = {}
        for key, label in conn.execute(select(st.c.key, st.c.label)):
            self.status_keys[key] = key
            self.status_keys.setdefault(label.casefold(), key)
        self.known: dict[str, set[str]] = {}
        self.names: dict[str, dict[str, set[str]]] = {}
        self.created: dict[str, dict[str, str]] = {}  # entity → id → name

    def register(self, entity: str, key: str, name: str | None) -> None:
        self.created.setdefault(entity, {})[key] = name or ""
        if name and entity in NAMED:
            self.names.setdefault(entity, {}).setdefault(name.casefold(), set()).add(key)

    def unregister(self, entity: str, key: str) -> None:
        name = self.created.get(entity, {}).pop(key, None)
        if name and entity in NAMED:
            self.names.get(entity, {}).get(name.casefold(), set()).discard(key)

    def prepare(self, entity: str, raw: set[str]) -> None:
        """Look up, in bulk, which of these values are ids or names of `entity`."""
        t = table(entity)
        known = self.known.setdefault(entity, set())
        todo = [v for v in raw if v not in known and v not in self.created.get(entity, {})]
        for i in range(0, len(todo), CHUNK):
            known.update(self.conn.execute(select(t.c.id).where(t.c.id.in_(todo[i : i + CHUNK]))).scalars())
        if entity not in NAMED:
            return
        names = self.names.setdefault(entity, {})
        wanted = sorted({v.casefold() for v in todo if v not in known})
        for i in range(0, len(wanted), CHUNK):
            part = wanted[i : i + CHUNK]
            for key, name in self.conn.execute(select(t.c.id, t.c.name).where(func.lower(t.c.name).in_(part))):
                names.setdefault(name.casefold(), set()).add(key)

    def resolve(self, entity: str, value: str) -> str:
        if value in self.known.get(entity, ()) or value in self.created.get(entity, {}):
            return value
        matches = self.names.get(entity, {}).get(value.casefold(), set()) if entity in NAMED else set()
        label = entity.replace("_", "-")
        if len(matches) == 1:
            return next(iter(matches))
        if len(matches) > 1:
            raise BadCell(f"{len(matches)} {label}s are named {value!r}; use the id")
        raise BadCell(f"no {label} with id or name {value!r}")

    def status(self, value: str | None) -> str:
        if not value:
            raise BadCell("is required")
        for candidate in (value, value.casefold(), status_key_for(value)):
            if candidate in self.status_keys:
                return self.status_keys[candidate]
        raise BadCell(f"unknown status {value!r} (add it in Settings first)")


@dataclass
class _Parsed:
    row: int
    id: str | None
    values: dict[str, Any]
    updated_at: str | None
    raw: list[Any]
    cells: list[Any]  # the row in our column order (id, fields, updated_at)


def plan_pull(
    conn: Connection,
    tables: dict[str, tuple[str, list[list[Any]] | None]],
    clock: Clock,
    at: str,
) -> PullPlan:
    """`tables`: entity → (tab title, the tab's values or None when the tab is missing).
    Each tab's values are dropped from `tables` once planned (a big sheet is big in memory)."""
    resolver = Resolver(conn)
    plan = PullPlan(at=at, entities={}, problems=[])
    for entity in list(tables):
        title, values = tables[entity]
        tables[entity] = (title, None)
        ep = EntityPlan(entity, title)
        plan.entities[entity] = ep
        if values is None:
            plan.missing_tabs.append(title)  # nothing to read; the next push creates it
            continue
        if not values or ID not in HeaderMap.read(entity, values[0]).positions:
            plan.problems.append(RowProblem(title, 1, None, "no header row with an `id` column; tab skipped"))
            continue
        _plan_entity(conn, ep, values, resolver, clock, plan)
        del values
    return plan


def _positions(entity: str, hmap: HeaderMap) -> list[int | None]:
    keys = [ID, *FIELDS[entity], UPDATED_AT]
    return [hmap.positions.get(k) for k in keys]


def _our_order(positions: list[int | None], raw: list[Any]) -> list[Any]:
    """A row's cells in our column order (as pushed), whatever order the sheet has them in."""
    width = len(positions)
    n = len(raw)
    if n <= width and positions[width - 1] == width - 1 and _in_order(positions):
        # The usual case: the sheet's columns are ours, in our order (trailing blanks trimmed).
        row = raw if None not in raw else ["" if c is None else c for c in raw]
        return row + [""] * (width - n)
    out = []
    for i in positions:
        cell = raw[i] if i is not None and i < n else ""
        out.append("" if cell is None else cell)
    return out


_ORDERED: dict[tuple, bool] = {}


def _in_order(positions: list[int | None]) -> bool:
    key = tuple(positions)
    if key not in _ORDERED:
        _ORDERED[key] = all(p == i for i, p in enumerate(positions))
    return _ORDERED[key]


def _base_values(entity: str, cells: list[Any], clock: Clock) -> dict[str, Any]:
    """The canonical values of a stored base row (read like any cell; unreadable ones left out,
    so that field counts as having no base)."""
    out: dict[str, Any] = {}
    for column, cell in zip(COLUMNS[entity], cells[1:-1]):
        try:
            out[column.field] = parse_cell(entity, column, cell, clock)
        except BadCell:
            continue
    last = cells[-1] if cells else ""
    out[UPDATED_AT] = last if isinstance(last, str) and last else None
    return out


def _plan_entity(conn: Connection, ep: EntityPlan, values: list[list[Any]], resolver: Resolver,
                 clock: Clock, plan: PullPlan) -> None:
    entity = ep.entity
    hmap = HeaderMap.read(entity, values[0])
    ep.read = True
    ep.id_column = hmap.positions[ID]
    ep.updated_column = hmap.positions.get(UPDATED_AT)
    columns = [c for c in COLUMNS[entity] if c.field in hmap.positions]
    base = state.load_base(conn, entity)  # id → the row's cells at the last sync, as JSON text
    positions = _positions(entity, hmap)
    dump = state.dump_cells

    parsed: list[_Parsed] = []
    seen: set[str] = set()

    def problem(item_row: int, fieldname: str | None, message: str) -> None:
        plan.problems.append(RowProblem(ep.title, item_row, fieldname, message))

    id_at = hmap.positions[ID]
    updated_at_col = hmap.positions.get(UPDATED_AT)
    readers = [(column, hmap.positions[column.field]) for column in columns]
    for number, raw in enumerate(values[1:], start=2):
        if all(c == "" or c is None or (isinstance(c, str) and not c.strip()) for c in raw):
            continue  # a blank row: people leave gaps
        ep.rows += 1
        width = len(raw)
        rid = cell_text(raw[id_at]).strip() or None if id_at < width else None
        if rid is not None and rid in seen:
            problem(number, "id", f"{rid} appears on an earlier row too; this row is skipped")
            continue
        if rid is not None:
            seen.add(rid)
        cells = _our_order(positions, raw)
        if rid is not None and base.get(rid) == dump(cells):
            continue  # exactly as last synced: nothing to read from this row
        item = _Parsed(number, rid, {}, None, raw, cells)
        failed = False
        for column, at_ in readers:
            try:
                item.values[column.field] = parse_cell(entity, column, raw[at_] if at_ < width else "", clock)
            except BadCell as exc:
                problem(number, column.header, str(exc))
                failed = True
        if updated_at_col is not None and updated_at_col < width:
            try:
                item.updated_at = parse_stamp_cell(raw[updated_at_col], clock)
            except BadCell:
                item.updated_at = None  # a mangled timestamp is just unknown
        if failed:
            _keep(ep, entity, hmap, item)
            continue
        parsed.append(item)

    # Which sheet ids exist here; new rows get their ids now so later tabs can refer to them.
    local = _load_local(conn, entity, [p.id for p in parsed if p.id] + [k for k in base if k not in seen])
    for item in parsed:
        if item.id is None:
            item.id = str(uuid.uuid4())
            resolver.register(entity, item.id, item.values.get("name"))
            ep.writeback.append((item.row, item.id))
        elif item.id not in local and item.id not in base:
            resolver.register(entity, item.id, item.values.get("name"))

    # Resolve references (by id, or a unique name) and statuses, in bulk per target.
    linked = [c for c in columns if c.ref or c.kind == "status"]
    wanted: dict[str, set[str]] = {}
    for item in parsed:
        for column in linked:
            value = item.values.get(column.field)
            if column.ref and value:
                wanted.setdefault(column.ref, set()).add(value)
    for target, raw_values in wanted.items():
        resolver.prepare(target, raw_values)
    for item in list(parsed):
        failed = False
        for column in linked:
            value = item.values.get(column.field)
            try:
                if column.ref and value:
                    item.values[column.field] = resolver.resolve(column.ref, value)
                elif column.kind == "status":
                    if value is None and (item.id not in local):
                        value = "prospecting"
                    item.values[column.field] = resolver.status(value)
            except BadCell as exc:
                problem(item.row, column.header, str(exc))
                failed = True
        if failed:
            parsed.remove(item)
            _drop_new(ep, resolver, item)
            _keep(ep, entity, hmap, item)

    fields = FIELDS[entity]
    for item in parsed:
        key = item.id
        assert key is not None
        current = local.get(key)
        if current is not None:
            mine = canonical_row(entity, current)
            old = _base_values(entity, json.loads(base[key]), clock) if key in base else None
            merged = merge_row(
                entity, key, fields, old, mine, item.values,
                local_updated_at=current.get("updated_at"), sheet_updated_at=item.updated_at,
            )
            if entity == "event" and merged.apply:
                try:
                    check_event_dates({**mine, **merged.apply})
                except InvalidInput as exc:
                    for p in exc.problems:
                        problem(item.row, p.field, p.message)
                    _keep(ep, entity, hmap, item)
                    continue
            if merged.apply or merged.conflicts:
                ep.merges.append(merged)
            ep.base[key] = dump(item.cells)  # the base is what the sheet holds now
            continue
        if key in base:
            continue  # deleted here since the last sync: not brought back; the push drops the row
        values = {f: item.values.get(f) for f in fields if f in item.values}
        missing = [f for f in REQUIRED_ON_CREATE[entity] if values.get(f) in (None, "")]
        if missing:
            for f in missing:
                problem(item.row, next(c.header for c in COLUMNS[entity] if c.field == f), "is required for a new row")
            _drop_new(ep, resolver, item)
            _keep(ep, entity, hmap, item)
            continue
        if entity == "event":
            try:
                check_event_dates(values)
            except InvalidInput as exc:
                for p in exc.problems:
                    problem(item.row, p.field, p.message)
                _drop_new(ep, resolver, item)
                _keep(ep, entity, hmap, item)
                continue
        had_id = key in seen
        ep.creates.append(NewRecord(key, values, item.row, had_id, item.updated_at if had_id else None))
        if not had_id:  # the id (and time) the write-back puts into the row
            item.cells[0] = key
            if ep.updated_column is not None:
                item.cells[-1] = plan.at
        ep.base[key] = dump(item.cells)

    # A new partner under a new parent that could not be created cannot be created either.
    if entity == "partner":
        created = {r.id for r in ep.creates}
        changed = True
        while changed:
            changed = False
            for record in list(ep.creates):
                parent = record.values.get("parent_id")
                if parent and parent not in resolver.known.get("partner", set()) and parent not in created:
                    problem(record.row, "parent_id", "its parent row could not be added")
                    ep.creates.remove(record)
                    created.discard(record.id)
                    ep.base.pop(record.id, None)
                    ep.writeback = [(r, k) for r, k in ep.writeback if k != record.id]
                    resolver.unregister("partner", record.id)
                    changed = True

    # Rows that were in the sheet at the last sync and are gone now: archive the records.
    since = clock.start_of_day(hmap.since) if hmap.since else None
    occurred = 1 + FIELDS[entity].index("occurred_at") if entity == "activity" else None
    for key, old in base.items():
        if key in seen:
            continue
        if since and occurred is not None and str(json.loads(old)[occurred] or "") < since:
            ep.base_drop.append(key)  # outside a narrowed Activities tab: not removed
            continue
        ep.base_drop.append(key)
        current = local.get(key)
        if current is not None and not current.get("archived"):
            ep.archives.append(key)


def _drop_new(ep: EntityPlan, resolver: Resolver, item: _Parsed) -> None:
    """A row that will not be created: forget the id it was given, so nothing refers to it."""
    if item.id is not None and item.id in resolver.created.get(ep.entity, {}):
        resolver.unregister(ep.entity, item.id)
    ep.writeback = [(r, k) for r, k in ep.writeback if r != item.row]


def _keep(ep: EntityPlan, entity: str, hmap: HeaderMap, item: _Parsed) -> None:
    """Leave a bad row as the sheet has it: the push writes its cells back unchanged."""
    cells = _our_order(_positions(entity, hmap), item.raw)
    rid = cell_text(hmap.cell(item.raw, ID)).strip() or None
    if rid:
        ep.keep_rows[rid] = cells
    else:
        ep.keep_new.append(cells)


def _load_local(conn: Connection, entity: str, ids: list[str]) -> dict[str, dict[str, Any]]:
    """The synced fields (plus updated_at, archived) of these records, by id. Plain driver
    tuples: this runs for every row of every tab on each pull."""
    names = ["id", *FIELDS[entity], "updated_at"]
    if "archived" not in names:
        names.append("archived")
    columns = ", ".join(names)
    out: dict[str, dict[str, Any]] = {}
    unique = list(dict.fromkeys(ids))
    for i in range(0, len(unique), CHUNK):
        part = unique[i : i + CHUNK]
        marks = ", ".join("?" * len(part))
        for row in conn.exec_driver_sql(f"SELECT {columns} FROM {entity} WHERE id IN ({marks})", tuple(part)):
            record = dict(zip(names, row))
            for name in BOOLEANS[entity]:
                record[name] = bool(record[name])
            out[record["id"]] = record
    return out
