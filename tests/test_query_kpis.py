"""DESIGN 4.2: the seven KPI cards, on the hand-made `Ledger` (see test_query_support)."""

from __future__ import annotations

import pytest

from test_query_support import Ledger, World, days


@pytest.fixture
def w(store):
    return World(store)


@pytest.fixture
def ledger(w):
    return Ledger(w)


def test_kpis_of_the_ledger(w, ledger):
    k = w.report()["kpis"]
    assert k == {
        # P1, P2, P5 (P3 has only a lost deal; P4 is archived)
        "active_partners": 3,
        "events_in_scope": 4,  # A, B, C, Aa
        "archived_events": 0,
        # paid 3,000 + confirmed 1,500 (P4's 700 hidden, the archived deal never counts)
        "revenue_secured": 4500.0,
        "goal": 10000.0,  # only A has a goal
        "goal_remaining": 5500.0,  # 10,000 − 4,500
        # open statuses only (4.9): pitched 2,000 + prospecting (no amount) 0 + in conv. 1,000
        "open_pipeline": 3000.0,
        # 2,000 × 20 % + 0 × 5 % + 1,000 × 30 % (override) = 400 + 0 + 300
        "weighted_pipeline": 700.0,
        "action_items": 0,
        "overdue_items": 0,
    }


def test_kpis_with_archived_included(w, ledger):
    k = w.report(include_archived=True)["kpis"]
    # P4 is back: 4 active partners, 4,500 + 700 secured; the archived deal still never counts.
    assert (k["active_partners"], k["revenue_secured"], k["goal_remaining"]) == (4, 5200.0, 4800.0)


def test_archived_events_counted_whether_or_not_included(w, ledger):
    w.store.archive_event(ledger.c)
    off, on = w.report()["kpis"], w.report(include_archived=True)["kpis"]
    assert (off["events_in_scope"], off["archived_events"]) == (3, 1)
    assert (on["events_in_scope"], on["archived_events"]) == (4, 1)
    assert w.report(year="2025")["kpis"]["archived_events"] == 0  # matches the year filter only


def test_open_pipeline_excludes_secured_and_lost(w):
    e = w.event("E", 2026)
    p = w.partner()
    for status, amount in (("prospecting", "10"), ("confirmed", "100"), ("paid", "1000"),
                           ("declined", "10000"), ("backed_out", "100000")):
        w.deal(p, e, amount, status)
    k = w.report()["kpis"]
    # The reference sums every status (111,110); ours counts open statuses only.
    assert (k["open_pipeline"], k["revenue_secured"]) == (10.0, 1100.0)
    assert k["weighted_pipeline"] == 0.5  # 10 × 5 %


def test_weighted_pipeline_rounds_half_up_to_the_cent(w):
    e = w.event("E", 2026)
    p = w.partner()
    w.deal(p, e, "0.10", "prospecting")  # 10 cents × 5 % = 0.5 cent
    assert w.report()["kpis"]["weighted_pipeline"] == 0.01


def test_zero_and_missing_amounts(w):
    e = w.event("E", 2026, goal="100")
    p, q = w.partner("P"), w.partner("Q")
    w.deal(p, e, "0", "paid")
    w.deal(q, e, None, "confirmed")
    r = w.report()
    k = r["kpis"]
    # Both deals count as deals and make their partners active; neither adds money.
    assert (k["active_partners"], k["revenue_secured"], k["goal_remaining"]) == (2, 0.0, 100.0)
    assert r["events"][0]["deals"] == 2 and r["events"][0]["committed"] == 0.0
    assert r["goal_pace"]["actual_pct"] == 0.0


def test_a_lost_deal_next_to_a_live_one_keeps_the_partner_active(w):
    e = w.event("E", 2026)
    p = w.partner()
    w.deal(p, e, "5", "declined")
    assert w.report()["kpis"]["active_partners"] == 0
    w.deal(p, e, "5", "backed_out")
    assert w.report()["kpis"]["active_partners"] == 0
    w.deal(p, e, "5", "paid")  # secured and closed: not lost
    assert w.report()["kpis"]["active_partners"] == 1


