"""Scope (DESIGN 4.1): which year, which event, the follow-up window, archived on or off.

`Scope` is what a person asks for; `resolve_scope()` turns it into a `ResolvedScope` (the year
`auto` picks, the events in scope, the window) that every read model takes, and whose SQL
fragments (`event_sql`, `deal_sql`) filter the same set everywhere, so every total reconciles.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from partners_tui.store.queries.common import rows

DEFAULT_WINDOW = 21
MIN_WINDOW, MAX_WINDOW = 7, 90
WINDOW_SETTING = "follow_up.window_days"
YEAR_MODES = ("auto", "all", "year")


class ScopeError(ValueError):
    """A scope option that cannot be honoured (bad year, window out of range, unknown event)."""


@dataclass(frozen=True)
class Scope:
    """What the user asked for. `year` is used when `year_mode == "year"`; `window_days` None
    means the team's setting `follow_up.window_days`, else 21."""

    year_mode: str = "auto"
    year: int | None = None
    event_id: str | None = None
    window_days: int | None = None
    include_archived: bool = False

    @classmethod
    def parse(
        cls, year: str | int | None = "auto", event_id: str | None = None,
        window_days: int | None = None, include_archived: bool = False,
    ) -> "Scope":
        """From option text: year "auto", "all" or "YYYY" (ScopeError otherwise)."""
        raw = "auto" if year is None else str(year).strip().lower()
        if raw in ("auto", "all"):
            mode, number = raw, None
        elif re.fullmatch(r"\d{4}", raw):
            mode, number = "year", int(raw)
        else:
            raise ScopeError(f"--year must be auto, all or a year such as 2026 (got {year!r})")
        return cls(mode, number, event_id or None, window_days, bool(include_archived))


@dataclass(frozen=True)
class EventInfo:
    id: str
    name: str
    year: int
    outreach_start: str | None
    start_date: str | None
    end_date: str | None
    goal_cents: int | None
    archived: bool


@dataclass(frozen=True)
class ResolvedScope:
    """The scope made concrete for one `today`.

    `year` is the resolved year (None for all years). `events` are the events in scope, in
    scoreboard order (year desc, start date desc with undated last, name); `archived_events`
    counts archived events matching the year/event filter whether or not they are included.
    """

    year_mode: str
    year: int | None
    event_id: str | None
    window_days: int
    include_archived: bool
    today: dt.date
    events: tuple[EventInfo, ...] = field(default=())
    archived_events: int = 0

    @property
    def event_ids(self) -> tuple[str, ...]:
        return tuple(e.id for e in self.events)

    @property
    def horizon(self) -> dt.date:
        """The last due date the follow-up window reaches: today + window."""
        return self.today + dt.timedelta(days=self.window_days)

    def event_filter(self, alias: str = "e") -> tuple[str, dict[str, Any]]:
        """SQL condition on an `event` row: the year/event filter and the archived rule."""
        conds, params = ["1 = 1"], {}
        if self.year is not None:
            conds.append(f"{alias}.year = :scope_year")
            params["scope_year"] = self.year
        if self.event_id is not None:
            conds.append(f"{alias}.id = :scope_event")
            params["scope_event"] = self.event_id
        if not self.include_archived:
            conds.append(f"{alias}.archived = 0")
        return " AND ".join(conds), params

    def events_in(
        self, column: str, prefix: str = "sev", also: tuple[str, ...] = (),
    ) -> tuple[str, dict[str, Any]]:
        """SQL `column IN (the ids of self.events, then the values `also`)` with its parameters
        (false when the list is empty).

        The explicit list lets SQLite seek an index on `column` once per value, and keeps a
        caller that narrows `events` (a text filter) consistent with its sums."""
        ids = [e.id for e in self.events] + list(also)
        if not ids:
            return "0 = 1", {}
        params = {f"{prefix}{i}": key for i, key in enumerate(ids)}
        return f"{column} IN ({', '.join(':' + k for k in params)})", params

    def deal_filter(self, deal: str = "d", partner: str = "p") -> tuple[str, dict[str, Any]]:
        """SQL condition for deals in scope: not archived, event in scope, partner visible
        (`partner` must be joined on the deal's partner)."""
        ev, params = self.event_filter("se")
        conds = [
            f"{deal}.archived = 0",
            f"{deal}.event_id IN (SELECT se.id FROM event se WHERE {ev})",
        ]
        if not self.include_archived:
            conds.append(f"{partner}.archived = 0")
        return " AND ".join(conds), params


