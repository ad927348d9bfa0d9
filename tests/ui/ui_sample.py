"""A small, fixed data set for UI tests and snapshots: fixed ids, names and dates, built through
store commands (the way the app writes), around the frozen 2026-11-22 of tests/conftest.py."""

from __future__ import annotations

from partners_tui.store.commands import Store


def pid(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


PARTNERS = [
    (1, "Acme Analytics", "Software", "Gold"),
    (2, "Northwind Ventures", "Finance", "Silver"),
    (3, "Globex Foundation", "Nonprofit", None),
    (4, "Initech", "Consulting", "Bronze"),
    (5, "Umbrella Health", "Healthcare", "Gold"),
]
EVENTS = [
    (101, "BizTech Hackathon 2026", 2026, "2026-09-01", "2026-11-28", "2026-11-29", 25000),
    (102, "Blueprint Conference 2027", 2027, "2026-10-15", "2027-01-23", "2027-01-24", 40000),
    (103, "Data Science Summit 2025", 2025, "2025-05-01", "2025-10-04", "2025-10-04", 12000),
]
DEALS = [
    (201, 1, 101, "confirmed", 5000),
    (202, 2, 101, "in_conversation", 3000),
    (203, 3, 101, "pitched", 2500),
    (204, 1, 102, "reached_out", 8000),
    (205, 4, 102, "prospecting", None),
    (206, 5, 103, "paid", 4000),
]
FOLLOW_UPS = [
    (301, 2, 202, "2026-11-18"),  # overdue
    (302, 3, 203, "2026-11-22"),  # due today
    (303, 1, 204, "2026-12-01"),  # within 21 days
    (304, 4, 205, "2027-01-10"),  # later
]


def fill(store: Store) -> None:
    for n, name, industry, tier in PARTNERS:
        store.create_partner({"name": name, "industry": industry, "tier": tier}, id=pid(n))
    for n, name, year, outreach, start, end, goal in EVENTS:
        store.create_event(
            {"name": name, "year": year, "outreach_start": outreach, "start_date": start,
             "end_date": end, "goal": goal},
            id=pid(n),
        )
    store.archive_event(pid(103))
    for n, partner, event, status, amount in DEALS:
        data = {"partner_id": pid(partner), "event_id": pid(event), "status": status}
        if amount is not None:
            data["amount"] = amount
        store.create_deal(data, id=pid(n))
    store.log_activity(
        {"partner_id": pid(1), "deal_id": pid(201), "channel": "call", "subject": "Confirmed gold"},
        id=pid(401),
    )
    for n, partner, deal, due in FOLLOW_UPS:
        store.add_follow_up({"partner_id": pid(partner), "deal_id": pid(deal), "due_date": due}, id=pid(n))
