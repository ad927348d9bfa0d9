"""Small read-only summaries for the app shell's placeholder screens.

The query layer (`partners_tui.store.queries`) owns the real read models (Overview numbers, the
action queue, lists with paging and filters). Until the screens move onto it, these few reads give
the placeholders something true to show. Plain dataclasses out; no Textual; nothing is written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from partners_tui.store.changelog import table

PREVIEW_LIMIT = 200


@dataclass(frozen=True)
class Counts:
    """How many records of each kind the database holds (archived ones included)."""

    partners: int = 0
    contacts: int = 0
    events: int = 0
    deals: int = 0
    activities: int = 0
    open_follow_ups: int = 0

    @property
    def is_empty(self) -> bool:
        return not (self.partners or self.events)


@dataclass(frozen=True)
class FollowUpCounts:
    """Open (not done, not archived) follow-ups by due date relative to `today`."""

    overdue: int = 0
    due_today: int = 0
    upcoming: int = 0  # due after today, within the window
    later: int = 0  # due after the window


@dataclass(frozen=True)
class PartnerRow:
    id: str
    name: str
    industry: str | None
    tier: str | None
    deals: int
    archived: bool


@dataclass(frozen=True)
class EventRow:
    id: str
    name: str
    year: int
    start_date: str | None
    end_date: str | None
    goal_cents: int | None
    deals: int
    archived: bool


def _count(conn, entity: str, *where) -> int:
    t = table(entity)
    return conn.execute(select(func.count()).select_from(t).where(*where)).scalar() or 0


def counts(store) -> Counts:
    """One consistent snapshot of the record counts."""
    fu = table("follow_up")
    with store.read() as conn:
        return Counts(
            partners=_count(conn, "partner"),
            contacts=_count(conn, "contact"),
            events=_count(conn, "event"),
            deals=_count(conn, "deal"),
            activities=_count(conn, "activity"),
            open_follow_ups=_count(conn, "follow_up", fu.c.done_at.is_(None), fu.c.archived.is_(False)),
        )


def follow_up_counts(store, today: dt.date, window_days: int = 21) -> FollowUpCounts:
    """Open follow-ups bucketed by due date; dates are ISO text, so text order is date order."""
    fu = table("follow_up")
    day = today.isoformat()
    horizon = (today + dt.timedelta(days=window_days)).isoformat()
    is_open = (fu.c.done_at.is_(None), fu.c.archived.is_(False))
    with store.read() as conn:
        return FollowUpCounts(
            overdue=_count(conn, "follow_up", *is_open, fu.c.due_date < day),
            due_today=_count(conn, "follow_up", *is_open, fu.c.due_date == day),
            upcoming=_count(conn, "follow_up", *is_open, fu.c.due_date > day, fu.c.due_date <= horizon),
            later=_count(conn, "follow_up", *is_open, fu.c.due_date > horizon),
        )


def preview_partners(store, limit: int = PREVIEW_LIMIT) -> list[PartnerRow]:
    """The first `limit` partners by name, with how many deals each has."""
    p, d = table("partner"), table("deal")
    deals = select(func.count()).select_from(d).where(d.c.partner_id == p.c.id).scalar_subquery()
    stmt = (
        select(p.c.id, p.c.name, p.c.industry, p.c.tier, p.c.archived, deals.label("deals"))
        .order_by(func.lower(p.c.name), p.c.id)
        .limit(limit)
    )
    with store.read() as conn:
        return [
            PartnerRow(r.id, r.name, r.industry, r.tier, r.deals, bool(r.archived))
            for r in conn.execute(stmt)
        ]


def preview_events(store, limit: int = PREVIEW_LIMIT) -> list[EventRow]:
    """Events newest first (year, then start date), with how many deals each has."""
    e, d = table("event"), table("deal")
    deals = select(func.count()).select_from(d).where(d.c.event_id == e.c.id).scalar_subquery()
    stmt = (
        select(
            e.c.id, e.c.name, e.c.year, e.c.start_date, e.c.end_date, e.c.goal_cents, e.c.archived,
            deals.label("deals"),
        )
        .order_by(e.c.year.desc(), e.c.start_date.desc(), e.c.name, e.c.id)
        .limit(limit)
    )
    with store.read() as conn:
        return [
            EventRow(r.id, r.name, r.year, r.start_date, r.end_date, r.goal_cents, r.deals, bool(r.archived))
            for r in conn.execute(stmt)
        ]
