"""The Events and Partners list queries and the detail read models, on small hand-made data.

Every expected number is worked out by hand in a comment next to it.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from partners_tui.store.queries import overview, Scope
from partners_tui.store.queries.details import (
    activity_timeline, event_deals, event_detail, next_follow_up, partner_detail, record,
    same_role_deals,
)
from partners_tui.store.queries.lists import (
    PartnerFilter, contact_choices, count_partners, deal_choices, event_choices, event_list,
    like_escape, partner_filter_choices, search_partners, status_choices,
)

TODAY = dt.date(2026, 11, 22)


def pid(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


@pytest.fixture
def data(store):
    """Two events of 2026 (one archived), one of 2025; five partners (one archived, one alumni,
    one child of another); contacts, deals, activities and follow-ups."""
    s = store
    s.create_partner({"name": "Acme Analytics", "tier": "Gold", "tags": "hiring, warm intro",
                      "notes": "Budget approved each spring."}, id=pid(1))
    s.create_partner({"name": "acme Labs", "parent_id": pid(1), "tags": "research"}, id=pid(2))
    s.create_partner({"name": "Northwind", "is_alumni": True, "tier": "Silver"}, id=pid(3))
    s.create_partner({"name": "Globex 100%_off", "notes": "likes [bold]markup[/]"}, id=pid(4))
    s.create_partner({"name": "Zeta Old", "tags": "hiring"}, id=pid(5))
    s.archive_partner(pid(5))
    s.create_contact({"partner_id": pid(3), "name": "Dana Scully", "email": "dana@fbi.example"}, id=pid(11))
    s.create_contact({"partner_id": pid(1), "name": "Ann Primary", "is_primary": True,
                      "email": "ann@acme.example"}, id=pid(12))
    s.create_contact({"partner_id": pid(1), "name": "Bob Second", "title": "CTO"}, id=pid(13))
    s.create_event({"name": "Hack 2026", "year": 2026, "outreach_start": "2026-09-01",
                    "start_date": "2026-11-28", "end_date": "2026-11-29", "goal": 10000,
                    "tier_presets": [{"label": "Gold", "amount": 5000}, {"label": "Silver", "amount": 2500}]},
                   id=pid(101))
    s.create_event({"name": "Old Gala", "year": 2026, "start_date": "2026-03-01", "goal": 1000}, id=pid(102))
    s.archive_event(pid(102))
    s.create_event({"name": "Summit 2025", "year": 2025, "start_date": "2025-10-04", "end_date": "2025-10-04"}, id=pid(103))
    s.create_deal({"partner_id": pid(1), "event_id": pid(101), "status": "confirmed", "amount": 5000,
                   "role": "Sponsor", "package_tier": "Gold", "contact_id": pid(12)}, id=pid(201))
    s.create_deal({"partner_id": pid(3), "event_id": pid(101), "status": "pitched", "amount": 2000,
                   "role": "Sponsor", "package_tier": "Bronze"}, id=pid(202))
    s.create_deal({"partner_id": pid(4), "event_id": pid(101), "status": "declined", "amount": 1000}, id=pid(203))
    s.create_deal({"partner_id": pid(5), "event_id": pid(101), "status": "paid", "amount": 700}, id=pid(204))
    s.create_deal({"partner_id": pid(2), "event_id": pid(101), "status": "prospecting"}, id=pid(205))
    s.create_deal({"partner_id": pid(1), "event_id": pid(103), "status": "paid", "amount": 300}, id=pid(206))
    s.create_deal({"partner_id": pid(3), "event_id": pid(101), "status": "paid", "amount": 100}, id=pid(207))
    s.archive_deal(pid(207))
    s.log_activity({"partner_id": pid(1), "deal_id": pid(201), "channel": "call", "subject": "Yes!",
                    "occurred_at": "2026-11-20T18:00:00.000Z"}, id=pid(301))
    s.log_activity({"partner_id": pid(1), "channel": "email", "subject": "General hello",
                    "occurred_at": "2026-11-21T01:30:00.000Z"}, id=pid(302))
    s.log_activity({"partner_id": pid(3), "deal_id": pid(202), "channel": "meeting",
                    "occurred_at": "2026-11-10T20:00:00.000Z"}, id=pid(303))
    s.add_follow_up({"partner_id": pid(3), "deal_id": pid(202), "due_date": "2026-11-18"}, id=pid(401))
    s.add_follow_up({"partner_id": pid(3), "deal_id": pid(202), "due_date": "2026-12-01"}, id=pid(402))
    s.add_follow_up({"partner_id": pid(1), "deal_id": pid(201), "due_date": "2027-03-01"}, id=pid(403))
    return s


# --- events ---------------------------------------------------------------------------------


def test_event_list_matches_the_overview_scoreboard(data):
    listing = event_list(data, TODAY, year=2026)
    assert [r.name for r in listing.rows] == ["Hack 2026"]  # the archived gala is hidden
    row = listing.rows[0]
    # Secured: confirmed 5,000 (the paid 700 belongs to an archived partner; the paid 100 deal is
    # archived) = 5,000. Committed: 5,000 + 2,000 + 1,000 + 0 (no amount) = 8,000.
    assert row.secured_cents == 500_000
    assert row.committed_cents == 800_000
    # Open: pitched 2,000 + prospecting (no amount) = 2,000.
    assert row.open_pipeline_cents == 200_000
    assert row.deals == 4
    # Goal 10,000: actual 50%. Outreach 09-01 to end 11-29 is 89 days; today is day 82:
    # expected 82/89 = 92.13%, so 50% is behind.
    assert row.actual_pct == 50.0
    assert row.expected_pct == 92.13
    assert row.pace == "behind"
    ov = overview(data, Scope.parse("2026"), TODAY)
    board = {e.id: e for e in ov.events}
    assert board[row.id].secured_cents == row.secured_cents
    assert board[row.id].committed_cents == row.committed_cents
    assert board[row.id].expected_pct == row.expected_pct
    assert listing.years == (2026, 2025)


def test_event_list_filters_by_text_and_shows_archived_on_request(data):
    assert [r.name for r in event_list(data, TODAY).rows] == ["Hack 2026", "Summit 2025"]
    assert [r.name for r in event_list(data, TODAY, include_archived=True).rows] == [
        "Hack 2026", "Old Gala", "Summit 2025"]
    assert [r.name for r in event_list(data, TODAY, text="2025").rows] == ["Summit 2025"]
    assert [r.name for r in event_list(data, TODAY, text="GALA", include_archived=True).rows] == ["Old Gala"]
    assert event_list(data, TODAY, text="hack nothing").rows == ()
    # With archived records included, the archived partner's paid 700 counts: 5,000 + 700.
    hack = event_list(data, TODAY, include_archived=True).rows[0]
    assert hack.secured_cents == 570_000


def test_event_detail_tiles_mix_pressure_and_recent(data):
    d = event_detail(data, pid(101), TODAY)
    assert d.event.tier_presets == (("Gold", 500_000), ("Silver", 250_000))
    assert (d.committed_cents, d.secured_cents, d.open_pipeline_cents) == (800_000, 500_000, 200_000)
    # Weighted open: pitched 2,000 × 20% = 400; prospecting has no amount.
    assert d.weighted_pipeline_cents == 40_000
    assert d.pace.status == "behind" and d.pace.expected_pct == 92.13
    assert [(r.label, r.count, r.amount_cents) for r in d.pipeline.rows] == [
        ("Prospecting", 1, 0), ("Pitched", 1, 200_000), ("Confirmed", 1, 500_000),
        ("Declined", 1, 100_000),
    ]
    # Follow-ups of this event: 11-18 is overdue; 12-01 is 9 days away (inside 21); 2027-03-01
    # is outside the window.
    assert (d.follow_ups_overdue, d.follow_ups_due) == (1, 1)
    assert [f.due_date for f in d.pressure] == ["2026-11-18", "2026-12-01"]
    # Activities on the event, latest first; the general email (no event) is not one of them.
    assert [a.id for a in d.recent] == [pid(301), pid(303)]
    # 2026-11-20 18:00 UTC is 10:00 in Vancouver.
    assert (d.recent[0].day, d.recent[0].time) == ("2026-11-20", "10:00")
    assert event_detail(data, "missing", TODAY) is None


def test_event_deals_sort_page_and_archived(data):
    page = event_deals(data, pid(101))
    # Visible: not archived, partner not archived; by partner name ignoring case.
    assert [r.partner for r in page.rows] == ["Acme Analytics", "acme Labs", "Globex 100%_off", "Northwind"]
    assert page.total == 4 and not page.has_more
    by_amount = event_deals(data, pid(101), sort="amount", descending=True)
    # 5,000, 2,000, 1,000, then the deal without an amount last.
    assert [r.amount_cents for r in by_amount.rows] == [500_000, 200_000, 100_000, None]
    by_amount_up = event_deals(data, pid(101), sort="amount")
    assert [r.amount_cents for r in by_amount_up.rows] == [100_000, 200_000, 500_000, None]
    by_status = event_deals(data, pid(101), sort="status")
    assert [r.status for r in by_status.rows] == ["prospecting", "pitched", "confirmed", "declined"]
    follow = event_deals(data, pid(101), sort="follow_up")
    assert [r.next_follow_up for r in follow.rows] == ["2026-11-18", "2027-03-01", None, None]
    assert follow.rows[0].last_activity == "2026-11-10"
    two = event_deals(data, pid(101), limit=2, offset=2)
    assert [r.partner for r in two.rows] == ["Globex 100%_off", "Northwind"] and two.total == 4
    everything = event_deals(data, pid(101), include_archived=True)
    assert everything.total == 6  # plus Zeta Old's deal and the archived 100 deal
    with pytest.raises(ValueError):
        event_deals(data, pid(101), sort="name; DROP TABLE deal")


# --- partners -------------------------------------------------------------------------------


def names(page) -> list[str]:
    return [r.name for r in page.rows]


def test_partner_search_text_over_name_contacts_emails_tags_notes(data):
    assert names(search_partners(data)) == ["Acme Analytics", "acme Labs", "Globex 100%_off", "Northwind"]
    assert names(search_partners(data, PartnerFilter(text="ACME"))) == ["Acme Analytics", "acme Labs"]
    assert names(search_partners(data, PartnerFilter(text="scully"))) == ["Northwind"]  # contact
    assert names(search_partners(data, PartnerFilter(text="ann@acme"))) == ["Acme Analytics"]  # email
    assert names(search_partners(data, PartnerFilter(text="research"))) == ["acme Labs"]  # tag
    assert names(search_partners(data, PartnerFilter(text="spring"))) == ["Acme Analytics"]  # notes
    assert names(search_partners(data, PartnerFilter(text="acme spring"))) == ["Acme Analytics"]
    # % and _ are literal characters, not wildcards.
    assert names(search_partners(data, PartnerFilter(text="100%_"))) == ["Globex 100%_off"]
    assert names(search_partners(data, PartnerFilter(text="0%x"))) == []
    assert names(search_partners(data, PartnerFilter(text="[bold]"))) == ["Globex 100%_off"]
    assert like_escape("a%b_c\\") == "%a\\%b\\_c\\\\%"


def test_partner_search_follows_edits_through_the_triggers(data):
    data.update_partner(pid(4), {"name": "Initech"})
    assert names(search_partners(data, PartnerFilter(text="globex"))) == []
    assert names(search_partners(data, PartnerFilter(text="initech"))) == ["Initech"]
    data.update_contact(pid(11), {"email": "fox@fbi.example"})
    assert names(search_partners(data, PartnerFilter(text="dana@"))) == []
    assert names(search_partners(data, PartnerFilter(text="fox@"))) == ["Northwind"]
    data.update_contact(pid(11), {"partner_id": pid(4)})  # moved to another partner
    assert names(search_partners(data, PartnerFilter(text="fox@"))) == ["Initech"]
    data.undo()  # the move back
    assert names(search_partners(data, PartnerFilter(text="fox@"))) == ["Northwind"]
    new = data.create_partner({"name": "Brand New"})
    assert names(search_partners(data, PartnerFilter(text="brand"))) == ["Brand New"]
    data.undo()  # the insert undone: gone from the search too
    assert names(search_partners(data, PartnerFilter(text="brand"))) == []
    assert record(data, "partner", new) is None


def test_partner_filters(data):
    f = PartnerFilter
    assert names(search_partners(data, f(status="pitched"))) == ["Northwind"]
    assert names(search_partners(data, f(event_id=pid(103)))) == ["Acme Analytics"]
    # Status and event on the same deal: Acme's paid deal is in 2025, not in Hack 2026.
    assert names(search_partners(data, f(status="paid", event_id=pid(101)))) == []
    # Tier: the partner's own (Acme: Gold) or a deal's package tier (Northwind: Bronze).
    assert names(search_partners(data, f(tier="gold"))) == ["Acme Analytics"]
    assert names(search_partners(data, f(tier="Bronze"))) == ["Northwind"]
    assert names(search_partners(data, f(tier="Silver"))) == ["Northwind"]
    assert names(search_partners(data, f(tag="hiring"))) == ["Acme Analytics"]
    assert names(search_partners(data, f(tag="hiring", archived="include"))) == ["Acme Analytics", "Zeta Old"]
    assert names(search_partners(data, f(tag="hir"))) == []  # a whole tag, not part of one
    assert names(search_partners(data, f(alumni=True))) == ["Northwind"]
    assert names(search_partners(data, f(alumni=False))) == ["Acme Analytics", "acme Labs", "Globex 100%_off"]
    assert names(search_partners(data, f(archived="only"))) == ["Zeta Old"]
    assert count_partners(data, f(archived="include")) == 5
    # A page asks partner by partner, a count gathers the deals' partners once: same answer.
    for flt in (f(status="pitched"), f(event_id=pid(101)), f(status="paid", event_id=pid(101)),
                f(tier="gold"), f(tier="Bronze"), f(tier="Silver", text="north"),
                f(tag="hiring", archived="include"), f(status="paid", archived="include")):
        assert count_partners(data, flt) == len(search_partners(data, flt).rows), flt
    assert not f().narrowed and f(alumni=False).narrowed
    with pytest.raises(ValueError):
        f(archived="sometimes")


def test_partner_rows_and_keyset_paging(data):
    page = search_partners(data, limit=2)
    assert names(page) == ["Acme Analytics", "acme Labs"] and page.total == 4 and page.has_more
    acme = page.rows[0]
    assert (acme.contacts, acme.deals, acme.primary_contact, acme.primary_email) == (
        2, 2, "Ann Primary", "ann@acme.example")
    assert page.rows[1].parent == "Acme Analytics"
    second = search_partners(data, after=page.next_after, limit=2)
    assert names(second) == ["Globex 100%_off", "Northwind"] and not second.has_more
    # A partner added meanwhile before the cursor does not shift the next page.
    data.create_partner({"name": "Aaa First"})
    again = search_partners(data, after=page.next_after, limit=2)
    assert names(again) == ["Globex 100%_off", "Northwind"]


def test_choices(data):
    assert [c.label for c in event_choices(data)] == ["Hack 2026", "Summit 2025"]
    hack = event_choices(data)[0]
    assert hack.tier_presets == (("Gold", 500_000), ("Silver", 250_000))
    assert [c.value for c in status_choices(data)][:2] == ["prospecting", "reached_out"]
    assert [c.label for c in contact_choices(data, pid(1))] == ["Ann Primary", "Bob Second (CTO)"]
    assert [c.label for c in deal_choices(data, pid(1))] == [
        "Hack 2026 · Sponsor · Confirmed", "Summit 2025 · Paid"]
    ch = partner_filter_choices(data)
    assert ch.tiers == ("Bronze", "Gold", "Silver")
    assert ch.tags == ("hiring", "research", "warm intro")
    assert len(ch.events) == 3


# --- partner detail -------------------------------------------------------------------------


def test_partner_detail(data):
    d = partner_detail(data, pid(3), TODAY)
    assert [c.name for c in d.contacts] == ["Dana Scully"]
    # Deals across events, the archived one last: pitched 2,000 and the archived paid 100.
    assert [(x.status, x.archived) for x in d.deals] == [("pitched", False), ("paid", True)]
    # Totals leave the archived deal out: 1 deal, committed 2,000, open 2,000, secured 0.
    s = d.summary
    assert (s.deals, s.committed_cents, s.open_cents, s.secured_cents, s.lost) == (1, 200_000, 200_000, 0, 0)
    assert [f.due_date for f in d.follow_ups] == ["2026-11-18", "2026-12-01"]
    assert d.follow_ups[0].overdue and d.follow_ups[0].days_until_due == -4
    assert [a.channel for a in d.activities] == ["meeting"] and d.activities_total == 1

    acme = partner_detail(data, pid(1), TODAY)
    assert [c.name for c in acme.children] == ["acme Labs"] and acme.parent is None
    # Timeline latest first: the email (11-21 01:30 UTC = 11-20 17:30 local) then the call
    # (11-20 18:00 UTC = 10:00 local).
    assert [(a.day, a.time) for a in acme.activities] == [("2026-11-20", "17:30"), ("2026-11-20", "10:00")]
    assert [a.id for a in activity_timeline(data, pid(1), offset=1)] == [pid(301)]
    # Secured: confirmed 5,000 + paid 300 = 5,300.
    assert acme.summary.secured_cents == 530_000
    labs = partner_detail(data, pid(2), TODAY)
    assert labs.parent.name == "Acme Analytics"
    assert partner_detail(data, "missing", TODAY) is None


def test_same_role_and_next_follow_up(data):
    # Acme already has a Sponsor deal in Hack 2026.
    assert same_role_deals(data, pid(1), pid(101), "sponsor") == 1
    assert same_role_deals(data, pid(1), pid(101), "Sponsor", exclude=pid(201)) == 0
    assert same_role_deals(data, pid(1), pid(101), "Judge") == 0
    # Globex's deal has no role: another one without a role is the same kind.
    assert same_role_deals(data, pid(4), pid(101), None) == 1
    assert next_follow_up(data, pid(202)).due_date == "2026-11-18"
    assert next_follow_up(data, pid(205)) is None


def test_search_table_is_built_for_existing_partners_by_the_migration(db_path, clock):
    """A database made before the search table existed gets every partner indexed on upgrade."""
    from partners_tui.store import migrations
    from partners_tui.store.commands import Store

    db = sqlite3.connect(db_path, isolation_level=None)
    migrations.migrate(db, upto=3)
    db.execute("INSERT INTO partner (id, name, tags, created_at, updated_at) "
               "VALUES ('p1', 'Old Co', 'x', 't', 't')")
    db.execute("INSERT INTO contact (id, partner_id, name, email, created_at, updated_at) "
               "VALUES ('c1', 'p1', 'Kim', 'kim@old.example', 't', 't')")
    db.close()
    store = Store.open(db_path, clock=clock)
    try:
        assert names(search_partners(store, PartnerFilter(text="kim@old"))) == ["Old Co"]
    finally:
        store.close()
