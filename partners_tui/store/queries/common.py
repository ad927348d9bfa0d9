"""Small shared pieces of the query layer: exact arithmetic, rounding, date helpers, sources.

Money stays integer cents; ratios are `Fraction`s until they are shown, so a pace status that sits
exactly on a threshold is judged exactly (no float drift at "actual = expected + 8").
"""

from __future__ import annotations

import datetime as dt
import math
import os
import time
from contextlib import contextmanager
from fractions import Fraction
from typing import Any, Iterator

from sqlalchemy import Connection, text

from partners_tui import gc_pause
from partners_tui.store.clock import Clock


def round_half_up(value: Fraction | int) -> int:
    """Nearest integer, halves away from zero for non-negative values (2.5 → 3, not 2)."""
    return math.floor(Fraction(value) + Fraction(1, 2))


def pct(ratio: Fraction | None) -> float | None:
    """A ratio as a percentage rounded half-up to 2 decimals (1/3 → 33.33); None stays None."""
    if ratio is None:
        return None
    return round_half_up(Fraction(ratio) * 10000) / 100


def shares(parts: list[int]) -> list[float]:
    """Percent shares of `parts`, 2 decimals each, summing to exactly 100.00 (0s when the total
    is 0). Largest-remainder rounding: each share is within 0.01 of its exact value, and rounding
    every share half-up on its own could miss 100 by up to 0.005 × rows (7 equal rows → 100.03).
    """
    total = sum(parts)
    if total == 0:
        return [0.0 for _ in parts]
    exact = [Fraction(p * 10000, total) for p in parts]
    floors = [math.floor(x) for x in exact]
    missing = 10000 - sum(floors)
    order = sorted(range(len(parts)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:missing]:
        floors[i] += 1
    return [f / 100 for f in floors]


def units(cents: int | None) -> float | int | None:
    """Integer cents as currency units for JSON (123450 → 1234.5)."""
    if cents is None:
        return None
    return cents / 100


def day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def year_fraction(year: int, today: dt.date) -> Fraction:
    """How much of calendar `year` has elapsed by the start of `today`, clamped to [0, 1]."""
    start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    return clamp01(Fraction((today - start).days, (end - start).days))


def clamp01(value: Fraction) -> Fraction:
    return max(Fraction(0), min(Fraction(1), value))


def weighted_cents(amount_cents: int | None, probability: int | None) -> Fraction:
    return Fraction((amount_cents or 0) * (probability or 0), 100)


_ZONE_DAYS: dict[object, dict[str, tuple[str, str, dt.date, dt.date, dt.date]]] = {}
"""Zone → UTC date → `LocalDates._for`'s answer."""
_MAX_DAYS = 200_000


class LocalDates:
    """Local calendar dates of UTC stamps in the clock's zone, for many stamps at once.

    `Clock.local_date` costs about 3 µs (parse, zone rules); the queue asks for thousands. A
    stamp's local date is its UTC date, the day before or the day after (zone offsets are under
    a day), so comparing the stamp with the instants at which those local days begin decides it
    exactly, DST included. Those instants are worked out once per UTC date and zone, and kept
    for the process (`_ZONE_DAYS`): working them out costs about 50 µs a date, and a read of
    the queue meets each stale deal's date again.
    """

    def __init__(self, clock: Clock):
        self.clock = clock
        # The machine's zone (tz None) is keyed by what decides it, should that ever change.
        zone = clock.tz or ("local", os.environ.get("TZ"), time.tzname)
        self._days = _ZONE_DAYS.setdefault(zone, {})
        if len(self._days) > _MAX_DAYS:  # a bound, never reached by real data
            self._days.clear()

    def _for(self, utc_date: str) -> tuple[str, str, dt.date, dt.date, dt.date]:
        day_ = dt.date.fromisoformat(utc_date)
        after = day_ + dt.timedelta(days=1)
        found = self._days[utc_date] = (
            self.clock.start_of_day(after), self.clock.start_of_day(day_),
            after, day_, day_ - dt.timedelta(days=1),
        )
        return found

    def of(self, stamp: str) -> dt.date:
        key = stamp[:10]
        next_starts, starts, after, same, before = self._days.get(key) or self._for(key)
        if stamp >= next_starts:
            return after
        return same if stamp >= starts else before


@contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small acyclic objects.

    The queue of a large database is tens of thousands of dicts and items: without this the
    collector runs hundreds of times over the whole heap meanwhile (a third of the queue's time),
    finding nothing, since plain rows and items hold no reference cycles. A hold of
    `gc_pause` (so a pause of the app's, or of another thread, is not ended by this one).
    """
    with gc_pause.paused():
        yield


@contextmanager
def reading(source: Any) -> Iterator[tuple[Connection, Clock]]:
    """A connection (one read transaction) and the team's clock from a Store or a Connection."""
    if isinstance(source, Connection):
        yield source, Clock()
        return
    with source.read() as conn:
        yield conn, getattr(source, "clock", None) or Clock()


def rows(conn: Connection, sql: str, params: dict[str, Any] | None = None) -> list[Any]:
    return conn.execute(text(sql), params or {}).all()


def plain_rows(conn: Connection, sql: str, params: dict[str, Any] | None = None) -> list[tuple]:
    """Like `rows`, as plain tuples straight from the sqlite3 driver, in the same transaction:
    for result sets of tens of thousands of rows, where SQLAlchemy's row objects cost about
    a microsecond each. `sql` uses only `:name` parameters, which sqlite3 understands itself."""
    return conn.connection.driver_connection.execute(sql, params or {}).fetchall()
