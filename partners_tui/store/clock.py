"""What time it is, and what day it is where the team works.

"Today" is the local calendar date in the configured time zone, never the UTC date by accident.
A fixed clock makes reports, demo data and snapshots reproducible.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

STAMP_FORMAT = "%Y-%m-%dT%H:%M:%S"


def stamp(moment: dt.datetime) -> str:
    """A timestamp as fixed-width UTC text, so text order is time order."""
    utc = moment.astimezone(dt.timezone.utc)
    return utc.strftime(STAMP_FORMAT) + f".{utc.microsecond // 1000:03d}Z"


def parse_stamp(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def stamp_from_epoch_ms(ms: int | float) -> str:
    return stamp(dt.datetime.fromtimestamp(ms / 1000, tz=dt.timezone.utc))


@dataclass(frozen=True)
class Clock:
    """`tz` None means the machine's zone; `fixed` pins "now" (tests, `--today`)."""

    tz: str | None = None
    fixed: dt.datetime | None = None

    def to_local(self, moment: dt.datetime) -> dt.datetime:
        # With no zone set, astimezone() applies the machine's rules (DST included) for that instant.
        return moment.astimezone(ZoneInfo(self.tz)) if self.tz else moment.astimezone()

    def local_midnight(self, day: dt.date, hour: int = 0) -> dt.datetime:
        naive = dt.datetime.combine(day, dt.time(hour))
        return naive.replace(tzinfo=ZoneInfo(self.tz)) if self.tz else naive.astimezone()

    def now(self) -> dt.datetime:
        if self.fixed is not None:
            return self.fixed.astimezone(dt.timezone.utc)
        return dt.datetime.now(dt.timezone.utc)

    def stamp(self) -> str:
        return stamp(self.now())

    def today(self) -> dt.date:
        return self.to_local(self.now()).date()

    def local_date(self, stamp_text: str) -> dt.date:
        return self.to_local(parse_stamp(stamp_text)).date()

    def start_of_day(self, day: dt.date) -> str:
        """The UTC stamp at which `day` begins in the team's zone."""
        return stamp(self.local_midnight(day))

    @classmethod
    def fixed_at(cls, day: dt.date | str, tz: str | None = None, hour: int = 12) -> "Clock":
        """A clock frozen at `hour` o'clock local time on `day`."""
        if isinstance(day, str):
            day = dt.date.fromisoformat(day)
        return cls(tz=tz, fixed=cls(tz=tz).local_midnight(day, hour))
