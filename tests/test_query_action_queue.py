"""DESIGN 4.6: the action queue's items, priority score and order, arithmetic in the tests.

Today is 2026-11-22 (Vancouver); the default window is 21 days, so it reaches 2026-12-13.
Default statuses: prospecting/pitched 5 %/20 % stale after 14 days, confirmed 100 % (secured)
stale after 30, paid/declined/backed out closed.
"""

from __future__ import annotations

import datetime as dt

import pytest

from test_query_support import TODAY, World, days


@pytest.fixture
def w(store):
    return World(store)


@pytest.fixture
def event(w):
    return w.event("Summit", 2026, goal="5000", start_date="2026-12-01", end_date="2026-12-02")


def keyed(items):
    return [(i.kind, i.partner, i.score) for i in items]


def test_worked_example_scores_and_order(w, event):
    acme, beta, cobalt, general = (w.partner(n) for n in ("Acme", "Beta", "Cobalt", "General Co"))
    d_acme = w.deal(acme, event, "1000", "pitched")     # weighted 1000 × 20 % = 200.00
    d_beta = w.deal(beta, event, "500", "confirmed")    # weighted 500 × 100 % = 500.00 (largest)
    w.deal(cobalt, event, None, "prospecting", on=days(-14))  # no amount, quiet for 14 days
    w.follow_up(acme, days(-1), d_acme)
    w.follow_up(beta, days(0), d_beta)
    w.follow_up(general, days(21))                      # no deal, no event: a general follow-up
    w.follow_up(acme, days(22), d_acme)                 # one day past the window: not an item
    items = w.queue()
    # Acme, due yesterday: urgency 60 + min(1, 20) = 61; value round(20 × 200/500) = 8 → 69.
    # Beta, due today: 55 + round(20 × 500/500) = 75.
    # Cobalt, stale 14 days of 14: 30 + min(14 − 14, 20) = 30; no amount → value 0 → 30.
    # General Co, due on the window's last day: 50 − round(40 × 21/21) = 10; value 0 → 10.
    # Order: overdue first, then score.
    assert keyed(items) == [
        ("follow_up", "Acme", 69), ("follow_up", "Beta", 75), ("stale", "Cobalt", 30),
        ("follow_up", "General Co", 10),
    ]
    a, b, c, g = items
    assert (a.overdue, a.overdue_days, a.days_until_due, a.due_date) == (True, 1, -1, days(-1))
    assert (b.overdue, b.days_until_due, b.weighted_cents, b.status_label) == (False, 0, 500_00, "Confirmed")
    assert (c.due_date, c.stale_days, c.stale_after_days, c.overdue) == (None, 14, 14, False)
    assert (g.deal_id, g.event_id, g.event, g.status, g.amount_cents) == (None, None, None, None, None)
    assert (a.event, a.event_id) == ("Summit", event)
    r = w.report()
    assert (r["kpis"]["action_items"], r["kpis"]["overdue_items"]) == (4, 1)
    assert [i["score"] for i in r["action_items"]] == [69, 75, 30, 10]
    assert r["action_items"][0] == {
        "kind": "follow_up", "partner_id": acme, "partner": "Acme", "event_id": event,
        "deal_id": d_acme, "status": "pitched", "amount": 1000.0, "due_date": days(-1),
        "days_until_due": -1, "overdue": True, "stale_days": None, "score": 69,
    }
    assert r["action_items"][2]["stale_days"] == 14 and r["action_items"][2]["due_date"] is None
    # The scoreboard counts the event's follow-ups: Beta due (today), Acme overdue.
    row = r["events"][0]
    assert (row["follow_ups_due"], row["follow_ups_overdue"]) == (1, 1)


@pytest.mark.parametrize(
    "offset,in_queue,urgency",
    [
        (-1, True, 61),   # due yesterday: overdue by 1
        (-25, True, 80),  # overdue by 25: bonus capped at 20
        (0, True, 55),    # due today
        (7, True, 37),    # 50 − round(40 × 7/21 = 13.33) = 37
        (21, True, 10),   # the window's last day: 50 − 40
        (22, False, None),  # one day past the window
    ],
)
def test_follow_up_due_dates_against_the_window(w, event, offset, in_queue, urgency):
    p = w.partner()
    w.follow_up(p, days(offset))  # no amount anywhere: the score is the urgency alone
    items = w.queue()
    assert bool(items) == in_queue
    if in_queue:
        assert items[0].score == urgency and items[0].overdue == (offset < 0)


