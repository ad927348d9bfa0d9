"""The record forms, driven by keys: each form's happy path, and each validation rule showing its
message next to the field it concerns (nothing saved), plus the duplicate-deal warning that does
not stop a save."""

from __future__ import annotations

import pytest

from partners_tui.screens.forms import (
    ActivityForm, ContactForm, DealForm, EventForm, PartnerForm, PartnerPickerScreen,
)
from partners_tui.screens.forms.base import FormScreen
from partners_tui.store.queries.details import next_follow_up, record
from partners_tui.store.queries.lists import PartnerFilter, search_partners

from ui_sample import pid

SIZE = (140, 45)


async def open_form(app, pilot, form: FormScreen) -> FormScreen:
    await pilot.pause()
    app.push_screen(form)
    await pilot.pause()
    assert app.screen is form
    return form


async def type_into(pilot, form: FormScreen, field: str, text: str) -> None:
    """Focus the field, clear it, and type `text` key by key, as a person would."""
    f = form.fields[field]
    f.focus_control()
    f.set_value("")
    await pilot.pause()
    if text:
        await pilot.press(*text)


async def save(pilot) -> None:
    await pilot.press("ctrl+s")
    await pilot.pause()


def sql(store, statement: str, params: tuple = ()) -> list:
    with store.read() as conn:
        return conn.exec_driver_sql(statement, params).all()


def message(form: FormScreen, field: str) -> str:
    return form.fields[field].message


def partner_named(store, name: str):
    page = search_partners(store, PartnerFilter(text=name, archived="include"))
    return next((r for r in page.rows if r.name == name), None)


# --- partner -------------------------------------------------------------------------------


async def test_partner_form_from_the_partners_screen(filled_app):
    app = filled_app
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("3")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, PartnerForm)
        await pilot.press(*"Wayne Enterprises")
        await type_into(pilot, form, "tags", "hiring, gotham")
        form.fields["is_alumni"].focus_control()
        await pilot.press("space")
        await save(pilot)
        assert not isinstance(app.screen, PartnerForm)
        row = partner_named(app.store, "Wayne Enterprises")
        assert row is not None and row.is_alumni and row.tags == "hiring, gotham"
        assert any("Added partner Wayne Enterprises" in n.message for n in app._notifications)


async def test_partner_name_is_required_and_the_message_sits_by_the_field(filled_app):
    app = filled_app
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(app, pilot, PartnerForm())
        await save(pilot)
        assert app.screen is form  # nothing saved, the form stays open
        assert message(form, "name") == "is required"
        assert form.fields["name"].has_class("-error")
        await pilot.press(*"X")  # typing answers the message
        assert message(form, "name") == ""


async def test_partner_edit_and_parent_picker(filled_app):
    app = filled_app
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(app, pilot, PartnerForm(pid(4)))
        assert form.fields["name"].value == "Initech"
        form.fields["parent_id"].focus_control()
        await pilot.press("enter")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, PartnerPickerScreen)
        await pilot.press(*"acme")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is form
        assert form.fields["parent_id"].value == pid(1)
        await save(pilot)
        assert record(app.store, "partner", pid(4))["parent_id"] == pid(1)


# --- contact -------------------------------------------------------------------------------


async def test_contact_form_happy_path(filled_app):
    app = filled_app
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(app, pilot, ContactForm(pid(1)))
        await type_into(pilot, form, "name", "Lucius Fox")
        await type_into(pilot, form, "email", "lucius@acme.example")
        await type_into(pilot, form, "strength", "8")
        await save(pilot)
        assert app.screen is not form
        page = search_partners(app.store, PartnerFilter(text="lucius@acme"))
        assert [r.name for r in page.rows] == ["Acme Analytics"]


@pytest.mark.parametrize(
    "field, text, expected",
    [
        ("email", "not-an-email", "'not-an-email' is not an email address"),
        ("strength", "11", "must be between 1 and 10"),
        ("name", "", "is required"),
    ],
)
async def test_contact_form_rules(filled_app, field, text, expected):
    app = filled_app
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(app, pilot, ContactForm(pid(1)))
        if field != "name":
            await type_into(pilot, form, "name", "Someone")
        await type_into(pilot, form, field, text)
        await save(pilot)
        assert app.screen is form
        assert message(form, field) == expected


async def test_a_field_is_judged_when_left(filled_app):
    app = filled_app
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(app, pilot, ContactForm(pid(1)))
        form.fields["strength"].set_value("99")  # filled in, but the cursor never went there
        await type_into(pilot, form, "email", "bad@")  # leaves the name box (focused first)
        assert message(form, "email") == ""  # not while typing
        await pilot.press("tab")
        await pilot.pause()
        assert message(form, "email") == "'bad@' is not an email address"
        assert message(form, "name") == "is required"  # visited and left empty
        assert message(form, "strength") == ""  # never visited: not judged yet
        await save(pilot)
        assert message(form, "strength") == "must be between 1 and 10"  # saving judges all


# --- event ---------------------------------------------------------------------------------