def _window(conn: Connection, requested: int | None) -> int:
    if requested is None:
        raw = rows(conn, "SELECT value FROM setting WHERE key = :k", {"k": WINDOW_SETTING})
        try:
            stored = int(json.loads(raw[0][0])) if raw else None
        except (TypeError, ValueError):
            stored = None
        # A bad stored value must not break the Overview: fall back to the default.
        return stored if stored is not None and MIN_WINDOW <= stored <= MAX_WINDOW else DEFAULT_WINDOW
    if isinstance(requested, bool) or not isinstance(requested, int) or not (
        MIN_WINDOW <= requested <= MAX_WINDOW
    ):
        raise ScopeError(
            f"--window must be between {MIN_WINDOW} and {MAX_WINDOW} days (got {requested})"
        )
    return requested


def auto_year(conn: Connection, today: dt.date) -> int:
    """DESIGN 4.1 `auto`: the year of the nearest non-archived event that has not ended (end
    date ≥ today, or no end date and year ≥ this year); else the latest year with a non-archived
    event; else this calendar year.

    "Nearest" = the smallest distance from today to the event's date (start date, else end
    date, else 1 January of its year), an event already under way being at distance 0; ties go
    to the earlier year.
    """
    iso = today.isoformat()
    found = rows(
        conn,
        """
        SELECT year, start_date, end_date FROM event
        WHERE archived = 0
          AND ((end_date IS NOT NULL AND end_date >= :today)
               OR (end_date IS NULL AND year >= :this_year))
        """,
        {"today": iso, "this_year": today.year},
    )
    if found:
        def distance(r) -> tuple[int, int]:
            anchor = r.start_date or r.end_date or f"{r.year:04d}-01-01"
            return (max(0, (dt.date.fromisoformat(anchor) - today).days), r.year)

        return min(found, key=distance).year
    latest = rows(conn, "SELECT max(year) FROM event WHERE archived = 0")[0][0]
    return latest if latest is not None else today.year


def resolve_scope(conn: Connection, scope: Scope, today: dt.date) -> ResolvedScope:
    """Validate `scope` and make it concrete for `today` (ScopeError on a bad option).

    With one event chosen, that event is the scope: `auto` resolves to the event's year, `all`
    stays all, and an explicit year other than the event's leaves nothing in scope.
    """
    if scope.year_mode not in YEAR_MODES:
        raise ScopeError(f"year mode must be one of {', '.join(YEAR_MODES)}")
    if scope.year_mode == "year" and scope.year is None:
        raise ScopeError("a year is required with year mode 'year'")
    window = _window(conn, scope.window_days)
    chosen = None
    if scope.event_id is not None:
        found = rows(conn, "SELECT year FROM event WHERE id = :id", {"id": scope.event_id})
        if not found:
            raise ScopeError(f"no event with id {scope.event_id!r}")
        chosen = found[0].year
    if scope.year_mode == "all":
        year = None
    elif scope.year_mode == "year":
        year = scope.year
    else:
        year = chosen if chosen is not None else auto_year(conn, today)
    base = ResolvedScope(
        scope.year_mode, year, scope.event_id, window, scope.include_archived, today
    )
    # Matching events, archived ones too (counted separately whether or not included).
    loose = ResolvedScope(scope.year_mode, year, scope.event_id, window, True, today)
    cond, params = loose.event_filter("e")
    found = rows(
        conn,
        f"""
        SELECT id, name, year, outreach_start, start_date, end_date, goal_cents, archived
        FROM event e WHERE {cond}
        ORDER BY year DESC, start_date IS NULL, start_date DESC, name, id
        """,
        params,
    )
    events = tuple(
        EventInfo(r.id, r.name, r.year, r.outreach_start, r.start_date, r.end_date,
                  r.goal_cents, bool(r.archived))
        for r in found
        if scope.include_archived or not r.archived
    )
    archived = sum(1 for r in found if r.archived)
    return ResolvedScope(
        base.year_mode, base.year, base.event_id, base.window_days, base.include_archived,
        today, events, archived,
    )
