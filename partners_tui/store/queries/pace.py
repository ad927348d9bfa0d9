"""Goal pace (DESIGN 4.3): how much should be secured by today, and are we on pace."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy import Connection

from partners_tui.store.queries.common import (
    clamp01, day, pct, round_half_up, rows, year_fraction,
)
from partners_tui.store.queries.scope import EventInfo, ResolvedScope

AHEAD_POINTS = 8
BEHIND_POINTS = 5
PACE_STATUSES = ("no_goal", "not_started", "ahead", "on_track", "behind")


def expected_ratio(event: EventInfo, today: dt.date) -> Fraction:
    """r for one event: clamp((today − s) / (e − s), 0, 1) with s = outreach start (else start
    date) and e = end date (else start date).

    When s = e: 0 before that day, 1 from it; so is an end date alone (a deadline), and an
    outreach start later than the start date with no end (a one-day event on the later date).
    No end at all (no end or start date; an outreach start alone, or nothing): the fraction of
    the event's calendar year elapsed, rather than a jump to 1 on the first day of outreach.
    """
    s = day(event.outreach_start) or day(event.start_date)
    e = day(event.end_date) or day(event.start_date)
    if e is None:
        return year_fraction(event.year, today)
    if s is None or e <= s:
        point = e if s is None else max(s, e)
        return Fraction(1 if today >= point else 0)
    return clamp01(Fraction((today - s).days, (e - s).days))


@dataclass(frozen=True)
class GoalPace:
    """Amounts in integer cents; percentages rounded to 2 decimals; None where there is no goal.
    `actual_ratio` / `expected_ratio` are the exact ratios (for drawing a pace bar)."""

    goal_cents: int | None
    secured_cents: int
    expected_secured_cents: int | None
    actual_pct: float | None
    expected_pct: float | None
    pace_delta_cents: int | None
    status: str
    actual_ratio: Fraction | None = None
    expected_ratio: Fraction | None = None


def pace_status(goal_cents: int | None, secured_cents: int, expected: Fraction | None) -> str:
    if not goal_cents:
        return "no_goal"
    if not expected:
        return "not_started"
    actual_points = Fraction(secured_cents * 100, goal_cents)
    expected_points = expected * 100 / goal_cents
    if actual_points >= expected_points + AHEAD_POINTS:
        return "ahead"
    if actual_points >= expected_points - BEHIND_POINTS:
        return "on_track"
    return "behind"


def make_pace(goal_cents: int | None, secured_cents: int, expected: Fraction | None) -> GoalPace:
    """The pace figures from a goal, the secured total and the exact expected secured (cents).

    Percentages and the status come from the exact ratios; the expected amount is rounded to
    the cent and the delta is taken from that rounded amount."""
    if not goal_cents:
        return GoalPace(None, secured_cents, None, None, None, None, "no_goal")
    expected = expected or Fraction(0)
    actual = Fraction(secured_cents, goal_cents)
    exp_ratio = expected / goal_cents
    expected_cents = round_half_up(expected)
    return GoalPace(
        goal_cents,
        secured_cents,
        expected_cents,
        pct(actual),
        pct(exp_ratio),
        secured_cents - expected_cents,  # so delta = secured − expected as shown, to the cent
        pace_status(goal_cents, secured_cents, expected),
        actual,
        exp_ratio,
    )


def event_goal(event: EventInfo, today: dt.date) -> tuple[int | None, Fraction | None]:
    """(goal, expected secured) of one event; (None, None) without a goal (missing or 0)."""
    if not event.goal_cents:
        return None, None
    return event.goal_cents, event.goal_cents * expected_ratio(event, today)


def annual_goals(conn: Connection) -> dict[int, int]:
    return {r.year: r.goal_cents for r in rows(conn, "SELECT year, goal_cents FROM annual_goal")}


def scope_goal(
    conn: Connection, scope: ResolvedScope, annual: dict[int, int] | None = None
) -> tuple[int | None, Fraction | None]:
    """(goal, expected secured by today) of the scope, exact; goal None when missing or 0.

    One event chosen: that event's. One year: the explicit annual goal if set (expected = goal ×
    Σ(event goal × r) / Σ event goal, or × the calendar-year fraction when no in-scope event has
    a goal), else Σ goals of the in-scope events (expected = Σ event goal × r). All years: the
    same per year, summed over the years that have an in-scope event or an annual goal.
    """
    today = scope.today
    if scope.event_id is not None:
        if not scope.events:  # the chosen event is archived and archived ones are hidden
            return None, None
        return event_goal(scope.events[0], today)
    annual = annual if annual is not None else annual_goals(conn)
    if scope.year is not None:
        years = {scope.year}
    else:
        years = {e.year for e in scope.events} | set(annual)
    goal, expected = 0, Fraction(0)
    for year in sorted(years):
        with_goal = [e for e in scope.events if e.year == year and e.goal_cents]
        total = sum(e.goal_cents for e in with_goal)
        exp = sum((e.goal_cents * expected_ratio(e, today) for e in with_goal), Fraction(0))
        if year in annual:
            g = annual[year]
            goal += g
            expected += g * exp / total if total else g * year_fraction(year, today)
        else:
            goal += total
            expected += exp
    if not goal:
        return None, None
    return goal, expected


def goal_pace(
    conn: Connection, scope: ResolvedScope, secured_cents: int,
    annual: dict[int, int] | None = None,
) -> GoalPace:
    goal, expected = scope_goal(conn, scope, annual)
    return make_pace(goal, secured_cents, expected)
