"""What the Settings screen shows: statuses with how many deals use them, each year's goal next
to the sum of its event goals, and the team settings with their defaults filled in.

One read transaction, so the three sections agree with each other.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from partners_tui.store.queries.common import reading, rows
from partners_tui.store.settings import SETTINGS


@dataclass(frozen=True)
class StatusRow:
    key: str
    label: str
    position: int
    probability: int
    secured: bool
    closed: bool
    stale_after_days: int | None
    archived: bool
    deals: int
    """Deals in this status, archived deals included (they keep it too)."""

    @property
    def kind(self) -> str:
        """open / secured / won (secured and closed) / lost (closed, not secured)."""
        if self.secured:
            return "won" if self.closed else "secured"
        return "lost" if self.closed else "open"


@dataclass(frozen=True)
class YearGoal:
    """One year's goal. `event_goal_cents` sums the goals of the year's events that are not
    archived (what the Overview counts by default)."""

    year: int
    annual_goal_cents: int | None
    event_goal_cents: int
    events: int
    events_with_goal: int
    archived_events: int

    @property
    def goal_cents(self) -> int:
        """The goal the numbers use: the explicit annual goal if set, else the event sum."""
        return self.annual_goal_cents if self.annual_goal_cents is not None else self.event_goal_cents

    @property
    def difference_cents(self) -> int | None:
        """Annual goal − sum of event goals (None when no annual goal is set)."""
        if self.annual_goal_cents is None:
            return None
        return self.annual_goal_cents - self.event_goal_cents


@dataclass(frozen=True)
class SettingsView:
    statuses: tuple[StatusRow, ...]
    goals: tuple[YearGoal, ...]
    """Newest year first: every year with an event or an annual goal, plus this year."""
    settings: dict[str, Any]
    machine_time_zone: str

    def status(self, key: str) -> StatusRow | None:
        return next((s for s in self.statuses if s.key == key), None)

    def goal(self, year: int) -> YearGoal | None:
        return next((g for g in self.goals if g.year == year), None)


def machine_time_zone() -> str:
    """This machine's zone name (America/Vancouver), for "default: this machine's"."""
    env = os.environ.get("TZ", "").lstrip(":")
    if env and "/" in env:
        return env
    try:
        target = str(Path("/etc/localtime").resolve())
    except OSError:
        target = ""
    if "zoneinfo/" in target:
        return target.split("zoneinfo/", 1)[1]
    return dt.datetime.now().astimezone().tzname() or "local time"


def settings_view(source: Any, today: dt.date) -> SettingsView:
    """Everything on the Settings screen, from a Store or a Connection."""
    with reading(source) as (conn, _clock):
        statuses = tuple(
            StatusRow(
                r.key, r.label, r.position, r.probability, bool(r.secured), bool(r.closed),
                r.stale_after_days, bool(r.archived), r.deals,
            )
            for r in rows(
                conn,
                """
                SELECT s.key, s.label, s.position, s.probability, s.secured, s.closed,
                       s.stale_after_days, s.archived, coalesce(d.n, 0) AS deals
                FROM status s
                LEFT JOIN (SELECT status, count(*) AS n FROM deal GROUP BY status) d
                       ON d.status = s.key
                ORDER BY s.position, s.key
                """,
            )
        )
        annual = {r.year: r.goal_cents for r in rows(conn, "SELECT year, goal_cents FROM annual_goal")}
        per_year = {
            r.year: r
            for r in rows(
                conn,
                """
                SELECT year,
                       coalesce(sum(CASE WHEN archived = 0 THEN goal_cents END), 0) AS goal,
                       sum(archived = 0) AS events,
                       sum(archived = 0 AND coalesce(goal_cents, 0) > 0) AS with_goal,
                       sum(archived = 1) AS archived
                FROM event GROUP BY year
                """,
            )
        }
        goals = tuple(
            YearGoal(
                year,
                annual.get(year),
                per_year[year].goal if year in per_year else 0,
                per_year[year].events if year in per_year else 0,
                per_year[year].with_goal if year in per_year else 0,
                per_year[year].archived if year in per_year else 0,
            )
            for year in sorted(set(annual) | set(per_year) | {today.year}, reverse=True)
        )
        stored = {}
        for key, raw in rows(conn, "SELECT key, value FROM setting"):
            try:
                stored[key] = json.loads(raw)
            except ValueError:  # a hand-edited bad value: show the default instead of failing
                continue
        settings = {key: stored.get(key, spec.default) for key, spec in SETTINGS.items()}
    return SettingsView(statuses, goals, settings, machine_time_zone())
