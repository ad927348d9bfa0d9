"""Store commands: each is one transaction, validated first, recorded in the change log, undoable."""

import json

import pytest
from sqlalchemy import select, text

from partners_tui.store.changelog import NothingToUndo, UndoConflict, table
from partners_tui.store.clock import Clock
from partners_tui.store.commands import Store
from partners_tui.store.models import Change, Command
from partners_tui.store.validate import InvalidInput


def rows(store, name, /, **where):
    t = {"change": Change.__table__, "command": Command.__table__}[name] if name in ("change", "command") else table(name)
    q = select(t)
    for k, v in where.items():
        q = q.where(t.c[k] == v)
    with store.read() as conn:
        return [dict(r) for r in conn.execute(q).mappings()]


def one(store, entity, key):
    (row,) = rows(store, entity, **{("key" if entity == "status" else "id"): key})
    return row


def count(store, name):
    with store.read() as conn:
        return conn.execute(text(f"SELECT count(*) FROM {name}")).scalar()


def snapshot(store):
    with store.read() as conn:
        return {
            name: conn.execute(text(f"SELECT * FROM {name} ORDER BY 1")).all()
            for name in ("partner", "contact", "event", "status", "deal", "activity", "follow_up",
                         "annual_goal", "setting")
        }


@pytest.fixture
def world(store):
    """One partner, one event, one deal: the usual starting point."""
    p = store.create_partner({"name": "Acme Corp", "tags": "alumni; tech, Tech"})
    e = store.create_event(
        {"name": "HelloHacks", "year": 2026, "start_date": "2026-12-01", "end_date": "2026-12-02",
         "goal": "10,000", "tier_presets": [{"label": "Gold", "amount": "5000"}]}
    )
    d = store.create_deal({"partner_id": p, "event_id": e, "amount": 1234.5, "role": "Sponsor"})
    return {"partner": p, "event": e, "deal": d}


def test_the_default_pipeline_is_seeded_once(store, db_path, clock):
    statuses = rows(store, "status")
    assert [s["key"] for s in sorted(statuses, key=lambda s: s["position"])] == [
        "prospecting", "reached_out", "pitched", "shortlist", "in_conversation", "followed_up",
        "confirmed", "paid", "declined", "backed_out",
    ]
    confirmed = one(store, "status", "confirmed")
    assert (confirmed["probability"], confirmed["secured"], confirmed["closed"], confirmed["stale_after_days"]) == (100, True, False, 30)
    Store.open(db_path, clock=clock).close()  # opening again seeds nothing more
    assert count(store, "status") == 10


def test_create_cleans_values(store, world):
    partner = one(store, "partner", world["partner"])
    assert partner["tags"] == "alumni, tech"  # split on , and ; duplicates dropped case-blind
    event = one(store, "event", world["event"])
    assert event["goal_cents"] == 1_000_000  # "10,000" → 10000.00 → 1,000,000 cents
    assert json.loads(event["tier_presets"]) == [{"label": "Gold", "amount_cents": 500_000}]
    deal = one(store, "deal", world["deal"])
    assert deal["amount_cents"] == 123_450  # 1234.5 → 123450 cents
    assert deal["status"] == "prospecting"
    assert deal["created_at"] == deal["status_changed_at"] == "2026-11-22T20:00:00.000Z"  # noon PST


