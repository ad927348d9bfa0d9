"""Demo data: deterministic for a seed, realistic in shape, one undoable command.

Generated once per module at the small size (about 1.5 s) around the frozen 2026-11-22.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from sqlalchemy import text as sql

from partners_tui.store.commands import Store
from partners_tui.store.demo import SIZES, generate

TODAY = dt.date(2026, 11, 22)
CONTENT_TABLES = ("partner", "contact", "event", "status", "deal", "activity", "follow_up", "annual_goal")


def fingerprint(store: Store) -> dict[str, str]:
    """A hash of every row of every content table (and of the status history), in key order."""
    out = {}
    with store.read() as conn:
        for name in CONTENT_TABLES:
            key = "key" if name == "status" else ("year" if name == "annual_goal" else "id")
            digest = hashlib.sha256()
            for row in conn.execute(sql(f"SELECT * FROM {name} ORDER BY {key}")):
                digest.update(repr(tuple(row)).encode())
            out[name] = digest.hexdigest()
        digest = hashlib.sha256()
        history = "SELECT entity_id, field, old, new, at FROM change WHERE field = 'status' ORDER BY entity_id, at, id"
        for row in conn.execute(sql(history)):
            digest.update(repr(tuple(row)).encode())
        out["status history"] = digest.hexdigest()
    return out


def one(store: Store, query: str, **params):
    with store.read() as conn:
        return conn.execute(sql(query), params).scalar()


def make(tmp_path, name: str, seed: int, clock) -> tuple[Store, dict[str, int]]:
    store = Store.open(tmp_path / name, clock=clock)
    return store, generate(store, size="small", seed=seed, today=TODAY)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from partners_tui.store.clock import Clock

    clock = Clock.fixed_at(TODAY, "America/Vancouver")
    store, summary = make(tmp_path_factory.mktemp("demo"), "a.sqlite3", 7, clock)
    yield store, summary
    store.close()


def test_same_seed_same_database(demo, tmp_path, clock):
    first, _ = demo
    again, _ = make(tmp_path, "b.sqlite3", 7, first.clock)
    try:
        assert fingerprint(again) == fingerprint(first)
    finally:
        again.close()


def test_another_seed_another_database(demo, tmp_path):
    first, _ = demo
    other, _ = make(tmp_path, "c.sqlite3", 8, first.clock)
    try:
        a, b = fingerprint(first), fingerprint(other)
        assert a["partner"] != b["partner"] and a["deal"] != b["deal"]
        assert a["status"] == b["status"]  # the same pipeline whatever the seed
    finally:
        other.close()


def test_small_size_matches_the_issue(demo):
    store, summary = demo
    size = SIZES["small"]
    assert (size.partners, size.events, size.deals, size.activities) == (400, 15, 2_000, 10_000)
    assert summary["partners"] == one(store, "SELECT count(*) FROM partner") == 400
    assert summary["events"] == one(store, "SELECT count(*) FROM event") == 15
    assert summary["deals"] == one(store, "SELECT count(*) FROM deal") == 2_000
    assert summary["activities"] == one(store, "SELECT count(*) FROM activity") == 10_000
    assert one(store, "SELECT count(*) FROM contact") >= 400  # every partner has a contact


def test_partners_have_contacts_and_an_account_tree(demo):
    store, _ = demo
    assert one(store, "SELECT count(*) FROM partner p WHERE NOT EXISTS (SELECT 1 FROM contact c WHERE c.partner_id = p.id)") == 0
    # at least one parent/child pair, and a grandchild (a tree deeper than one level)
    assert one(store, "SELECT count(*) FROM partner WHERE parent_id IS NOT NULL") >= 1
    assert one(store, """SELECT count(*) FROM partner c JOIN partner p ON c.parent_id = p.id
                         WHERE p.parent_id IS NOT NULL""") >= 1


def test_events_span_three_years_with_goals_and_tiers(demo):
    store, _ = demo
    with store.read() as conn:
        years = [r[0] for r in conn.execute(sql("SELECT DISTINCT year FROM event ORDER BY year"))]
        assert years == [2025, 2026, 2027]
        without_goal = conn.execute(sql("SELECT count(*) FROM event WHERE goal_cents IS NULL")).scalar()
        without_tiers = conn.execute(sql("SELECT count(*) FROM event WHERE tier_presets IS NULL OR tier_presets = '[]'")).scalar()
        archived = conn.execute(sql("SELECT count(*) FROM event WHERE archived = 1")).scalar()
    assert without_goal == 1  # one event still has no goal: the "no goal" pace is on show
    assert without_tiers == 0
    assert archived == 1


def test_deals_in_every_default_and_custom_status(demo):
    store, _ = demo
    with store.read() as conn:
        used = {r[0] for r in conn.execute(sql("SELECT DISTINCT status FROM deal"))}
        statuses = {r[0] for r in conn.execute(sql("SELECT key FROM status"))}
    defaults = {"prospecting", "reached_out", "pitched", "shortlist", "in_conversation",
                "followed_up", "confirmed", "paid", "declined", "backed_out"}
    assert defaults <= used
    custom = statuses - defaults
    assert custom == {"waiting_contract", "invoice_sent"}
    assert custom <= used


def test_follow_ups_overdue_due_soon_later_and_done(demo):
    store, _ = demo
    today = TODAY.isoformat()
    soon = (TODAY + dt.timedelta(days=21)).isoformat()
    open_ = "done_at IS NULL AND archived = 0"
    assert one(store, f"SELECT count(*) FROM follow_up WHERE {open_} AND due_date < :t", t=today) > 0
    assert one(store, f"SELECT count(*) FROM follow_up WHERE {open_} AND due_date BETWEEN :t AND :s", t=today, s=soon) > 0
    assert one(store, f"SELECT count(*) FROM follow_up WHERE {open_} AND due_date > :s", s=soon) > 0
    assert one(store, "SELECT count(*) FROM follow_up WHERE done_at IS NOT NULL") > 0


def test_status_history_and_stale_clock(demo):
    store, summary = demo
    assert summary["status changes"] == one(store, "SELECT count(*) FROM change WHERE entity='deal' AND field='status'") > 2_000
    # every move in the history happened before today, and a deal's clock is never in the future
    assert one(store, "SELECT max(at) FROM change WHERE field='status'") < "2026-11-23"
    assert one(store, "SELECT count(*) FROM deal WHERE last_activity_at > '2026-11-23'") == 0


def test_demo_is_one_undoable_command(tmp_path, clock):
    store = Store.open(tmp_path / "u.sqlite3", clock=clock)
    try:
        generate(store, size="small", seed=3, today=TODAY)
        assert not store.is_empty()
        undone = store.undo()
        assert "Demo data" in undone.description
        assert store.is_empty()
        assert one(store, "SELECT count(*) FROM deal") == 0
        assert one(store, "SELECT count(*) FROM activity") == 0
    finally:
        store.close()


def test_unknown_size_is_refused(store):
    with pytest.raises(ValueError, match="size must be one of small, large"):
        generate(store, size="huge", seed=1, today=TODAY)
    assert store.is_empty()
