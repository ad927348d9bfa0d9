"""The Events and Partners lists: filtered, sorted and paged in SQL, plain dataclasses out.

The event list reuses the Overview's arithmetic (`deal_totals`, `scoreboard_from`, `make_pace`)
so an event's secured, committed and pace read the same on both screens. The partner list reads
the `partner_search` table (one row per partner, clustered by name, kept current by triggers):
a page is read in name order and the scan stops as soon as the page is full, and the total is one
pass over that narrow table, so a search keystroke costs milliseconds on 50,000 partners.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from sqlalchemy import Connection

from partners_tui.store.queries.action_queue import QueueCounts
from partners_tui.store.queries.common import reading, rows
from partners_tui.store.queries.pace import event_goal, make_pace
from partners_tui.store.queries.scope import Scope, resolve_scope
from partners_tui.store.queries.scoreboard import scoreboard_from
from partners_tui.store.queries.totals import deal_totals, load_statuses

PAGE_SIZE = 100
ARCHIVED_MODES = ("hide", "include", "only")


# --- events --------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventListRow:
    """One event with the scoreboard's money figures (integer cents) and its goal pace.

    `pace` is a DESIGN 4.3 status (`no_goal`, `not_started`, `ahead`, `on_track`, `behind`);
    the ratios are exact (None without a goal) for drawing a progress bar with its marker.
    """

    id: str
    name: str
    year: int
    outreach_start: str | None
    start_date: str | None
    end_date: str | None
    goal_cents: int | None
    archived: bool
    secured_cents: int
    committed_cents: int
    open_pipeline_cents: int
    deals: int
    actual_pct: float | None
    expected_pct: float | None
    pace: str
    actual_ratio: Fraction | None
    expected_ratio: Fraction | None


@dataclass(frozen=True)
class EventList:
    rows: tuple[EventListRow, ...]
    years: tuple[int, ...]
    """Every year that has an event (archived ones too), newest first: the year filter's choices."""


def _terms(text: str | None) -> list[str]:
    return [t for t in (text or "").casefold().split() if t]


def event_list(
    source: Any, today: dt.date, *, year: int | None = None, text: str | None = None,
    include_archived: bool = False,
) -> EventList:
    """Events of `year` (all years when None) whose name or year holds every word of `text`,
    newest first (year, start date, name), as the Overview scoreboard orders them.

    Deals count as the Overview counts them with the same archived rule: archived deals never,
    deals of archived partners only when `include_archived`.
    """
    with reading(source) as (conn, _clock):
        scope = resolve_scope(
            conn, Scope("all" if year is None else "year", year, None, None, include_archived),
            today,
        )
        terms = _terms(text)
        events = tuple(
            e for e in scope.events
            if all(t in f"{e.name} {e.year}".casefold() for t in terms)
        )
        scope = dataclasses.replace(scope, events=events)
        totals = deal_totals(conn, scope, load_statuses(conn))
        board = scoreboard_from(scope, totals, QueueCounts())
        years = tuple(r.year for r in rows(conn, "SELECT DISTINCT year FROM event ORDER BY year DESC"))
    out = []
    for event, row in zip(events, board):
        goal, expected = event_goal(event, today)
        pace = make_pace(goal, row.secured_cents, expected)
        out.append(
            EventListRow(
                id=row.id, name=row.name, year=row.year, outreach_start=event.outreach_start,
                start_date=row.start_date, end_date=row.end_date, goal_cents=row.goal_cents,
                archived=row.archived, secured_cents=row.secured_cents,
                committed_cents=row.committed_cents, open_pipeline_cents=row.open_pipeline_cents,
                deals=row.deals, actual_pct=row.actual_pct, expected_pct=row.expected_pct,
                pace=row.pace, actual_ratio=pace.actual_ratio, expected_ratio=pace.expected_ratio,
            )
        )
    return EventList(tuple(out), years)