@pytest.mark.parametrize("window,last_in", [(7, 7), (90, 90)])
def test_window_at_its_bounds(w, event, window, last_in):
    p = w.partner()
    w.follow_up(p, days(last_in))
    w.follow_up(p, days(last_in + 1))
    items = w.queue(window=window)
    # Only the one due on the window's last day; its urgency is 50 − 40 = 10.
    assert [(i.due_date, i.score) for i in items] == [(days(last_in), 10)]


def test_urgency_rounds_half_up(w, event):
    p = w.partner()
    w.follow_up(p, days(1))
    # window 16, due in 1 day: 40 × 1/16 = 2.5 → 3 (half up, not to even) → 50 − 3 = 47
    assert w.queue(window=16)[0].score == 47


@pytest.mark.parametrize(
    "quiet_days,stale,overdue,score",
    [
        (13, False, False, None),  # one day under the threshold
        (14, True, False, 30),     # exactly at it: 30 + min(0, 20)
        (20, True, False, 36),     # 30 + 6
        (27, True, False, 43),     # 30 + 13, the last day before overdue
        (28, True, True, 60),      # twice the threshold: overdue, 60 + min(0, 20)
        (31, True, True, 63),      # overdue by 3
        (47, True, True, 79),      # overdue by 19: 60 + 19
        (48, True, True, 80),      # overdue by 20: the bonus's cap, 60 + 20
        (49, True, True, 80),      # past the cap: still 80
        (400, True, True, 80),
    ],
)
def test_staleness_threshold(w, event, quiet_days, stale, overdue, score):
    p = w.partner()
    w.deal(p, event, None, "prospecting", on=days(-quiet_days))
    items = w.queue()
    assert bool(items) == stale
    if stale:
        (item,) = items
        assert (item.kind, item.stale_days, item.overdue, item.score) == (
            "stale", quiet_days, overdue, score)
        assert item.overdue_days == max(quiet_days - 28, 0)


def test_stale_after_comes_from_the_status(w, event):
    p = w.partner()
    w.deal(p, event, None, "confirmed", on=days(-29))  # confirmed: stale after 30
    assert w.queue() == ()
    w.deal(w.partner("Other"), event, None, "confirmed", on=days(-30))
    assert [(i.partner, i.stale_days, i.score) for i in w.queue()] == [("Other", 30, 30)]
    w.deal(w.partner("Closed"), event, None, "paid", on=days(-300))  # no stale-after: never
    assert len(w.queue()) == 1


def test_stale_clock_restarts_only_on_activity_status_change_or_creation(w, event):
    old = days(-40)
    p1, p2, p3, p4, p5 = (w.partner(n) for n in ("P1", "P2", "P3", "P4", "P5"))
    w.deal(p1, event, "100", "pitched", on=old)  # untouched: stale 40 days
    d2 = w.deal(p2, event, "100", "pitched", on=old)
    w.at(days(-5)).change_deal_status(d2, "in_conversation")  # status change 5 days ago
    d3 = w.deal(p3, event, "100", "pitched", on=old)
    w.activity(p3, on=days(-3), deal_id=d3)  # activity on the deal 3 days ago
    w.deal(p4, event, "100", "pitched", on=old)
    w.activity(p4, on=days(-2), event_id=event)  # activity on the partner for this event
    d5 = w.deal(p5, event, "100", "pitched", on=old)
    other = w.event("Other event", 2026)
    w.activity(p5, on=days(-1), event_id=other)  # activity for another event: no restart
    w.store.update_deal(d5, {"notes": "edited today"})  # an unrelated edit: no restart (4.9)
    w.store.update_partner(p5, {"notes": "edited today"})
    assert sorted((i.partner, i.stale_days) for i in w.queue()) == [("P1", 40), ("P5", 40)]


def test_deal_with_open_follow_up_is_not_stale_even_beyond_the_window(w, event):
    p = w.partner()
    deal = w.deal(p, event, "100", "pitched", on=days(-60))
    f = w.follow_up(p, days(40), deal)  # open, but past the window: not an item either
    assert w.queue() == ()
    w.store.complete_follow_up(f)  # completed: the deal is stale again (60 days)
    assert [(i.kind, i.stale_days) for i in w.queue()] == [("stale", 60)]


