"""Keeping a loaded action queue current (store/queries/queue_refresh.py): after any write, the
patched queue must equal the queue read again from scratch."""

from __future__ import annotations

import datetime as dt
import random
import shutil

import pytest

from partners_tui.store.clock import Clock
from partners_tui.store.commands import Store
from partners_tui.store.demo import generate
from partners_tui.store.queries import Scope, action_queue, load_statuses, resolve_scope
from partners_tui.store.queries.action_item_text import item_key
from partners_tui.store.queries.queue_refresh import (
    Counts, LiveQueue, changes_since, last_command_id, partner_items, patch_queue,
)


TODAY = dt.date(2026, 11, 22)  # the frozen day of tests/conftest.py
TZ = "America/Vancouver"


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    store = Store.open(path, clock=Clock.fixed_at(TODAY, tz=TZ), who="tester")
    generate(store, size="small", seed=3, today=TODAY)
    store.close()
    return path


@pytest.fixture
def demo(demo_file, tmp_path, clock):
    path = tmp_path / "demo.sqlite3"
    shutil.copy(demo_file, path)
    store = Store.open(path, clock=clock, who="tester")
    yield store
    store.close()


class Follower:
    """A screen's view of the queue: one full read, then patches from the change log."""

    def __init__(self, store: Store, scope: Scope):
        self.store = store
        with store.read() as conn:
            self.last = last_command_id(conn)
            self.resolved = resolve_scope(conn, scope, TODAY)
            self.statuses = load_statuses(conn)
            self.live = LiveQueue(
                action_queue(conn, self.resolved, store.clock, self.statuses).items,
                self.resolved.window_days,
            )

    @property
    def queue(self):
        return self.live.queue()

    def full(self):
        with self.store.read() as conn:
            return action_queue(conn, self.resolved, self.store.clock, self.statuses)

    def catch_up(self) -> bool:
        """Patch; False when the change reaches everyone (the screen reads everything)."""
        with self.store.read() as conn:
            changes = changes_since(conn, self.last)
            if changes.reaches_everyone:
                return False
            fresh = partner_items(conn, self.resolved, changes.partner_ids, self.store.clock, self.statuses)
        self.last = changes.last_command_id
        self.live.splice(changes.partner_ids, fresh)
        # The indexes kept along the way match the items.
        expected = Counts()
        for n, item in enumerate(self.live.items):
            expected.add(item)
            assert self.live.position(item_key(item)) == n
        assert self.live.counts == expected
        assert sum(len(v) for v in self.live.by_partner.values()) == len(self.live.items)
        return True


@pytest.mark.parametrize("scope", [Scope(), Scope("all"), Scope("all", include_archived=True)])
def test_rereading_any_partner_changes_nothing(demo, scope):
    f = Follower(demo, scope)
    partners = sorted({i.partner_id for i in f.queue.items})
    assert len(partners) > 30
    for partner in random.Random(7).sample(partners, 30):
        with demo.read() as conn:
            fresh = partner_items(conn, f.resolved, [partner], demo.clock, f.statuses)
        patched = patch_queue(f.queue, [partner], fresh, f.resolved.window_days)
        assert patched.queue.items == f.queue.items
        assert not patched.rescaled


def test_no_changes_since_the_last_read(demo):
    f = Follower(demo, Scope())
    with demo.read() as conn:
        changes = changes_since(conn, f.last)
    assert changes.nothing and changes.last_command_id == f.last


def test_every_kind_of_work_patches_to_the_full_queue(demo):
    f = Follower(demo, Scope())
    items = list(f.queue.items)
    follow_ups = [i for i in items if i.kind == "follow_up" and i.deal_id]
    stale = [i for i in items if i.kind == "stale"]
    assert len(follow_ups) >= 4 and len(stale) >= 3

    def check(expected_partners: int | None = 1):
        with demo.read() as conn:
            changes = changes_since(conn, f.last)
        if expected_partners is not None:
            assert len(changes.partner_ids) == expected_partners
        assert f.catch_up()
        assert [item_key(i) for i in f.queue.items] == [item_key(i) for i in f.full().items]
        assert f.queue.items == f.full().items

    a = follow_ups[0]
    demo.log_activity(
        {"partner_id": a.partner_id, "deal_id": a.deal_id, "channel": "call", "summary": "ok"},
        complete_follow_up=a.follow_up_id, next_follow_up="2026-11-29",
    )
    check()
    demo.complete_follow_up(follow_ups[1].follow_up_id)
    check()
    demo.reschedule_follow_up(follow_ups[2].follow_up_id, "2026-12-30")  # out of the window
    check()
    demo.change_deal_status(follow_ups[3].deal_id, "declined")  # closed: its items go
    check()
    s = stale[0]
    demo.log_activity({"partner_id": s.partner_id, "deal_id": s.deal_id, "channel": "email"})
    check()
    demo.add_follow_up({"partner_id": stale[1].partner_id, "deal_id": stale[1].deal_id,
                        "due_date": "2026-11-25"})
    check()
    demo.update_partner(stale[2].partner_id, {"name": "Zzz Renamed Partner"})
    check()
    demo.archive_partner(items[-1].partner_id)
    check()
    for _ in range(8):  # undo each of them: the deleted rows' partners are found from the log
        demo.undo()
        check(expected_partners=None)
    assert f.queue.items == action_queue_fresh(demo).items


def action_queue_fresh(store):
    with store.read() as conn:
        resolved = resolve_scope(conn, Scope(), TODAY)
        return action_queue(conn, resolved, store.clock)


def test_the_largest_amount_changing_rescores_everyone(demo):
    f = Follower(demo, Scope())
    top = max(f.queue.items, key=lambda i: i.weighted_cents or 0)
    assert top.deal_id
    # Doubling the top deal's amount halves everyone else's value points.
    demo.update_deal(top.deal_id, {"amount_cents": top.amount_cents * 2})
    with demo.read() as conn:
        changes = changes_since(conn, f.last)
        fresh = partner_items(conn, f.resolved, changes.partner_ids, demo.clock, f.statuses)
    patched = patch_queue(f.queue, changes.partner_ids, fresh, f.resolved.window_days)
    assert patched.rescaled
    assert patched.queue.items == f.full().items


def test_event_and_status_edits_reach_everyone(demo):
    f = Follower(demo, Scope())
    event_id = f.resolved.events[0].id
    demo.update_event(event_id, {"name": "Renamed Event"})
    with demo.read() as conn:
        assert changes_since(conn, f.last).reaches_everyone
    f2 = Follower(demo, Scope())
    demo.update_status("pitched", {"stale_after_days": 3})
    with demo.read() as conn:
        assert changes_since(conn, f2.last).reaches_everyone