# --- partners ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartnerFilter:
    """What the Partners screen asks for. Every field narrows the list; the defaults show every
    partner that is not archived.

    `text`: every word must appear in the name, tags, notes or a contact's name or email
    (case-insensitive for ASCII letters). `status` / `event_id`: the partner has a deal (not
    archived) in that status / for that event, the same deal when both are given. `tier`: the
    partner's own tier, or the package tier of such a deal. `tag`: one of the partner's tags.
    `alumni`: True or False to keep only alumni or only the others. `archived`: `hide`,
    `include` or `only`.
    """

    text: str = ""
    status: str | None = None
    event_id: str | None = None
    tier: str | None = None
    tag: str | None = None
    alumni: bool | None = None
    archived: str = "hide"

    def __post_init__(self) -> None:
        if self.archived not in ARCHIVED_MODES:
            raise ValueError(f"archived must be one of {', '.join(ARCHIVED_MODES)}")

    @property
    def narrowed(self) -> bool:
        """True when anything other than the text search narrows the list."""
        return any(
            (self.status, self.event_id, self.tier, self.tag, self.alumni is not None,
             self.archived != "hide")
        )


@dataclass(frozen=True)
class PartnerListRow:
    id: str
    name: str
    industry: str | None
    tier: str | None
    tags: str
    is_alumni: bool
    archived: bool
    parent: str | None
    contacts: int
    deals: int
    primary_contact: str | None
    primary_email: str | None


@dataclass(frozen=True)
class PartnerPage:
    """One page of the list. `total` counts every match (None when not asked for); `next_after`
    is the cursor to pass as `after` for the following page (None on the last page)."""

    rows: tuple[PartnerListRow, ...]
    total: int | None
    next_after: tuple[str, str] | None

    @property
    def has_more(self) -> bool:
        return self.next_after is not None


def like_escape(term: str) -> str:
    """`term` as a LIKE pattern matching it anywhere (with ESCAPE '\\')."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _partner_where(flt: PartnerFilter) -> tuple[str, dict[str, Any]]:
    """SQL condition on `partner_search s` for the filter, and its parameters. A deal filter
    gathers the matching deals' partners once, from an index (event, status or tier first)."""
    conds: list[str] = []
    params: dict[str, Any] = {}
    for i, term in enumerate(_terms(flt.text)):
        conds.append(f"s.body LIKE :t{i} ESCAPE '\\'")
        params[f"t{i}"] = like_escape(term)
    if flt.archived == "hide":
        conds.append("s.archived = 0")
    elif flt.archived == "only":
        conds.append("s.archived = 1")
    if flt.alumni is not None:
        conds.append("s.is_alumni = :alumni")
        params["alumni"] = 1 if flt.alumni else 0
    if flt.tag:
        conds.append("(', ' || s.tags || ', ') LIKE :tag ESCAPE '\\'")
        params["tag"] = "%, " + like_escape(flt.tag.strip())[1:-1] + ", %"
    deal_conds = ["dl.archived = 0"]
    if flt.status:
        deal_conds.append("dl.status = :status")
        params["status"] = flt.status
    if flt.event_id:
        deal_conds.append("dl.event_id = :event")
        params["event"] = flt.event_id
    deals = " AND ".join(deal_conds)
    # `+s.partner_id`: test membership while walking the list in name order (the page stops
    # when full) rather than visiting every gathered partner and sorting them.
    if flt.status or flt.event_id:
        conds.append(f"+s.partner_id IN (SELECT dl.partner_id FROM deal dl WHERE {deals})")
    if flt.tier:
        params["tier"] = flt.tier.strip()
        conds.append(
            "(s.tier = :tier COLLATE NOCASE OR +s.partner_id IN (SELECT dl.partner_id FROM deal dl "
            f"WHERE dl.package_tier = :tier COLLATE NOCASE AND {deals}))"
        )
    return (" AND ".join(conds) or "1 = 1"), params


def count_partners(source: Any, flt: PartnerFilter) -> int:
    with reading(source) as (conn, _clock):
        where, params = _partner_where(flt)
        return rows(conn, f"SELECT count(*) FROM partner_search s WHERE {where}", params)[0][0]


