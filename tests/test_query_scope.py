"""DESIGN 4.1: scope resolution (what `auto` picks, what `all` sums), window, archived rule."""

from __future__ import annotations

import pytest

from partners_tui.store.queries import Scope, resolve_scope
from test_query_support import TODAY, World


@pytest.fixture
def w(store):
    return World(store)


def resolve(w, scope: Scope, today=TODAY):
    with w.store.read() as conn:
        return resolve_scope(conn, scope, today)


def test_no_events_auto_is_this_calendar_year(w):
    rs = resolve(w, Scope())
    assert rs.year == 2026 and rs.events == ()
    report = w.report()
    assert report["scope"] == {"year": 2026, "year_mode": "auto", "event_id": None,
                               "window_days": 21, "include_archived": False}
    assert report["kpis"]["events_in_scope"] == 0
    assert report["goal_pace"]["status"] == "no_goal"
    assert report["events"] == [] and report["action_items"] == []


def test_auto_picks_nearest_event_not_ended(w):
    w.event("Past 2026", 2026, start_date="2026-03-01", end_date="2026-03-02")
    w.event("Far 2028", 2028, start_date="2028-02-01", end_date="2028-02-02")
    w.event("Near 2027", 2027, start_date="2027-01-15", end_date="2027-01-16")
    assert resolve(w, Scope()).year == 2027


def test_auto_scope_across_year_boundary(w):
    # Today 2026-11-22: the 2026 events are over; a 2027 event whose outreach began in October
    # 2026 is the one being worked, so `auto` is 2027 and its outreach counts toward pace.
    w.event("Spring 2026", 2026, goal="500", start_date="2026-04-01", end_date="2026-04-02")
    e27 = w.event("Winter 2027", 2027, goal="1000", outreach_start="2026-10-01",
                  start_date="2027-01-10", end_date="2027-01-31")
    rs = resolve(w, Scope())
    assert rs.year == 2027 and rs.event_ids == (e27,)
    # r = (2026-11-22 − 2026-10-01) / (2027-01-31 − 2026-10-01) = 52 / 122
    assert w.report()["goal_pace"]["expected_pct"] == round(52 / 122 * 100, 2) == 42.62


def test_auto_prefers_event_under_way(w):
    w.event("Ongoing 2026", 2026, start_date="2026-11-20", end_date="2026-11-25")
    w.event("Soon 2027", 2027, start_date="2026-11-23", end_date="2026-11-24")
    assert resolve(w, Scope()).year == 2026


def test_auto_event_without_end_date_counts_when_year_not_past(w):
    w.event("Done 2026", 2026, start_date="2026-02-01", end_date="2026-02-02")
    w.event("Undated 2026", 2026)  # no end date, year ≥ this year → not ended
    w.event("Undated 2025", 2025)  # no end date, year < this year → ended
    assert resolve(w, Scope()).year == 2026


def test_auto_falls_back_to_latest_year_with_an_event(w):
    w.event("Old", 2024, start_date="2024-05-01", end_date="2024-05-02")
    w.event("Older", 2023, start_date="2023-05-01", end_date="2023-05-02")
    archived = w.event("Archived 2025", 2025, start_date="2025-05-01", end_date="2025-05-02")
    w.store.archive_event(archived)
    assert resolve(w, Scope()).year == 2024


def test_auto_ignores_archived_upcoming_event(w):
    w.event("Past", 2025, start_date="2025-05-01", end_date="2025-05-02")
    future = w.event("Future", 2027, start_date="2027-05-01", end_date="2027-05-02")
    w.store.archive_event(future)
    assert resolve(w, Scope()).year == 2025
    # Only archived events exist → "if no events" → this calendar year.
    w2 = w
    past = [e.id for e in resolve(w2, Scope("all")).events]
    for eid in past:
        w.store.archive_event(eid)
    assert resolve(w, Scope()).year == 2026


def test_all_sums_every_year_and_explicit_year_filters(w):
    p = w.partner()
    e25 = w.event("A", 2025, goal="100")
    e26 = w.event("B", 2026, goal="200")
    w.deal(p, e25, "10", "paid")
    w.deal(p, e26, "20", "paid")
    assert w.report(year="all")["kpis"]["revenue_secured"] == 10 + 20
    assert w.report(year="all")["scope"]["year"] is None
    assert w.report(year="all")["kpis"]["goal"] == 100 + 200
    assert w.report(year="2025")["kpis"]["revenue_secured"] == 10
    assert w.report(year="2025")["scope"] == {"year": 2025, "year_mode": "year", "event_id": None,
                                              "window_days": 21, "include_archived": False}