def test_staleness_counts_local_days_not_utc(w, event):
    # 2026-11-08 23:30 in Vancouver is 2026-11-09 07:30 UTC: locally 14 days ago (stale);
    # by the UTC date only 13 (the reference's mistake, DESIGN 4.9).
    w.at_time("2026-11-08 23:30").create_deal(
        {"partner_id": w.partner("Late"), "event_id": event, "status": "pitched"})
    w.at_time("2026-11-09 00:30").create_deal(
        {"partner_id": w.partner("Early"), "event_id": event, "status": "pitched"})
    assert [(i.partner, i.stale_days) for i in w.queue()] == [("Late", 14)]


def test_follow_ups_of_closed_deals_drop_out(w, event):
    p = w.partner()
    for status in ("paid", "declined", "backed_out"):
        w.follow_up(p, days(-3), w.deal(p, event, "100", status))
    kept = w.deal(p, event, "100", "confirmed")  # secured but not closed: still worked
    w.follow_up(p, days(-3), kept)
    assert [i.deal_id for i in w.queue()] == [kept]
    w.store.change_deal_status(kept, "paid")  # closing the deal clears its follow-up at once
    assert w.queue() == ()


def test_done_and_archived_follow_ups_and_archived_deals_never_show(w, event):
    p = w.partner()
    w.store.complete_follow_up(w.follow_up(p, days(-1)))
    w.store.archive_follow_up(w.follow_up(p, days(-1)))
    deal = w.deal(p, event, "100", "pitched")
    w.follow_up(p, days(-1), deal)
    w.store.archive_deal(deal)
    for include in (False, True):
        assert w.queue(include_archived=include) == ()


def test_general_follow_up_shows_in_every_scope_without_an_event_filter(w, event):
    p = w.partner()
    w.follow_up(p, days(2))  # no deal, no event
    other = w.event("Later", 2027, start_date="2027-03-01")
    assert len(w.queue()) == 1                       # auto (2026)
    assert len(w.queue(year="all")) == 1
    assert len(w.queue(year=2025)) == 1              # even a year with no events
    assert w.queue(event_id=event) == ()             # an event filter: not general
    assert w.queue(event_id=other) == ()
    r = w.report()
    assert r["events"][0]["follow_ups_due"] == 0     # belongs to no event's row
    assert r["kpis"]["action_items"] == 1


def test_follow_up_without_deal_belongs_to_its_activitys_event(w, event):
    p = w.partner()
    other = w.event("Other", 2026)
    activity = w.store.log_activity(
        {"partner_id": p, "channel": "call", "event_id": event}, next_follow_up=days(3))
    items = w.queue()
    assert [(i.event_id, i.deal_id, i.event) for i in items] == [(event, None, "Summit")]
    assert len(w.queue(event_id=event)) == 1 and w.queue(event_id=other) == ()
    # The activity is moved to the other event: its follow-up goes with it.
    w.store.update_activity(activity, {"event_id": other})
    assert w.queue(event_id=event) == () and len(w.queue(event_id=other)) == 1


def test_deal_moved_to_another_event_takes_its_follow_ups(w, event):
    p = w.partner()
    later = w.event("Next year", 2027, start_date="2027-02-01")
    deal = w.deal(p, event, "100", "pitched")
    w.follow_up(p, days(1), deal)
    w.store.update_deal(deal, {"event_id": later})
    assert w.queue(event_id=event) == ()
    assert [i.event_id for i in w.queue(event_id=later)] == [later]
    assert [i.event_id for i in w.queue(year=2027)] == [later]


def test_archived_partner_and_event_hide_their_items(w, event):
    hidden, gone_partner = w.partner("Hidden"), w.partner("Gone")
    w.follow_up(hidden, days(1))                                     # general, archived partner
    w.deal(hidden, event, "100", "pitched", on=days(-20))            # stale, archived partner
    gone_event = w.event("Cancelled", 2026, start_date="2026-12-05")
    w.follow_up(gone_partner, days(1), w.deal(gone_partner, gone_event, "100", "pitched"))
    w.store.archive_partner(hidden)
    w.store.archive_event(gone_event)
    assert w.queue() == ()
    shown = w.queue(include_archived=True)
    assert sorted((i.kind, i.partner) for i in shown) == [
        ("follow_up", "Gone"), ("follow_up", "Hidden"), ("stale", "Hidden")]


