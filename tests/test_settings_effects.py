"""Settings that the numbers depend on: every pipeline guard rail, and what a changed
probability, stale-after, status flag, merge or annual goal does to the report.

The data: one 2026 event (goal 20,000; outreach 2026-11-01, ends 2026-12-01) and four deals made
on 2026-11-01, read on the frozen today 2026-11-22 (21 days later):

    Acme     pitched          10,000   no follow-up (goes stale)
    Globex   in_conversation   4,000   follow-up due 2027-02-01 (beyond the 21-day window)
    Initech  shortlist         1,000   probability override 90 %, same far follow-up
    Umbrella confirmed         6,000   secured (stale after 30 > 21 days)
"""

from __future__ import annotations

import datetime as dt

import pytest

from partners_tui.report import build_report
from partners_tui.store.clock import Clock
from partners_tui.store.commands import Store
from partners_tui.store.queries.settings_view import settings_view
from partners_tui.store.validate import InvalidInput

TODAY = dt.date(2026, 11, 22)
OPEN_KEYS = ("prospecting", "reached_out", "pitched", "shortlist", "in_conversation", "followed_up")


@pytest.fixture
def deals(db_path, store):
    """The data above, written by a store whose clock reads 2026-11-01 (so deals are 21 days old)."""
    past = Store.open(db_path, clock=Clock.fixed_at(dt.date(2026, 11, 1), tz="America/Vancouver"), who="tester")
    event = past.create_event(
        {"name": "Hackathon", "year": 2026, "outreach_start": "2026-11-01", "start_date": "2026-11-30",
         "end_date": "2026-12-01", "goal": 20000}
    )
    ids = {}
    for name, status, amount, override in (
        ("Acme", "pitched", 10000, None), ("Globex", "in_conversation", 4000, None),
        ("Initech", "shortlist", 1000, 90), ("Umbrella", "confirmed", 6000, None),
    ):
        partner = past.create_partner({"name": name})
        data = {"partner_id": partner, "event_id": event, "status": status, "amount": amount}
        if override is not None:
            data["probability_override"] = override
        ids[name] = past.create_deal(data)
        if name in ("Globex", "Initech"):
            past.add_follow_up({"partner_id": partner, "deal_id": ids[name], "due_date": "2027-02-01"})
    past.close()
    return ids


def report(store):
    return build_report(store, today=TODAY)


# --- guard rails ---------------------------------------------------------------------------


def active(store):
    return {s.key: s for s in settings_view(store, TODAY).statuses if not s.archived}


def test_at_least_one_open_status_stays(store):
    for key in OPEN_KEYS[:-1]:
        store.archive_status(key)
    with pytest.raises(InvalidInput, match="the pipeline needs at least one open status"):
        store.archive_status("followed_up")
    with pytest.raises(InvalidInput, match="one open status"):
        store.update_status("followed_up", {"secured": True})  # would leave none open either
    assert "followed_up" in active(store)


def test_at_least_one_secured_status_stays(store):
    store.update_status("confirmed", {"secured": False})  # paid is still secured
    with pytest.raises(InvalidInput, match="the pipeline needs at least one secured status"):
        store.update_status("paid", {"secured": False})
    with pytest.raises(InvalidInput, match="one secured status"):
        store.delete_status("paid")
    assert active(store)["paid"].secured


def test_at_least_one_lost_status_stays(store):
    store.delete_status("backed_out")  # unused, and declined is still lost
    with pytest.raises(InvalidInput, match="the pipeline needs at least one lost status"):
        store.archive_status("declined")
    with pytest.raises(InvalidInput, match="one lost status"):
        store.update_status("declined", {"secured": True})  # secured and closed is won, not lost
    assert active(store)["declined"].kind == "lost"


@pytest.mark.parametrize("probability", [-1, 101, "abc", 50.5])
def test_probability_is_a_whole_number_from_0_to_100(store, probability):
    with pytest.raises(InvalidInput) as caught:
        store.update_status("pitched", {"probability": probability})
    assert [p.field for p in caught.value.problems] == ["probability"]
    with pytest.raises(InvalidInput, match="probability"):
        store.add_status({"label": "Verbal Yes", "probability": probability})


