"""Push: every tab in at most 3 API calls, RAW values with real types, frozen headers, the
push-only Pipeline tab, and the 10-million-cell limit checked before anything is written."""

from __future__ import annotations

import datetime as dt

import pytest

from .sync_sample import SHEET
from .fake_sheets import Formula
from .sync_sample import bulk, many_deals, pid
from partners_tui.sync.errors import SheetTooLarge
from partners_tui.sync.tabs import COLUMNS, headers

TABS = ("Partners", "Contacts", "Events", "Deals", "Activities", "Follow-ups", "Pipeline")


def kinds(fake) -> list[str]:
    from .fake_sheets import _kind

    return [_kind(m, p) for m, p, _ in fake.requests]


def test_first_push_to_an_empty_spreadsheet(filled, fake, make_sync):
    result = make_sync(filled).push()

    # One metadata read, one batchUpdate creating and formatting every tab, one values write.
    assert kinds(fake) == ["metadata", "batchUpdate", "valuesBatchUpdate"]
    assert result.api_calls == 3
    book = fake.books[SHEET]
    for title in TABS:
        tab = book.tab(title)
        assert tab is not None, title
        assert tab.frozen == 1 and tab.bold_header
        header = fake.table(SHEET, title)[0]
        assert header[0] == "id" and header[-1] == "updated_at"
    assert fake.table(SHEET, "Deals")[0] == headers("deal")

    deals = {r["id"]: r for r in fake.records(SHEET, "Deals")}
    assert len(deals) == 4
    d = deals[pid(201)]
    assert d["amount"] == 5000.5 and isinstance(d["amount"], float)  # a number, not "5,000.50"
    assert d["status"] == "confirmed" and d["archived"] is False
    assert deals[pid(202)]["expected_close"] == "2026-12-15"  # ISO text
    assert deals[pid(202)]["amount"] == 3000 and isinstance(deals[pid(202)]["amount"], int)
    assert deals[pid(203)]["amount"] == ""  # no amount: an empty cell

    partners = {r["id"]: r for r in fake.records(SHEET, "Partners")}
    assert partners[pid(2)]["name"] == "[bold]Northwind[/]"
    website = partners[pid(2)]["website"]
    assert website == '=IMPORTXML("x")'
    raw = book.tab("Partners").values[2][COLUMNS["partner"].index(next(c for c in COLUMNS["partner"] if c.field == "website")) + 1]
    assert not isinstance(raw, Formula)  # written RAW: text, never a formula
    assert partners[pid(1)]["tags"] == "ai, gold"
    assert partners[pid(3)]["parent_id"] == pid(1)

    pipeline = {r["id"]: r for r in fake.records(SHEET, "Pipeline")}
    row = pipeline[pid(204)]
    assert (row["partner"], row["event"], row["status"], row["amount"]) == ("Acme Analytics", "Blueprint", "Reached Out", 8000)
    assert row["next_follow_up"] == "2026-12-01"
    assert pipeline[pid(201)]["last_activity"] == "2026-11-22"

    status = make_sync(filled).status()
    assert status.state == "connected" and status.last_push_result == "ok"
    assert status.last_push_rows == result.push.total_rows == 3 + 1 + 2 + 4 + 2 + 2 + 4
    assert status.pending_changes == 0


def test_a_repeat_push_with_the_same_row_counts_is_two_calls(filled, fake, make_sync):
    sync = make_sync(filled)
    sync.push()
    fake.reset_log()
    filled.update_deal(pid(202), {"notes": "call back"})
    assert sync.status().pending_changes == 1
    sync.push()
    assert kinds(fake) == ["metadata", "valuesBatchUpdate"]  # no tab needs resizing
    assert fake.records(SHEET, "Deals")[1]["notes"] == "call back"
    assert sync.status().pending_changes == 0


def test_push_of_10000_deals_counts_its_api_calls(store, fake, make_sync):
    many_deals(store, 10_000)
    result = make_sync(store).push()
    assert result.api_calls == 3 == len(fake.requests)
    assert len(fake.calls("valuesBatchUpdate")) == 1  # every row of every tab in one request
    rows = fake.table(SHEET, "Deals")
    assert len(rows) == 10_001
    amounts = sorted(r[headers("deal").index("amount")] for r in rows[1:])
    assert amounts == list(range(1, 10_001))  # i × 100 cents = i currency units, as numbers
    # One more deal: the Deals and Pipeline grids grow (one batchUpdate), still 3 calls.
    fake.reset_log()
    event = rows[1][headers("deal").index("event_id")]
    store.create_deal({"partner_id": rows[1][1], "event_id": event})
    assert make_sync(store).push().api_calls == 3
    assert len(fake.table(SHEET, "Deals")) == 10_002


def test_removed_rows_do_not_linger_after_a_push(filled, fake, make_sync):
    sync = make_sync(filled)
    sync.push()
    filled.delete_deal(pid(203))
    sync.push()
    ids = [r["id"] for r in fake.records(SHEET, "Deals")]
    assert pid(203) not in ids and len(ids) == 3
    assert fake.books[SHEET].tab("Deals").rows == 4  # header + 3 rows, the grid shrank


def test_push_refuses_over_ten_million_cells_and_offers_fewer_activities(filled, fake, make_sync):
    # Another tab already holds 9,990,000 cells; 1,000 activities (one a day) would overflow.
    book = fake.books[SHEET]
    book.tabs[0].rows, book.tabs[0].columns = 99_900, 100
    start = dt.datetime(2026, 11, 22, 20, 0, tzinfo=dt.timezone.utc)
    bulk(filled, "activity", [
        {"partner_id": pid(1), "channel": "email",
         "occurred_at": (start - dt.timedelta(days=i)).strftime("%Y-%m-%dT%H:%M:%S.000Z")}
        for i in range(1000)
    ])
    sync = make_sync(filled)
    with pytest.raises(SheetTooLarge) as err:
        sync.push()
    message = str(err.value)
    assert "10,000,000" in message and "--activities-days" in message and "nothing was written" in message
    assert kinds(fake) == ["metadata"]  # counted before any write
    assert sync.status().last_push_result == "failed"

    days = int(message.split("--activities-days ")[1].split()[0])
    fake.reset_log()
    result = sync.push(activities_days=days)
    assert result.push.cells <= 10_000_000
    activities = fake.table(SHEET, "Activities")
    since = (dt.date(2026, 11, 22) - dt.timedelta(days=days)).isoformat()
    assert f"occurred_at (since {since})" in activities[0]
    assert 1 < len(activities) - 1 < 1002


def test_bad_rows_a_pull_skipped_are_written_back_unchanged_by_sync(filled, fake, make_sync):
    sync = make_sync(filled)
    sync.push()
    row = fake.find_row(SHEET, "Deals", pid(202))
    fake.type_cell(SHEET, "Deals", row, "amount", "about 3k")
    result = sync.sync()
    assert [str(p) for p in result.pull.problems] == [f"Deals row {row}: amount: 'about 3k' is not an amount"]
    assert fake.records(SHEET, "Deals")[row - 2]["amount"] == "about 3k"  # left for a person to fix
    assert filled.read  # the deal here is unchanged
    with filled.read() as conn:
        from partners_tui.store.changelog import table
        from sqlalchemy import select

        d = table("deal")
        assert conn.execute(select(d.c.amount_cents).where(d.c.id == pid(202))).scalar() == 300_000
