"""Row mapping: the columns of each tab, and how a stored value becomes a cell and back.

Every entity tab is `id`, the entity's own fields, `updated_at`, with a frozen header row. Cells
are written RAW: numbers as numbers (money in currency units), booleans as TRUE/FALSE, dates as
ISO text, timestamps as UTC text, everything else as text, so `=IMPORTXML(...)` stays text.

A cell read back is judged by the same rules as typed input (`store.validate`), so a sheet edit
and a form edit are accepted or refused alike. The merge compares *canonical* values: what a value
becomes after a trip through a cell, so a stored "a,b" tag list and the sheet's "a, b" are equal.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from partners_tui.store.clock import Clock, stamp
from partners_tui.store.validate import (
    SPECS, parse_bool, parse_date, parse_money, parse_tags, parse_tier_presets,
)
from partners_tui.store.validate import text as plain_text

ID = "id"
UPDATED_AT = "updated_at"
MAX_CELLS = 10_000_000  # Google's per-spreadsheet limit
SINCE_MARK = re.compile(r"^occurred_at\s*\(since (\d{4}-\d{2}-\d{2})\)\s*$")


@dataclass(frozen=True)
class Column:
    field: str
    kind: str = "text"  # text money int date bool stamp tags json status ref:<entity>
    header: str = ""  # the sheet's column name (money in currency units: amount, goal)
    ref: str | None = None  # the entity a ref column points at

    def __post_init__(self) -> None:
        header = {"amount_cents": "amount", "goal_cents": "goal"}.get(self.field, self.field)
        object.__setattr__(self, "header", self.header or header)
        if self.kind.startswith("ref:"):
            object.__setattr__(self, "ref", self.kind[4:])


COLUMNS: dict[str, tuple[Column, ...]] = {
    "partner": (
        Column("name"), Column("parent_id", "ref:partner"), Column("industry"),
        Column("website"), Column("linkedin"), Column("tier"), Column("tags", "tags"),
        Column("notes"), Column("is_alumni", "bool"), Column("archived", "bool"),
    ),
    "contact": (
        Column("partner_id", "ref:partner"), Column("name"), Column("title"), Column("email"),
        Column("phone"), Column("linkedin"), Column("strength", "int"), Column("influence"),
        Column("is_primary", "bool"), Column("notes"), Column("archived", "bool"),
    ),
    "event": (
        Column("name"), Column("year", "int"), Column("outreach_start", "date"),
        Column("start_date", "date"), Column("end_date", "date"), Column("goal_cents", "money"),
        Column("tier_presets", "json"), Column("notes"), Column("archived", "bool"),
    ),
    "deal": (
        Column("partner_id", "ref:partner"), Column("event_id", "ref:event"),
        Column("contact_id", "ref:contact"), Column("owner"), Column("status", "status"),
        Column("package_tier"), Column("role"), Column("amount_cents", "money"),
        Column("expected_close", "date"), Column("probability_override", "int"),
        Column("lost_reason"), Column("notes"), Column("archived", "bool"),
    ),
    "activity": (
        Column("partner_id", "ref:partner"), Column("contact_id", "ref:contact"),
        Column("deal_id", "ref:deal"), Column("event_id", "ref:event"), Column("channel"),
        Column("direction"), Column("occurred_at", "stamp"), Column("subject"),
        Column("summary"), Column("source"), Column("archived", "bool"),
    ),
    "follow_up": (
        Column("partner_id", "ref:partner"), Column("deal_id", "ref:deal"),
        Column("activity_id", "ref:activity"), Column("event_id", "ref:event"),
        Column("due_date", "date"), Column("note"), Column("assignee"),
        Column("done_at", "stamp"), Column("archived", "bool"),
    ),
}
FIELDS = {entity: tuple(c.field for c in cols) for entity, cols in COLUMNS.items()}
REQUIRED_ON_CREATE = {
    "partner": ("name",), "contact": ("partner_id", "name"), "event": ("name", "year"),
    "deal": ("partner_id", "event_id"), "activity": ("partner_id", "channel", "occurred_at"),
    "follow_up": ("partner_id", "due_date"),
}
PIPELINE_HEADERS = (
    "id", "partner", "event", "year", "status", "tier", "role", "amount", "next_follow_up",
    "last_activity", "owner", "updated_at",
)


def headers(entity: str, since: dt.date | None = None) -> list[str]:
    """The header row; a narrowed Activities tab says so in its occurred_at header."""
    out = [ID, *(c.header for c in COLUMNS[entity]), UPDATED_AT]
    if since is not None and entity == "activity":
        out[out.index("occurred_at")] = f"occurred_at (since {since.isoformat()})"
    return out


# --- value → cell --------------------------------------------------------------------------


def to_cell(column: Column, value: Any) -> Any:
    if value is None:
        return ""
    kind = column.kind
    if kind == "money":
        cents = int(value)
        return cents // 100 if cents % 100 == 0 else cents / 100
    if kind == "bool":
        return bool(value)
    if kind == "int":
        return int(value)
    return str(value)


# --- cell → canonical value ----------------------------------------------------------------


class BadCell(ValueError):
    """A cell that cannot be a value of its column; the message names what is wrong."""


def cell_text(cell: Any) -> str:
    """A cell as the text a person sees (numbers without a spurious `.0`)."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else repr(cell)
    return str(cell)


