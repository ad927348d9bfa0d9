"""One event or one partner in full: the detail views' read models, plain dataclasses out.

Event figures come from the Overview's own functions over a scope of that one event
(`deal_totals`, `pipeline_from_totals`, `scoreboard_from`, `action_queue`), so the detail's tiles,
status mix and follow-up counts are the Overview's numbers for that event. Deal lists are paged
and sorted in SQL (an event of the large demo holds over a thousand deals).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from partners_tui.store.clock import Clock
from partners_tui.store.queries.action_queue import action_queue
from partners_tui.store.queries.common import reading, rows
from partners_tui.store.queries.lists import PartnerRef, presets_of
from partners_tui.store.queries.pace import GoalPace, event_goal, make_pace
from partners_tui.store.queries.pipeline import Pipeline, pipeline_from_totals
from partners_tui.store.queries.scope import Scope, resolve_scope
from partners_tui.store.queries.scoreboard import scoreboard_from
from partners_tui.store.queries.totals import deal_totals, load_statuses

DEAL_PAGE = 200
RECENT_ACTIVITIES = 10
PRESSURE_ITEMS = 8
TIMELINE_PAGE = 100


# --- shared rows ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DealRow:
    """A deal as the detail tables show it. `next_follow_up` is its earliest open follow-up;
    `last_activity` the local date of the latest activity on it or its partner for its event."""

    id: str
    partner_id: str
    partner: str
    partner_archived: bool
    contact_id: str | None
    contact: str | None
    event_id: str
    event: str
    event_year: int
    status: str
    status_label: str
    secured: bool
    closed: bool
    package_tier: str | None
    role: str | None
    amount_cents: int | None
    next_follow_up: str | None
    last_activity: str | None
    archived: bool


@dataclass(frozen=True)
class DealPage:
    rows: tuple[DealRow, ...]
    total: int
    offset: int

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.rows) < self.total


@dataclass(frozen=True)
class ActivityRow:
    id: str
    occurred_at: str
    """UTC stamp; `day` and `time` are local."""
    day: str
    time: str
    channel: str
    direction: str
    subject: str | None
    summary: str | None
    partner_id: str
    partner: str
    contact: str | None
    event: str | None
    deal_id: str | None
    source: str


@dataclass(frozen=True)
class FollowUpRow:
    id: str
    partner_id: str
    partner: str
    due_date: str
    days_until_due: int
    note: str | None
    assignee: str | None
    deal_id: str | None
    event: str | None

    @property
    def overdue(self) -> bool:
        return self.days_until_due < 0


NEXT_FOLLOW_UP = (
    "(SELECT min(f.due_date) FROM follow_up f"
    " WHERE f.deal_id = d.id AND +f.done_at IS NULL AND +f.archived = 0)"
)
"""A deal's earliest open follow-up. The unary `+` keeps SQLite on the deal_id index: with an
index led by (done_at, archived) it would otherwise walk every open follow-up for each deal."""
DEAL_SORTS = {
    "partner": "p.name COLLATE NOCASE",
    "contact": "c.name COLLATE NOCASE",
    "status": "s.position",
    "tier": "d.package_tier COLLATE NOCASE",
    "role": "d.role COLLATE NOCASE",
    "amount": "d.amount_cents",
    "follow_up": "next_follow_up",
    "last_activity": "d.last_activity_at",
    "event": "e.year DESC, e.start_date",
}
"""Sortable deal columns. Empty values sort last whichever the direction; ties by partner."""

DEAL_SELECT = f"""
    SELECT d.id, d.partner_id, p.name AS partner, p.archived AS partner_archived,
           d.contact_id, c.name AS contact, d.event_id, e.name AS event, e.year AS event_year,
           d.status, s.label AS status_label, s.secured, s.closed, d.package_tier, d.role,
           d.amount_cents, {NEXT_FOLLOW_UP} AS next_follow_up, d.last_activity_at, d.archived
    FROM deal d
    JOIN partner p ON p.id = d.partner_id
    JOIN event e ON e.id = d.event_id
    JOIN status s ON s.key = d.status
    LEFT JOIN contact c ON c.id = d.contact_id