async def test_event_form_happy_path_with_tier_presets(filled_app):
    app = filled_app
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, EventForm)
        await pilot.press(*"Robotics Open")
        await type_into(pilot, form, "year", "2027")
        await type_into(pilot, form, "outreach_start", "2027-01-10")
        await type_into(pilot, form, "start_date", "2027-03-01")
        await type_into(pilot, form, "end_date", "2027-03-02")
        await type_into(pilot, form, "goal", "12,500.50")
        await type_into(pilot, form, "tier_presets", "Gold = 5000")
        await pilot.press("enter", *"Silver: 2500.25")
        await save(pilot)
        assert app.screen is not form
        events = sql(app.store, "SELECT name, goal_cents, tier_presets FROM event WHERE name = 'Robotics Open'")
        assert events[0][1] == 1_250_050
        assert '"label": "Silver", "amount_cents": 250025' in events[0][2]


@pytest.mark.parametrize(
    "values, field, expected",
    [
        ({"year": ""}, "year", "is required"),
        ({"year": "1999"}, "year", "must be between 2000 and 2100"),
        ({"year": "2101"}, "year", "must be between 2000 and 2100"),
        ({"start_date": "2026-02-30"}, "start_date", "'2026-02-30' is not a real calendar date"),
        ({"end_date": "next tuesday"}, "end_date", "'next tuesday' is not a date (use YYYY-MM-DD)"),
        ({"start_date": "2026-05-02", "end_date": "2026-05-01"}, "end_date",
         "2026-05-01 is before the start date 2026-05-02"),
        ({"outreach_start": "2026-06-01", "end_date": "2026-05-01"}, "outreach_start",
         "2026-06-01 is after the end date 2026-05-01"),
        ({"goal": "-5"}, "goal", "must be 0 or more"),
        ({"goal": "10.555"}, "goal", "has more than 2 decimals"),
        ({"goal": "lots"}, "goal", "'lots' is not an amount"),
        ({"tier_presets": "Gold = 5.001"}, "tier_presets", "tier 1 (Gold) amount has more than 2 decimals"),
        ({"tier_presets": "\n".join(f"T{i} = {i}" for i in range(13))}, "tier_presets",
         "has 13 tiers; at most 12 are allowed"),
    ],
)
async def test_event_form_rules(filled_app, values, field, expected):
    app = filled_app
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(app, pilot, EventForm())
        await type_into(pilot, form, "name", "Test Event")
        for name, text in values.items():
            if name == "tier_presets":
                form.fields[name].set_value(text)
            else:
                await type_into(pilot, form, name, text)
        await save(pilot)
        assert app.screen is form
        assert message(form, field) == expected


async def test_event_edit_keeps_presets_and_archive_needs_confirmation(filled_app):
    app = filled_app
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        form = await open_form(app, pilot, EventForm(pid(101)))
        assert form.fields["goal"].value == "25000"
        await type_into(pilot, form, "goal", "30000")
        await save(pilot)
        assert record(app.store, "event", pid(101))["goal_cents"] == 3_000_000


# --- deal ----------------------------------------------------------------------------------


@pytest.fixture
def presets(filled_store):
    filled_store.update_event(pid(101), {"tier_presets": [
        {"label": "Gold", "amount": 5000}, {"label": "Silver", "amount": 2500}]})
    return filled_store


async def choose(pilot, form: FormScreen, field: str, label_start: str) -> None:
    """Open a drop-down by keys and pick the option whose label starts with `label_start`."""
    from textual.widgets import Select

    f = form.fields[field]
    f.focus_control()
    await pilot.press("enter")
    await pilot.pause()
    select = f.query_one(Select)
    options = [str(text) for text, _ in select._options]
    target = next(i for i, text in enumerate(options) if text.startswith(label_start))
    current = select.query_one("SelectOverlay").highlighted or 0
    key = "down" if target > current else "up"
    for _ in range(abs(target - current)):
        await pilot.press(key)
    await pilot.press("enter")
    await pilot.pause()


async def test_deal_form_preset_fills_amount_and_follow_up_is_scheduled(presets, filled_app):
    app = filled_app
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(app, pilot, DealForm(partner_id=pid(3), event_id=pid(101)))
        await choose(pilot, form, "tier_preset", "Silver")
        assert form.fields["amount"].value == "2500"
        assert form.fields["package_tier"].value == "Silver"
        await type_into(pilot, form, "role", "Judge")
        await type_into(pilot, form, "next_follow_up", "+1w")
        await save(pilot)
        assert app.screen is not form
        deals = sql(app.store, "SELECT id, amount_cents, package_tier, role FROM deal "
                    "WHERE partner_id = ? AND role = 'Judge'", (pid(3),))
        assert [(d[1], d[2]) for d in deals] == [(250_000, "Silver")]
        # 2026-11-22 + 1 week = 2026-11-29.
        assert next_follow_up(app.store, deals[0][0]).due_date == "2026-11-29"


