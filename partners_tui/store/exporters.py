"""Writing everything out: our own full-fidelity JSON, or the reference CRM's CSV layout.

Both stream rows from one read snapshot (a million activities never sit in memory as one list)
and write to a temporary file renamed into place, so a failed export never leaves half a file
where a good one was.
"""

from __future__ import annotations

import csv
import json
import os
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

from sqlalchemy import text as sql

from partners_tui.store.changelog import CHANGE, COMMAND, table
from partners_tui.store.commands import Store
from partners_tui.store.importers.reference_csv import COLUMNS

FORMAT = "partners-tui"
VERSION = 1
# Section name in the JSON → table, in an order that satisfies every foreign key on re-import.
JSON_SECTIONS = (
    ("statuses", "status"), ("partners", "partner"), ("contacts", "contact"), ("events", "event"),
    ("deals", "deal"), ("activities", "activity"), ("follow_ups", "follow_up"),
    ("annual_goals", "annual_goal"), ("settings", "setting"),
)


@contextmanager
def _atomic(path: Path, newline: str | None = None) -> Iterator[IO[str]]:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.partial")
    try:
        with tmp.open("w", encoding="utf-8", newline=newline) as fh:
            yield fh
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def export_json(store: Store, path: Path) -> dict[str, int]:
    """Every table, column for column (cents, stamps, JSON text as stored), plus the change log
    (it carries the status history that velocity and conversion are computed from)."""
    counts: dict[str, int] = {}
    sections = [(name, table(entity), table(entity).primary_key.columns.values()[0]) for name, entity in JSON_SECTIONS]
    sections += [("commands", COMMAND, COMMAND.c.id), ("changes", CHANGE, CHANGE.c.id)]
    with store.read() as conn, _atomic(path) as fh:
        fh.write(f'{{"format": "{FORMAT}", "version": {VERSION}, "exported_at": {json.dumps(store.clock.stamp())}')
        for name, t, order in sections:
            fh.write(f',\n"{name}": [')
            n = 0
            for row in conn.execute(t.select().order_by(order)).mappings():
                fh.write(("\n" if n == 0 else ",\n") + json.dumps(dict(row), ensure_ascii=False))
                n += 1
            fh.write("\n]")
            counts[name] = n
        fh.write("}\n")
    return counts


# One row per deal, then one per contact without deals, then one per partner with neither.
# `NOT IN (subquery)` is evaluated once into a temporary index: deal.contact_id has no index of
# its own, and a correlated NOT EXISTS would scan every deal for every contact. Next follow-ups
# are grouped once for the same reason (a per-deal subquery picked the open-due index and
# scanned every open follow-up for each deal).
CSV_QUERY = """
SELECT coalesce(c.id, p.id) AS partnerId, p.name AS company, c.name AS contactName,
       c.email AS email, c.phone AS phone, c.title AS contactRole, p.tier AS partnerTier,
       coalesce(c.linkedin, p.linkedin) AS linkedIn,
       CASE WHEN c.id IS NULL THEN p.notes ELSE c.notes END AS partnerNotes,
       p.tags AS tags, p.is_alumni AS alumniPartner,
       (p.archived OR coalesce(c.archived, 0)) AS archived,
       coalesce(c.updated_at, p.updated_at) AS partnerUpdatedAt,
       d.id AS linkId, d.status AS status, e.id AS eventId, e.year AS eventYear,
       e.name AS eventName, d.package_tier AS packageTier, d.role AS eventRole,
       d.notes AS eventNotes, d.amount_cents AS amount_cents,
       nf.due AS followUpDate,
       d.updated_at AS linkUpdatedAt
FROM deal d
JOIN partner p ON p.id = d.partner_id
JOIN event e ON e.id = d.event_id
LEFT JOIN contact c ON c.id = d.contact_id
LEFT JOIN (SELECT deal_id, min(due_date) AS due FROM follow_up
           WHERE deal_id IS NOT NULL AND done_at IS NULL AND NOT archived
           GROUP BY deal_id) nf ON nf.deal_id = d.id
UNION ALL
SELECT c.id, p.name, c.name, c.email, c.phone, c.title, p.tier, coalesce(c.linkedin, p.linkedin),
       c.notes, p.tags, p.is_alumni, (p.archived OR c.archived), c.updated_at,
       NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM contact c JOIN partner p ON p.id = c.partner_id
WHERE c.id NOT IN (SELECT contact_id FROM deal WHERE contact_id IS NOT NULL)
UNION ALL
SELECT p.id, p.name, NULL, NULL, NULL, NULL, p.tier, p.linkedin, p.notes, p.tags, p.is_alumni,
       p.archived, p.updated_at,
       NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM partner p
WHERE NOT EXISTS (SELECT 1 FROM deal d WHERE d.partner_id = p.id)
  AND NOT EXISTS (SELECT 1 FROM contact c WHERE c.partner_id = p.id)
ORDER BY company, partnerId, eventYear, eventName, linkId
"""


def money_text(cents: int | None) -> str:
    """Integer cents as a plain amount: 500000 → "5000", 250050 → "2500.50"."""
    if cents is None:
        return ""
    units, rest = divmod(cents, 100)
    return f"{units}.{rest:02d}" if rest else str(units)


def export_csv(store: Store, path: Path) -> dict[str, int]:
    """The reference CRM's CSV export layout, so the team's old tools and our CSV import read it."""
    counts = {"rows": 0, "deals": 0, "partners": 0}
    partners: set[str] = set()
    with store.read() as conn, _atomic(path, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        for row in conn.execute(sql(CSV_QUERY)).mappings():
            values = {k: row[k] for k in COLUMNS if k in row}
            values["sponsorshipAmount"] = money_text(row["amount_cents"])
            for flag in ("alumniPartner", "archived"):
                values[flag] = "true" if row[flag] else "false"
            writer.writerow(["" if values.get(k) is None else values[k] for k in COLUMNS])
            counts["rows"] += 1
            counts["deals"] += row["linkId"] is not None
            partners.add(row["company"])
    counts["partners"] = len(partners)
    return counts
