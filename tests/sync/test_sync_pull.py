"""Pull: one batch read, a three-way merge per field, ids written back for typed rows, removed
rows archived, conflicts to the later updated_at and listed, bad rows reported and skipped, and
never a restarted stale clock. One transaction, change-logged and undoable."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select

from .sync_sample import SHEET
from .sync_sample import pid, set_time
from partners_tui.store.changelog import table
from partners_tui.store.queries import Scope, overview
from partners_tui.sync import state
from partners_tui.sync.tabs import headers


def row_of(store, entity: str, key: str) -> dict | None:
    t = table(entity)
    with store.read() as conn:
        found = conn.execute(select(t).where(t.c.id == key)).mappings().first()
    return dict(found) if found else None


def kinds(fake) -> list[str]:
    from .fake_sheets import _kind

    return [_kind(m, p) for m, p, _ in fake.requests]


def test_sheet_edits_are_pulled_cleared_cell_new_row_and_deleted_row(filled, fake, make_sync):
    sync = make_sync(filled)
    sync.push()
    fake.type_cell(SHEET, "Deals", fake.find_row(SHEET, "Deals", pid(202)), "notes", "Bring swag")
    fake.type_cell(SHEET, "Partners", fake.find_row(SHEET, "Partners", pid(1)), "industry", "")
    new_row = fake.append_row(SHEET, "Partners", {"name": "Initech", "tags": "new, b2b", "is_alumni": "TRUE"})
    fake.delete_row(SHEET, "Deals", fake.find_row(SHEET, "Deals", pid(203)))
    set_time(filled, "12:00")
    fake.reset_log()

    result = sync.pull()

    assert kinds(fake) == ["metadata", "batchGet", "valuesBatchUpdate"]  # 1 read + id write-back
    p = result.pull
    assert (p.created, p.updated, p.archived, p.conflicts, p.problems) == (1, 2, 1, 0, ())
    assert row_of(filled, "deal", pid(202))["notes"] == "Bring swag"
    assert row_of(filled, "partner", pid(1))["industry"] is None  # the sheet blanked it
    assert row_of(filled, "partner", pid(2))["website"] == '=IMPORTXML("x")'  # untouched
    assert row_of(filled, "deal", pid(203))["archived"] is True  # archived, never deleted

    new_id = fake.table(SHEET, "Partners")[new_row - 1][0]
    initech = row_of(filled, "partner", new_id)
    assert initech["name"] == "Initech" and initech["tags"] == "new, b2b" and initech["is_alumni"] is True
    assert fake.records(SHEET, "Partners")[new_row - 2]["updated_at"] == filled.clock.stamp()

    # The pull is one command from "sync", and undo reverses all of it.
    from partners_tui.store.changelog import COMMAND as cmd

    with filled.read() as conn:
        last = conn.execute(select(cmd).order_by(cmd.c.id.desc()).limit(1)).mappings().first()
    assert last["source"] == "sync" and last["name"] == "sheets.pull"
    filled.undo()
    assert row_of(filled, "deal", pid(202))["notes"] is None
    assert row_of(filled, "partner", new_id) is None
    assert row_of(filled, "deal", pid(203))["archived"] is False

    # Undoing a pull rejects the sheet's edits: the merge base still says the sheet has them, so
    # they count as changes made here, and the next push puts this database's values back.
    again = sync.pull().pull
    assert (again.created, again.updated, again.archived) == (0, 0, 0)
    sync.push()
    assert fake.records(SHEET, "Deals")[1]["notes"] == ""
    assert new_id not in [r["id"] for r in fake.records(SHEET, "Partners")]
    assert pid(203) in [r["id"] for r in fake.records(SHEET, "Deals")]


def test_a_blank_cell_clears_a_value_only_when_the_sheet_changed_it(filled, fake, make_sync):
    sync = make_sync(filled)
    sync.push()
    set_time(filled, "10:00")
    filled.update_partner(pid(1), {"notes": "met at the fair"})  # the sheet's notes cell stays blank
    filled.update_partner(pid(3), {"industry": "Retail"})
    result = sync.pull()
    assert result.pull.updated == 0
    assert row_of(filled, "partner", pid(1))["notes"] == "met at the fair"
    assert row_of(filled, "partner", pid(3))["industry"] == "Retail"
    assert sync.status().pending_changes == 2  # still waiting to be pushed


def test_the_same_field_edited_on_both_sides_goes_to_the_later_edit_and_is_listed(filled, fake, make_sync):
    sync = make_sync(filled)
    sync.push()  # at 09:00
    set_time(filled, "10:00")
    filled.update_deal(pid(202), {"amount": 3500, "owner": "sam"})
    filled.update_deal(pid(204), {"amount": 9000})
    # A teammate's push (11:30 Vancouver) changed 202's amount; a person typed 204's amount.
    r202, r204 = fake.find_row(SHEET, "Deals", pid(202)), fake.find_row(SHEET, "Deals", pid(204))
    fake.type_cell(SHEET, "Deals", r202, "amount", "4000")
    fake.type_cell(SHEET, "Deals", r202, "updated_at", "2026-11-22T19:30:00.000Z")
    fake.type_cell(SHEET, "Deals", r204, "amount", "8500")
    set_time(filled, "12:00")

    result = sync.pull()

    assert result.pull.conflicts == 2
    assert row_of(filled, "deal", pid(202))["amount_cents"] == 400_000  # the sheet's edit is later
    assert row_of(filled, "deal", pid(202))["updated_at"] == "2026-11-22T19:30:00.000Z"
    assert row_of(filled, "deal", pid(202))["owner"] == "sam"  # only changed here: kept
    assert row_of(filled, "deal", pid(204))["amount_cents"] == 900_000  # a typed edit has no time: ours
    conflicts = {c.entity_id: c for c in sync.conflicts()}
    assert conflicts[pid(202)].kept == "sheet" and conflicts[pid(202)].field == "amount_cents"
    assert (conflicts[pid(202)].local_value, conflicts[pid(202)].sheet_value) == (350_000, 400_000)
    assert conflicts[pid(204)].kept == "local"
    assert conflicts[pid(202)].label == "[bold]Northwind[/] / Hackathon"
    assert sync.status().open_conflicts == 2
    assert sync.mark_conflicts_reviewed() == 2
    assert sync.conflicts() == [] and len(sync.conflicts(include_reviewed=True)) == 2


def test_malformed_cells_are_reported_with_tab_and_row_and_skipped(filled, fake, make_sync):
    sync = make_sync(filled)
    sync.push()
    rows = {n: fake.find_row(SHEET, "Deals", pid(n)) for n in (201, 202, 203, 204)}
    fake.type_cell(SHEET, "Deals", rows[201], "amount", "five thousand")
    fake.type_cell(SHEET, "Deals", rows[202], "expected_close", "2026-02-30")
    fake.type_cell(SHEET, "Deals", rows[203], "status", "Maybe Later")
    fake.type_cell(SHEET, "Deals", rows[204], "notes", "good row")
    fake.append_row(SHEET, "Deals", {"partner_id": "Nobody Inc", "event_id": pid(101)})

    result = sync.pull()

    assert [str(p) for p in result.pull.problems] == [
        f"Deals row {rows[201]}: amount: 'five thousand' is not an amount",
        f"Deals row {rows[202]}: expected_close: '2026-02-30' is not a real calendar date",
        f"Deals row {rows[203]}: status: unknown status 'Maybe Later' (add it in Settings first)",
        "Deals row 6: partner_id: no partner with id or name 'Nobody Inc'",
    ]
    assert row_of(filled, "deal", pid(201))["amount_cents"] == 500_050
    assert row_of(filled, "deal", pid(202))["expected_close"] == "2026-12-15"
    assert row_of(filled, "deal", pid(203))["status"] == "prospecting"
    assert row_of(filled, "deal", pid(204))["notes"] == "good row"  # the good row still went in
    assert result.pull.updated == 1 and result.pull.created == 0
    status = sync.status()
    assert status.pull_problems == 4 and status.last_pull_result == "ok"
    assert len(sync.last_problems()) == 4


def test_a_pull_never_restarts_a_deals_stale_clock(store, fake, make_sync):
    set_time(store, "09:00", day="2026-10-01")
    p = store.create_partner({"name": "Sleepy Co"})
    e = store.create_event({"name": "Hackathon", "year": 2026, "end_date": "2026-12-31"})
    deal = store.create_deal({"partner_id": p, "event_id": e, "status": "pitched"})
    set_time(store, "12:00")  # 2026-11-22: 52 days later, well past "stale after 14 days"
    sync = make_sync(store)
    sync.push()

    def stale_days() -> int | None:
        ov = overview(store, Scope.parse("auto"), store.clock.today())
        return next((i.stale_days for i in ov.action_queue.items if i.deal_id == deal), None)

    before = stale_days()
    assert before is not None and before >= 52
    row = fake.find_row(SHEET, "Deals", deal)
    fake.type_cell(SHEET, "Deals", row, "notes", "still thinking")
    fake.type_cell(SHEET, "Deals", row, "status", "In Conversation")  # a label works too
    fake.type_cell(SHEET, "Deals", row, "amount", "1200")
    set_time(store, "13:00")
    assert sync.pull().pull.updated == 1
    after = row_of(store, "deal", deal)
    assert after["status"] == "in_conversation" and after["amount_cents"] == 120_000
    assert after["last_activity_at"] is None
    assert after["status_changed_at"] < "2026-10-02"  # not the pull's time
    assert stale_days() == before


def test_rows_typed_by_a_person_may_name_the_partner_and_event(filled, fake, make_sync):
    sync = make_sync(filled)
    sync.push()
    fake.append_row(SHEET, "Deals", {"partner_id": "globex", "event_id": "Hackathon", "amount": "750", "role": "Judge"})
    fake.append_row(SHEET, "Activities", {"partner_id": "Acme Analytics", "channel": "Meeting",
                                          "occurred_at": "2026-11-21 15:30", "subject": "Coffee"})
    result = sync.pull()
    assert result.pull.created == 2 and not result.pull.problems
    deal_id = fake.records(SHEET, "Deals")[-1]["id"]
    deal = row_of(filled, "deal", deal_id)
    assert (deal["partner_id"], deal["event_id"], deal["status"], deal["amount_cents"]) == (pid(3), pid(101), "prospecting", 75_000)
    act = row_of(filled, "activity", fake.records(SHEET, "Activities")[-1]["id"])
    assert act["channel"] == "meeting" and act["occurred_at"] == "2026-11-21T23:30:00.000Z"  # 15:30 PST
    assert act["direction"] == "outbound" and act["source"] == "manual"


def test_a_pull_keeps_an_edit_made_here_while_it_was_reading(filled, fake, make_sync, monkeypatch):
    sync = make_sync(filled)
    sync.push()
    fake.type_cell(SHEET, "Deals", fake.find_row(SHEET, "Deals", pid(202)), "notes", "from the sheet")
    import partners_tui.sync.service as service

    real = service.plan_pull

    def plan_then_edit(*args, **kwargs):
        plan = real(*args, **kwargs)
        filled.update_deal(pid(202), {"notes": "typed meanwhile"})
        return plan

    monkeypatch.setattr(service, "plan_pull", plan_then_edit)
    sync.pull()
    assert row_of(filled, "deal", pid(202))["notes"] == "typed meanwhile"
    with filled.read() as conn:
        base = json.loads(state.load_base(conn, "deal", [pid(202)])[pid(202)])
    assert base[headers("deal").index("notes")] == "from the sheet"  # so the next sync pushes ours


def test_a_row_removed_from_a_narrowed_activities_tab_is_not_archived(filled, fake, make_sync):
    sync = make_sync(filled)
    sync.push()  # every activity, including pid(402) of 2026-11-01
    sync.push(activities_days=7)  # now the tab holds only the last week
    assert pid(402) not in [r["id"] for r in fake.records(SHEET, "Activities")]
    sync.pull()
    assert row_of(filled, "activity", pid(402))["archived"] is False
    assert row_of(filled, "activity", pid(401))["archived"] is False
    fake.delete_row(SHEET, "Activities", fake.find_row(SHEET, "Activities", pid(401)))
    assert sync.pull().pull.archived == 1  # inside the window, a removed row still archives
    assert row_of(filled, "activity", pid(401))["archived"] is True


def test_pulled_activities_move_the_clock_to_their_own_time(filled, fake, make_sync):
    sync = make_sync(filled)
    sync.push()
    fake.append_row(SHEET, "Activities", {"partner_id": pid(1), "deal_id": pid(204), "channel": "call",
                                          "occurred_at": "2026-11-20T18:00:00.000Z"})
    set_time(filled, "15:00")
    sync.pull()
    deal = row_of(filled, "deal", pid(204))
    assert deal["last_activity_at"] == "2026-11-20T18:00:00.000Z"  # the call's time, not the pull's
    assert dt.date(2026, 11, 20) < dt.date(2026, 11, 22)


def test_a_pull_that_changes_nothing_leaves_nothing_to_undo(filled, fake, make_sync):
    from partners_tui.store.changelog import COMMAND, last_undoable

    sync = make_sync(filled)
    sync.push()
    with filled.read() as conn:
        before = last_undoable(conn)["id"]
    sync.pull()
    with filled.read() as conn:
        assert last_undoable(conn)["id"] == before
        assert conn.execute(select(COMMAND.c.id).where(COMMAND.c.name == "sheets.pull")).first() is None


def test_columns_moved_by_a_person_are_read_by_their_headers(filled, fake, make_sync):
    sync = make_sync(filled)
    sync.push()
    tab = fake.books[SHEET].tab("Deals")
    a, b = headers("deal").index("notes"), headers("deal").index("partner_id")
    for row in tab.values:  # swap two whole columns, header included
        row += [""] * (len(headers("deal")) - len(row))
        row[a], row[b] = row[b], row[a]
    assert sync.pull().pull.updated == 0  # the same data, just elsewhere
    fake.type_cell(SHEET, "Deals", fake.find_row(SHEET, "Deals", pid(203)), "notes", "moved column")
    assert sync.pull().pull.updated == 1
    assert row_of(filled, "deal", pid(203))["notes"] == "moved column"
    sync.push()
    assert fake.table(SHEET, "Deals")[0] == headers("deal")  # a push puts our order back
