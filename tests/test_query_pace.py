"""DESIGN 4.3: goal pace for one event, one year and all years, arithmetic in the tests."""

from __future__ import annotations

from fractions import Fraction

import pytest

from partners_tui.store.queries import EventInfo, expected_ratio, make_pace, pace_status
from test_query_support import World, d


@pytest.fixture
def w(store):
    return World(store)


def ev(outreach=None, start=None, end=None, year=2026, goal=100_000):
    return EventInfo("e", "E", year, outreach, start, end, goal, False)


def test_ratio_span_uses_outreach_start_then_end():
    # s = 2026-10-01, e = 2026-12-01: 61 days; today 2026-11-22 is 52 days in.
    assert expected_ratio(ev("2026-10-01", "2026-11-30", "2026-12-01"), d("2026-11-22")) == Fraction(52, 61)


def test_ratio_without_outreach_uses_start_date():
    # s = start 2026-11-01, e = 2026-11-30 → (22 − 1)/(30 − 1) = 21/29
    assert expected_ratio(ev(None, "2026-11-01", "2026-11-30"), d("2026-11-22")) == Fraction(21, 29)


def test_ratio_without_end_uses_start_date_as_end():
    # s = outreach 2026-11-01, e = start 2026-12-01 (30 days); 21 days elapsed.
    assert expected_ratio(ev("2026-11-01", "2026-12-01", None), d("2026-11-22")) == Fraction(21, 30)


def test_ratio_clamped():
    e = ev("2026-11-01", "2026-11-10", "2026-11-11")
    assert expected_ratio(e, d("2026-10-01")) == 0
    assert expected_ratio(e, d("2026-12-31")) == 1


@pytest.mark.parametrize("today,r", [("2026-11-21", 0), ("2026-11-22", 1), ("2026-11-23", 1)])
def test_one_day_event_before_on_after(today, r):
    one_day = ev(None, "2026-11-22", "2026-11-22")
    assert expected_ratio(one_day, d(today)) == r


def test_ratio_no_dates_is_fraction_of_calendar_year():
    # 2026-11-22 is day 325 (0-based from Jan 1: 325 days elapsed) of 365.
    assert expected_ratio(ev(), d("2026-11-22")) == Fraction(325, 365)
    assert expected_ratio(ev(year=2027), d("2026-11-22")) == 0
    assert expected_ratio(ev(year=2025), d("2026-11-22")) == 1


def test_ratio_outreach_start_alone_paces_by_the_calendar_year():
    # No end or start date: no span to pace along; the calendar year's fraction (325/365 on
    # 2026-11-22), not 100 % from the first day of outreach.
    e = ev("2026-10-01", None, None)
    assert expected_ratio(e, d("2026-11-22")) == Fraction(325, 365)
    assert expected_ratio(ev("2026-10-01", None, None, year=2027), d("2026-11-22")) == 0


def test_ratio_outreach_after_start_without_end_is_a_one_day_event():
    # s = outreach 2026-11-10, e = start 2026-11-01 (e < s): one day, the later one.
    e = ev("2026-11-10", "2026-11-01", None)
    assert expected_ratio(e, d("2026-11-09")) == 0 and expected_ratio(e, d("2026-11-10")) == 1


def test_ratio_only_end_date_is_one_day_event():
    e = ev(None, None, "2026-12-01")
    assert expected_ratio(e, d("2026-11-30")) == 0 and expected_ratio(e, d("2026-12-01")) == 1


@pytest.mark.parametrize(
    "secured,expected,status",
    [
        (58_00, Fraction(50_00), "ahead"),      # 58 % ≥ 50 + 8
        (57_99, Fraction(50_00), "on_track"),   # 57.99 % < 58
        (45_00, Fraction(50_00), "on_track"),   # 45 % ≥ 50 − 5
        (44_99, Fraction(50_00), "behind"),     # 44.99 % < 45
        (0, Fraction(0), "not_started"),
        (10_00, Fraction(0), "not_started"),    # expected 0 wins over "ahead"
    ],
)
def test_pace_status_thresholds(secured, expected, status):
    assert pace_status(100_00, secured, expected) == status


def test_make_pace_numbers_and_no_goal():
    p = make_pace(300_00, 100_00, Fraction(150_00))
    assert (p.actual_pct, p.expected_pct, p.expected_secured_cents, p.pace_delta_cents) == (
        33.33, 50.0, 150_00, -50_00)
    assert make_pace(300_00, 400_00, Fraction(300_00)).actual_pct == 133.33  # may exceed 100
    none = make_pace(None, 5_00, None)
    assert (none.goal_cents, none.actual_pct, none.expected_pct, none.pace_delta_cents, none.status) == (
        None, None, None, None, "no_goal")
    assert make_pace(0, 5_00, Fraction(0)).status == "no_goal"


def test_event_pace_in_report(w):
    p = w.partner()
    e = w.event("Gala", 2026, goal="2000", outreach_start="2026-10-01", end_date="2026-12-01")
    w.deal(p, e, "700", "confirmed")
    w.deal(p, e, "300", "paid")
    w.deal(p, e, "5000", "pitched")  # open: not secured
    gp = w.report(event_id=e)["goal_pace"]
    # secured 1000 / 2000 = 50 %; r = 52/61 → expected 2000 × 52/61 = 1704.918… → 1704.92
    assert gp == {
        "goal": 2000.0, "secured": 1000.0, "actual_pct": 50.0,
        "expected_pct": 85.25, "expected_secured": 1704.92,
        "pace_delta": -704.92, "status": "behind",
    }


