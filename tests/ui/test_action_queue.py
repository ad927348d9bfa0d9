"""The Action Queue screen, driven by keys: log, complete, snooze, change status, undo.

Data: tests/ui/ui_sample.py plus, for this file, a contact at Northwind and a deal gone quiet
("[bold]Wayne[/] Enterprises", created 2026-10-01, Pitched, $1,000). Today is Sunday 2026-11-22;
scope `auto` is 2026 (BizTech Hackathon 2026). The queue, by hand (DESIGN 4.6):

- Northwind follow-up 301, due 11-18: overdue 4 days → urgency 60 + 4 = 64. Weighted amounts:
  Northwind 3000 × 50% = 1500 (the largest), Wayne 1000 × 20% = 200, Globex 2500 × 20% = 500.
  Value 20 → score 84.
- Wayne, stale: last activity 10-01 = 52 days ago; stale after 14, overdue from 28 → urgency
  60 + min(52 − 28, 20) = 80; value round(20 × 200 / 1500) = round(2.67) = 3 → 83.
- Globex follow-up 302, due today → 55 + round(20 × 500 / 1500) = 55 + 7 = 62.
Order: overdue first (Northwind 84, Wayne 83), then Globex 62.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from textual.content import Content

from partners_tui.app import make_app
from partners_tui.screens.action_list import ActionList
from partners_tui.screens.action_queue import ActionQueueScreen
from partners_tui.screens.log_activity import LogActivityForm
from partners_tui.screens.pickers import DatePicker, OptionPicker
from partners_tui.store.clock import Clock
from partners_tui.store.queries import Scope

from ui_sample import pid

SIZE = (140, 45)
NORTHWIND = f"follow_up:{pid(301)}"
GLOBEX = f"follow_up:{pid(302)}"
WAYNE = f"stale:{pid(207)}"
WAYNE_NAME = "[bold]Wayne[/] Enterprises"


def add_queue_extras(store) -> None:
    store.create_contact({"partner_id": pid(2), "name": "Dana Scully"}, id=pid(501))
    store.update_deal(pid(202), {"contact_id": pid(501)})
    today_clock = store.clock
    store.clock = Clock.fixed_at("2026-10-01", tz=today_clock.tz)
    store.create_partner({"name": WAYNE_NAME}, id=pid(7))
    store.create_deal(
        {"partner_id": pid(7), "event_id": pid(101), "status": "pitched", "amount": 1000}, id=pid(207)
    )
    store.clock = today_clock


@pytest.fixture
def queue_store(filled_store):
    add_queue_extras(filled_store)
    return filled_store


@pytest.fixture
def queue_app(queue_store, clock):
    return make_app(queue_store, clock=clock)


async def settle(pilot) -> None:
    """Wait until the queue has been read and drawn."""
    for _ in range(100):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen = pilot.app.screen
        if isinstance(screen, ActionQueueScreen) and screen.queue is not None and not screen.reading:
            return
    raise AssertionError("the queue never loaded")


async def open_queue(pilot) -> ActionQueueScreen:
    await pilot.press("4")
    await settle(pilot)
    return pilot.app.screen


def keys(screen: ActionQueueScreen) -> list[str]:
    from partners_tui.store.queries.action_item_text import item_key

    return [item_key(i) for i in screen.query_one(ActionList).items]


def cursor_key(screen: ActionQueueScreen) -> str:
    from partners_tui.store.queries.action_item_text import item_key

    return item_key(screen.query_one(ActionList).current)


def one(store, sql, **params):
    with store.read() as conn:
        return conn.execute(text(sql), params).mappings().first()


def count(store, sql, **params) -> int:
    with store.read() as conn:
        return conn.execute(text(sql), params).scalar()


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


async def type_text(pilot, value: str) -> None:
    await pilot.press(*[("space" if ch == " " else ch) for ch in value])


async def test_queue_in_priority_order_with_counts(queue_app):
    async with queue_app.run_test(size=SIZE) as pilot:
        screen = await open_queue(pilot)
        assert keys(screen) == [NORTHWIND, WAYNE, GLOBEX]
        assert [i.score for i in screen.queue.items] == [84, 83, 62]
        summary = str(screen.query_one("#summary-line").render())
        assert "3 items · 2 overdue · 1 due today · 1 stale deal" in summary
        lines = [screen.query_one(ActionList).render_line(y).text for y in range(4)]
        assert lines[0].split() == ["Due", "Score", "Partner", "Contact", "Event", "Status", "Amount", "Why"]
        assert lines[1].split()[:6] == ["4d", "overdue", "84", "Northwind", "Ventures", "Dana"]
        assert "$3,000" in lines[1] and "Follow-up 4 days overdue" in lines[1]
        assert "Stale 52d" in lines[2] and "[bold]Wayne[/] Ent" in lines[2] and "No activity for 52 days" in lines[2]
        assert "Due today" in lines[3] and "Globex Foundation" in lines[3]


async def test_log_completes_schedules_and_undo_restores(queue_app, queue_store):
    store = queue_store
    async with queue_app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_queue(pilot)
        assert cursor_key(screen) == NORTHWIND
        await pilot.press("l")
        form = pilot.app.screen
        assert isinstance(form, LogActivityForm)
        assert form.target.contact == "Dana Scully" and form.target.follow_up_due == "2026-11-18"
        await pilot.press("c")  # call; focus moves on to the subject
        await type_text(pilot, "Deck")
        await pilot.press("tab")
        await type_text(pilot, "Wants it Friday")
        await pilot.press("tab", "2")  # next follow-up: the second shortcut, +1w
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is screen

        activity = one(store, "SELECT * FROM activity WHERE subject = 'Deck'")
        assert (activity["channel"], activity["summary"], activity["partner_id"], activity["deal_id"],
                activity["contact_id"], activity["event_id"], activity["direction"]) == (
            "call", "Wants it Friday", pid(2), pid(202), pid(501), pid(101), "outbound")
        assert activity["occurred_at"] == store.clock.stamp()
        assert one(store, "SELECT done_at FROM follow_up WHERE id = :i", i=pid(301))["done_at"]
        nxt = one(store, "SELECT * FROM follow_up WHERE deal_id = :d AND done_at IS NULL", d=pid(202))
        assert (nxt["due_date"], nxt["activity_id"]) == ("2026-11-29", activity["id"])  # 22 + 7
        assert one(store, "SELECT last_activity_at FROM deal WHERE id = :d", d=pid(202))["last_activity_at"] == activity["occurred_at"]
        # New Northwind item due in 7 days: 50 − round(40 × 7 / 21) = 37, value 20 → 57.
        new_key = f"follow_up:{nxt['id']}"
        assert keys(screen) == [WAYNE, GLOBEX, new_key]
        assert screen.queue.items[2].score == 57
        assert cursor_key(screen) == WAYNE  # the item that followed the one just worked
        assert "Call with Northwind Ventures logged; follow-up done; next follow-up Sun 29 Nov" in messages(pilot.app)

        await pilot.press("u")
        await settle(pilot)
        assert "Undone: Log call with Northwind Ventures; follow-up done; next 2026-11-29" in messages(pilot.app)
        assert count(store, "SELECT count(*) FROM activity WHERE subject = 'Deck'") == 0
        assert one(store, "SELECT done_at FROM follow_up WHERE id = :i", i=pid(301))["done_at"] is None
        assert count(store, "SELECT count(*) FROM follow_up WHERE id = :i", i=nxt["id"]) == 0
        assert keys(screen) == [NORTHWIND, WAYNE, GLOBEX]
        assert cursor_key(screen) == NORTHWIND


async def test_done_then_ctrl_z(queue_app, queue_store):
    async with queue_app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_queue(pilot)
        await pilot.press("down", "down")
        assert cursor_key(screen) == GLOBEX
        await pilot.press("d")
        await settle(pilot)
        assert one(queue_store, "SELECT done_at FROM follow_up WHERE id = :i", i=pid(302))["done_at"]
        assert keys(screen) == [NORTHWIND, WAYNE]
        assert cursor_key(screen) == WAYNE  # nothing followed Globex: the one before it
        assert "Follow-up with Globex Foundation done" in messages(pilot.app)
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert one(queue_store, "SELECT done_at FROM follow_up WHERE id = :i", i=pid(302))["done_at"] is None
        assert keys(screen) == [NORTHWIND, WAYNE, GLOBEX]
        assert cursor_key(screen) == GLOBEX
        assert "Undone: Follow-up with Globex Foundation done" in messages(pilot.app)


async def test_snooze_by_shortcut_and_by_typed_date(queue_app, queue_store):
    async with queue_app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_queue(pilot)
        await pilot.press("s")
        assert isinstance(pilot.app.screen, DatePicker)
        await pilot.press("1")  # +2d
        await settle(pilot)
        assert one(queue_store, "SELECT due_date FROM follow_up WHERE id = :i", i=pid(301))["due_date"] == "2026-11-24"
        # Due in 2 days: 50 − round(40 × 2 / 21 = 3.81) = 46, value 20 → 66: after Wayne, before Globex.
        assert keys(screen) == [WAYNE, NORTHWIND, GLOBEX]
        assert screen.queue.items[1].score == 66
        assert cursor_key(screen) == WAYNE

        await pilot.press("down", "s")
        assert cursor_key(screen) == NORTHWIND
        await pilot.press("tab")  # digits pick shortcuts: tab to type a date
        await type_text(pilot, "2026-02-30")
        await pilot.press("enter")
        picker = pilot.app.screen
        assert isinstance(picker, DatePicker)
        assert "2026-02-30 is not a real date" in str(picker.query_one("#error").render())
        picker.query_one("#typed").value = ""
        await pilot.press("shift+tab")  # back on the shortcuts, a letter starts the date field
        await type_text(pilot, "friday")
        await pilot.press("enter")
        await settle(pilot)
        assert one(queue_store, "SELECT due_date FROM follow_up WHERE id = :i", i=pid(301))["due_date"] == "2026-11-27"

        await pilot.press("s", "escape")  # cancelled: nothing changes
        await settle(pilot)
        assert one(queue_store, "SELECT due_date FROM follow_up WHERE id = :i", i=pid(301))["due_date"] == "2026-11-27"


async def test_stale_deal_gets_a_follow_up(queue_app, queue_store):
    async with queue_app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_queue(pilot)
        await pilot.press("down")
        assert cursor_key(screen) == WAYNE
        await pilot.press("d")  # nothing to complete
        await pilot.pause()
        assert any("no follow-up to complete" in m for m in messages(pilot.app))
        assert keys(screen) == [NORTHWIND, WAYNE, GLOBEX]
        await pilot.press("s", "3")  # +2w = 2026-12-06
        await settle(pilot)
        added = one(queue_store, "SELECT * FROM follow_up WHERE deal_id = :d", d=pid(207))
        assert (added["due_date"], added["partner_id"], added["event_id"]) == ("2026-12-06", pid(7), pid(101))
        # The deal now has an open follow-up, so it is no longer stale; its follow-up is due in
        # 14 days: 50 − round(40 × 14 / 21 = 26.67) = 23, value 3 → 26.
        assert keys(screen) == [NORTHWIND, GLOBEX, f"follow_up:{added['id']}"]
        assert screen.queue.items[2].score == 26


async def test_change_status_closes_the_deal_and_enters_history(queue_app, queue_store):
    async with queue_app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_queue(pilot)
        await pilot.press("t")
        picker = pilot.app.screen
        assert isinstance(picker, OptionPicker)
        assert [v for _, v in picker.options][:3] == ["prospecting", "reached_out", "pitched"]
        await pilot.press("9")  # Declined: closed, so Northwind's follow-up leaves the queue
        await settle(pilot)
        assert one(queue_store, "SELECT status FROM deal WHERE id = :d", d=pid(202))["status"] == "declined"
        history = one(queue_store, "SELECT old, new FROM change WHERE entity = 'deal' AND field = 'status' "
                                   "AND entity_id = :d", d=pid(202))
        assert (history["old"], history["new"]) == ('"in_conversation"', '"declined"')
        assert keys(screen) == [WAYNE, GLOBEX]
        assert "Northwind Ventures: In Conversation → Declined" in messages(pilot.app)
        await pilot.press("u")
        await settle(pilot)
        assert one(queue_store, "SELECT status FROM deal WHERE id = :d", d=pid(202))["status"] == "in_conversation"
        assert keys(screen) == [NORTHWIND, WAYNE, GLOBEX]
        assert cursor_key(screen) == NORTHWIND


async def test_log_form_changes_status_in_the_same_save(queue_app, queue_store):
    async with queue_app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_queue(pilot)
        await pilot.press("end")
        assert cursor_key(screen) == GLOBEX
        await pilot.press("l", "n")  # a note
        # subject → summary → next → date → complete box → status
        await pilot.press("tab", "tab", "tab", "tab", "tab")
        assert pilot.app.screen.focused.id == "status"
        await pilot.press("enter", "7")  # Confirmed
        assert isinstance(pilot.app.screen, LogActivityForm)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert one(queue_store, "SELECT status FROM deal WHERE id = :d", d=pid(203))["status"] == "confirmed"
        assert one(queue_store, "SELECT channel FROM activity WHERE deal_id = :d", d=pid(203))["channel"] == "note"
        assert one(queue_store, "SELECT done_at FROM follow_up WHERE id = :i", i=pid(302))["done_at"]
        assert keys(screen) == [NORTHWIND, WAYNE]
        assert any("status Confirmed" in m for m in messages(pilot.app))
        await pilot.press("u")  # one save, one undo
        await settle(pilot)
        assert one(queue_store, "SELECT status FROM deal WHERE id = :d", d=pid(203))["status"] == "pitched"
        assert count(queue_store, "SELECT count(*) FROM activity WHERE deal_id = :d", d=pid(203)) == 0
        assert keys(screen) == [NORTHWIND, WAYNE, GLOBEX]


async def test_bad_time_is_shown_in_the_form_and_nothing_is_written(queue_app, queue_store):
    before = count(queue_store, "SELECT count(*) FROM activity")
    async with queue_app.run_test(size=SIZE) as pilot:
        await open_queue(pilot)
        await pilot.press("l")
        form = pilot.app.screen
        form.query_one("#when").value = "yesterday-ish"
        form.query_one("#next-date").value = "2026-13-01"
        await pilot.press("ctrl+s")
        await pilot.pause()
        errors = str(form.query_one("#errors").render())
        assert "When: 'yesterday-ish' is not a time such as 2026-11-22 12:00" in errors
        assert "Next follow-up: 2026-13-01 is not a real date" in errors
        assert pilot.app.screen is form
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ActionQueueScreen)
    assert count(queue_store, "SELECT count(*) FROM activity") == before


async def test_log_ten_in_a_row_without_leaving_the_screen(queue_store, clock):
    store = queue_store
    for n in range(10):
        partner = store.create_partner({"name": f"Sponsor {n:02d}"}, id=pid(600 + n))
        deal = store.create_deal({"partner_id": partner, "event_id": pid(101), "status": "pitched"})
        store.add_follow_up({"partner_id": partner, "deal_id": deal,
                             "due_date": f"2026-11-{10 + n:02d}"})  # all overdue
    app = make_app(store, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_queue(pilot)
        assert len(keys(screen)) == 13
        worked = []
        for n in range(10):
            worked.append(cursor_key(screen))
            await pilot.press("l", "e")
            await type_text(pilot, f"sent {n}")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert pilot.app.screen is screen
            assert worked[-1] not in keys(screen)  # its follow-up is done, or its clock restarted
        assert len(set(worked)) == 10
        assert count(store, "SELECT count(*) FROM activity WHERE subject LIKE 'sent %'") == 10
        assert len(keys(screen)) == 3


async def test_open_partner_event_and_select_from_elsewhere(queue_app):
    async with queue_app.run_test(size=SIZE) as pilot:
        screen = await open_queue(pilot)
        await pilot.press("o")
        await pilot.pause()
        assert pilot.app.current_mode == "partners"
        await open_queue(pilot)
        await pilot.press("v")
        await pilot.pause()
        assert pilot.app.current_mode == "events"
        await pilot.press("1")
        await pilot.pause()
        pilot.app.open_action_item(GLOBEX)
        await settle(pilot)
        assert pilot.app.screen is screen and cursor_key(screen) == GLOBEX


async def test_select_item_before_the_first_read(queue_app):
    async with queue_app.run_test(size=SIZE) as pilot:
        pilot.app.open_action_item(WAYNE)
        await settle(pilot)
        assert cursor_key(pilot.app.screen) == WAYNE


async def test_markup_in_names_is_shown_as_typed(queue_app, queue_store):
    async with queue_app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_queue(pilot)
        await pilot.press("down")
        detail = str(screen.query_one("#detail").render())
        assert WAYNE_NAME in detail
        await pilot.press("l")
        form = pilot.app.screen
        title = Content.from_markup(form.query_one("#dialog").border_title).plain
        assert title == f"Log activity · {WAYNE_NAME}"
        await pilot.press("m", "ctrl+s")
        await settle(pilot)
        assert f"Meeting with {WAYNE_NAME} logged" in messages(pilot.app)
        # The activity restarted the deal's stale clock: Wayne left the queue.
        assert WAYNE not in keys(screen)


async def test_scope_is_shared_and_remembered(queue_app):
    async with queue_app.run_test(size=SIZE) as pilot:
        screen = await open_queue(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert pilot.app.scope.include_archived
        assert screen.loaded.scope.include_archived
        pilot.app.set_scope(Scope("all"))
        await settle(pilot)
        # All years adds Acme's 2027 follow-up due 2026-12-01 (Initech's, 2027-01-10, is beyond
        # 22 + 21 = 2026-12-13): 3 + 1 = 4 items.
        assert len(keys(screen)) == 4


async def test_two_shortcuts_on_the_same_day_stay_two_choices(queue_store):
    # Monday 2026-11-23: "+1w" and "next monday" both mean Monday 30 November.
    monday = Clock.fixed_at("2026-11-23", tz=queue_store.clock.tz)
    queue_store.set_setting("follow_up.snooze_choices", ["+1w", "next monday"])
    queue_store.clock = monday
    app = make_app(queue_store, clock=monday)
    async with app.run_test(size=SIZE) as pilot:
        await open_queue(pilot)
        await pilot.press("l", "c", "tab", "tab", "2")  # the second shortcut: next monday
        bar = pilot.app.screen.query_one("#next")
        assert bar.value == "next monday"
        assert "● 2" in str(bar.render()) and "● 1" not in str(bar.render())
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert one(queue_store, "SELECT due_date FROM follow_up WHERE deal_id = :d AND done_at IS NULL",
               d=pid(202))["due_date"] == "2026-11-30"