def test_probability_bounds_are_allowed(store):
    store.update_status("pitched", {"probability": 0})
    store.update_status("shortlist", {"probability": 100})
    assert (active(store)["pitched"].probability, active(store)["shortlist"].probability) == (0, 100)


def test_a_status_in_use_is_merged_or_archived_never_deleted(store, deals):
    with pytest.raises(InvalidInput, match="Pitched is used by 1 deal"):
        store.delete_status("pitched")
    store.archive_status("pitched")  # allowed: the deal keeps its status
    assert settings_view(store, TODAY).status("pitched").archived
    store.restore_status("pitched")
    assert store.merge_status("pitched", "reached_out") == 1
    assert settings_view(store, TODAY).status("pitched") is None


def test_keys_never_change_labels_do(store, deals):
    with pytest.raises(InvalidInput, match="a status key never changes"):
        store.update_status("pitched", {"key": "proposal"})
    store.update_status("pitched", {"label": "Proposal Sent"})
    row = settings_view(store, TODAY).status("pitched")
    assert (row.key, row.label, row.deals) == ("pitched", "Proposal Sent", 1)
    pipeline = {r["status"]: r["label"] for r in report(store)["pipeline"]}
    assert pipeline["pitched"] == "Proposal Sent"


def test_reorder_changes_the_pipeline_order(store, deals):
    store.move_status("confirmed", 0)
    order = [r["status"] for r in report(store)["pipeline"][:-1]]
    assert order == ["confirmed", "pitched", "shortlist", "in_conversation"]
    store.undo()
    order = [r["status"] for r in report(store)["pipeline"][:-1]]
    assert order == ["pitched", "shortlist", "in_conversation", "confirmed"]


@pytest.mark.parametrize("days", [0, -3, 3651, "soon"])
def test_stale_after_is_1_to_3650_days_or_never(store, days):
    with pytest.raises(InvalidInput, match="stale_after_days"):
        store.update_status("pitched", {"stale_after_days": days})
    store.update_status("pitched", {"stale_after_days": None})
    assert active(store)["pitched"].stale_after_days is None


# --- effects on the report -----------------------------------------------------------------


def test_the_data_as_seeded(store, deals):
    r = report(store)
    k = r["kpis"]
    # open: 10,000 + 4,000 + 1,000 = 15,000; weighted: 10,000 × 20% + 4,000 × 50% + 1,000 × 90%
    # (override) = 2,000 + 2,000 + 900 = 4,900; secured: 6,000
    assert (k["open_pipeline"], k["weighted_pipeline"], k["revenue_secured"]) == (15000, 4900, 6000)
    assert [(i["kind"], i["partner"], i["stale_days"]) for i in r["action_items"]] == [("stale", "Acme", 21)]


def test_a_changed_probability_reweights_the_open_pipeline(store, deals):
    store.update_status("pitched", {"probability": 35})
    # 10,000 × 35% + 4,000 × 50% + 900 = 3,500 + 2,000 + 900 = 6,400
    assert report(store)["kpis"]["weighted_pipeline"] == 6400
    store.update_status("shortlist", {"probability": 0})
    # Initech's deal has its own 90% override: unchanged 6,400
    assert report(store)["kpis"]["weighted_pipeline"] == 6400
    store.undo()
    store.undo()
    assert report(store)["kpis"]["weighted_pipeline"] == 4900


def test_a_changed_secured_flag_moves_value_from_pipeline_to_secured(store, deals):
    store.update_status("in_conversation", {"secured": True})
    k = report(store)["kpis"]
    # secured 6,000 + 4,000 = 10,000; open 10,000 + 1,000 = 11,000; weighted 2,000 + 900 = 2,900
    assert (k["revenue_secured"], k["open_pipeline"], k["weighted_pipeline"]) == (10000, 11000, 2900)
    # goal 20,000 − 10,000 secured
    assert k["goal_remaining"] == 10000


def test_a_merge_moves_the_deals_and_their_value(store, deals):
    store.merge_status("pitched", "in_conversation")
    r = report(store)
    # Acme's 10,000 now weighs 50%: 5,000 + 2,000 + 900 = 7,900
    assert r["kpis"]["weighted_pipeline"] == 7900
    rows = {p["status"]: (p["count"], p["amount"]) for p in r["pipeline"]}
    assert rows["in_conversation"] == (2, 14000) and "pitched" not in rows


