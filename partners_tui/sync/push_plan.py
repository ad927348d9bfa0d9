"""What a push writes: every tab's rows from one database snapshot, and the cell count first.

Rows go in creation order, so rows people add at the bottom of a tab stay at the bottom. Bad rows
a pull left alone are written back exactly as the sheet had them. The Pipeline tab is a
read-only view for people: one row per open deal with partner and event names.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, func, select, text

from partners_tui.store.changelog import COMMAND, table
from partners_tui.store.clock import Clock
from partners_tui.sync import state
from partners_tui.sync.gateway import SheetInfo, grid_rows
from partners_tui.sync.pull_plan import EntityPlan
from partners_tui.sync.settings import ENTITY_TABS, SheetsSettings
from partners_tui.sync.tabs import (
    CELL_FNS, COLUMNS, MAX_CELLS, PIPELINE_HEADERS, headers, to_cell,
)

CHUNK = 5000


@dataclass
class TabPayload:
    key: str  # entity, or "pipeline"
    title: str
    header: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    base: dict[str, str] | None = None  # id → merge base (the row's cells as JSON); None for Pipeline

    @property
    def grid_rows(self) -> int:
        return grid_rows(len(self.rows))

    @property
    def width(self) -> int:
        return len(self.header)

    def block(self) -> list[list[Any]]:
        """Header, rows, and blank rows up to the grid height (old cells must not survive)."""
        out = [self.header, *self.rows]
        while len(out) < self.grid_rows:
            out.append([""] * self.width)
        return out


@dataclass
class PushPlan:
    tabs: list[TabPayload]
    watermark: int  # the latest command included in this snapshot
    since: dt.date | None

    def rows(self) -> int:
        return sum(len(t.rows) for t in self.tabs)


def build_push(
    conn: Connection,
    settings: SheetsSettings,
    clock: Clock,
    *,
    since: dt.date | None = None,
    keep: dict[str, EntityPlan] | None = None,
) -> PushPlan:
    watermark = conn.execute(select(func.max(COMMAND.c.id))).scalar() or 0
    tabs = []
    for entity in ENTITY_TABS:
        tabs.append(_entity_tab(conn, entity, settings.tab(entity), clock, since if entity == "activity" else None,
                                (keep or {}).get(entity)))
    tabs.append(_pipeline_tab(conn, settings.tab("pipeline"), clock))
    return PushPlan(tabs, watermark, since)


def _entity_tab(conn: Connection, entity: str, title: str, clock: Clock, since: dt.date | None,
                kept: EntityPlan | None) -> TabPayload:
    fields = [c.field for c in COLUMNS[entity]]
    sql = f"SELECT id, {', '.join(fields)}, updated_at FROM {entity}"
    params: tuple = ()
    if since is not None:
        sql += " WHERE occurred_at >= ?"
        params = (clock.start_of_day(since),)
    sql += " ORDER BY created_at, id"
    payload = TabPayload(entity, title, headers(entity, since), base={})
    keep_rows = dict(kept.keep_rows) if kept else {}
    old_base = state.load_base(conn, entity, list(keep_rows)) if keep_rows else {}
    cell_fns = CELL_FNS[entity]
    rows, base = payload.rows, payload.base
    dump = state.dump_cells
    result = conn.exec_driver_sql(sql, params)
    while True:
        chunk = result.fetchmany(CHUNK)
        if not chunk:
            break
        for row in chunk:
            key, values, updated = row[0], row[1:-1], row[-1]
            if key in keep_rows:
                rows.append(keep_rows.pop(key))
                if key in old_base:
                    base[key] = old_base[key]
                continue
            cells = [key, *(fn(v) for fn, v in zip(cell_fns, values)), updated]
            rows.append(cells)
            base[key] = dump(cells)  # the merge base: exactly what the sheet now holds
    for key, cells in keep_rows.items():  # a bad row for a record this database does not hold
        rows.append(cells)
        if key in old_base:
            base[key] = old_base[key]
    if kept:
        rows.extend(kept.keep_new)
    return payload


# One grouped pass over open follow-ups (a correlated subquery per deal let SQLite walk the
# open-follow-up index once per deal: 139 s for 50,000 deals).
PIPELINE_SQL = """
SELECT d.id, p.name AS partner, e.name AS event, e.year, s.label AS status, d.package_tier,
       d.role, d.amount_cents, d.owner, d.last_activity_at, d.updated_at, f.next_follow_up
FROM deal d
JOIN partner p ON p.id = d.partner_id
JOIN event e ON e.id = d.event_id
JOIN status s ON s.key = d.status
LEFT JOIN (SELECT deal_id, min(due_date) AS next_follow_up FROM follow_up
           WHERE done_at IS NULL AND archived = 0 AND deal_id IS NOT NULL
           GROUP BY deal_id) f ON f.deal_id = d.id