def search_partners(
    source: Any, flt: PartnerFilter = PartnerFilter(), *, after: tuple[str, str] | None = None,
    limit: int = PAGE_SIZE, with_total: bool | None = True,
) -> PartnerPage:
    """One page of partners matching `flt`, by name (case-insensitive), then id.

    `after` is the (name, id) of the last row already shown: keyset paging, so a page deep in
    the list costs the same as the first and a record added meanwhile is neither shown twice
    nor skipped. `with_total`: True counts every match (one more pass over the search table),
    False never, None only when it is free (a first page that holds every match); a screen
    can then show the page at once and count in the background (`count_partners`).
    """
    with reading(source) as (conn, _clock):
        where, params = _partner_where(flt)
        if after is not None:
            where += (
                " AND (s.sort_name > :after_name"
                " OR (s.sort_name = :after_name AND s.partner_id > :after_id))"
            )
            params.update(after_name=after[0], after_id=after[1])
        found = rows(
            conn,
            f"""
            SELECT s.partner_id, s.sort_name FROM partner_search s WHERE {where}
            ORDER BY s.sort_name, s.partner_id LIMIT :limit
            """,
            {**params, "limit": limit + 1},
        )
        more = len(found) > limit
        found = found[:limit]
        details = _partner_rows(conn, [r.partner_id for r in found])
        total = None
        if with_total is None and after is None and not more:
            total = len(found)
        elif with_total:
            where_all, params_all = _partner_where(flt)
            total = rows(
                conn, f"SELECT count(*) FROM partner_search s WHERE {where_all}", params_all
            )[0][0]
    next_after = (found[-1].sort_name, found[-1].partner_id) if more and found else None
    return PartnerPage(tuple(details[r.partner_id] for r in found if r.partner_id in details),
                       total, next_after)


def _partner_rows(conn: Connection, ids: list[str]) -> dict[str, PartnerListRow]:
    if not ids:
        return {}
    marks = ", ".join(f":id{i}" for i in range(len(ids)))
    params = {f"id{i}": v for i, v in enumerate(ids)}
    found = rows(
        conn,
        f"""
        SELECT p.id, p.name, p.industry, p.tier, p.tags, p.is_alumni, p.archived,
               pp.name AS parent,
               (SELECT count(*) FROM contact c WHERE c.partner_id = p.id AND +c.archived = 0)
                   AS contacts,
               (SELECT count(*) FROM deal d WHERE d.partner_id = p.id AND +d.archived = 0)
                   AS deals,
               pc.name AS primary_contact, pc.email AS primary_email
        FROM partner p
        LEFT JOIN partner pp ON pp.id = p.parent_id
        LEFT JOIN contact pc ON pc.id = (
            SELECT c.id FROM contact c WHERE c.partner_id = p.id AND +c.archived = 0
            ORDER BY c.is_primary DESC, c.name COLLATE NOCASE, c.id LIMIT 1
        )
        WHERE p.id IN ({marks})
        """,
        params,
    )
    return {
        r.id: PartnerListRow(
            r.id, r.name, r.industry, r.tier, r.tags or "", bool(r.is_alumni), bool(r.archived),
            r.parent, r.contacts, r.deals, r.primary_contact, r.primary_email,
        )
        for r in found
    }


# --- choices for filters and forms --------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class EventChoice:
    id: str
    name: str
    year: int
    archived: bool
    tier_presets: tuple[tuple[str, int | None], ...]
    """(label, amount in cents) in the order the event lists them."""

    @property
    def label(self) -> str:
        return f"{self.name} ({self.year})" if str(self.year) not in self.name else self.name


def presets_of(raw: str | None) -> tuple[tuple[str, int | None], ...]:
    """The event's `tier_presets` JSON as (label, cents) pairs; unreadable JSON as none."""
    try:
        items = json.loads(raw or "[]")
    except json.JSONDecodeError:
        return ()
    out = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and item.get("label"):
            cents = item.get("amount_cents")
            out.append((str(item["label"]), cents if isinstance(cents, int) else None))
    return tuple(out)


