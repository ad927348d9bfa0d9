"""Follow-up dates as people type them: `+2d`, `+1w`, `next week`, `friday`, `2026-12-01`.

One parser for the log form, the snooze picker and `partners-tui log --next`, so a shortcut means
the same day everywhere. `next week` is the first day of next week (the team's `week.first_day`);
a weekday name is the next such day after today. Typed dates must be real calendar dates
(2026-02-30 is refused), and by default not in the past.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from partners_tui.store.settings import WEEKDAYS, snooze_date

ISO_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
OFFSET_RE = re.compile(r"^\+\s*(\d{1,4})\s*([dw])$")
MAX_DAYS_AHEAD = 3660  # ten years: anything further is a typo


class FollowUpDateError(ValueError):
    """Text that is not a follow-up date; the message says what would be accepted."""


HINT = "use +2d, +1w, next week, a weekday such as friday, or YYYY-MM-DD"


def _weekday_index(name: str) -> int | None:
    for i, day in enumerate(WEEKDAYS):
        if name in (day, day[:3]):
            return i
    return None


def parse_follow_up_date(
    text: str, today: dt.date, first_day: str = "monday", *, allow_past: bool = False
) -> dt.date:
    """The date `text` means, seen from `today` (FollowUpDateError if it means none)."""
    raw = " ".join(str(text or "").strip().lower().split())
    if not raw:
        raise FollowUpDateError(f"a date is required: {HINT}")
    if ISO_RE.match(raw):
        try:
            day = dt.date.fromisoformat(raw)
        except ValueError:
            raise FollowUpDateError(f"{raw} is not a real date") from None
    elif m := OFFSET_RE.match(raw):
        day = snooze_date(f"+{m.group(1)}{m.group(2)}", today, first_day)
    elif raw == "today":
        day = today
    elif raw == "tomorrow":
        day = today + dt.timedelta(days=1)
    elif raw == "next week":
        day = snooze_date("next week", today, first_day)
    else:
        name = raw[5:] if raw.startswith("next ") else raw
        index = _weekday_index(name)
        if index is None:
            raise FollowUpDateError(f"{text.strip()!r} is not a date: {HINT}")
        day = snooze_date(f"next {WEEKDAYS[index]}", today, first_day)
    if not allow_past and day < today:
        raise FollowUpDateError(f"{day.isoformat()} is in the past")
    if (day - today).days > MAX_DAYS_AHEAD:
        raise FollowUpDateError(f"{day.isoformat()} is more than ten years away")
    return day


@dataclass(frozen=True)
class Shortcut:
    """One offered choice: the text as configured, and the day it means today."""

    choice: str
    day: dt.date

    @property
    def label(self) -> str:
        """`+1w  Sun 29 Nov`: the choice and the day it lands on."""
        return f"{self.choice}  {self.day:%a} {self.day.day} {self.day:%b}"


def shortcuts(choices: list[str], today: dt.date, first_day: str = "monday") -> list[Shortcut]:
    """The team's snooze choices (`follow_up.snooze_choices`) resolved for `today`; a repeated
    choice, or one that no longer parses, is left out rather than breaking the form."""
    out: list[Shortcut] = []
    for choice in choices:
        if any(s.choice == choice for s in out):
            continue
        try:
            out.append(Shortcut(choice, parse_follow_up_date(choice, today, first_day)))
        except FollowUpDateError:
            continue
    return out


def describe_day(day: dt.date, today: dt.date) -> str:
    """`today`, `tomorrow`, `in 5d`, `3d ago`: how far a date is, for confirmations."""
    delta = (day - today).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "tomorrow"
    return f"in {delta}d" if delta > 0 else f"{-delta}d ago"
