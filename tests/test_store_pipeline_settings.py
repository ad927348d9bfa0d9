"""Pipeline editing guard rails and team settings."""

import datetime as dt

import pytest
from sqlalchemy import select

from partners_tui.store.changelog import CHANGE, table
from partners_tui.store.settings import snooze_date
from partners_tui.store.validate import InvalidInput


def statuses(store):
    st = table("status")
    with store.read() as conn:
        return [dict(r) for r in conn.execute(select(st).order_by(st.c.position)).mappings()]


def keys(store):
    return [s["key"] for s in statuses(store)]


def deal_statuses(store):
    d = table("deal")
    with store.read() as conn:
        return sorted(conn.execute(select(d.c.status)).scalars())


@pytest.fixture
def deals(store):
    p = store.create_partner({"name": "Acme"})
    e = store.create_event({"name": "E", "year": 2026})
    return [store.create_deal({"partner_id": p, "event_id": e, "status": s}) for s in ("pitched", "pitched", "shortlist")]


def test_add_custom_status_goes_after_the_open_steps(store):
    key = store.add_status({"label": "Waiting Contract", "probability": 70})
    assert key == "waiting_contract"
    assert keys(store)[6:8] == ["waiting_contract", "confirmed"]
    added = statuses(store)[6]
    assert (added["probability"], added["secured"], added["closed"], added["stale_after_days"]) == (70, False, False, 14)
    with pytest.raises(InvalidInput, match="already exists"):
        store.add_status({"label": "waiting contract", "probability": 10})


def test_rename_changes_the_label_never_the_key(store, deals):
    store.update_status("pitched", {"label": "Proposal Sent", "probability": 25})
    pitched = next(s for s in statuses(store) if s["key"] == "pitched")
    assert (pitched["label"], pitched["probability"]) == ("Proposal Sent", 25)
    with pytest.raises(InvalidInput, match="key never changes"):
        store.update_status("pitched", {"key": "proposal"})
    with pytest.raises(InvalidInput, match="probability: must be between 0 and 100"):
        store.update_status("pitched", {"probability": 101})


def test_reorder(store):
    store.move_status("backed_out", 0)
    assert keys(store)[:2] == ["backed_out", "prospecting"]
    assert [s["position"] for s in statuses(store)] == list(range(10))
    store.undo()
    assert keys(store)[0] == "prospecting"


def test_merge_moves_deals_and_removes_the_status(store, deals):
    assert store.merge_status("pitched", "shortlist") == 2
    assert deal_statuses(store) == ["shortlist"] * 3
    assert "pitched" not in keys(store)
    store.undo()
    assert deal_statuses(store) == ["pitched", "pitched", "shortlist"]
    assert "pitched" in keys(store)


def test_a_status_in_use_cannot_be_deleted(store, deals):
    with pytest.raises(InvalidInput, match="used by 2 deal"):
        store.delete_status("pitched")
    store.delete_status("prospecting")  # unused
    assert "prospecting" not in keys(store)


@pytest.mark.parametrize(
    "action, message",
    [
        (lambda s: [s.archive_status("paid"), s.archive_status("confirmed")], "one secured status"),
        (lambda s: [s.archive_status("declined"), s.archive_status("backed_out")], "one lost status"),
        (lambda s: [s.update_status("declined", {"closed": False}), s.update_status("backed_out", {"secured": True})], "one lost status"),
        (lambda s: [s.delete_status(k) for k in ("prospecting", "reached_out", "pitched", "shortlist", "in_conversation", "followed_up")], "one open status"),
    ],
)
def test_guard_rails_keep_open_secured_and_lost(store, action, message):
    with pytest.raises(InvalidInput, match=message):
        action(store)
    # the command that broke the rule changed nothing; earlier ones stay
    active = [s for s in statuses(store) if not s["archived"]]
    assert any(s["secured"] for s in active)
    assert any(s["closed"] and not s["secured"] for s in active)
    assert any(not s["secured"] and not s["closed"] for s in active)