def event_choices(source: Any, *, include_archived: bool = False) -> tuple[EventChoice, ...]:
    """Events to pick from (newest first), with their tier presets."""
    with reading(source) as (conn, _clock):
        found = rows(
            conn,
            f"""
            SELECT id, name, year, archived, tier_presets FROM event
            {'' if include_archived else 'WHERE archived = 0'}
            ORDER BY year DESC, start_date IS NULL, start_date DESC, name, id
            """,
        )
    return tuple(
        EventChoice(r.id, r.name, r.year, bool(r.archived), presets_of(r.tier_presets))
        for r in found
    )


def status_choices(source: Any) -> tuple[Choice, ...]:
    """Pipeline statuses that are not archived, in pipeline order."""
    with reading(source) as (conn, _clock):
        found = rows(conn, "SELECT key, label FROM status WHERE archived = 0 ORDER BY position, key")
    return tuple(Choice(r.key, r.label) for r in found)


@dataclass(frozen=True)
class PartnerFilterChoices:
    statuses: tuple[Choice, ...]
    events: tuple[EventChoice, ...]
    tiers: tuple[str, ...]
    tags: tuple[str, ...]


def partner_filter_choices(source: Any) -> PartnerFilterChoices:
    """What the Partners filters offer: statuses, events (archived too), every tier used by a
    partner or a deal, every tag (each spelled as first met, sorted ignoring case)."""
    with reading(source) as (conn, _clock):
        tiers = {
            r[0].strip()
            for r in rows(
                conn,
                "SELECT DISTINCT tier FROM partner WHERE tier IS NOT NULL "
                "UNION SELECT DISTINCT package_tier FROM deal WHERE package_tier IS NOT NULL",
            )
            if r[0] and r[0].strip()
        }
        tags: dict[str, str] = {}
        for (raw,) in rows(conn, "SELECT DISTINCT tags FROM partner WHERE tags != ''"):
            for tag in raw.split(","):
                tag = tag.strip()
                if tag:
                    tags.setdefault(tag.casefold(), tag)
    by_fold: dict[str, str] = {}
    for tier in sorted(tiers):
        by_fold.setdefault(tier.casefold(), tier)
    return PartnerFilterChoices(
        statuses=status_choices(source),
        events=event_choices(source, include_archived=True),
        tiers=tuple(sorted(by_fold.values(), key=str.casefold)),
        tags=tuple(sorted(tags.values(), key=str.casefold)),
    )


@dataclass(frozen=True)
class PartnerRef:
    id: str
    name: str
    archived: bool


def partner_ref(source: Any, partner_id: str | None) -> PartnerRef | None:
    if not partner_id:
        return None
    with reading(source) as (conn, _clock):
        found = rows(conn, "SELECT id, name, archived FROM partner WHERE id = :id", {"id": partner_id})
    return PartnerRef(found[0].id, found[0].name, bool(found[0].archived)) if found else None


def contact_choices(source: Any, partner_id: str | None) -> tuple[Choice, ...]:
    """The partner's contacts that are not archived, primary first, then by name."""
    if not partner_id:
        return ()
    with reading(source) as (conn, _clock):
        found = rows(
            conn,
            """
            SELECT id, name, title FROM contact WHERE partner_id = :p AND archived = 0
            ORDER BY is_primary DESC, name COLLATE NOCASE, id
            """,
            {"p": partner_id},
        )
    return tuple(Choice(r.id, f"{r.name} ({r.title})" if r.title else r.name) for r in found)


def deal_choices(source: Any, partner_id: str | None) -> tuple[Choice, ...]:
    """The partner's deals that are not archived, newest event first: "Event · role · status"."""
    if not partner_id:
        return ()
    with reading(source) as (conn, _clock):
        found = rows(
            conn,
            """
            SELECT d.id, e.name AS event, d.role, s.label AS status FROM deal d
            JOIN event e ON e.id = d.event_id JOIN status s ON s.key = d.status
            WHERE d.partner_id = :p AND d.archived = 0
            ORDER BY e.year DESC, e.start_date IS NULL, e.start_date DESC, e.name, d.id
            """,
            {"p": partner_id},
        )
    return tuple(
        Choice(r.id, " · ".join(x for x in (r.event, r.role, r.status) if x)) for r in found
    )