def test_value_points_round_half_up_and_need_an_amount(w, event):
    big, small, none = w.partner("Big"), w.partner("Small"), w.partner("None")
    w.follow_up(big, days(0), w.deal(big, event, "800", "confirmed"))      # weighted 800
    w.follow_up(small, days(0), w.deal(small, event, "100", "confirmed"))  # weighted 100
    w.follow_up(none, days(0), w.deal(none, event, None, "confirmed"))     # no amount
    # Small: 20 × 100/800 = 2.5 → 3 (half up). Big: 20. None: 0. All due today: 55 + value.
    assert [(i.partner, i.score) for i in w.queue()] == [("Big", 75), ("Small", 58), ("None", 55)]


def test_value_scale_spans_follow_ups_and_stale_deals(w, event):
    big, small = w.partner("Big"), w.partner("Small")
    w.deal(big, event, "1000", "confirmed", on=days(-30))  # stale, weighted 1,000 (largest)
    w.follow_up(small, days(0), w.deal(small, event, "1000", "pitched"))  # weighted 200
    # Big: stale 30 of 30 → 30 + 20 = 50. Small: 55 + round(20 × 200/1,000) = 59 (not 75, as
    # it would be if the follow-ups were scaled among themselves).
    assert [(i.partner, i.score) for i in w.queue()] == [("Small", 59), ("Big", 50)]
    # And the other way round: a follow-up holds the largest amount, a stale deal a smaller one.
    large, quiet = w.partner("Large"), w.partner("Quiet")
    w.follow_up(large, days(0), w.deal(large, event, "5000", "confirmed"))  # weighted 5,000
    w.deal(quiet, event, "1000", "pitched", on=days(-14))  # stale 14 of 14, weighted 200
    # Large: 55 + 20 = 75; Quiet: 30 + round(20 × 200/5,000 = 0.8) = 31; Big: 30 + 4 = 34;
    # Small: 55 + round(20 × 200/5,000) = 56.
    assert [(i.partner, i.score) for i in w.queue()] == [
        ("Large", 75), ("Small", 56), ("Big", 34), ("Quiet", 31)]


def test_probability_override_weights_the_value(w, event):
    a, b = w.partner("A"), w.partner("B")
    w.follow_up(a, days(0), w.deal(a, event, "1000", "pitched", probability_override=80))
    w.follow_up(b, days(0), w.deal(b, event, "1000", "pitched"))
    # A: 1000 × 80 % = 800 (largest) → 20; B: 1000 × 20 % = 200 → round(20 × 200/800) = 5
    assert [(i.partner, i.score, i.weighted_cents) for i in w.queue()] == [
        ("A", 75, 800_00), ("B", 60, 200_00)]


def test_ties_order_by_due_date_then_partner_name(w, event):
    names = ["bravo", "Alpha", "charlie"]
    ids = {n: w.partner(n) for n in names}
    for n in names:
        w.follow_up(ids[n], days(1))  # same score (48): order by name, case-insensitive
    w.follow_up(w.partner("Zulu"), days(-2))  # overdue comes first whatever its name
    w.deal(w.partner("Aardvark"), event, None, "prospecting", on=days(-20))  # stale, 36
    items = w.queue()
    # due in 1 day: 50 − round(40/21 = 1.90) = 48
    assert [(i.partner, i.score) for i in items] == [
        ("Zulu", 62), ("Alpha", 48), ("bravo", 48), ("charlie", 48), ("Aardvark", 36)]


def test_equal_scores_put_dated_items_before_undated(w, event):
    w.follow_up(w.partner("Dated"), days(21))  # 10
    w.deal(w.partner("Also"), event, None, "prospecting", on=days(-14))  # stale: 30
    w.follow_up(w.partner("Thirty"), days(10))  # 50 − round(40 × 10/21 = 19.05) = 31
    w.follow_up(w.partner("Same"), days(11))  # 50 − round(20.95) = 29
    assert [(i.partner, i.score) for i in w.queue()] == [
        ("Thirty", 31), ("Also", 30), ("Same", 29), ("Dated", 10)]