"""


def _deal_row(r: Any, clock: Clock) -> DealRow:
    return DealRow(
        r.id, r.partner_id, r.partner, bool(r.partner_archived), r.contact_id, r.contact,
        r.event_id, r.event, r.event_year, r.status, r.status_label, bool(r.secured),
        bool(r.closed), r.package_tier, r.role, r.amount_cents, r.next_follow_up,
        clock.local_date(r.last_activity_at).isoformat() if r.last_activity_at else None,
        bool(r.archived),
    )


def _order(sort: str, descending: bool) -> str:
    if sort not in DEAL_SORTS:
        raise ValueError(f"cannot sort deals by {sort!r}; choose one of {', '.join(DEAL_SORTS)}")
    column = DEAL_SORTS[sort]
    if sort == "event":  # already newest first; "descending" flips to oldest first
        return "e.year, e.start_date" if descending else column
    direction = "DESC" if descending else "ASC"
    return f"({column}) IS NULL, {column} {direction}"


def _activity_row(r: Any, clock: Clock) -> ActivityRow:
    local = clock.to_local(dt.datetime.fromisoformat(r.occurred_at.replace("Z", "+00:00")))
    return ActivityRow(
        r.id, r.occurred_at, local.date().isoformat(), local.strftime("%H:%M"), r.channel,
        r.direction, r.subject, r.summary, r.partner_id, r.partner, r.contact, r.event,
        r.deal_id, r.source,
    )


ACTIVITY_SELECT = """
    SELECT a.id, a.occurred_at, a.channel, a.direction, a.subject, a.summary, a.partner_id,
           p.name AS partner, c.name AS contact, e.name AS event, a.deal_id, a.source
    FROM activity a
    JOIN partner p ON p.id = a.partner_id
    LEFT JOIN contact c ON c.id = a.contact_id
    LEFT JOIN event e ON e.id = a.event_id