async def test_deal_edit_clears_amount_and_follow_up(filled_app):
    app = filled_app
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(app, pilot, DealForm(pid(202)))
        assert form.fields["amount"].value == "3000"
        assert form.fields["next_follow_up"].value == "2026-11-18"  # overdue, kept as is
        await type_into(pilot, form, "amount", "")
        await type_into(pilot, form, "next_follow_up", "")
        await save(pilot)
        assert app.screen is not form
        assert record(app.store, "deal", pid(202))["amount_cents"] is None
        assert next_follow_up(app.store, pid(202)) is None
        assert record(app.store, "follow_up", pid(301))["archived"]  # cleared, not deleted


@pytest.mark.parametrize(
    "field, text, expected",
    [
        ("amount", "-1", "must be 0 or more"),
        ("amount", "99.999", "has more than 2 decimals"),
        ("expected_close", "2026-13-01", "'2026-13-01' is not a real calendar date"),
        ("probability_override", "101", "must be between 0 and 100"),
        ("next_follow_up", "someday", "'someday' is not a date: use +2d, +1w, next week, a weekday such as friday, or YYYY-MM-DD"),
        ("next_follow_up", "2026-11-01", "2026-11-01 is in the past"),
    ],
)
async def test_deal_form_rules(filled_app, field, text, expected):
    app = filled_app
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(app, pilot, DealForm(partner_id=pid(3), event_id=pid(102)))
        await type_into(pilot, form, field, text)
        await save(pilot)
        assert app.screen is form
        assert message(form, field) == expected


async def test_deal_form_needs_a_partner_and_an_event(filled_app):
    app = filled_app
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(app, pilot, DealForm())
        await save(pilot)
        assert app.screen is form
        assert message(form, "partner_id") == "is required"
        assert message(form, "event_id") == "is required"


async def test_second_deal_with_same_partner_event_and_role_is_warned_not_refused(filled_app):
    app = filled_app
    store = app.store
    store.update_deal(pid(201), {"role": "Sponsor"})
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(app, pilot, DealForm(partner_id=pid(1), event_id=pid(101)))
        await type_into(pilot, form, "role", "Mentor")
        await pilot.pause()
        warning = form.query_one("#form-warning")
        assert not warning.has_class("-shown")
        await type_into(pilot, form, "role", "sponsor")
        await pilot.pause()
        assert warning.has_class("-shown")
        assert "already has a sponsor deal for BizTech Hackathon 2026" in str(warning.content)
        await save(pilot)
        assert app.screen is not form  # saved anyway
        n = sql(store, "SELECT count(*) FROM deal WHERE partner_id = ? AND event_id = ?", (pid(1), pid(101)))
        assert n[0][0] == 2


# --- activity ------------------------------------------------------------------------------


async def test_activity_form_logs_with_next_follow_up_in_one_undo(filled_app):
    app = filled_app
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        form = await open_form(app, pilot, ActivityForm(partner_id=pid(2), deal_id=pid(202)))
        await choose(pilot, form, "channel", "Call")
        await type_into(pilot, form, "date", "2026-11-21")
        await type_into(pilot, form, "time", "9:30")
        await type_into(pilot, form, "subject", "Budget call")
        await type_into(pilot, form, "next_follow_up", "2026-12-01")
        await save(pilot)
        assert app.screen is not form
        rows = sql(app.store, "SELECT id, channel, occurred_at, event_id FROM activity "
                   "WHERE subject = 'Budget call'")
        # 09:30 in Vancouver on 2026-11-21 (PST, UTC-8) is 17:30 UTC.
        assert [(r[1], r[2], r[3]) for r in rows] == [("call", "2026-11-21T17:30:00.000Z", pid(101))]
        assert any("Logged the call" in n.message for n in app._notifications)
        await pilot.press("ctrl+z")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert record(app.store, "activity", rows[0][0]) is None  # one undo took both back
        assert next_follow_up(app.store, pid(202)).due_date == "2026-11-18"


@pytest.mark.parametrize(
    "field, text, expected",
    [
        ("date", "2026-02-29", "'2026-02-29' is not a real calendar date"),
        ("date", "", "is required"),
        ("time", "25:00", "'25:00' is not a time (use HH:MM, 24 hours)"),
    ],
)
async def test_activity_form_rules(filled_app, field, text, expected):
    app = filled_app
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(app, pilot, ActivityForm(partner_id=pid(2)))
        await type_into(pilot, form, field, text)
        await save(pilot)
        assert app.screen is form
        assert message(form, field) == expected


async def test_activity_form_needs_a_partner(filled_app):
    app = filled_app
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(app, pilot, ActivityForm())
        await save(pilot)
        assert message(form, "partner_id") == "is required"


async def test_escape_cancels_without_saving(filled_app):
    app = filled_app
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(app, pilot, PartnerForm())
        await pilot.press(*"Never Saved")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is not form
        assert partner_named(app.store, "Never Saved") is None


async def test_markup_in_names_renders_literally_in_forms(filled_app):
    app = filled_app
    app.store.update_partner(pid(1), {"name": "[bold]Acme[/]"})
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(app, pilot, ContactForm(pid(1)))
        assert form.fields["partner"].value == "[bold]Acme[/]"
        await save(pilot)
        assert message(form, "name") == "is required"
