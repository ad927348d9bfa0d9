"""Two teammates, two databases, one sheet: syncing in turns until both hold the same data."""

from __future__ import annotations

from sqlalchemy import select

from .sync_sample import SHEET
from .sync_sample import pid, set_time
from partners_tui.store.changelog import table
from partners_tui.sync.tabs import FIELDS


def data(store) -> dict:
    """Every synced field of every record (what both teammates must agree on)."""
    out = {}
    with store.read() as conn:
        for entity, fields in FIELDS.items():
            t = table(entity)
            cols = [t.c.id, *(t.c[f] for f in fields), t.c.updated_at]
            out[entity] = {r.id: tuple(r) for r in conn.execute(select(*cols).order_by(t.c.id))}
    return out


def test_two_teammates_converge_through_one_sheet(filled, second_store, fake, make_sync):
    alice, bob = filled, second_store
    a, b = make_sync(alice), make_sync(bob)

    a.sync()  # Alice publishes her database
    b.sync()  # Bob, starting empty, receives everything
    assert data(bob) == data(alice)
    with bob.read() as conn:
        t = table("partner")
        website = conn.execute(select(t.c.website).where(t.c.id == pid(2))).scalar()
    assert website == '=IMPORTXML("x")'  # a value starting with "=" round-trips as text

    # Both edit, offline, at different times: different fields, the same field, new records.
    set_time(alice, "10:00")
    alice.update_deal(pid(202), {"amount": 3500, "notes": "alice"})
    alice.create_partner({"name": "Alice's lead"})
    set_time(bob, "11:00")
    bob.update_deal(pid(202), {"amount": 3700, "owner": "bob"})
    bob.change_deal_status(pid(204), "pitched")
    bob.log_activity({"partner_id": pid(3), "channel": "call", "subject": "Bob called"})
    bob.archive_partner(pid(2))
    # Meanwhile someone types into the sheet.
    fake.type_cell(SHEET, "Events", fake.find_row(SHEET, "Events", pid(102)), "notes", "venue booked")

    set_time(alice, "12:00")
    a.sync()
    set_time(bob, "12:30")
    b.sync()
    set_time(alice, "13:00")
    a.sync()

    assert data(alice) == data(bob)
    with alice.read() as conn:
        d = table("deal")
        deal = conn.execute(select(d).where(d.c.id == pid(202))).mappings().first()
        e = table("event")
        notes = conn.execute(select(e.c.notes).where(e.c.id == pid(102))).scalar()
    assert deal["amount_cents"] == 370_000  # Bob's edit was later (11:00 > 10:00)
    assert (deal["notes"], deal["owner"]) == ("alice", "bob")  # different fields both kept
    assert notes == "venue booked"
    # A fourth round changes nothing anywhere.
    fake.reset_log()
    quiet = a.sync()
    assert (quiet.pull.created, quiet.pull.updated, quiet.pull.archived) == (0, 0, 0)
    assert a.status().pending_changes == 0 and b.status().pending_changes == 0


def test_a_database_that_never_synced_will_not_replace_a_filled_sheet(filled, second_store, fake, make_sync):
    from partners_tui.sync.errors import WouldOverwrite

    make_sync(filled).push()
    before = fake.table(SHEET, "Deals")
    bob = make_sync(second_store)
    fake.reset_log()
    try:
        bob.push()
        raise AssertionError("the push should have been refused")
    except WouldOverwrite as exc:
        assert "never synced" in str(exc) and "sheets sync" in str(exc) and "--force" in str(exc)
    assert [m for m, _, _ in fake.requests] == ["GET"]  # only looked
    assert fake.table(SHEET, "Deals") == before
    assert bob.status().state == "connected" and bob.status().last_push_result == "failed"
    bob.sync()  # merging is always fine
    assert len(fake.records(SHEET, "Deals")) == 4
    bob.push()  # and once synced, pushes go through
    make_sync(second_store).push(force=True)


def test_the_first_sync_with_a_new_spreadsheet_creates_the_tabs(filled, fake, make_sync):
    result = make_sync(filled).sync()
    assert result.pull.problems == () and len(result.pull.missing_tabs) == 6
    assert result.push.tabs_created == ("Partners", "Contacts", "Events", "Deals", "Activities", "Follow-ups", "Pipeline")