def test_settings_have_defaults_and_validate(store):
    assert store.settings() == {
        "currency.code": "CAD", "currency.symbol": "$", "time_zone": "", "week.first_day": "monday",
        "follow_up.window_days": 21, "follow_up.snooze_choices": ["+2d", "+1w", "+2w", "next week"],
    }
    store.set_setting("currency.code", "eur")
    store.set_setting("follow_up.window_days", "30")
    store.set_setting("time_zone", "Europe/Paris")
    store.set_setting("week.first_day", "Sun")
    settings = store.settings()
    assert (settings["currency.code"], settings["follow_up.window_days"], settings["time_zone"], settings["week.first_day"]) == (
        "EUR", 30, "Europe/Paris", "sunday")
    for key, value, message in [
        ("currency.code", "dollars", "three-letter currency code"),
        ("follow_up.window_days", 91, "between 7 and 90"),
        ("time_zone", "Vancouver", "did you mean America/Vancouver"),
        ("follow_up.snooze_choices", "+2d, tomorrow", "'tomorrow' is not a snooze choice"),
        ("colour", "blue", "is not a setting"),
    ]:
        with pytest.raises(InvalidInput, match=message):
            store.set_setting(key, value)


def test_the_configured_time_zone_decides_today(db_path):
    from partners_tui.store.commands import Store

    store = Store.open(db_path)
    store.set_setting("time_zone", "Pacific/Kiritimati")  # UTC+14
    store.close()
    store = Store.open(db_path)
    assert store.clock.tz == "Pacific/Kiritimati"
    # 2026-11-22 20:00 UTC is already 2026-11-23 in Kiritimati
    assert store.clock.local_date("2026-11-22T20:00:00.000Z") == dt.date(2026, 11, 23)
    store.close()


def test_snooze_shortcuts():
    sunday = dt.date(2026, 11, 22)
    assert sunday.weekday() == 6
    assert snooze_date("+2d", sunday) == dt.date(2026, 11, 24)
    assert snooze_date("+1w", sunday) == dt.date(2026, 11, 29)
    assert snooze_date("next monday", sunday) == dt.date(2026, 11, 23)
    assert snooze_date("next sunday", sunday) == dt.date(2026, 11, 29)  # never today
    assert snooze_date("next week", sunday, first_day="sunday") == dt.date(2026, 11, 29)


def test_two_statuses_cannot_share_a_name(store):
    with pytest.raises(InvalidInput, match="already the name of status Pitched"):
        store.update_status("prospecting", {"label": "pitched"})
    with pytest.raises(InvalidInput, match="a status with that key already exists"):
        store.add_status({"label": "SHORTLIST ", "probability": 10})
    store.update_status("pitched", {"label": "Proposal Sent"})
    with pytest.raises(InvalidInput, match="already the name of status Proposal Sent"):
        store.add_status({"label": "proposal  sent", "probability": 10})
    # "Pitched" would now be a new label, but its slug is still the key of Proposal Sent
    with pytest.raises(InvalidInput, match="already exists"):
        store.add_status({"label": "Pitched", "probability": 10})
    store.update_status("pitched", {"label": "proposal sent", "probability": 25})  # its own name
    assert next(s for s in statuses(store) if s["key"] == "pitched")["label"] == "proposal sent"


def test_merge_refuses_an_archived_target(store, deals):
    store.archive_status("shortlist")
    with pytest.raises(InvalidInput, match="Shortlist is archived"):
        store.merge_status("pitched", "shortlist")
    assert deal_statuses(store) == ["pitched", "pitched", "shortlist"]


def test_merge_logs_every_moved_deal_and_keeps_its_clock(store, deals):
    d = table("deal")
    with store.read() as conn:
        before = {r.id: r.updated_at for r in conn.execute(select(d.c.id, d.c.updated_at))}
    store.merge_status("pitched", "in_conversation")
    with store.read() as conn:
        after = {r.id: (r.status, r.updated_at) for r in conn.execute(select(d.c.id, d.c.status, d.c.updated_at))}
        logged = conn.execute(
            select(CHANGE.c.entity_id).where(CHANGE.c.entity == "deal", CHANGE.c.field == "status")
        ).scalars().all()
    assert sorted(logged) == sorted(deals[:2])
    assert {k: v[1] for k, v in after.items()} == before  # a re-labelling, not an edit
    assert sorted(v[0] for v in after.values()) == ["in_conversation", "in_conversation", "shortlist"]
    store.undo()
    assert deal_statuses(store) == ["pitched", "pitched", "shortlist"]