@pytest.mark.parametrize(
    "entity, data, field, message",
    [
        ("partner", {"name": "  "}, "name", "is required"),
        ("event", {"name": "X", "year": 2026, "start_date": "2026-02-30"}, "start_date", "not a real calendar date"),
        ("event", {"name": "X", "year": 1999}, "year", "between 2000 and 2100"),
        ("event", {"name": "X", "year": 2026, "goal": "-5"}, "goal", "0 or more"),
        ("event", {"name": "X", "year": 2026, "goal": "12.345"}, "goal", "more than 2 decimals"),
        ("event", {"name": "X", "year": 2026, "start_date": "2026-05-02", "end_date": "2026-05-01"}, "end_date", "before the start date"),
        ("event", {"name": "X", "year": 2026, "outreach_start": "2026-06-01", "end_date": "2026-05-01"}, "outreach_start", "after the end date"),
        ("event", {"name": "X", "year": 2026, "tier_presets": [{"label": f"T{i}", "amount": 1} for i in range(13)]}, "tier_presets", "at most 12"),
        ("contact", {"partner_id": "nope", "name": "Ann"}, "partner_id", "no partner with id 'nope'"),
        ("contact", {"partner_id": "x", "name": "Ann", "email": "ann.example.com"}, "email", "not an email"),
        ("contact", {"partner_id": "x", "name": "Ann", "strength": 11}, "strength", "between 1 and 10"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(store, entity, data, field, message):
    before = (snapshot(store), count(store, "command"), count(store, "change"))
    create = getattr(store, f"create_{entity}")
    with pytest.raises(InvalidInput) as info:
        create(data)
    assert any(p.field == field and message in p.message for p in info.value.problems), info.value
    assert (snapshot(store), count(store, "command"), count(store, "change")) == before


def test_every_bad_field_is_reported_at_once(store):
    with pytest.raises(InvalidInput) as info:
        store.create_event({"name": "", "year": "20x6", "goal": "abc"})
    assert {p.field for p in info.value.problems} == {"name", "year", "goal"}


def test_deal_refuses_unknown_event_and_contact_of_another_partner(store, world):
    with pytest.raises(InvalidInput, match="event_id: no event with id 'missing'"):
        store.create_deal({"partner_id": world["partner"], "event_id": "missing"})
    other = store.create_partner({"name": "Other"})
    stranger = store.create_contact({"partner_id": other, "name": "Stranger"})
    with pytest.raises(InvalidInput, match="contact_id: that contact works at another partner"):
        store.create_deal({"partner_id": world["partner"], "event_id": world["event"], "contact_id": stranger})


def test_unknown_status_becomes_a_custom_open_status(store, world):
    d = store.create_deal({"partner_id": world["partner"], "event_id": world["event"], "status": "Waiting Contract"})
    assert one(store, "deal", d)["status"] == "waiting_contract"
    custom = one(store, "status", "waiting_contract")
    assert (custom["label"], custom["probability"], custom["secured"], custom["closed"], custom["stale_after_days"]) == (
        "Waiting Contract", 10, False, False, 14)
    ordered = [s["key"] for s in sorted(rows(store, "status"), key=lambda s: s["position"])]
    assert ordered.index("waiting_contract") == ordered.index("confirmed") - 1  # last open step
    # aliases reach the default keys
    d2 = store.create_deal({"partner_id": world["partner"], "event_id": world["event"], "status": "reached out"})
    assert one(store, "deal", d2)["status"] == "reached_out"


def test_status_change_is_history_and_undo_reverses_it(store, world):
    later = Store(store.engine, clock=Clock.fixed_at("2026-11-25", tz=store.clock.tz), who="ana")
    later.change_deal_status(world["deal"], "Confirmed")
    deal = one(store, "deal", world["deal"])
    assert deal["status"] == "confirmed"
    assert deal["status_changed_at"] == "2026-11-25T20:00:00.000Z"
    history = rows(store, "change", entity="deal", field="status")
    assert [(json.loads(h["old"]), json.loads(h["new"])) for h in history] == [("prospecting", "confirmed")]
    assert rows(store, "command")[-1]["description"] == "Acme Corp / HelloHacks: Prospecting → Confirmed"
    assert rows(store, "command")[-1]["who"] == "ana"

    undone = store.undo()
    assert undone.description == "Acme Corp / HelloHacks: Prospecting → Confirmed"
    deal = one(store, "deal", world["deal"])
    assert (deal["status"], deal["status_changed_at"]) == ("prospecting", "2026-11-22T20:00:00.000Z")


def test_update_logs_only_changed_fields(store, world):
    store.update_partner(world["partner"], {"industry": "Tech", "name": "Acme Corp"})
    changes = rows(store, "change", entity="partner", op="update")
    assert {c["field"] for c in changes} == {"industry", "updated_at"}
    assert store.update_partner(world["partner"], {"industry": "Tech"}) == {}


def test_archive_and_restore(store, world):
    assert store.archive_partner(world["partner"]) is True
    assert one(store, "partner", world["partner"])["archived"] is True
    assert store.archive_partner(world["partner"]) is False  # already archived: no change
    store.restore_partner(world["partner"])
    assert one(store, "partner", world["partner"])["archived"] is False


def test_parent_cycles_are_refused(store):
    a = store.create_partner({"name": "A"})
    b = store.create_partner({"name": "B", "parent_id": a})
    c = store.create_partner({"name": "C", "parent_id": b})
    with pytest.raises(InvalidInput, match="own ancestor"):
        store.update_partner(a, {"parent_id": c})
    with pytest.raises(InvalidInput, match="own ancestor"):
        store.update_partner(a, {"parent_id": a})


def test_logging_an_activity_restarts_the_stale_clock_and_can_do_everything_in_one_save(store, world):
    fu = store.add_follow_up({"partner_id": world["partner"], "deal_id": world["deal"], "due_date": "2026-11-20"})
    assert one(store, "follow_up", fu)["event_id"] == world["event"]  # derived from the deal
    commands_before = count(store, "command")
    act = store.log_activity(
        {"partner_id": world["partner"], "deal_id": world["deal"], "channel": "Phone", "summary": "Agreed"},
        complete_follow_up=fu, next_follow_up="2026-11-29", status="confirmed",
    )
    assert count(store, "command") == commands_before + 1  # one save, one undo
    activity = one(store, "activity", act)
    assert (activity["channel"], activity["event_id"], activity["occurred_at"]) == ("call", world["event"], "2026-11-22T20:00:00.000Z")
    deal = one(store, "deal", world["deal"])
    assert (deal["status"], deal["last_activity_at"]) == ("confirmed", "2026-11-22T20:00:00.000Z")
    assert one(store, "follow_up", fu)["done_at"] == "2026-11-22T20:00:00.000Z"
    (nxt,) = rows(store, "follow_up", activity_id=act)
    assert (nxt["due_date"], nxt["deal_id"], nxt["done_at"]) == ("2026-11-29", world["deal"], None)

    store.undo()
    deal = one(store, "deal", world["deal"])
    assert (deal["status"], deal["last_activity_at"]) == ("prospecting", None)
    assert one(store, "follow_up", fu)["done_at"] is None
    assert rows(store, "activity") == [] and len(rows(store, "follow_up")) == 1


def test_activity_on_partner_and_event_touches_that_events_deals_only(store, world):
    other_event = store.create_event({"name": "Other", "year": 2027})
    other_deal = store.create_deal({"partner_id": world["partner"], "event_id": other_event})
    store.log_activity({"partner_id": world["partner"], "event_id": world["event"], "channel": "email",
                        "occurred_at": "2026-11-01T10:00:00.000Z"})
    assert one(store, "deal", world["deal"])["last_activity_at"] == "2026-11-01T10:00:00.000Z"
    assert one(store, "deal", other_deal)["last_activity_at"] is None
    # an older activity logged later does not move the clock back
    store.log_activity({"partner_id": world["partner"], "deal_id": world["deal"], "channel": "note",
                        "occurred_at": "2026-10-01T10:00:00.000Z"})
    assert one(store, "deal", world["deal"])["last_activity_at"] == "2026-11-01T10:00:00.000Z"


def test_deleting_an_activity_recomputes_the_stale_clock(store, world):
    first = store.log_activity({"partner_id": world["partner"], "deal_id": world["deal"], "channel": "call",
                                "occurred_at": "2026-10-01T10:00:00.000Z"})
    second = store.log_activity({"partner_id": world["partner"], "deal_id": world["deal"], "channel": "call",
                                 "occurred_at": "2026-11-01T10:00:00.000Z"})
    store.delete_activity(second)
    assert one(store, "deal", world["deal"])["last_activity_at"] == "2026-10-01T10:00:00.000Z"
    store.delete_activity(first)
    assert one(store, "deal", world["deal"])["last_activity_at"] is None
    store.undo()
    assert one(store, "deal", world["deal"])["last_activity_at"] == "2026-10-01T10:00:00.000Z"


def test_deleting_a_deal_takes_its_follow_ups_and_undo_brings_all_back(store, world):
    act = store.log_activity({"partner_id": world["partner"], "deal_id": world["deal"], "channel": "call"},
                             next_follow_up="2026-12-01")
    before = snapshot(store)
    store.delete_deal(world["deal"])
    assert rows(store, "deal") == [] and rows(store, "follow_up") == []
    assert one(store, "activity", act)["deal_id"] is None  # the activity stays, unlinked
    store.undo()
    assert snapshot(store) == before


def test_follow_up_complete_and_reschedule(store, world):
    fu = store.add_follow_up({"partner_id": world["partner"], "due_date": "2026-11-30", "note": "call back"})
    assert one(store, "follow_up", fu)["event_id"] is None  # general: no deal, no activity
    store.reschedule_follow_up(fu, "2026-12-07")
    assert one(store, "follow_up", fu)["due_date"] == "2026-12-07"
    with pytest.raises(InvalidInput, match="due_date"):
        store.reschedule_follow_up(fu, "2026-02-30")
    store.complete_follow_up(fu)
    assert one(store, "follow_up", fu)["done_at"] == "2026-11-22T20:00:00.000Z"


def test_annual_goal_set_change_and_clear(store):
    store.set_annual_goal(2026, "150000")
    assert one_goal(store) == [(2026, 15_000_000)]
    store.set_annual_goal(2026, 200000)
    assert one_goal(store) == [(2026, 20_000_000)]
    store.set_annual_goal(2026, None)
    assert one_goal(store) == []
    store.undo()
    assert one_goal(store) == [(2026, 20_000_000)]
    with pytest.raises(InvalidInput, match="year"):
        store.set_annual_goal(1900, 5)


def one_goal(store):
    return [(r["year"], r["goal_cents"]) for r in rows(store, "annual_goal")]


def test_settings_round_trip(store):
    assert store.get_setting("currency.code") == "CAD"  # the default
    store.set_setting("currency.code", "EUR")
    assert store.get_setting("currency.code") == "EUR"
    store.undo()
    assert store.get_setting("currency.code") == "CAD"


def test_undo_walks_back_one_command_at_a_time(store):
    a = store.create_partner({"name": "A"})
    store.update_partner(a, {"name": "A2"})
    assert store.undo().description == "Edit partner A"
    assert one(store, "partner", a)["name"] == "A"
    assert store.undo().description == "New partner A"
    assert rows(store, "partner") == []
    with pytest.raises(NothingToUndo):
        store.undo()  # the seeded statuses are not undoable


def test_undo_refuses_to_overwrite_a_later_change(store, world):
    store.update_partner(world["partner"], {"industry": "Tech"})
    # another window (or a sync) changes the same field without going through this stack
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE partner SET industry = 'Finance'"))
    with pytest.raises(UndoConflict, match="changed again"):
        store.undo()
    assert one(store, "partner", world["partner"])["industry"] == "Finance"


def test_a_failing_command_leaves_no_trace(store, world):
    before = (snapshot(store), count(store, "command"), count(store, "change"))
    with pytest.raises(RuntimeError):
        with store.command("test", "half a write") as uow:
            uow.update("partner", world["partner"], {"name": "Half"})
            raise RuntimeError("power cut")
    assert (snapshot(store), count(store, "command"), count(store, "change")) == before


def test_commands_inside_a_command_are_one_write_and_one_undo(store):
    partner = store.create_partner({"name": "Acme"})
    event = store.create_event({"name": "Hack", "year": 2026})
    with store.command("deal.create", "New deal"):
        deal = store.create_deal({"partner_id": partner, "event_id": event, "amount": 500})
        store.add_follow_up({"partner_id": partner, "deal_id": deal, "due_date": "2026-12-01"})
    with store.read() as conn:
        last = conn.exec_driver_sql("SELECT name, description FROM command ORDER BY id DESC LIMIT 1").one()
        commands = conn.exec_driver_sql("SELECT count(*) FROM command WHERE name = 'deal.create'").scalar()
    assert commands == 1
    assert last.name == "deal.create"
    assert "New deal" in last.description and "2026-12-01" in last.description
    undone = store.undo()
    assert "2026-12-01" in undone.description
    with store.read() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM deal").scalar() == 0
        assert conn.exec_driver_sql("SELECT count(*) FROM follow_up").scalar() == 0


def test_a_failure_inside_a_joined_command_rolls_back_all_of_it(store):
    partner = store.create_partner({"name": "Acme"})
    event = store.create_event({"name": "Hack", "year": 2026})
    with pytest.raises(InvalidInput):
        with store.command("deal.create", "New deal"):
            store.create_deal({"partner_id": partner, "event_id": event})
            store.add_follow_up({"partner_id": partner, "due_date": "2026-02-30"})
    with store.read() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM deal").scalar() == 0
