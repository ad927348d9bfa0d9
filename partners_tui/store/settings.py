"""Team settings the numbers depend on: what each key means, its default and how it is checked.

Values live in the `setting` table (JSON), written by `Store.set_setting` so every change is
change-logged and undoable. One registry serves the Settings screen, `settings show|set` and
every reader, so a key cannot be spelled two ways.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Callable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from partners_tui.store.validate import InvalidInput, Problem, parse_int

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
SNOOZE_RE = re.compile(r"^\+\d+[dw]$|^next (monday|tuesday|wednesday|thursday|friday|saturday|sunday|week)$")


def _currency_code(raw: Any) -> str:
    code = str(raw).strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise ValueError(f"{raw!r} is not a three-letter currency code such as CAD or EUR")
    return code


def _symbol(raw: Any) -> str:
    symbol = str(raw).strip()
    if not 0 < len(symbol) <= 4:
        raise ValueError("must be 1 to 4 characters, such as $ or CA$")
    return symbol


def _time_zone(raw: Any) -> str:
    zone = str(raw or "").strip()
    if zone in ("", "local", "machine"):
        return ""
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        close = sorted(z for z in available_timezones() if zone.lower() in z.lower())[:3]
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise ValueError(f"{zone!r} is not a time zone such as America/Vancouver{hint}") from None
    return zone


def _weekday(raw: Any) -> str:
    day = str(raw).strip().lower()
    for name in WEEKDAYS:
        if day in (name, name[:3]):
            return name
    raise ValueError(f"{raw!r} is not a day of the week")


def _window(raw: Any) -> int:
    return parse_int(raw, 7, 90)


def _snoozes(raw: Any) -> list[str]:
    items = raw if isinstance(raw, list) else str(raw).split(",")
    choices = [str(i).strip().lower() for i in items if str(i).strip()]
    if not choices:
        raise ValueError("needs at least one choice, such as +2d, +1w, next week or next monday")
    for choice in choices:
        if not SNOOZE_RE.match(choice):
            raise ValueError(
                f"{choice!r} is not a snooze choice (use +Nd, +Nw, next week or next monday)")
    return choices


@dataclass(frozen=True)
class SettingSpec:
    key: str
    default: Any
    parse: Callable[[Any], Any]
    section: str
    label: str
    help: str


SETTINGS = {
    s.key: s
    for s in (
        SettingSpec("currency.code", "CAD", _currency_code, "Money and dates", "Currency code",
                    "Currency of every amount"),
        SettingSpec("currency.symbol", "$", _symbol, "Money and dates", "Currency symbol",
                    "Symbol shown before amounts"),
        SettingSpec("time_zone", "", _time_zone, "Money and dates", "Time zone",
                    "Zone that decides what 'today' is (empty: this machine's)"),
        SettingSpec("week.first_day", "monday", _weekday, "Money and dates", "First day of week",
                    "First day of the week (for 'next week' shortcuts)"),
        SettingSpec("follow_up.window_days", 21, _window, "Follow-ups", "Follow-up window",
                    "Default follow-up window in days (7-90)"),
        SettingSpec("follow_up.snooze_choices", ["+2d", "+1w", "+2w", "next week"], _snoozes,
                    "Follow-ups", "Snooze choices",
                    "Snooze shortcuts offered (next week: its first day)"),
    )
}
SECTIONS = tuple(dict.fromkeys(spec.section for spec in SETTINGS.values()))


def parse_setting(key: str, raw: Any) -> Any:
    spec = SETTINGS.get(key)
    if spec is None:
        raise InvalidInput(Problem(key, f"is not a setting; known: {', '.join(SETTINGS)}"))
    try:
        return spec.parse(raw)
    except ValueError as exc:
        raise InvalidInput(Problem(key, str(exc))) from None


def snooze_date(choice: str, today: dt.date, first_day: str = "monday") -> dt.date:
    """`+2d`, `+1w`, `next monday`, `next week` (the first day of next week) to a date."""
    choice = choice.strip().lower()
    if m := re.fullmatch(r"\+(\d+)([dw])", choice):
        n = int(m.group(1))
        return today + dt.timedelta(days=n if m.group(2) == "d" else 7 * n)
    if choice.startswith("next "):
        name = choice[5:]
        target = WEEKDAYS.index(first_day if name == "week" else name)
        ahead = (target - today.weekday()) % 7 or 7
        return today + dt.timedelta(days=ahead)
    raise ValueError(f"{choice!r} is not a snooze choice")
