"""The reference CRM's records mapped onto ours, shared by the JSON and CSV readers.

A reference "partner" is one person: its company becomes (or joins, by case-insensitive name) a
Partner and the person its Contact. A link is a Deal, a communication an Activity, and each
`followUpDate` an open Follow-up with an id derived from its record, so re-imports stay idempotent.
Both readers feed reference-shaped dicts in here, so the two formats cannot drift apart.
"""

from __future__ import annotations

from typing import Any

from partners_tui.store.importers.plan import Known, Plan, clean_record, company_id, derived_id, parse_moment
from partners_tui.store.importers.problems import Where
from partners_tui.store.validate import InvalidInput, check_event_dates, parse_date, text

# Our field → the reference's, so a problem names the field the user sees in their file.
PERSON_NAMES = {
    "name": "company", "tier": "tier", "tags": "tags", "is_alumni": "isAlumni",
    "archived": "archived", "title": "contactRole", "email": "email", "phone": "phone",
    "linkedin": "linkedIn", "notes": "notes",
}
EVENT_NAMES = {
    "name": "name", "year": "year", "outreach_start": "outreachStartDate",
    "start_date": "startDate", "end_date": "endDate", "goal": "sponsorshipGoal",
    "goal_cents": "sponsorshipGoal", "tier_presets": "tierConfigs", "notes": "notes",
    "archived": "archived",
}
LINK_NAMES = {
    "partner_id": "partnerId", "event_id": "eventId", "status": "status",
    "package_tier": "packageTier", "role": "role", "notes": "notes", "amount": "amount",
}
COMM_NAMES = {
    "partner_id": "partnerId", "event_id": "eventId", "channel": "channel",
    "direction": "direction", "occurred_at": "occurredAt", "subject": "subject",
    "summary": "summary",
}
DEFAULT_STATUS = "reached_out"  # the reference's own default for a link without a status
DEFAULT_CHANNEL = "email"