def _serial_date(number: float) -> str:
    """A spreadsheet date serial (days since 1899-12-30) as ISO text."""
    return (dt.date(1899, 12, 30) + dt.timedelta(days=int(number))).isoformat()


_LOCAL_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$")


_OUR_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z")


def parse_stamp_cell(cell: Any, clock: Clock) -> str | None:
    """A moment: our UTC stamp, ISO with an offset, `YYYY-MM-DD HH:MM` or `YYYY-MM-DD` (local)."""
    if isinstance(cell, str) and len(cell) == 24 and _OUR_STAMP.fullmatch(cell):
        return cell  # what a push wrote: already canonical (the common case, fast)
    raw = cell_text(cell).strip()
    if not raw:
        return None
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        days = float(cell)
        moment = dt.datetime(1899, 12, 30) + dt.timedelta(days=days)
        return stamp(clock.local_midnight(moment.date()) + dt.timedelta(seconds=round((days % 1) * 86400)))
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        return clock.start_of_day(dt.date.fromisoformat(parse_date(raw)))
    local = _LOCAL_TIME.match(raw)
    try:
        if local:
            day = dt.date.fromisoformat(parse_date(local.group(1)))
            moment = clock.local_midnight(day) + dt.timedelta(
                hours=int(local.group(2)), minutes=int(local.group(3)), seconds=int(local.group(4) or 0)
            )
            return stamp(moment)
        moment = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise BadCell(f"{raw!r} is not a date and time (use YYYY-MM-DD HH:MM)") from None
    if moment.tzinfo is None:
        return stamp(moment.replace(tzinfo=clock.local_midnight(moment.date()).tzinfo))
    return stamp(moment)


def parse_cell(entity: str, column: Column, cell: Any, clock: Clock) -> Any:
    """The canonical value of a cell before references are resolved; raises BadCell."""
    kind = column.kind
    if kind == "text" and SPECS[entity][column.field] is plain_text:  # the common case, fast
        if isinstance(cell, str):
            return cell.strip() or None
        return cell_text(cell).strip() or None
    try:
        if kind == "bool":
            return parse_bool(cell if isinstance(cell, bool) else cell_text(cell))
        if kind == "money":
            if isinstance(cell, (int, float)) and not isinstance(cell, bool):
                return parse_money(repr(cell) if isinstance(cell, float) else str(cell))
            return parse_money(cell_text(cell))
        if kind == "date":
            if isinstance(cell, (int, float)) and not isinstance(cell, bool):
                return _serial_date(cell)
            return parse_date(cell_text(cell))
        if kind == "stamp":
            return parse_stamp_cell(cell, clock)
        if kind == "tags":
            return parse_tags(cell_text(cell))
        if kind == "json":
            return parse_tier_presets(cell_text(cell).strip() or None)
        if kind == "int":
            return SPECS[entity][column.field](cell if isinstance(cell, (int, float)) else cell_text(cell))
        text = cell_text(cell).strip()
        if kind == "status" or column.ref:
            return text or None
        return SPECS[entity][column.field](text)
    except BadCell:
        raise
    except ValueError as exc:
        raise BadCell(str(exc)) from None


