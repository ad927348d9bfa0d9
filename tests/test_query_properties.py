"""Property tests (hypothesis) for the read models of DESIGN 4, over random small worlds.

A world is written straight into a migrated database (rows, not commands: these tests are about
reading), one per example, then the Overview is read and checked against the definitions.
"""

from __future__ import annotations

import datetime as dt
import uuid
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, event, given, settings, strategies as st
from sqlalchemy import text

from partners_tui.store.clock import Clock, stamp
from partners_tui.store.commands import Store
from partners_tui.store.queries import Scope, order_key, overview
from partners_tui.store.queries.common import LocalDates, shares
from partners_tui.store.queries.queue_summary import sql_scores
from partners_tui.report import report_dict
from test_query_support import item_rows

TODAY = dt.date(2026, 11, 22)
TZ = "America/Vancouver"
CLOCK = Clock.fixed_at(TODAY, tz=TZ)
STATUSES = ("prospecting", "pitched", "in_conversation", "confirmed", "paid", "declined",
            "backed_out")
PROBABILITY = {"prospecting": 5, "pitched": 20, "in_conversation": 50, "confirmed": 100,
               "paid": 100, "declined": 0, "backed_out": 0}
STALE_AFTER = {"prospecting": 14, "pitched": 14, "in_conversation": 14, "confirmed": 30}
CLOSED = {"paid", "declined", "backed_out"}
rarely = st.sampled_from([False, False, False, False, True])  # archived, done: now and then
PROPS = settings(max_examples=60, deadline=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# --- shares ----------------------------------------------------------------------------------


@given(st.lists(st.integers(min_value=0, max_value=10**12), min_size=1, max_size=40))
def test_shares_sum_to_100_and_stay_within_a_cent_of_exact(parts):
    out = shares(parts)
    total = sum(parts)
    if total == 0:
        assert out == [0.0] * len(parts)
        return
    assert abs(sum(out) - 100) <= 0.01 + 1e-9
    for part, share in zip(parts, out):
        assert abs(Fraction(share).limit_denominator(100) - Fraction(part * 100, total)) < Fraction(1, 100)


# --- random worlds -----------------------------------------------------------------------------


def day(offset: int) -> str:
    return (TODAY + dt.timedelta(days=offset)).isoformat()


def moment(offset_days: int, minutes: int) -> str:
    local = dt.datetime.combine(TODAY + dt.timedelta(days=offset_days), dt.time()) + dt.timedelta(minutes=minutes)
    return stamp(local.replace(tzinfo=ZoneInfo(TZ)))


events_st = st.lists(
    st.fixed_dictionaries({
        "year": st.sampled_from([2025, 2026, 2027]),
        "goal": st.one_of(st.none(), st.integers(0, 5_000_000)),
        "start": st.one_of(st.none(), st.integers(-400, 400)),
        "length": st.integers(0, 5),
        "archived": rarely,
    }),
    min_size=1, max_size=5,
)
partners_st = st.lists(
    st.fixed_dictionaries({
        "name": st.text("abAB z", min_size=1, max_size=4),
        "archived": rarely,
    }),
    min_size=1, max_size=5,
)
deals_st = st.lists(
    st.fixed_dictionaries({
        "partner": st.integers(0, 10), "event": st.integers(0, 10),
        "status": st.sampled_from(STATUSES),
        "amount": st.one_of(st.none(), st.integers(0, 1_000_000)),
        "override": st.one_of(st.none(), st.integers(0, 100)),
        "archived": rarely,
        "created": st.integers(-80, 0), "changed": st.one_of(st.none(), st.integers(-80, 0)),
        "activity": st.one_of(st.none(), st.integers(-80, 0)),
        "minutes": st.integers(0, 24 * 60 - 1),
    }),
    min_size=2, max_size=15,
)
follow_ups_st = st.lists(
    st.fixed_dictionaries({
        "partner": st.integers(0, 10),
        "deal": st.one_of(st.none(), st.integers(0, 20)),
        "event": st.one_of(st.none(), st.integers(0, 10)),
        "due": st.integers(-30, 40),
        "done": rarely, "archived": rarely,
    }),
    min_size=2, max_size=15,
)
scope_st = st.fixed_dictionaries({
    "year": st.sampled_from(["auto", "all", "all", "2026", "2027"]),
    "window": st.sampled_from([7, 21, 90]),
    "include_archived": st.booleans(),
    "event": st.one_of(st.none(), st.none(), st.integers(0, 10)),
})


@pytest.fixture(scope="module")
def world_store(tmp_path_factory):
    store = Store.open(tmp_path_factory.mktemp("props") / "props.sqlite3", clock=CLOCK, who="t")
    yield store
    store.close()


def write_world(store: Store, events, partners, deals, follow_ups) -> dict:
    """Replace every row with the generated world; returns the ids made."""
    at = stamp(dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
    ids: dict[str, Any] = {"event": [], "partner": [], "deal": [], "weight": {}}
    with store.engine.begin() as conn:
        for table in ("follow_up", "activity", "deal", "contact", "event", "partner"):
            conn.execute(text(f"DELETE FROM {table}"))
        for i, e in enumerate(events):
            start = None if e["start"] is None else day(e["start"])
            end = None if e["start"] is None else day(e["start"] + e["length"])
            eid = str(uuid.uuid4())
            ids["event"].append(eid)
            conn.execute(text(
                "INSERT INTO event (id, name, year, start_date, end_date, goal_cents, archived,"
                " tier_presets, created_at, updated_at) VALUES (:id, :name, :year, :s, :e, :g, :a,"
                " '[]', :at, :at)"),
                {"id": eid, "name": f"E{i}", "year": e["year"], "s": start, "e": end,
                 "g": e["goal"], "a": e["archived"], "at": at})
        for p in partners:
            pid = str(uuid.uuid4())
            ids["partner"].append(pid)
            conn.execute(text(
                "INSERT INTO partner (id, name, archived, tags, is_alumni, created_at, updated_at)"
                " VALUES (:id, :name, :a, '', 0, :at, :at)"),
                {"id": pid, "name": p["name"], "a": p["archived"], "at": at})
        if ids["event"]:
            for d in deals:
                did = str(uuid.uuid4())
                ids["deal"].append(did)
                if d["amount"] is not None:  # amount × probability, exact (cents × percent)
                    prob = d["override"] if d["override"] is not None else PROBABILITY[d["status"]]
                    ids["weight"][did] = d["amount"] * prob
                conn.execute(text(
                    "INSERT INTO deal (id, partner_id, event_id, status, amount_cents,"
                    " probability_override, archived, created_at, updated_at, status_changed_at,"
                    " last_activity_at) VALUES (:id, :p, :e, :s, :amt, :o, :a, :c, :c, :ch, :la)"),
                    {"id": did, "p": ids["partner"][d["partner"] % len(ids["partner"])],
                     "e": ids["event"][d["event"] % len(ids["event"])], "s": d["status"],
                     "amt": d["amount"], "o": d["override"], "a": d["archived"],
                     "c": moment(d["created"], d["minutes"]),
                     "ch": None if d["changed"] is None else moment(max(d["changed"], d["created"]), d["minutes"]),
                     "la": None if d["activity"] is None else moment(d["activity"], d["minutes"])})
        for f in follow_ups:
            deal = ids["deal"][f["deal"] % len(ids["deal"])] if ids["deal"] and f["deal"] is not None else None
            event = ids["event"][f["event"] % len(ids["event"])] if ids["event"] and f["event"] is not None else None
            conn.execute(text(
                "INSERT INTO follow_up (id, partner_id, deal_id, event_id, due_date, done_at,"
                " archived, created_at, updated_at) VALUES (:id, :p, :d, :e, :due, :done, :a, :at, :at)"),
                {"id": str(uuid.uuid4()), "p": ids["partner"][f["partner"] % len(ids["partner"])],
                 "d": deal, "e": event, "due": day(f["due"]), "done": at if f["done"] else None,
                 "a": f["archived"], "at": at})
    return ids


def read(store: Store, ids: dict, sc: dict):
    event = None
    if sc["event"] is not None and ids["event"]:
        event = ids["event"][sc["event"] % len(ids["event"])]
    return overview(store, Scope.parse(sc["year"], event, sc["window"], sc["include_archived"]), TODAY)


@PROPS
@given(events_st, partners_st, deals_st, follow_ups_st, scope_st)
def test_totals_reconcile_across_kpis_scoreboard_and_pipeline(
    world_store, events, partners, deals, follow_ups, sc
):
    ids = write_world(world_store, events, partners, deals, follow_ups)
    ov = read(world_store, ids, sc)
    k, rows, pipe = ov.kpis, ov.events, ov.pipeline
    assert k.revenue_secured_cents == sum(r.secured_cents for r in rows)
    assert k.open_pipeline_cents == sum(r.open_pipeline_cents for r in rows)
    assert pipe.total_count == sum(r.deals for r in rows)
    assert pipe.total_amount_cents == sum(r.committed_cents for r in rows)
    assert k.revenue_secured_cents == sum(r.amount_cents for r in pipe.rows if r.secured)
    assert k.open_pipeline_cents == sum(
        r.amount_cents for r in pipe.rows if not r.secured and not r.closed)
    assert k.events_in_scope == len(rows)
    assert k.action_items == len(ov.action_queue.items)
    for column in ("share_count_pct", "share_amount_pct"):
        values = [getattr(r, column) for r in pipe.rows]
        total = pipe.total_count if column == "share_count_pct" else pipe.total_amount_cents
        if total:
            assert abs(sum(values) - 100) <= 0.01 + 1e-9
        else:
            assert all(v == 0 for v in values)
    report = report_dict(ov)
    assert report["kpis"]["revenue_secured"] == pytest.approx(sum(e["secured"] for e in report["events"]))


def urgency(item, window: int) -> int:
    if item.kind == "stale":
        after = item.stale_after_days
        if item.stale_days >= 2 * after:
            return 60 + min(item.stale_days - 2 * after, 20)
        return 30 + min(item.stale_days - after, 20)
    if item.days_until_due < 0:
        return 60 + min(-item.days_until_due, 20)
    if item.days_until_due == 0:
        return 55
    return 50 - int(Fraction(40 * item.days_until_due, window) + Fraction(1, 2))


@PROPS
@given(events_st, partners_st, deals_st, follow_ups_st, scope_st)
def test_action_queue_items_scores_and_order(world_store, events, partners, deals, follow_ups, sc):
    ids = write_world(world_store, events, partners, deals, follow_ups)
    ov = read(world_store, ids, sc)
    items = ov.action_queue.items
    window = ov.scope.window_days
    event(f"items: {min(len(items), 5)}+" if len(items) >= 5 else f"items: {len(items)}")
    weights = [ids["weight"].get(i.deal_id) for i in items]
    largest = max((w for w in weights if w), default=0)
    for item, weight in zip(items, weights):
        assert 0 <= item.score <= 100
        if item.kind == "follow_up":
            assert item.days_until_due <= window
            assert item.overdue == (item.days_until_due < 0)
            assert item.status not in CLOSED
        else:
            assert item.due_date is None and item.stale_days >= item.stale_after_days
            assert item.stale_after_days == STALE_AFTER[item.status]
            assert item.overdue == (item.stale_days >= 2 * item.stale_after_days)
        # Score = urgency + round(20 × weighted / the largest weighted among all items).
        value = int(Fraction(20 * weight, largest) + Fraction(1, 2)) if weight and largest else 0
        assert item.score == urgency(item, window) + value
    # Order: overdue first, then score (high first), then due date (undated last), then name.
    for a, b in zip(items, items[1:]):
        ka = (not a.overdue, -a.score, a.due_date is None, a.due_date or "", a.partner.casefold())
        kb = (not b.overdue, -b.score, b.due_date is None, b.due_date or "", b.partner.casefold())
        assert ka <= kb
    assert list(items) == sorted(items, key=order_key)  # ties: kind, then id
    assert ov.kpis.overdue_items == sum(1 for i in items if i.overdue)


@given(
    st.datetimes(min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2030, 12, 31)),
    st.sampled_from(["America/Vancouver", "Asia/Kolkata", "Pacific/Chatham", "Australia/Lord_Howe",
                     "UTC", "America/St_Johns", "Pacific/Kiritimati", "Pacific/Pago_Pago"]),
)
def test_local_dates_agree_with_the_clock(moment_utc, zone):
    clock = Clock(tz=zone)
    text_stamp = stamp(moment_utc.replace(tzinfo=dt.timezone.utc))
    assert LocalDates(clock).of(text_stamp) == clock.local_date(text_stamp)


@PROPS
@given(events_st, partners_st, deals_st, follow_ups_st, scope_st, st.integers(1, 8))
def test_queue_summary_is_the_whole_queues_head_and_counts(
    world_store, events, partners, deals, follow_ups, sc, top
):
    """The Overview's read (counts in SQL, only the first `top` items built) agrees with the
    whole queue: same first items in the same order (ties on score and due date broken by name,
    then kind and id), same totals, overdue count and per-event follow-up counts."""
    ids = write_world(world_store, events, partners, deals, follow_ups)
    whole = read(world_store, ids, sc)
    event_id = whole.scope.event_id
    head = overview(world_store, Scope.parse(sc["year"], event_id, sc["window"], sc["include_archived"]),
                    TODAY, queue_top=top)
    items = whole.action_queue.items
    event(f"top {top} of {min(len(items), 9)}{'+' if len(items) > 9 else ''}")
    assert head.action_queue.items == items[:top]
    assert head.action_queue.complete == (len(items) <= top)
    assert head.action_queue.counts == whole.action_queue.counts
    assert (len(head.action_queue), head.action_queue.overdue) == (len(items), sum(i.overdue for i in items))
    assert head.events == whole.events and head.kpis == whole.kpis
    with world_store.read() as conn:
        scores = {(i.kind, i.follow_up_id or i.deal_id): (i.overdue, i.score) for i in items}
        assert sql_scores(conn, whole.scope, CLOCK) == scores
        # The overdue items alone, as the head's shorter statement scores them.
        assert sql_scores(conn, whole.scope, CLOCK, overdue_only=True) == {
            key: value for key, value in scores.items() if value[0]}
    # The report's read: every item as a row scored by SQL, sorted the same way.
    as_rows = overview(world_store, Scope.parse(sc["year"], event_id, sc["window"],
                                                sc["include_archived"]), TODAY, queue_as_rows=True)
    assert as_rows.action_queue.rows == item_rows(items)
    assert as_rows.action_queue.counts == whole.action_queue.counts
    assert report_dict(as_rows) == report_dict(whole)
