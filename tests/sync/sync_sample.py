"""A small fixed data set for the sync tests, written through store commands, plus a clock
helper: the frozen test clock never moves, and the merge needs edits at different times."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from partners_tui.store.clock import Clock
from partners_tui.store.commands import Store

TZ = "America/Vancouver"
SHEET = "sheet-test-000001"
ACCOUNT = "crm-bot@team-project.iam.gserviceaccount.com"


def pid(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


def set_time(store: Store, hhmm: str, day: str = "2026-11-22") -> None:
    """Move the store's clock to hh:mm local time on `day` (still frozen there)."""
    hour, minute = map(int, hhmm.split(":"))
    moment = dt.datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=ZoneInfo(TZ))
    store.clock = Clock(tz=TZ, fixed=moment)


def fill(store: Store) -> None:
    """3 partners (one named like markup), 2 events, 1 contact, 4 deals, 2 activities, 2 follow-ups."""
    set_time(store, "09:00")
    store.create_partner({"name": "Acme Analytics", "industry": "Software", "tags": "ai,gold"}, id=pid(1))
    store.create_partner({"name": "[bold]Northwind[/]", "website": "=IMPORTXML(\"x\")"}, id=pid(2))
    store.create_partner({"name": "Globex", "parent_id": pid(1)}, id=pid(3))
    store.create_event(
        {"name": "Hackathon", "year": 2026, "outreach_start": "2026-09-01", "start_date": "2026-11-28",
         "end_date": "2026-11-29", "goal": 25000},
        id=pid(101),
    )
    store.create_event({"name": "Blueprint", "year": 2027, "start_date": "2027-01-23", "goal": 40000}, id=pid(102))
    store.create_contact({"partner_id": pid(1), "name": "Ada Lovelace", "email": "ada@acme.test",
                          "strength": 8, "is_primary": True}, id=pid(51))
    store.create_deal({"partner_id": pid(1), "event_id": pid(101), "status": "confirmed", "amount": "5000.50",
                       "contact_id": pid(51), "role": "Sponsor"}, id=pid(201))
    store.create_deal({"partner_id": pid(2), "event_id": pid(101), "status": "pitched", "amount": 3000,
                       "expected_close": "2026-12-15"}, id=pid(202))
    store.create_deal({"partner_id": pid(3), "event_id": pid(102), "status": "prospecting"}, id=pid(203))
    store.create_deal({"partner_id": pid(1), "event_id": pid(102), "status": "reached_out", "amount": 8000},
                      id=pid(204))
    store.log_activity({"partner_id": pid(1), "deal_id": pid(201), "channel": "call", "subject": "Signed"},
                       id=pid(401))
    store.log_activity({"partner_id": pid(2), "deal_id": pid(202), "channel": "email",
                        "occurred_at": "2026-11-01T18:00:00.000Z"}, id=pid(402), next_follow_up="2026-11-25")
    store.add_follow_up({"partner_id": pid(1), "deal_id": pid(204), "due_date": "2026-12-01", "note": "deck"},
                        id=pid(301))


def bulk(store: Store, entity: str, rows: list[dict]) -> list[str]:
    """Insert many rows in one command (fast set-up for the big tests); returns their ids."""
    from partners_tui.store.commands import new_row

    with store.command(f"{entity}.bulk", f"{len(rows)} {entity} rows", source="import") as uow:
        made = [new_row(entity, r, uow.at) for r in rows]
        uow.insert_many(entity, made)
    return [r["id"] for r in made]


def many_deals(store: Store, n: int) -> list[str]:
    """`n` deals over 100 partners and one event (ids stay in creation order)."""
    partners = bulk(store, "partner", [{"name": f"Partner {i:03d}"} for i in range(100)])
    event = store.create_event({"name": "Big Expo", "year": 2026})
    return bulk(store, "deal", [
        {"partner_id": partners[i % 100], "event_id": event, "status": "pitched", "amount_cents": 100 * (i + 1)}
        for i in range(n)
    ])