def canonical(entity: str, column: Column, value: Any) -> Any:
    """What a stored value becomes after a trip through a cell (the merge compares these)."""
    if value is None:
        return False if column.kind == "bool" else ("" if column.kind == "tags" else None)
    kind = column.kind
    if kind in ("money", "int"):
        return int(value)
    if kind == "bool":
        return bool(value)
    if kind in ("date", "stamp", "status") or column.ref:
        return str(value).strip() or None
    if kind == "tags":
        return parse_tags(value)
    if kind == "json":
        try:
            return parse_tier_presets(value)
        except ValueError:
            return value
    text = str(value).strip()
    return text or None


def _canon(column: Column) -> Any:
    """A fast `canonical` for one column (it runs for every cell of every push and pull)."""
    kind = column.kind
    if kind in ("money", "int"):
        return lambda v: None if v is None else int(v)
    if kind == "bool":
        return lambda v: bool(v)
    if kind in ("date", "stamp", "status", "text") or column.ref:
        return lambda v: None if v is None else (v.strip() or None if isinstance(v, str) else str(v).strip() or None)
    return lambda v: canonical("", column, v)


_CANON = {entity: tuple((c.field, _canon(c)) for c in cols) for entity, cols in COLUMNS.items()}


def canonical_row(entity: str, row: dict[str, Any]) -> dict[str, Any]:
    return {name: fn(row.get(name)) for name, fn in _CANON[entity]}


def _cell_fn(column: Column) -> Any:
    kind = column.kind
    if kind == "money":
        return lambda v: "" if v is None else (v // 100 if v % 100 == 0 else v / 100)
    if kind == "bool":
        return bool
    if kind == "int":
        return lambda v: "" if v is None else int(v)
    return lambda v: "" if v is None else (v if isinstance(v, str) else str(v))


CELL_FNS = {entity: tuple(_cell_fn(c) for c in cols) for entity, cols in COLUMNS.items()}


def row_cells(entity: str, row: dict[str, Any]) -> list[Any]:
    """One stored row as the cells of its tab, in header order."""
    return [
        row["id"], *(to_cell(c, row.get(c.field)) for c in COLUMNS[entity]),
        row.get("updated_at") or "",
    ]


def canonical_cells(entity: str, values: dict[str, Any]) -> list[Any]:
    return [to_cell(c, values.get(c.field)) for c in COLUMNS[entity]]


def column_letter(n: int) -> str:
    """1 → A, 27 → AA."""
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def quote_title(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


@dataclass(frozen=True)
class HeaderMap:
    """Where each known column sits in a tab as the sheet has it now (people reorder columns)."""

    positions: dict[str, int]  # field (or "id"/"updated_at") → 0-based column
    since: dt.date | None = None

    @classmethod
    def read(cls, entity: str, header_row: list[Any]) -> "HeaderMap":
        by_header = {c.header: c.field for c in COLUMNS[entity]}
        by_header[ID] = ID
        by_header[UPDATED_AT] = UPDATED_AT
        positions: dict[str, int] = {}
        since = None
        for i, cell in enumerate(header_row):
            name = cell_text(cell).strip()
            mark = SINCE_MARK.match(name)
            if mark and entity == "activity":
                name = "occurred_at"
                try:
                    since = dt.date.fromisoformat(mark.group(1))
                except ValueError:
                    since = None
            key = by_header.get(name) or by_header.get(name.lower())
            if key and key not in positions:
                positions[key] = i
        return cls(positions, since)

    def cell(self, row: list[Any], key: str) -> Any:
        i = self.positions.get(key)
        return row[i] if i is not None and i < len(row) else ""

