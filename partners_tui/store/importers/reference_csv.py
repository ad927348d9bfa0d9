"""Reading the reference CRM's CSV export: one row per link, with its person repeated on each.

A row without a linkId is a person with no links. Events appear only as eventId/eventYear/
eventName, so a missing one is created from those. Problems name the CSV line and column.
"""

from __future__ import annotations

import csv
from pathlib import Path

from partners_tui.store.importers.mapping import Builder
from partners_tui.store.importers.plan import Known, Plan
from partners_tui.store.importers.problems import Where

COLUMNS = (
    "partnerId", "company", "contactName", "email", "phone", "contactRole", "partnerTier",
    "linkedIn", "partnerNotes", "tags", "alumniPartner", "archived", "partnerUpdatedAt",
    "linkId", "status", "eventId", "eventYear", "eventName", "packageTier", "eventRole",
    "eventNotes", "sponsorshipAmount", "followUpDate", "linkUpdatedAt",
)
REQUIRED_COLUMNS = ("partnerId", "company")
# JSON field name → CSV column, per record kind, so problems name the column in the file.
PERSON_COLUMNS = {
    "id": "partnerId", "tier": "partnerTier", "notes": "partnerNotes", "isAlumni": "alumniPartner",
    "updatedAt": "partnerUpdatedAt",
}
LINK_COLUMNS = {
    "id": "linkId", "role": "eventRole", "notes": "eventNotes", "amount": "sponsorshipAmount",
    "updatedAt": "linkUpdatedAt",
}


def read_reference_csv(path: Path, known: Known) -> Plan:
    builder = Builder(path.name, known)
    plan = builder.plan
    line = 1
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            header = reader.fieldnames or []
            missing = [c for c in REQUIRED_COLUMNS if c not in header]
            if missing:
                plan.problems.append(
                    Where(path.name, "line 1").problem(
                        None, f"header lacks column(s) {', '.join(missing)}: is this the reference CRM's CSV export?"
                    )
                )
                plan.unreadable = True
                return plan
            line = reader.line_num + 1
            for row in reader:
                _row(builder, path.name, line, row)
                line = reader.line_num + 1
    except csv.Error as exc:
        plan.problems.append(Where(path.name, f"line {line}").problem(None, f"not valid CSV: {exc}"))
        plan.unreadable = True
    except (OSError, UnicodeDecodeError) as exc:
        plan.problems.append(Where(path.name, "file").problem(None, f"cannot be read: {exc}"))
        plan.unreadable = True
    return plan


def _row(builder: Builder, file: str, line: int, row: dict) -> None:
    record = f"line {line}"
    if row.get(None):
        builder.plan.problems.append(
            Where(file, record).problem(None, f"has {len(row[None])} more cell(s) than the header")
        )
        return
    get = lambda name: (row.get(name) or "").strip()  # noqa: E731 - short local accessor
    person_id = get("partnerId")
    person = {
        "id": person_id, "company": get("company"), "contactName": get("contactName"),
        "email": get("email"), "phone": get("phone"), "contactRole": get("contactRole"),
        "tier": get("partnerTier"), "linkedIn": get("linkedIn"), "notes": get("partnerNotes"),
        "tags": get("tags"), "isAlumni": get("alumniPartner"), "archived": get("archived"),
        "updatedAt": get("partnerUpdatedAt"),
    }
    ident = f"partnerId {person_id}" if person_id else None
    person_ok = builder.person(Where(file, record, ident, PERSON_COLUMNS), person)
    link_id = get("linkId")
    if not link_id:
        return
    where = Where(file, record, f"linkId {link_id}", LINK_COLUMNS)
    if not person_ok:
        builder.plan.problems.append(where.problem("partnerId", "the partner on this line is bad, so its link is skipped"))
        return
    event_id = builder.event_stub(where, get("eventId"), get("eventYear"), get("eventName"))
    if event_id is None:
        return
    builder.link(
        where,
        {
            "id": link_id, "partnerId": person_id, "eventId": event_id, "status": get("status"),
            "packageTier": get("packageTier"), "role": get("eventRole"), "notes": get("eventNotes"),
            "amount": get("sponsorshipAmount"), "followUpDate": get("followUpDate"),
            "updatedAt": get("linkUpdatedAt"),
        },
    )