def test_event_filter_makes_every_figure_that_events(w):
    p, q = w.partner("P"), w.partner("Q")
    a = w.event("A", 2026, goal="1000")
    b = w.event("B", 2026, goal="500")
    w.deal(p, a, "100", "confirmed")
    w.deal(q, b, "50", "confirmed")
    w.store.set_annual_goal(2026, "9000")
    r = w.report(event_id=b)
    assert r["scope"]["event_id"] == b and r["scope"]["year"] == 2026
    assert r["kpis"]["events_in_scope"] == 1 and r["kpis"]["active_partners"] == 1
    assert r["kpis"]["revenue_secured"] == 50
    assert r["kpis"]["goal"] == 500  # the event's goal, not the annual goal
    assert r["goal_pace"]["goal"] == 500 and r["goal_pace"]["actual_pct"] == 10.0
    assert [e["id"] for e in r["events"]] == [b]


def test_event_filter_auto_year_is_the_events_year(w):
    w.event("Now", 2026, start_date="2026-12-01", end_date="2026-12-02")
    old = w.event("Old", 2024)
    assert resolve(w, Scope(event_id=old)).year == 2024
    # An explicit other year and the event filter both apply: nothing matches.
    assert resolve(w, Scope("year", 2026, event_id=old)).events == ()


@pytest.mark.parametrize("window", [7, 90])
def test_window_bounds_accepted(w, window):
    assert w.report(window=window)["scope"]["window_days"] == window


@pytest.mark.parametrize("window", [6, 91, 0, -3])
def test_window_out_of_range_names_the_bounds(w, window):
    from partners_tui.report import ReportError

    with pytest.raises(ReportError, match="--window must be between 7 and 90 days"):
        w.report(window=window)


def test_window_default_and_setting(w):
    assert w.report()["scope"]["window_days"] == 21
    w.store.set_setting("follow_up.window_days", 30)
    assert w.report()["scope"]["window_days"] == 30
    assert w.report(window=7)["scope"]["window_days"] == 7  # an explicit option wins
    with w.store.engine.begin() as conn:  # a bad stored value (older file): the default
        conn.exec_driver_sql("UPDATE setting SET value = '500' WHERE key = 'follow_up.window_days'")
    assert w.report()["scope"]["window_days"] == 21


@pytest.mark.parametrize("year", ["20x", "26", "next", "2026.0", ""])
def test_bad_year(w, year):
    from partners_tui.report import ReportError

    with pytest.raises(ReportError, match="--year must be auto, all or a year"):
        w.report(year=year)


def test_unknown_event(w):
    from partners_tui.report import ReportError

    with pytest.raises(ReportError, match="no event with id 'nope'"):
        w.report(event_id="nope")


def test_archived_event_and_partner_with_and_without_include_archived(w):
    visible, hidden = w.partner("Visible"), w.partner("Hidden")
    live = w.event("Live", 2026, goal="1000")
    gone = w.event("Gone", 2026, goal="400")
    w.deal(visible, live, "100", "confirmed")
    w.deal(hidden, live, "200", "confirmed")
    w.deal(visible, gone, "300", "pitched")
    w.store.archive_partner(hidden)
    w.store.archive_event(gone)
    off = w.report()
    assert off["kpis"]["events_in_scope"] == 1
    assert off["kpis"]["archived_events"] == 1  # counted whether or not included
    assert off["kpis"]["revenue_secured"] == 100  # hidden partner's 200 left out
    assert off["kpis"]["open_pipeline"] == 0  # the archived event's 300 left out
    assert off["kpis"]["active_partners"] == 1
    assert off["kpis"]["goal"] == 1000
    on = w.report(include_archived=True)
    assert on["kpis"]["events_in_scope"] == 2 and on["kpis"]["archived_events"] == 1
    assert on["kpis"]["revenue_secured"] == 100 + 200
    assert on["kpis"]["open_pipeline"] == 300
    assert on["kpis"]["active_partners"] == 2
    assert on["kpis"]["goal"] == 1000 + 400
    assert [e["archived"] for e in on["events"]] == [False, True] or \
        sorted(e["archived"] for e in on["events"]) == [False, True]


def test_archived_event_chosen_without_include_archived_is_empty(w):
    p = w.partner()
    gone = w.event("Gone", 2026, goal="400")
    w.deal(p, gone, "300", "confirmed")
    w.store.archive_event(gone)
    r = w.report(event_id=gone)
    assert r["kpis"]["events_in_scope"] == 0 and r["kpis"]["archived_events"] == 1
    assert r["kpis"]["revenue_secured"] == 0 and r["goal_pace"]["status"] == "no_goal"
    r = w.report(event_id=gone, include_archived=True)
    assert r["kpis"]["revenue_secured"] == 300 and r["goal_pace"]["actual_pct"] == 75.0


def test_archived_deal_never_in_scope(w):
    p = w.partner()
    e = w.event("E", 2026)
    deal = w.deal(p, e, "300", "confirmed")
    w.store.archive_deal(deal)
    for inc in (False, True):
        r = w.report(include_archived=inc)
        assert r["kpis"]["revenue_secured"] == 0 and r["events"][0]["deals"] == 0