def test_custom_status_is_open_with_its_own_stale_after(w, event):
    p, q = w.partner("P"), w.partner("Q")
    key = w.store.add_status({"label": "Waiting Contract", "probability": 60, "stale_after_days": 7})
    deal = w.deal(p, event, "1000", key, on=days(-7))  # stale at exactly 7 days
    w.deal(q, event, "1000", "Invoice Sent", on=days(-14))  # unknown name → custom, 10 %, 14 days
    items = {i.partner: i for i in w.queue()}
    assert (items["P"].stale_days, items["P"].status, items["P"].status_label) == (
        7, "waiting_contract", "Waiting Contract")
    # P: weighted 600 (largest) → 30 + 0 + 20 = 50. Q: 100 → 30 + round(20 × 100/600 = 3.33) = 33
    assert (items["P"].score, items["Q"].score) == (50, 33)
    assert items["Q"].status == "invoice_sent" and deal


def test_contact_comes_from_the_deal_else_the_activity(w, event):
    p = w.partner("Acme")
    pat, sam = w.contact(p, "Pat"), w.contact(p, "Sam")
    deal = w.deal(p, event, "100", "pitched", contact_id=pat)
    w.follow_up(p, days(1), deal)
    w.store.log_activity({"partner_id": p, "channel": "call", "contact_id": sam},
                         next_follow_up=days(2))
    assert [(i.contact, i.contact_id) for i in w.queue()] == [("Pat", pat), ("Sam", sam)]


def test_today_is_the_scopes_date(w, event):
    p = w.partner()
    w.follow_up(p, "2026-11-25")
    # Seen from 2026-11-26 the follow-up is a day overdue: 61.
    items = w.queue(today=TODAY.replace(day=26))
    assert (items[0].overdue, items[0].days_until_due, items[0].score) == (True, -1, 61)


def test_many_items_tied_with_the_last_one_shown(w, event):
    """40 follow-ups due the same day with no amount all score alike; partner names order
    them. The Overview's short read (checked by `w.queue` for every head length) must find the
    whole tie group, which is longer than what it reads past the head at first."""
    for i in range(40):
        w.follow_up(w.partner(f"P{39 - i:02d}"), days(-2))
    items = w.queue()
    assert [i.partner for i in items] == [f"P{i:02d}" for i in range(40)]
    assert {i.score for i in items} == {62}  # 60 + min(2, 20), no amount


def test_every_overdue_day_across_the_dst_change_scores_as_counted(w, event):
    """A status stale after 7 days: overdue from 14 days quiet, its bonus capped at 34 (2 × 7
    + 20). Deals fell quiet on each day from 12 to 36 days ago, a minute after and a minute
    before local midnight: that band holds Vancouver's change back from daylight time (1 Nov
    2026). The head's SQL counts each one's days from the start of each local day, and
    `w.queue()` holds its scores equal to the Python ones (all items, and the overdue ones
    alone); here the arithmetic of a few."""
    w.store.add_status({"label": "Waiting", "probability": 20, "stale_after_days": 7})
    for ago in range(12, 37):
        day = TODAY - dt.timedelta(days=ago)
        for at in ("00:01", "23:59"):
            w.at_time(f"{day} {at}").create_deal(
                {"partner_id": w.partner(f"P{ago} {at}"), "event_id": event, "status": "waiting"})
    items = {i.partner: i for i in w.queue()}
    assert len(items) == 2 * 25  # two deals a day, 12 to 36 days quiet: all stale (≥ 7 days)
    for name, (days_quiet, overdue, score) in {
        "P13 00:01": (13, False, 30 + 6),    # stale by 6: 30 + min(13 − 7, 20)
        "P14 23:59": (14, True, 60),         # overdue from 2 × 7 = 14: 60 + min(0, 20)
        "P15 00:01": (15, True, 61),
        "P21 23:59": (21, True, 67),         # 1 Nov, the day the clocks go back: 60 + 7
        "P22 00:01": (22, True, 68),         # 31 Oct, still daylight time: 60 + 8
        "P33 23:59": (33, True, 79),         # 60 + 19
        "P34 00:01": (34, True, 80),         # the cap: 60 + 20
        "P36 23:59": (36, True, 80),
    }.items():
        item = items[name]
        assert (item.stale_days, item.overdue, item.score) == (days_quiet, overdue, score), name