class Builder:
    """Collects reference records into a `Plan`, reporting each bad record with its place."""

    def __init__(self, file: str, known: Known, plan: Plan | None = None):
        self.known = known
        self.plan = plan or Plan(file)
        self.persons: dict[str, tuple[str, str | None]] = {}  # reference id → (partner, contact)
        self.bad: dict[str, set[str]] = {"person": set(), "event": set()}
        self.seen: dict[str, dict[str, tuple[str, Any]]] = {}
        self.companies: dict[str, dict[str, Any]] = {}
        self.latest = self.plan.latest

    # --- plumbing ------------------------------------------------------------------------------

    def _reporter(self, where: Where):
        found: list[str] = []

        def report(field: str | None, message: str) -> None:
            found.append(field or "")
            self.plan.problems.append(where.problem(field, message))

        report.found = found  # type: ignore[attr-defined]
        return report

    def _first_time(self, kind: str, key: str, where: Where, record: Any, report) -> bool | None:
        """True for a new id, None for an identical repeat (ignored), False for a conflicting one."""
        seen = self.seen.setdefault(kind, {})
        if key not in seen:
            seen[key] = (where.record, record)
            return True
        first_at, first = seen[key]
        if first == record:
            return None
        differs = sorted(k for k in set(first) | set(record) if first.get(k) != record.get(k))
        report(differs[0] if differs else "id", f"id {key} appears again with different content (first at {first_at})")
        return False

    def _moments(self, rec: dict, report) -> tuple[str | None, str | None]:
        out = []
        for name in ("createdAt", "updatedAt"):
            try:
                out.append(parse_moment(rec.get(name)))
            except ValueError as exc:
                report(name, str(exc))
                out.append(None)
        return out[0], out[1]

    @staticmethod
    def _date(rec: dict, name: str, report) -> str | None:
        try:
            return parse_date(rec.get(name))
        except ValueError as exc:
            report(name, str(exc))
            return None

    def _event_ok(self, event_id: str | None, report, *, required: bool) -> bool:
        if not event_id:
            if required:
                report("eventId", "is required")
            return not required
        if event_id in self.bad["event"]:
            report("eventId", f"event {event_id} is itself bad (see its problem)")
            return False
        if event_id not in self.plan.rows["event"] and event_id not in self.known.events:
            report("eventId", f"no event with id {event_id!r}")
            return False
        return True

    def _person(self, person_id: str | None, report) -> tuple[str, str | None] | None:
        if not person_id:
            report("partnerId", "is required")
            return None
        if person_id in self.persons:
            return self.persons[person_id]
        if person_id in self.bad["person"]:
            report("partnerId", f"partner {person_id} is itself bad (see its problem)")
            return None
        if person_id in self.known.contact_partner:
            return self.known.contact_partner[person_id], person_id
        report("partnerId", f"no partner with id {person_id!r}")
        return None

    # --- records -------------------------------------------------------------------------------

    def event(self, where: Where, rec: dict[str, Any]) -> bool:
        report = self._reporter(where)
        key = text(rec.get("id"))
        if key is None:
            report("id", "is required")
            return False
        first = self._first_time("event", key, where, rec, report)
        if first is None:
            return True
        created, updated = self._moments(rec, report)
        values = clean_record(
            "event",
            {
                "name": rec.get("name"), "year": rec.get("year"),
                "outreach_start": rec.get("outreachStartDate"), "start_date": rec.get("startDate"),
                "end_date": rec.get("endDate"), "goal": rec.get("sponsorshipGoal"),
                "tier_presets": rec.get("tierConfigs"), "notes": rec.get("notes"),
                "archived": rec.get("archived"),
            },
            EVENT_NAMES, report,
        )
        if values is not None:
            try:
                check_event_dates(values)
            except InvalidInput as exc:
                for p in exc.problems:
                    report(EVENT_NAMES.get(p.field, p.field), p.message)
        if report.found or not first:  # type: ignore[attr-defined]
            if first:
                self.bad["event"].add(key)
            return False
        values.update(_stamps(created, updated))
        self.plan.add("event", key, values)
        return True

    def event_stub(self, where: Where, event_id: str | None, year: Any, name: Any) -> str | None:
        """An event known only by id/year/name (the CSV): the existing one, else a new one."""
        report = self._reporter(where)
        event_id = text(event_id)
        if event_id and (event_id in self.plan.rows["event"] or event_id in self.known.events):
            return event_id
        if event_id in self.bad["event"]:
            report("eventId", f"event {event_id} is itself bad (see its problem)")
            return None
        if event_id and not text(year):
            report("eventId", f"no event with id {event_id!r}, and no eventYear to create it")
            self.bad["event"].add(event_id)
            return None
        values = clean_record("event", {"name": name or event_id, "year": year}, {"name": "eventName", "year": "eventYear"}, report)
        if values is None:
            if event_id:
                self.bad["event"].add(event_id)
            return None
        key = event_id or derived_id("event", f"{values['name'].lower()}:{values['year']}")
        if key not in self.plan.rows["event"] and key not in self.known.events:
            self.plan.add("event", key, values)
        return key

    def person(self, where: Where, rec: dict[str, Any]) -> bool:
        report = self._reporter(where)
        key = text(rec.get("id"))
        if key is None:
            report("id", "is required")
            return False
        first = self._first_time("person", key, where, rec, report)
        if first is None:
            return True
        created, updated = self._moments(rec, report)
        partner = clean_record(
            "partner",
            {
                "name": rec.get("company"), "tier": rec.get("tier"), "tags": rec.get("tags"),
                "is_alumni": rec.get("isAlumni"), "archived": rec.get("archived"),
            },
            PERSON_NAMES, report,
        )
        name = text(rec.get("contactName")) or text(rec.get("email"))
        contact = None
        if name is not None:
            contact = clean_record(
                "contact",
                {
                    "partner_id": "-", "name": name, "title": rec.get("contactRole"),
                    "email": rec.get("email"), "phone": rec.get("phone"),
                    "linkedin": rec.get("linkedIn"), "notes": rec.get("notes"),
                    "archived": partner["archived"] if partner else False,
                },
                PERSON_NAMES, report,
            )
        if report.found or not first:  # type: ignore[attr-defined]
            if first:
                self.bad["person"].add(key)
            return False
        partner_id = self._company(partner, created, updated)
        if contact is not None:
            contact["partner_id"] = partner_id
            contact.update(_stamps(created, updated))
            self.plan.add("contact", key, contact)
        self.persons[key] = (partner_id, key if contact is not None else None)
        return True

    def _company(self, values: dict[str, Any], created: str | None, updated: str | None) -> str:
        """Merge a person's company into its Partner: tags united, alumni if any person is,
        archived only when every person is, earliest creation and latest update."""
        lower = values["name"].lower()
        partner_id = self.known.partner_by_name.get(lower) or company_id(values["name"])
        current = self.plan.rows["partner"].get(partner_id)
        if current is None:
            values.update(_stamps(created, updated))
            self.plan.add("partner", partner_id, values)
            return partner_id
        row = current.values
        if values.get("tier") and not row.get("tier"):
            row["tier"] = values["tier"]
        row["tags"] = ", ".join(dict.fromkeys(t for t in (row["tags"] + ", " + values["tags"]).split(", ") if t))
        row["is_alumni"] = row["is_alumni"] or values["is_alumni"]
        row["archived"] = row["archived"] and values["archived"]
        if created and (row.get("created_at") is None or created < row["created_at"]):
            row["created_at"] = created
        if updated and (row.get("updated_at") is None or updated > row["updated_at"]):
            row["updated_at"] = updated
        return partner_id

    def link(self, where: Where, rec: dict[str, Any]) -> bool:
        report = self._reporter(where)
        key = text(rec.get("id"))
        if key is None:
            report("id", "is required")
            return False
        first = self._first_time("link", key, where, rec, report)
        if first is None:
            return True
        created, updated = self._moments(rec, report)
        person = self._person(text(rec.get("partnerId")), report)
        event_id = text(rec.get("eventId"))
        self._event_ok(event_id, report, required=True)
        due = self._date(rec, "followUpDate", report)
        values = clean_record(
            "deal",
            {
                "partner_id": person[0] if person else "-", "event_id": event_id or "-",
                "contact_id": person[1] if person else None,
                "status": text(rec.get("status")) or DEFAULT_STATUS,
                "package_tier": rec.get("packageTier"), "role": rec.get("role"),
                "notes": rec.get("notes"), "amount": rec.get("amount"),
            },
            LINK_NAMES, report,
        )
        if report.found or not first:  # type: ignore[attr-defined]
            return False
        values.update(_stamps(created, updated))
        self.plan.add("deal", key, values, status_changed_at=updated or created)
        if due:
            self.plan.add(
                "follow_up", derived_id("link-follow-up", key),
                {
                    "partner_id": values["partner_id"], "deal_id": key,
                    "event_id": values["event_id"], "due_date": due,
                    **_stamps(updated or created, updated or created),
                },
            )
        return True

    def communication(self, where: Where, rec: dict[str, Any]) -> bool:
        report = self._reporter(where)
        key = text(rec.get("id"))
        if key is None:
            report("id", "is required")
            return False
        first = self._first_time("communication", key, where, rec, report)
        if first is None:
            return True
        created, updated = self._moments(rec, report)
        person = self._person(text(rec.get("partnerId")), report)
        event_id = text(rec.get("eventId"))
        self._event_ok(event_id, report, required=False)
        due = self._date(rec, "followUpDate", report)
        occurred = None
        try:
            occurred = parse_moment(rec.get("occurredAt"))
            if occurred is None:
                report("occurredAt", "is required")
        except ValueError as exc:
            report("occurredAt", str(exc))
        direction = text(rec.get("direction"))
        values = clean_record(
            "activity",
            {
                "partner_id": person[0] if person else "-",
                "contact_id": person[1] if person else None, "event_id": event_id,
                "channel": text(rec.get("channel")) or DEFAULT_CHANNEL,
                "direction": direction.lower() if direction else "outbound",
                "occurred_at": occurred or "-", "subject": rec.get("subject"),
                "summary": rec.get("summary"), "source": "import",
            },
            COMM_NAMES, report,
        )
        if report.found or not first:  # type: ignore[attr-defined]
            return False
        values.update(_stamps(created or occurred, updated or created or occurred))
        self.plan.add("activity", key, values)
        if event_id:
            pair = (values["partner_id"], event_id)
            if occurred > self.latest.get(pair, ""):
                self.latest[pair] = occurred
        if due:
            self.plan.add(
                "follow_up", derived_id("communication-follow-up", key),
                {
                    "partner_id": values["partner_id"], "activity_id": key, "event_id": event_id,
                    "due_date": due, **_stamps(values["created_at"], values["updated_at"]),
                },
            )
        return True


def _stamps(created: str | None, updated: str | None) -> dict[str, str]:
    """Only the timestamps the file gives: a missing one is filled at insert, never compared."""
    out = {}
    if created or updated:
        out["created_at"] = created or updated
    if updated or created:
        out["updated_at"] = updated or created
    return out