def test_event_without_goal(w):
    p = w.partner()
    e = w.event("No goal", 2026, start_date="2026-11-01", end_date="2026-11-30")
    w.deal(p, e, "100", "paid")
    r = w.report(event_id=e)
    assert r["goal_pace"] == {"goal": None, "secured": 100.0, "actual_pct": None,
                              "expected_pct": None, "expected_secured": None,
                              "pace_delta": None, "status": "no_goal"}
    assert r["kpis"]["goal"] is None and r["kpis"]["goal_remaining"] is None
    row = r["events"][0]
    assert (row["goal"], row["actual_pct"], row["expected_pct"], row["pace_delta"], row["pace"]) == (
        None, None, None, None, "no_goal")


def test_outreach_starting_after_today_is_not_started(w):
    p = w.partner()
    e = w.event("Later", 2026, goal="1000", outreach_start="2026-12-01", end_date="2026-12-20")
    w.deal(p, e, "100", "confirmed")
    r = w.report(event_id=e)
    assert r["goal_pace"]["status"] == "not_started"
    assert r["goal_pace"]["expected_pct"] == 0.0 and r["goal_pace"]["actual_pct"] == 10.0
    assert r["goal_pace"]["pace_delta"] == 100.0


def test_year_goal_is_sum_of_event_goals_and_expected_only_from_goal_events(w):
    p = w.partner()
    a = w.event("A", 2026, goal="1000", start_date="2026-11-01", end_date="2026-11-30")
    w.event("B", 2026, goal="3000", start_date="2026-01-01", end_date="2026-01-02")  # done: r = 1
    c = w.event("C", 2026, start_date="2026-06-01", end_date="2026-06-02")  # no goal: not in expected
    w.deal(p, a, "500", "confirmed")
    w.deal(p, c, "1500", "paid")
    gp = w.report(year="2026")["goal_pace"]
    # goal = 1000 + 3000 = 4000; expected = 1000 × 21/29 + 3000 × 1 = 3724.137… ;
    # secured = 500 + 1500 = 2000 → 50 %; expected 93.10 %
    assert gp["goal"] == 4000.0 and gp["secured"] == 2000.0
    assert gp["expected_secured"] == 3724.14 and gp["expected_pct"] == 93.1
    assert gp["actual_pct"] == 50.0 and gp["pace_delta"] == -1724.14 and gp["status"] == "behind"


def test_explicit_annual_goal_scales_expected(w):
    p = w.partner()
    a = w.event("A", 2026, goal="1000", start_date="2026-11-01", end_date="2026-11-30")
    w.event("B", 2026, goal="3000", start_date="2026-01-01", end_date="2026-01-02")
    w.deal(p, a, "5000", "paid")
    w.store.set_annual_goal(2026, "10000")
    gp = w.report(year="2026")["goal_pace"]
    # expected = 10000 × (1000 × 21/29 + 3000) / 4000 = 9310.344… → 93.10 %
    assert gp["goal"] == 10000.0 and gp["expected_secured"] == 9310.34
    assert gp["expected_pct"] == 93.1 and gp["actual_pct"] == 50.0
    k = w.report(year="2026")["kpis"]
    assert k["goal"] == 10000.0 and k["goal_remaining"] == 5000.0


def test_explicit_annual_goal_without_event_goals_uses_calendar_fraction(w):
    w.event("A", 2026, start_date="2026-11-01", end_date="2026-11-30")
    w.store.set_annual_goal(2026, "36500")
    gp = w.report(year="2026")["goal_pace"]
    # 325 of 365 days elapsed: 36500 × 325/365 = 32500
    assert gp["expected_secured"] == 32500.0 and gp["expected_pct"] == 89.04
    assert gp["status"] == "behind"


def test_all_years_sums_goals_per_year(w):
    p = w.partner()
    a = w.event("A25", 2025, goal="1000", start_date="2025-03-01", end_date="2025-03-02")  # r = 1
    b = w.event("B26", 2026, goal="2000", start_date="2026-11-01", end_date="2026-11-30")
    w.deal(p, a, "1000", "paid")
    w.deal(p, b, "100", "confirmed")
    w.store.set_annual_goal(2026, "4000")
    gp = w.report(year="all")["goal_pace"]
    # 2025: no annual goal → goal 1000, expected 1000. 2026: annual 4000, expected
    # 4000 × (2000 × 21/29)/2000 = 2896.55…; total goal 5000, expected 3896.551… → 77.93 %
    assert gp["goal"] == 5000.0 and gp["expected_secured"] == 3896.55
    assert gp["expected_pct"] == 77.93 and gp["actual_pct"] == 22.0  # 1100 / 5000
    assert gp["status"] == "behind"


def test_goal_remaining_never_negative(w):
    p = w.partner()
    e = w.event("E", 2026, goal="100")
    w.deal(p, e, "250", "paid")
    k = w.report()["kpis"]
    assert k["goal"] == 100.0 and k["goal_remaining"] == 0.0
    assert w.report()["goal_pace"]["actual_pct"] == 250.0


def test_zero_goal_is_no_goal(w):
    e = w.event("E", 2026, goal="0")
    r = w.report()
    assert r["kpis"]["goal"] is None and r["goal_pace"]["status"] == "no_goal"
    assert r["events"][0]["pace"] == "no_goal" and r["events"][0]["goal"] == 0.0
    assert e