"""


def _follow_up_rows(conn: Connection, where: str, params: dict, today: dt.date, limit: int | None) -> list[FollowUpRow]:
    found = rows(
        conn,
        f"""
        SELECT f.id, f.partner_id, p.name AS partner, f.due_date, f.note, f.assignee, f.deal_id,
               e.name AS event
        FROM follow_up f
        JOIN partner p ON p.id = f.partner_id
        LEFT JOIN deal d ON d.id = f.deal_id
        LEFT JOIN event e ON e.id = coalesce(d.event_id, f.event_id)
        WHERE +f.done_at IS NULL AND +f.archived = 0 AND {where}
        ORDER BY f.due_date, p.name COLLATE NOCASE, f.id
        {'LIMIT :limit' if limit else ''}
        """,
        {**params, "limit": limit},
    )
    return [
        FollowUpRow(
            r.id, r.partner_id, r.partner, r.due_date,
            (dt.date.fromisoformat(r.due_date) - today).days, r.note, r.assignee, r.deal_id,
            r.event,
        )
        for r in found
    ]


# --- one event -----------------------------------------------------------------------------


@dataclass(frozen=True)
class EventRecord:
    id: str
    name: str
    year: int
    outreach_start: str | None
    start_date: str | None
    end_date: str | None
    goal_cents: int | None
    tier_presets: tuple[tuple[str, int | None], ...]
    notes: str | None
    archived: bool


@dataclass(frozen=True)
class EventDetail:
    """The event's tiles (cents), pace, status mix, follow-up pressure and latest activities.

    `committed` = every in-scope deal's amount whatever its status, `secured` = secured statuses,
    `open_pipeline` / `weighted_pipeline` = open statuses (weighted by probability), as on the
    Overview. `follow_ups_due` (today to the window's end) and `follow_ups_overdue` count the
    action queue's follow-ups of this event; `pressure` lists the most urgent of them.
    """

    event: EventRecord
    include_archived: bool
    committed_cents: int
    secured_cents: int
    open_pipeline_cents: int
    weighted_pipeline_cents: int
    deals: int
    pace: GoalPace
    pipeline: Pipeline
    window_days: int
    follow_ups_due: int
    follow_ups_overdue: int
    pressure: tuple[FollowUpRow, ...]
    recent: tuple[ActivityRow, ...]


def event_record(conn: Connection, event_id: str) -> EventRecord | None:
    found = rows(
        conn,
        """
        SELECT id, name, year, outreach_start, start_date, end_date, goal_cents, tier_presets,
               notes, archived FROM event WHERE id = :id
        """,
        {"id": event_id},
    )
    if not found:
        return None
    r = found[0]
    return EventRecord(
        r.id, r.name, r.year, r.outreach_start, r.start_date, r.end_date, r.goal_cents,
        presets_of(r.tier_presets), r.notes, bool(r.archived),
    )


def event_detail(
    source: Any, event_id: str, today: dt.date, *, include_archived: bool = False,
    recent: int = RECENT_ACTIVITIES,
) -> EventDetail | None:
    """Everything the event detail shows above its deals table; None if there is no such event.

    An archived event is shown with archived records included (else it would read as empty).
    """
    with reading(source) as (conn, clock):
        event = event_record(conn, event_id)
        if event is None:
            return None
        include = include_archived or event.archived
        scope = resolve_scope(conn, Scope("all", None, event_id, None, include), today)
        statuses = load_statuses(conn)
        totals = deal_totals(conn, scope, statuses)
        queue = action_queue(conn, scope, clock, statuses)
        row = scoreboard_from(scope, totals, queue.counts)[0]
        info = scope.events[0]
        goal, expected = event_goal(info, today)
        pace = make_pace(goal, totals.amount(pred=lambda s: s.secured), expected)
        pressure_ids = [
            i.follow_up_id for i in queue.items
            if i.kind == "follow_up" and i.event_id == event_id
        ][:PRESSURE_ITEMS]
        pressure: list[FollowUpRow] = []
        if pressure_ids:
            marks = ", ".join(f":f{i}" for i in range(len(pressure_ids)))
            pressure = _follow_up_rows(
                conn, f"f.id IN ({marks})", {f"f{i}": v for i, v in enumerate(pressure_ids)},
                today, None,
            )
        hidden = "" if include else "AND p.archived = 0"
        recent_rows = rows(
            conn,
            f"""{ACTIVITY_SELECT}
            WHERE a.event_id = :e AND a.archived = 0 {hidden}
            ORDER BY a.occurred_at DESC, a.id DESC LIMIT :limit
            """,
            {"e": event_id, "limit": recent},
        )
        return EventDetail(
            event=event,
            include_archived=include,
            committed_cents=row.committed_cents,
            secured_cents=row.secured_cents,
            open_pipeline_cents=row.open_pipeline_cents,
            weighted_pipeline_cents=row.weighted_pipeline_cents,
            deals=row.deals,
            pace=pace,
            pipeline=pipeline_from_totals(totals),
            window_days=scope.window_days,
            follow_ups_due=row.follow_ups_due,
            follow_ups_overdue=row.follow_ups_overdue,
            pressure=tuple(pressure),
            recent=tuple(_activity_row(r, clock) for r in recent_rows),
        )


def event_deals(
    source: Any, event_id: str, *, sort: str = "partner", descending: bool = False,
    include_archived: bool = False, offset: int = 0, limit: int = DEAL_PAGE,
) -> DealPage:
    """The event's deals, one page, sorted by `sort` (a key of DEAL_SORTS).

    Without `include_archived`: the deals the event's figures count (not archived, partner not
    archived). An archived event always lists its archived records too, as its detail does.
    """
    with reading(source) as (conn, clock):
        archived_event = rows(conn, "SELECT archived FROM event WHERE id = :e", {"e": event_id})
        include = include_archived or bool(archived_event and archived_event[0][0])
        hidden = "" if include else "AND d.archived = 0 AND p.archived = 0"
        total = rows(
            conn,
            f"SELECT count(*) FROM deal d JOIN partner p ON p.id = d.partner_id "
            f"WHERE d.event_id = :e {hidden}",
            {"e": event_id},
        )[0][0]
        found = rows(
            conn,
            f"""{DEAL_SELECT}
            WHERE d.event_id = :e {hidden}
            ORDER BY {_order(sort, descending)}, p.name COLLATE NOCASE, d.id
            LIMIT :limit OFFSET :offset
            """,
            {"e": event_id, "limit": limit, "offset": offset},
        )
        return DealPage(tuple(_deal_row(r, clock) for r in found), total, offset)


# --- one partner ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PartnerRecord:
    id: str
    name: str
    parent_id: str | None
    industry: str | None
    website: str | None
    linkedin: str | None
    tier: str | None
    tags: str
    notes: str | None
    is_alumni: bool
    archived: bool


@dataclass(frozen=True)
class ContactRow:
    id: str
    partner_id: str
    name: str
    title: str | None
    email: str | None
    phone: str | None
    linkedin: str | None
    strength: int | None
    influence: str | None
    is_primary: bool
    notes: str | None
    archived: bool


@dataclass(frozen=True)
class DealSummary:
    """Totals over the partner's deals that are not archived (cents)."""

    deals: int
    committed_cents: int
    secured_cents: int
    open_cents: int
    lost: int


