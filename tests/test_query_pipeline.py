"""DESIGN 4.4: the pipeline breakdown, shares computed by hand."""

from __future__ import annotations

import pytest

from test_query_support import Ledger, World


@pytest.fixture
def w(store):
    return World(store)


def test_pipeline_of_the_ledger(w):
    Ledger(w)
    rows = w.report()["pipeline"]
    # In-scope deals by status, in pipeline position order (P4's and the archived deal left out):
    #   prospecting 1 × 0, pitched 1 × 2,000, in conversation 1 × 1,000, confirmed 1 × 1,500,
    #   paid 1 × 3,000, declined 2 × (999 + 500) = 1,499. Totals: 7 deals, 8,999.
    # Count shares: 1/7 = 14.2857 % (five rows) and 2/7 = 28.5714 %. Rounded one by one they
    # would add up to 100.02; the largest remainders (.57, five ties broken in pipeline order)
    # get the last cents: 14.29, 14.29, 14.29, 14.28, 14.28, 28.57 = 100.00.
    # Amount shares: 2,000/8,999 = 22.2247 %, 1,000/8,999 = 11.1123 %, 1,500/8,999 = 16.6685 %,
    # 3,000/8,999 = 33.3370 %, 1,499/8,999 = 16.6574 % → 22.22, 11.11, 16.67, 33.34, 16.66.
    assert [(r["status"], r["count"], r["amount"], r["share_count_pct"], r["share_amount_pct"])
            for r in rows] == [
        ("prospecting", 1, 0.0, 14.29, 0.0),
        ("pitched", 1, 2000.0, 14.29, 22.22),
        ("in_conversation", 1, 1000.0, 14.29, 11.11),
        ("confirmed", 1, 1500.0, 14.28, 16.67),
        ("paid", 1, 3000.0, 14.28, 33.34),
        ("declined", 2, 1499.0, 28.57, 16.66),
        (None, 7, 8999.0, 100.0, 100.0),
    ]
    assert rows[0] == {
        "status": "prospecting", "label": "Prospecting", "count": 1, "amount": 0.0,
        "share_count_pct": 14.29, "share_amount_pct": 0.0, "secured": False, "closed": False,
    }
    assert [(r["secured"], r["closed"]) for r in rows[3:5]] == [(True, False), (True, True)]
    assert rows[-1]["label"] == "Total" and rows[-1]["secured"] is None


def test_pipeline_rows_follow_status_positions(w):
    e = w.event("E", 2026)
    p = w.partner()
    w.deal(p, e, "1", "paid")
    w.deal(p, e, "1", "prospecting")
    w.store.move_status("paid", 0)  # the team puts Paid first
    assert [r["status"] for r in w.report()["pipeline"]] == ["paid", "prospecting", None]


def test_shares_are_zero_when_the_total_is_zero(w):
    e = w.event("E", 2026)
    p = w.partner()
    w.deal(p, e, None, "pitched")
    w.deal(p, e, "0", "paid")
    rows = w.report()["pipeline"]
    # 2 deals (50 % each) worth nothing: amount shares 0, never a division by zero.
    assert [(r["share_count_pct"], r["share_amount_pct"]) for r in rows] == [
        (50.0, 0.0), (50.0, 0.0), (100.0, 0.0)]


def test_empty_pipeline_has_only_the_totals_row(w):
    w.event("E", 2026)
    assert w.report()["pipeline"] == [{
        "status": None, "label": "Total", "count": 0, "amount": 0.0,
        "share_count_pct": 0.0, "share_amount_pct": 0.0, "secured": None, "closed": None,
    }]


def test_custom_statuses_take_their_place(w):
    e = w.event("E", 2026)
    p = w.partner()
    w.deal(p, e, "300", "Waiting Contract")  # unknown name: a custom open status
    w.deal(p, e, "100", "pitched")
    rows = w.report()["pipeline"]
    # Custom statuses sit after the open ones and before secured/closed ones.
    # Shares: 300/400 = 75 %, 100/400 = 25 %; one deal each: 50 %.
    assert [(r["status"], r["label"], r["share_amount_pct"], r["secured"], r["closed"])
            for r in rows[:-1]] == [
        ("pitched", "Pitched", 25.0, False, False),
        ("waiting_contract", "Waiting Contract", 75.0, False, False),
    ]
    k = w.report()["kpis"]
    # The custom status is open: 10 % probability. 300 × 10 % + 100 × 20 % = 50
    assert (k["open_pipeline"], k["weighted_pipeline"]) == (400.0, 50.0)