WHERE d.archived = 0 AND p.archived = 0 AND e.archived = 0
ORDER BY e.year DESC, e.name, p.name, d.id
"""


def _pipeline_tab(conn: Connection, title: str, clock: Clock) -> TabPayload:
    from partners_tui.sync.tabs import Column

    money = Column("amount_cents", "money")
    payload = TabPayload("pipeline", title, list(PIPELINE_HEADERS))
    result = conn.execute(text(PIPELINE_SQL))
    while True:
        chunk = result.fetchmany(CHUNK)
        if not chunk:
            break
        for r in chunk:
            last = clock.local_date(r.last_activity_at).isoformat() if r.last_activity_at else ""
            payload.rows.append(
                [
                    r.id, r.partner, r.event, r.year, r.status, r.package_tier or "", r.role or "",
                    to_cell(money, r.amount_cents), r.next_follow_up or "", last, r.owner or "",
                    r.updated_at,
                ]
            )
    return payload


# --- the 10-million-cell limit -------------------------------------------------------------


@dataclass(frozen=True)
class TabShape:
    key: str  # entity, or "pipeline"
    title: str
    rows: int  # data rows
    width: int

    @property
    def grid_rows(self) -> int:
        return grid_rows(self.rows)


@dataclass(frozen=True)
class CellCount:
    total: int
    by_tab: dict[str, int]
    other_tabs: int  # cells in tabs this app does not write
    shapes: tuple[TabShape, ...] = ()
    since: dt.date | None = None

    @property
    def fits(self) -> bool:
        return self.total <= MAX_CELLS


def planned_shapes(
    conn: Connection, settings: SheetsSettings, clock: Clock, *, since: dt.date | None = None,
    keep: dict[str, EntityPlan] | None = None,
) -> list[TabShape]:
    """Every tab's rows counted in SQL, before anything is built (a refused push costs little)."""
    shapes = []
    for entity in ENTITY_TABS:
        sql, params = f"SELECT count(*) FROM {entity}", ()
        if entity == "activity" and since is not None:
            sql, params = sql + " WHERE occurred_at >= ?", (clock.start_of_day(since),)
        rows = conn.exec_driver_sql(sql, params).scalar() or 0
        kept = (keep or {}).get(entity)
        if kept:  # a bad row kept as the sheet has it may add a row (an upper bound)
            rows += len(kept.keep_new) + len(kept.keep_rows)
        shapes.append(TabShape(entity, settings.tab(entity), rows, len(headers(entity))))
    pipeline = conn.exec_driver_sql(
        "SELECT count(*) FROM deal d JOIN partner p ON p.id = d.partner_id "
        "JOIN event e ON e.id = d.event_id "
        "WHERE d.archived = 0 AND p.archived = 0 AND e.archived = 0"
    ).scalar() or 0
    shapes.append(TabShape("pipeline", settings.tab("pipeline"), pipeline, len(PIPELINE_HEADERS)))
    return shapes


def plan_shapes(plan: PushPlan) -> list[TabShape]:
    return [TabShape(t.key, t.title, len(t.rows), t.width) for t in plan.tabs]


def count_cells(shapes: list[TabShape], info: SheetInfo, since: dt.date | None = None) -> CellCount:
    """Cells the spreadsheet holds after the push: our tabs as sized, plus every other tab."""
    by_tab: dict[str, int] = {}
    ours = {t.title for t in shapes}
    for tab in shapes:
        existing = info.tabs.get(tab.title)
        width = max(tab.width, existing.columns if existing else 0)
        by_tab[tab.title] = tab.grid_rows * width
    other = sum(t.cells for title, t in info.tabs.items() if title not in ours)
    return CellCount(sum(by_tab.values()) + other, by_tab, other, tuple(shapes), since)


def too_many_cells_message(conn: Connection, count: CellCount, clock: Clock) -> str:
    """Say how far over the limit the push is, and how many days of activities would fit."""
    activity = next(t for t in count.shapes if t.key == "activity")
    without = count.total - count.by_tab[activity.title]
    room_rows = (MAX_CELLS - without) // activity.width - 1
    lines = [
        f"This push needs {count.total:,} cells, but a Google spreadsheet holds at most "
        f"{MAX_CELLS:,}; nothing was written.",
        f"The {activity.title} tab alone needs {count.by_tab[activity.title]:,} cells "
        f"({activity.rows:,} rows).",
    ]
    if room_rows <= 0:
        lines.append("Even without activities it does not fit: archive old records or use a new spreadsheet.")
        return " ".join(lines)
    a = table("activity")
    query = select(a.c.occurred_at).order_by(a.c.occurred_at.desc()).offset(room_rows).limit(1)
    if count.since is not None:
        query = query.where(a.c.occurred_at >= clock.start_of_day(count.since))
    cutoff = conn.execute(query).scalar()
    if cutoff is None:
        days = 3650
    else:
        days = max((clock.today() - clock.local_date(cutoff)).days - 1, 0)
    if days <= 0:
        lines.append("Push fewer activities: even one day of them does not fit.")
    else:
        lines.append(
            f"Push only recent activities, e.g. with --activities-days {days} (the last {days} days "
            f"fit); older activities stay here and are not archived by teammates' pulls."
        )
    return " ".join(lines)
