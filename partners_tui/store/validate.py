"""Turning typed or imported values into clean column values, or a message naming the field.

Table models do not validate, so every command passes its input through `clean()` first. The
same rules serve forms, the CLI, importers and Sheets pulls, so a value is judged the same way
wherever it comes from.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Callable

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
INFLUENCES = ("decision_maker", "influencer", "user", "gatekeeper")
DIRECTIONS = ("inbound", "outbound")
CHANNELS = ("email", "call", "meeting", "linkedin", "in-person", "note")
ROLES = (
    "Sponsor", "Mentor", "Judge", "Keynote Speaker", "Panelist", "Workshop Speaker",
    "Industry Partner",
)
MAX_TIER_PRESETS = 12
MAX_CENTS = 10**15  # ten trillion in currency units: beyond any sponsorship, inside SQLite's int64


@dataclass(frozen=True)
class Problem:
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class InvalidInput(ValueError):
    """Bad input; nothing was written. Carries one problem per field."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


# --- single values -------------------------------------------------------------------------


def text(value: Any) -> str | None:
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def parse_money(value: Any) -> int | None:
    """Currency units (number or text such as "1,234.50" or "$1234") to integer cents."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError("is not an amount")
    raw = str(value).strip().replace(",", "").replace("_", "")
    raw = re.sub(r"^[^\d\-+.]+", "", raw)  # a leading currency symbol or code
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        raise ValueError(f"{str(value)!r} is not an amount") from None
    if not amount.is_finite():
        raise ValueError(f"{str(value)!r} is not an amount")
    if amount < 0:
        raise ValueError("must be 0 or more")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError("has more than 2 decimals")
    cents = int(amount * 100)
    if cents > MAX_CENTS:
        raise ValueError("is too large")
    return cents


def parse_date(value: Any) -> str | None:
    """A real calendar date as `YYYY-MM-DD` (2026-02-30 is refused)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    raw = str(value).strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        raise ValueError(f"{raw!r} is not a date (use YYYY-MM-DD)")
    try:
        return dt.date.fromisoformat(raw).isoformat()
    except ValueError:
        raise ValueError(f"{raw!r} is not a real calendar date") from None


def parse_int(value: Any, lo: int | None = None, hi: int | None = None) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError("is not a whole number")
    try:
        if isinstance(value, float):
            if not value.is_integer():
                raise ValueError
            number = int(value)
        else:
            number = int(str(value).strip())
    except (ValueError, OverflowError):
        raise ValueError(f"{str(value)!r} is not a whole number") from None
    if (lo is not None and number < lo) or (hi is not None and number > hi):
        raise ValueError(f"must be between {lo} and {hi}")
    return number


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    raw = str(value).strip().lower()
    if raw in ("1", "true", "yes", "y", "t", "on", "x"):
        return True
    if raw in ("", "0", "false", "no", "n", "f", "off"):
        return False
    raise ValueError(f"{str(value)!r} is not yes or no")


def parse_email(value: Any) -> str | None:
    email = text(value)
    if email is not None and not EMAIL_RE.match(email):
        raise ValueError(f"{email!r} is not an email address")
    return email


def parse_choice(choices: tuple[str, ...]) -> Callable[[Any], str | None]:
    def parse(value: Any) -> str | None:
        raw = text(value)
        if raw is None:
            return None
        key = raw.lower().replace(" ", "_").replace("-", "_")
        for choice in choices:
            if key == choice.replace("-", "_"):
                return choice
        raise ValueError(f"{raw!r} is not one of {', '.join(choices)}")

    return parse


def parse_channel(value: Any) -> str | None:
    """A known channel, normalised; free text is kept as typed (DESIGN: 'or free text')."""
    raw = text(value)
    if raw is None:
        return None
    key = raw.lower().replace("_", "-").replace(" ", "-")
    aliases = {"in-person": "in-person", "inperson": "in-person", "phone": "call", "e-mail": "email"}
    key = aliases.get(key, key)
    return key if key in CHANNELS else raw


def parse_tags(value: Any) -> str:
    if value is None:
        return ""
    items = value if isinstance(value, (list, tuple)) else str(value).replace(";", ",").split(",")
    seen: list[str] = []
    for item in items:
        tag = str(item).strip()
        if tag and tag.lower() not in (s.lower() for s in seen):
            seen.append(tag)
    return ", ".join(seen)


def parse_tier_presets(value: Any) -> str:
    """A list of {label, amount} (amount in currency units, or amount_cents) to the JSON column."""
    if value is None or value == "":
        return "[]"
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            raise ValueError("is not a list of tiers") from None
    if not isinstance(value, list):
        raise ValueError("is not a list of tiers")
    if len(value) > MAX_TIER_PRESETS:
        raise ValueError(f"has {len(value)} tiers; at most {MAX_TIER_PRESETS} are allowed")
    presets = []
    for n, item in enumerate(value, start=1):
        if not isinstance(item, dict):
            raise ValueError(f"tier {n} is not a label and amount")
        label = text(item.get("label"))
        if label is None:
            raise ValueError(f"tier {n} has no label")
        try:
            cents = (
                parse_int(item["amount_cents"], 0, MAX_CENTS)
                if "amount_cents" in item
                else parse_money(item.get("amount"))
            )
        except ValueError as exc:
            raise ValueError(f"tier {n} ({label}) amount {exc}") from None
        presets.append({"label": label, "amount_cents": cents})
    return json.dumps(presets)