@pytest.mark.parametrize(
    "stale_after, items, overdue, score",
    [
        # 21 days quiet ≥ 14: stale, not overdue (< 28); urgency 30 + min(21 − 14, 20) = 37,
        # value 20 × 2,000 / 2,000 = 20 (the only item): 57
        (14, 1, 0, 57),
        # 21 ≥ 2 × 10: overdue; urgency 60 + min(21 − 20, 20) = 61, value 20: 81
        (10, 1, 1, 81),
        # 21 < 30: not stale yet
        (30, 0, 0, None),
        # never stale
        (None, 0, 0, None),
    ],
)
def test_stale_after_decides_which_quiet_deals_need_action(store, deals, stale_after, items, overdue, score):
    store.update_status("pitched", {"stale_after_days": stale_after})
    r = report(store)
    assert (r["kpis"]["action_items"], r["kpis"]["overdue_items"]) == (items, overdue)
    assert [i["score"] for i in r["action_items"]] == ([score] if score is not None else [])


def test_an_annual_goal_replaces_the_sum_of_event_goals(store, deals):
    before = report(store)["goal_pace"]
    # goal 20,000; r = (Nov 22 − Nov 1) / (Dec 1 − Nov 1) = 21 / 30 = 0.7; expected 14,000;
    # actual 6,000 / 20,000 = 30% < 70% − 5: behind
    assert before == {
        "goal": 20000, "secured": 6000, "actual_pct": 30.0, "expected_pct": 70.0,
        "expected_secured": 14000, "pace_delta": -8000, "status": "behind",
    }
    store.set_annual_goal(2026, "8,000")
    after = report(store)
    # goal 8,000; expected 8,000 × (20,000 × 0.7) / 20,000 = 5,600 (70%); actual 6,000 / 8,000 = 75%:
    # not ≥ 70 + 8, but ≥ 70 − 5: on track; delta 6,000 − 5,600 = 400; remaining 8,000 − 6,000
    assert after["goal_pace"] == {
        "goal": 8000, "secured": 6000, "actual_pct": 75.0, "expected_pct": 70.0,
        "expected_secured": 5600, "pace_delta": 400, "status": "on_track",
    }
    assert (after["kpis"]["goal"], after["kpis"]["goal_remaining"]) == (8000, 2000)
    goal = settings_view(store, TODAY).goal(2026)
    # the Settings screen shows both, and the difference 8,000 − 20,000
    assert (goal.annual_goal_cents, goal.event_goal_cents, goal.difference_cents, goal.goal_cents) == (
        800000, 2000000, -1200000, 800000)
    store.set_annual_goal(2026, None)
    assert report(store)["goal_pace"] == before
    assert settings_view(store, TODAY).goal(2026).difference_cents is None


def test_the_follow_up_window_setting_is_the_reports_default_window(store, deals):
    assert report(store)["scope"]["window_days"] == 21
    store.set_setting("follow_up.window_days", 90)
    r = report(store)
    # the window now reaches 2027-02-20, past both 2027-02-01 follow-ups
    assert r["scope"]["window_days"] == 90
    assert sorted((i["kind"], i["partner"]) for i in r["action_items"]) == [
        ("follow_up", "Globex"), ("follow_up", "Initech"), ("stale", "Acme")]


def test_settings_view_lists_years_and_counts_deals(store, deals):
    store.create_event({"name": "Old", "year": 2024, "goal": 5000, "archived": True})
    store.set_annual_goal(2030, 1000)
    view = settings_view(store, TODAY)
    assert [g.year for g in view.goals] == [2030, 2026, 2024]
    old = view.goal(2024)
    # an archived event's goal is not in the sum the Overview uses by default
    assert (old.event_goal_cents, old.events, old.archived_events) == (0, 0, 1)
    assert {s.key: s.deals for s in view.statuses if s.deals} == {
        "pitched": 1, "shortlist": 1, "in_conversation": 1, "confirmed": 1}
    assert view.settings["currency.code"] == "CAD" and view.machine_time_zone == "America/Vancouver"