def test_active_partner_counted_once_across_events(w):
    p = w.partner()
    for name in ("E1", "E2", "E3"):
        w.deal(p, w.event(name, 2026), "1", "pitched")
    assert w.report()["kpis"]["active_partners"] == 1


def test_kpis_follow_the_event_filter(w, ledger):
    k = w.report(event_id=ledger.b)["kpis"]
    # B: P1 pitched 2,000 and P5 prospecting; no goal.
    assert k == {
        "active_partners": 2, "events_in_scope": 1, "archived_events": 0,
        "revenue_secured": 0.0, "goal": None, "goal_remaining": None,
        "open_pipeline": 2000.0, "weighted_pipeline": 400.0,
        "action_items": 0, "overdue_items": 0,
    }


def test_action_items_and_overdue(w, ledger):
    w.follow_up(ledger.p["P1"], days(-2))
    w.follow_up(ledger.p["P2"], days(3))
    w.deal(ledger.p["P3"], ledger.a, None, "pitched", on=days(-30))  # stale and overdue (≥ 28)
    k = w.report()["kpis"]
    assert (k["action_items"], k["overdue_items"]) == (3, 2)
    # P3 now has an in-scope deal that is not lost: active.
    assert k["active_partners"] == 4


def test_no_events_at_all(w):
    w.partner()
    k = w.report()["kpis"]
    assert k == {
        "active_partners": 0, "events_in_scope": 0, "archived_events": 0,
        "revenue_secured": 0.0, "goal": None, "goal_remaining": None, "open_pipeline": 0.0,
        "weighted_pipeline": 0.0, "action_items": 0, "overdue_items": 0,
    }


def test_active_partners_per_year_and_from_the_deals_agree(w, store, monkeypatch):
    """A whole year (or all years) counts from migration 9's per-year rows, one event or a
    narrowed event list from the deals: both give the hand count, scope by scope."""
    from dataclasses import replace

    from partners_tui.store.queries import totals
    from partners_tui.store.queries.scope import Scope, resolve_scope

    e25, e26, old26 = w.event("E25", 2025), w.event("E26", 2026), w.event("Old", 2026)
    a, b, c, d, gone = (w.partner(n) for n in ("A", "B", "C", "D", "Gone"))
    w.deal(a, e25, "1", "pitched")
    w.deal(a, e26, "1", "paid")  # A: in both years, counted once for all years
    w.deal(b, e26, "1", "declined")  # B: lost only
    w.deal(c, old26, "1", "pitched")  # C: only in an archived event
    w.deal(d, e25, "1", "pitched", archived=True)  # D: only an archived deal
    w.deal(gone, e26, "1", "pitched")  # Gone: an archived partner
    store.archive_event(old26)
    store.archive_partner(gone)
    expected = {
        # (year, include archived): who is active
        ("all", False): 1,  # A
        ("all", True): 3,  # A, C (archived event), Gone (archived partner)
        ("2025", False): 1,  # A (D's deal is archived)
        ("2026", False): 1,  # A (B lost, C's event archived, Gone archived)
        ("2026", True): 3,  # A, C, Gone
    }
    scan = []
    whole_years = totals._whole_years
    with store.read() as conn:
        statuses = totals.load_statuses(conn)
        for (year, archived), count in expected.items():
            scope = resolve_scope(conn, Scope.parse(year, include_archived=archived), w.today)
            assert totals._whole_years(conn, scope)
            assert totals._active_partners(conn, scope, statuses) == count, (year, archived)
            monkeypatch.setattr(totals, "_whole_years", lambda *_: False)
            scan.append(totals._active_partners(conn, scope, statuses))
            monkeypatch.setattr(totals, "_whole_years", whole_years)
        assert scan == list(expected.values())
        # One event, or the year's list narrowed to one event: counted from the deals.
        year = resolve_scope(conn, Scope.parse("2026", include_archived=True), w.today)
        narrowed = replace(year, events=tuple(e for e in year.events if e.id == old26))
        one = resolve_scope(conn, Scope.parse("2026", old26, include_archived=True), w.today)
        for scope in (narrowed, one):
            assert not totals._whole_years(conn, scope)
            assert totals._active_partners(conn, scope, statuses) == 1  # C
