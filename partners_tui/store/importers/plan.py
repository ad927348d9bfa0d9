"""What an import intends to write: clean column values per entity and id, before any write.

Readers (biztech.py, reference_csv.py) turn a file into a `Plan`; the writer compares it with the
database and writes only the difference, so a reader never touches the store and a bad file
can be judged completely before anything is written.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from partners_tui.store.changelog import table
from partners_tui.store.clock import stamp, stamp_from_epoch_ms
from partners_tui.store.validate import InvalidInput, clean

# Fixed namespace: the same company / link always gets the same derived id, on any machine.
NAMESPACE = uuid.UUID("6f1c2a52-3d7e-5b8a-9c41-0e2b7f5d8a13")
ENTITIES = ("partner", "contact", "event", "deal", "activity", "follow_up")
PLURALS = {
    "partner": "partners", "contact": "contacts", "event": "events", "deal": "deals",
    "activity": "activities", "follow_up": "follow-ups",
}
MAX_EPOCH_MS = 4_102_444_800_000  # 2100-01-01: a bigger number is not a plausible timestamp


def derived_id(kind: str, key: str) -> str:
    """A deterministic id, so re-importing makes the same rows instead of new ones."""
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{key}"))


def company_id(company: str) -> str:
    return derived_id("company", company.strip().lower())


@dataclass(slots=True)
class Planned:
    """One row to write. `values` are compared with the stored row; `on_insert` only fills a new
    row (e.g. `status_changed_at`), so it never makes a re-import look like a change."""

    values: dict[str, Any]
    on_insert: dict[str, Any] = field(default_factory=dict)


@dataclass
class Plan:
    file: str
    rows: dict[str, dict[str, Planned]] = field(default_factory=lambda: {e: {} for e in ENTITIES})
    problems: list[str] = field(default_factory=list)
    unreadable: bool = False  # the file itself could not be read: --skip-bad cannot help
    # (partner id, event id) → latest occurred_at of the file's activities: the deals' stale clock.
    latest: dict[tuple[str, str], str] = field(default_factory=dict)

    def add(self, entity: str, key: str, values: dict[str, Any], **on_insert: Any) -> None:
        values["id"] = key
        self.rows[entity][key] = Planned(values, on_insert)


@dataclass
class Known:
    """What the database already holds that a reader needs to resolve references (loaded once)."""

    partner_by_name: dict[str, str]  # lower-cased name → partner id
    contact_partner: dict[str, str]  # contact id → partner id
    events: dict[str, int]  # event id → year

    @classmethod
    def load(cls, conn) -> "Known":
        p, c, e = table("partner"), table("contact"), table("event")
        by_name: dict[str, str] = {}
        for pid, name in conn.execute(select(p.c.id, p.c.name).order_by(p.c.created_at, p.c.id)):
            by_name.setdefault(name.strip().lower(), pid)
        return cls(
            partner_by_name=by_name,
            contact_partner=dict(conn.execute(select(c.c.id, c.c.partner_id)).all()),
            events=dict(conn.execute(select(e.c.id, e.c.year)).all()),
        )


# --- value helpers shared by the readers -----------------------------------------------------


def parse_moment(value: Any) -> str | None:
    """Epoch milliseconds (number or numeric text) or ISO 8601 text to our UTC stamp."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError("is not a timestamp")
    number: float | None = None
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        raw = str(value).strip()
        try:
            number = float(raw)
        except ValueError:
            try:
                moment = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
            except ValueError:
                raise ValueError(f"{raw!r} is not a timestamp (epoch milliseconds or ISO 8601)") from None
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=dt.timezone.utc)
            return stamp(moment)
    if not 0 <= number < MAX_EPOCH_MS:
        raise ValueError(f"{value!r} is not a timestamp in epoch milliseconds")
    return stamp_from_epoch_ms(number)


def clean_record(
    entity: str, data: dict[str, Any], names: dict[str, str], report
) -> dict[str, Any] | None:
    """`validate.clean` with each problem reported under the reference's field name."""
    try:
        return clean(entity, data)
    except InvalidInput as exc:
        for p in exc.problems:
            report(names.get(p.field, p.field), p.message)
        return None
