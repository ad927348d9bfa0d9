"""DESIGN 4.5: the event scoreboard, on the hand-made `Ledger` (see test_query_support)."""

from __future__ import annotations

import pytest

from test_query_support import Ledger, World, days


@pytest.fixture
def w(store):
    return World(store)


def test_scoreboard_of_the_ledger(w):
    ledger = Ledger(w)
    w.follow_up(ledger.p["P1"], days(-1), None, event_id=ledger.a)  # A: overdue
    w.follow_up(ledger.p["P2"], days(4), None, event_id=ledger.a)   # A: due
    w.follow_up(ledger.p["P5"], days(30), None, event_id=ledger.b)  # past the window: neither
    events = w.report()["events"]
    # Order: year desc, start date desc (undated last), then name: C (12-05), A (11-01), Aa, B.
    assert [e["name"] for e in events] == ["C", "A", "Aa", "B"]
    c, a, aa, b = events
    # A: secured 3,000 + 1,500 = 4,500; committed adds every status: + 999 + 500 (declined)
    # + 1,000 (in conversation) = 6,999 (P4's 700 and the archived deal left out); open 1,000;
    # deals 5. r = (11-22 − 11-01) / (11-30 − 11-01) = 21/29; expected 10,000 × 21/29 =
    # 7,241.379… → 72.41 %; actual 4,500/10,000 = 45 % < 72.41 − 5 → behind;
    # delta 4,500 − 7,241.38 = −2,741.38.
    assert a == {
        "id": ledger.a, "name": "A", "year": 2026, "archived": False, "goal": 10000.0,
        "secured": 4500.0, "committed": 6999.0, "open_pipeline": 1000.0, "actual_pct": 45.0,
        "expected_pct": 72.41, "pace_delta": -2741.38, "pace": "behind", "deals": 5,
        "follow_ups_due": 1, "follow_ups_overdue": 1,
    }
    # B: no goal; P1 pitched 2,000 and P5 prospecting (no amount).
    assert (b["goal"], b["secured"], b["committed"], b["open_pipeline"], b["deals"], b["pace"],
            b["actual_pct"], b["expected_pct"], b["pace_delta"]) == (
        None, 0.0, 2000.0, 2000.0, 2, "no_goal", None, None, None)
    assert (c["deals"], c["committed"], aa["deals"]) == (0, 0.0, 0)


def test_kpi_totals_equal_scoreboard_sums(w):
    Ledger(w)
    r = w.report()
    assert r["kpis"]["revenue_secured"] == sum(e["secured"] for e in r["events"]) == 4500.0
    assert r["kpis"]["open_pipeline"] == sum(e["open_pipeline"] for e in r["events"]) == 3000.0


def test_event_pace_rows_before_on_and_after_a_one_day_event(w):
    p = w.partner()
    before = w.event("Tomorrow", 2026, goal="100", start_date=days(1), end_date=days(1))
    on = w.event("Today", 2026, goal="100", start_date=days(0), end_date=days(0))
    after = w.event("Yesterday", 2026, goal="100", start_date=days(-1), end_date=days(-1))
    for e in (before, on, after):
        w.deal(p, e, "50", "confirmed")
    rows = {e["name"]: e for e in w.report()["events"]}
    # s = e: r = 0 before the day (expected 0 → not started), 1 from it (50 % < 95 → behind)
    assert (rows["Tomorrow"]["expected_pct"], rows["Tomorrow"]["pace"]) == (0.0, "not_started")
    assert (rows["Today"]["expected_pct"], rows["Today"]["pace"]) == (100.0, "behind")
    assert (rows["Yesterday"]["expected_pct"], rows["Yesterday"]["pace_delta"]) == (100.0, -50.0)


def test_event_without_dates_paces_by_the_calendar_year(w):
    e = w.event("Undated", 2026, goal="365")
    w.deal(w.partner(), e, "320", "paid")
    (row,) = w.report()["events"]
    # 325 of 365 days of 2026 have passed by 2026-11-22: expected 325.00 of 365 = 89.04 %;
    # actual 320/365 = 87.67 % ≥ 89.04 − 5 = 84.04 → on track; delta 320 − 325 = −5.
    assert (row["expected_pct"], row["actual_pct"], row["pace"], row["pace_delta"]) == (
        89.04, 87.67, "on_track", -5.0)
    w.deal(w.partner("Q"), e, "50", "declined")  # a lost deal adds nothing to secured
    w.store.update_event(e, {"goal": "400"})
    (row,) = w.report()["events"]
    # goal 400: expected 400 × 325/365 = 356.16 (89.04 %); actual 320/400 = 80 % < 84.04 → behind
    assert (row["expected_pct"], row["actual_pct"], row["pace"]) == (89.04, 80.0, "behind")


def test_archived_event_row_only_with_include_archived(w):
    e = w.event("Gone", 2026, goal="100")
    w.deal(w.partner(), e, "100", "paid")
    w.store.archive_event(e)
    assert w.report()["events"] == []
    (row,) = w.report(include_archived=True)["events"]
    assert (row["archived"], row["secured"], row["actual_pct"]) == (True, 100.0, 100.0)