# --- records -------------------------------------------------------------------------------

Parser = Callable[[Any], Any]


def _required_text(value: Any) -> str:
    result = text(value)
    if result is None:
        raise ValueError("is required")
    return result


def _year(value: Any) -> int | None:
    return parse_int(value, 2000, 2100)


def _strength(value: Any) -> int | None:
    return parse_int(value, 1, 10)


def _percent(value: Any) -> int | None:
    return parse_int(value, 0, 100)


def _days(value: Any) -> int | None:
    return parse_int(value, 1, 3650)


def _nonneg_int(value: Any) -> int | None:
    return parse_int(value, 0, MAX_CENTS)


SPECS: dict[str, dict[str, Parser]] = {
    "partner": {
        "name": _required_text, "parent_id": text, "industry": text, "website": text,
        "linkedin": text, "tier": text, "tags": parse_tags, "notes": text,
        "is_alumni": parse_bool, "archived": parse_bool,
    },
    "contact": {
        "partner_id": _required_text, "name": _required_text, "title": text,
        "email": parse_email, "phone": text, "linkedin": text, "strength": _strength,
        "influence": parse_choice(INFLUENCES), "is_primary": parse_bool, "notes": text,
        "archived": parse_bool,
    },
    "event": {
        "name": _required_text, "year": _year, "outreach_start": parse_date,
        "start_date": parse_date, "end_date": parse_date, "goal_cents": _nonneg_int,
        "tier_presets": parse_tier_presets, "notes": text, "archived": parse_bool,
    },
    "deal": {
        "partner_id": _required_text, "event_id": _required_text, "contact_id": text,
        "owner": text, "status": _required_text, "package_tier": text, "role": text,
        "amount_cents": _nonneg_int, "expected_close": parse_date,
        "probability_override": _percent, "lost_reason": text, "notes": text,
        "archived": parse_bool,
    },
    "activity": {
        "partner_id": _required_text, "contact_id": text, "deal_id": text, "event_id": text,
        "channel": parse_channel, "direction": parse_choice(DIRECTIONS),
        "occurred_at": _required_text, "subject": text, "summary": text, "source": text,
        "archived": parse_bool,
    },
    "follow_up": {
        "partner_id": _required_text, "deal_id": text, "activity_id": text, "event_id": text,
        "due_date": parse_date, "note": text, "assignee": text, "done_at": text,
        "archived": parse_bool,
    },
    "status": {
        "label": _required_text, "position": _nonneg_int, "probability": _percent,
        "secured": parse_bool, "closed": parse_bool, "stale_after_days": _days,
        "archived": parse_bool,
    },
}
REQUIRED = {
    "partner": ("name",),
    "contact": ("partner_id", "name"),
    "event": ("name", "year"),
    "deal": ("partner_id", "event_id", "status"),
    "activity": ("partner_id", "channel", "occurred_at"),
    "follow_up": ("partner_id", "due_date"),
    "status": ("label", "probability"),
}
# Money fields may be given in currency units under the name without `_cents`.
MONEY_ALIASES = {"amount": "amount_cents", "goal": "goal_cents"}


def clean(entity: str, data: dict[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """Validate `data` for `entity`; return column values or raise InvalidInput for every bad field.

    `partial` is for updates: only the given fields are checked, and required ones may be absent
    (but not blanked).
    """
    spec = SPECS[entity]
    out: dict[str, Any] = {}
    problems: list[Problem] = []
    for key, value in data.items():
        if key in MONEY_ALIASES and MONEY_ALIASES[key] in spec:
            try:
                out[MONEY_ALIASES[key]] = parse_money(value)
            except ValueError as exc:
                problems.append(Problem(key, str(exc)))
            continue
        if key not in spec:
            problems.append(Problem(key, f"is not a field of {entity.replace('_', ' ')}"))
            continue
        try:
            out[key] = spec[key](value)
        except ValueError as exc:
            problems.append(Problem(key, str(exc)))
    for key in REQUIRED[entity]:
        # Absent is fine for a partial update; blank (a value that cleans to None) never is.
        missing = out.get(key) is None and (key in out or not partial)
        if missing and not any(p.field == key for p in problems):
            alias = next((a for a, k in MONEY_ALIASES.items() if k == key), key)
            problems.append(Problem(alias, "is required"))
    if problems:
        raise InvalidInput(problems)
    return out


def check_event_dates(row: dict[str, Any]) -> None:
    """start ≤ end and outreach ≤ end, on the merged (stored + changed) event."""
    problems = []
    start, end, outreach = row.get("start_date"), row.get("end_date"), row.get("outreach_start")
    if start and end and start > end:
        problems.append(Problem("end_date", f"{end} is before the start date {start}"))
    if outreach and end and outreach > end:
        problems.append(Problem("outreach_start", f"{outreach} is after the end date {end}"))
    if problems:
        raise InvalidInput(problems)


def slugify(label: str) -> str:
    """A status key from its label: "Waiting Contract" → "waiting_contract"."""
    slug = re.sub(r"[^a-z0-9]+", "_", label.strip().lower()).strip("_")
    return slug or "status"