@dataclass(frozen=True)
class PartnerDetail:
    partner: PartnerRecord
    parent: PartnerRef | None
    children: tuple[PartnerRef, ...]
    contacts: tuple[ContactRow, ...]
    deals: tuple[DealRow, ...]
    summary: DealSummary
    activities: tuple[ActivityRow, ...]
    activities_total: int
    follow_ups: tuple[FollowUpRow, ...]


def partner_record(conn: Connection, partner_id: str) -> PartnerRecord | None:
    found = rows(
        conn,
        """
        SELECT id, name, parent_id, industry, website, linkedin, tier, tags, notes, is_alumni,
               archived FROM partner WHERE id = :id
        """,
        {"id": partner_id},
    )
    if not found:
        return None
    r = found[0]
    return PartnerRecord(
        r.id, r.name, r.parent_id, r.industry, r.website, r.linkedin, r.tier, r.tags or "",
        r.notes, bool(r.is_alumni), bool(r.archived),
    )


def partner_detail(
    source: Any, partner_id: str, today: dt.date, *, activity_limit: int = TIMELINE_PAGE,
    deal_sort: str = "event", descending: bool = False,
) -> PartnerDetail | None:
    """The partner with its contacts (archived last), its deals across events (archived ones
    too, marked), totals, the activity timeline (latest first, `activity_limit` of
    `activities_total`), open follow-ups (earliest first), parent and children."""
    with reading(source) as (conn, clock):
        partner = partner_record(conn, partner_id)
        if partner is None:
            return None
        parent = None
        if partner.parent_id:
            found = rows(conn, "SELECT id, name, archived FROM partner WHERE id = :id",
                         {"id": partner.parent_id})
            parent = PartnerRef(found[0].id, found[0].name, bool(found[0].archived)) if found else None
        children = tuple(
            PartnerRef(r.id, r.name, bool(r.archived))
            for r in rows(
                conn,
                "SELECT id, name, archived FROM partner WHERE parent_id = :id "
                "ORDER BY archived, name COLLATE NOCASE, id",
                {"id": partner_id},
            )
        )
        contacts = tuple(
            ContactRow(
                r.id, r.partner_id, r.name, r.title, r.email, r.phone, r.linkedin, r.strength,
                r.influence, bool(r.is_primary), r.notes, bool(r.archived),
            )
            for r in rows(
                conn,
                """
                SELECT id, partner_id, name, title, email, phone, linkedin, strength, influence,
                       is_primary, notes, archived
                FROM contact WHERE partner_id = :id
                ORDER BY archived, is_primary DESC, name COLLATE NOCASE, id
                """,
                {"id": partner_id},
            )
        )
        deals = tuple(
            _deal_row(r, clock)
            for r in rows(
                conn,
                f"""{DEAL_SELECT}
                WHERE d.partner_id = :id
                ORDER BY d.archived, {_order(deal_sort, descending)}, e.name, d.id
                """,
                {"id": partner_id},
            )
        )
        live = [d for d in deals if not d.archived]
        summary = DealSummary(
            deals=len(live),
            committed_cents=sum(d.amount_cents or 0 for d in live),
            secured_cents=sum(d.amount_cents or 0 for d in live if d.secured),
            open_cents=sum(d.amount_cents or 0 for d in live if not d.secured and not d.closed),
            lost=sum(1 for d in live if d.closed and not d.secured),
        )
        activities_total = rows(
            conn, "SELECT count(*) FROM activity WHERE partner_id = :id AND +archived = 0",
            {"id": partner_id},
        )[0][0]
        activities = tuple(
            _activity_row(r, clock)
            for r in rows(
                conn,
                f"""{ACTIVITY_SELECT}
                WHERE a.partner_id = :id AND +a.archived = 0
                ORDER BY a.occurred_at DESC, a.id DESC LIMIT :limit
                """,
                {"id": partner_id, "limit": activity_limit},
            )
        )
        follow_ups = tuple(_follow_up_rows(conn, "f.partner_id = :id", {"id": partner_id}, today, None))
    return PartnerDetail(
        partner, parent, children, contacts, deals, summary, activities, activities_total,
        follow_ups,
    )


# --- single records for the edit forms ------------------------------------------------------


def record(source: Any, entity: str, key: str) -> dict[str, Any] | None:
    """One stored row as a dict of column values (None if missing), to prefill an edit form."""
    tables = ("partner", "contact", "event", "deal", "activity", "follow_up")
    if entity not in tables:
        raise ValueError(f"no form reads {entity!r}")
    with reading(source) as (conn, _clock):
        found = conn.exec_driver_sql(f"SELECT * FROM {entity} WHERE id = ?", (key,)).mappings().first()
    return dict(found) if found else None


def next_follow_up(source: Any, deal_id: str) -> FollowUpRow | None:
    """The deal's earliest open follow-up (its "next follow-up"), if any."""
    with reading(source) as (conn, clock):
        found = _follow_up_rows(conn, "f.deal_id = :d", {"d": deal_id}, clock.today(), 1)
    return found[0] if found else None


def same_role_deals(
    source: Any, partner_id: str, event_id: str, role: str | None, *, exclude: str | None = None,
) -> int:
    """How many other deals (not archived) the partner has in the event with the same role
    (case-insensitive; no role matches no role): a second one is warned about, not refused."""
    with reading(source) as (conn, _clock):
        return rows(
            conn,
            """
            SELECT count(*) FROM deal
            WHERE partner_id = :p AND event_id = :e AND archived = 0
              AND coalesce(lower(trim(role)), '') = coalesce(lower(trim(:role)), '')
              AND (:exclude IS NULL OR id != :exclude)
            """,
            {"p": partner_id, "e": event_id, "role": role or None, "exclude": exclude},
        )[0][0]


def activity_timeline(
    source: Any, partner_id: str, *, offset: int = 0, limit: int = TIMELINE_PAGE,
) -> tuple[ActivityRow, ...]:
    """More of a partner's timeline (latest first), for paging past the first screenful."""
    with reading(source) as (conn, clock):
        return tuple(
            _activity_row(r, clock)
            for r in rows(
                conn,
                f"""{ACTIVITY_SELECT}
                WHERE a.partner_id = :id AND a.archived = 0
                ORDER BY a.occurred_at DESC, a.id DESC LIMIT :limit OFFSET :offset
                """,
                {"id": partner_id, "limit": limit, "offset": offset},
            )
        )

