"""The Partners screen and the partner detail, driven by keys on the fixed sample data
(tests/ui/ui_sample.py) plus a few contacts, activities and a branch added here."""

from __future__ import annotations

import asyncio

import pytest

from partners_tui.screens.forms import ConfirmScreen, ContactForm, DealForm, PartnerForm
from partners_tui.screens.forms.partner_filter import PartnerFilterScreen
from partners_tui.screens.partner_detail import PartnerDetailScreen
from partners_tui.screens.partners import PartnersScreen
from partners_tui.store.queries.details import record
from partners_tui.widgets.record_list import RecordList

from ui_sample import pid

SIZE = (140, 45)


@pytest.fixture
def more(filled_store):
    s = filled_store
    s.create_contact({"partner_id": pid(1), "name": "Ann Lee", "title": "CMO", "email": "ann@acme.example",
                      "is_primary": True, "strength": 8, "influence": "decision_maker"}, id=pid(501))
    s.create_contact({"partner_id": pid(1), "name": "Raj Patel", "email": "raj@acme.example"}, id=pid(502))
    s.create_partner({"name": "Acme Labs", "parent_id": pid(1), "tags": "research"}, id=pid(6))
    s.update_partner(pid(2), {"tags": "finance, hiring", "is_alumni": True})
    s.log_activity({"partner_id": pid(1), "contact_id": pid(501), "channel": "email",
                    "subject": "Sponsorship deck", "occurred_at": "2026-11-19T17:00:00.000Z"}, id=pid(402))
    return s


async def settle(app, pilot) -> None:
    for _ in range(3):
        while any(w.is_running or w.state.name == "PENDING" for w in app.workers):
            await asyncio.sleep(0.01)
        await pilot.pause()


async def open_partners(app, pilot) -> PartnersScreen:
    await pilot.pause()
    await pilot.press("3")
    await settle(app, pilot)
    assert isinstance(app.screen, PartnersScreen)
    return app.screen


def listed(screen) -> list[str]:
    listing = screen.query_one("#partners", RecordList)
    return [listing.text(k, "name") for k in listing.keys]


async def test_list_search_and_summary(more, filled_app):
    app = filled_app
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_partners(app, pilot)
        assert listed(screen) == ["Acme Analytics", "Acme Labs", "Globex Foundation", "Initech",
                                  "Northwind Ventures", "Umbrella Health"]
        assert str(screen.query_one("#partners-summary").content).startswith("6 partners")
        await pilot.press("slash", *"raj@")  # a contact's email
        await settle(app, pilot)
        assert listed(screen) == ["Acme Analytics"]
        assert str(screen.query_one("#partners-summary").content).startswith("1 partner match")
        await pilot.press("escape")
        await settle(app, pilot)
        assert len(listed(screen)) == 6
        assert screen.query_one("#partners", RecordList).has_focus
        row = screen.query_one("#partners", RecordList).row(pid(1))
        assert row["contact"] == "Ann Lee" and row["deals"] == "2"
        assert "alumni" in screen.query_one("#partners", RecordList).text(pid(2), "badges")


async def test_filters_dialog_and_clear(more, filled_app):
    app = filled_app
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_partners(app, pilot)
        await pilot.press("f")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, PartnerFilterScreen)
        dialog.query_one("#field-tag").set_value("hiring")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert listed(screen) == ["Northwind Ventures"]
        assert "tag hiring" in str(screen.query_one("#partner-filter-text").content)
        await pilot.press("f")
        await pilot.pause()
        app.screen.query_one("#field-tag").set_value(None)
        app.screen.query_one("#field-status").set_value("pitched")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert listed(screen) == ["Globex Foundation"]
        await pilot.press("c")
        await settle(app, pilot)
        assert len(listed(screen)) == 6


async def test_paging_loads_more_as_the_cursor_nears_the_end(filled_store, clock):
    from partners_tui.app import make_app

    for i in range(150):
        filled_store.create_partner({"name": f"Bulk {i:03d}"})
    app = make_app(filled_store, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_partners(app, pilot)
        listing = screen.query_one("#partners", RecordList)
        first = listing.row_count
        assert first == screen.page_size < 155
        assert "155 partners" in str(screen.query_one("#partners-summary").content)
        await pilot.press("end")
        await settle(app, pilot)
        assert listing.row_count > first
        await pilot.press("end")
        await settle(app, pilot)
        assert listing.row_count == 155
        assert listed(screen)[-1] == "Umbrella Health"


async def test_enter_opens_the_detail_with_contacts_deals_timeline_and_tree(more, filled_app):
    app = filled_app
    async with app.run_test(size=SIZE) as pilot:
        await open_partners(app, pilot)
        await pilot.press("enter")  # Acme Analytics
        await settle(app, pilot)
        detail = app.screen
        assert isinstance(detail, PartnerDetailScreen) and detail.partner_id == pid(1)
        contacts = detail.query_one("#contacts")
        assert contacts.get_row_at(0)[0].plain == "Ann Lee ★"
        # Deals across events, newest event first: Blueprint 2027 then the Hackathon.
        deals = detail.query_one("#p-deals")
        assert [deals.get_row_at(i)[0].plain for i in range(deals.row_count)] == [
            "Blueprint Conference 2027", "BizTech Hackathon 2026"]
        # Committed 8,000 + 5,000; secured 5,000 (confirmed); open 8,000 (reached out).
        assert str(detail.query_one("#deal-summary").content) == (
            "2 deals · committed $13,000 · secured $5,000 · open $8,000")
        timeline = detail.query_one("#timeline")
        assert timeline.row_count == 2  # the sample's call (today) and the email (11-19)
        assert "Sponsorship deck" in timeline.get_row_at(1)[4].plain
        related = detail.query_one("#related")
        assert related.get_row_at(0)[1].plain == "Acme Labs"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PartnersScreen)


async def test_open_partner_retargets_and_tree_navigation(more, filled_app):
    app = filled_app
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.open_partner(pid(6))  # before the Partners screen was ever shown
        await settle(app, pilot)
        detail = app.screen
        assert isinstance(detail, PartnerDetailScreen) and detail.partner_id == pid(6)
        detail.query_one("#related").focus()
        await pilot.press("enter")  # the parent
        await settle(app, pilot)
        assert app.screen.partner_id == pid(1) and app.screen is not detail
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is detail
        await pilot.press("1")
        await pilot.pause()
        app.open_partner(pid(4))
        await settle(app, pilot)
        assert app.screen is detail and detail.partner_id == pid(4)
        assert "Initech" in str(detail.query_one("#partner-head").content)


async def test_detail_keys_open_forms_for_the_focused_table(more, filled_app):
    app = filled_app
    async with app.run_test(size=SIZE) as pilot:
        app.open_partner(pid(1))
        await settle(app, pilot)
        detail = app.screen
        detail.query_one("#contacts").focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ContactForm) and app.screen.contact_id == pid(501)
        await pilot.press("escape")
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ContactForm) and app.screen.contact_id is None
        await pilot.press("escape")
        detail.query_one("#p-deals").focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DealForm) and app.screen.deal_id == pid(204)
        await pilot.press("escape")
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, PartnerForm) and app.screen.partner_id == pid(1)


async def test_new_contact_shows_in_the_detail(more, filled_app):
    app = filled_app
    async with app.run_test(size=SIZE) as pilot:
        app.open_partner(pid(3))
        await settle(app, pilot)
        detail = app.screen
        await pilot.press("c")
        await pilot.pause()
        await pilot.press(*"Mary Poppins")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is detail
        assert detail.query_one("#contacts").get_row_at(0)[0].plain == "Mary Poppins"


async def test_delete_activity_is_confirmed_and_undoable(more, filled_app):
    app = filled_app
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        app.open_partner(pid(1))
        await settle(app, pilot)
        detail = app.screen
        timeline = detail.query_one("#timeline")
        timeline.focus()
        timeline.move_cursor(row=1)
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen) and "Sponsorship deck" in app.screen.message
        await pilot.press("y")
        await settle(app, pilot)
        assert record(app.store, "activity", pid(402)) is None
        assert timeline.row_count == 1
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert record(app.store, "activity", pid(402)) is not None
        assert timeline.row_count == 2
        # A contact cannot be hard-deleted: only archived.
        detail.query_one("#contacts").focus()
        await pilot.press("delete")
        await pilot.pause()
        assert app.screen is detail
        assert any("Only a deal or an activity" in n.message for n in app._notifications)


async def test_archive_partner_and_contact_with_confirmation(more, filled_app):
    app = filled_app
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_partners(app, pilot)
        await pilot.press("down", "down", "a")  # Globex Foundation
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen) and "Archive Globex" in app.screen.message
        await pilot.press("y")
        await settle(app, pilot)
        assert record(app.store, "partner", pid(3))["archived"]
        assert "Globex Foundation" not in listed(screen)
        app.open_partner(pid(1))
        await settle(app, pilot)
        detail = app.screen
        detail.query_one("#contacts").focus()
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        assert record(app.store, "contact", pid(501))["archived"]
        assert "(archived)" in detail.query_one("#contacts").get_row_at(1)[0].plain


async def test_keys_are_in_the_footer_and_palette(filled_app):
    app = filled_app
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_partners(app, pilot)
        shown = {b.key for _, b in screen._bindings if b.show}
        assert {"n", "e", "a", "slash", "f"} <= shown
        titles = {c.title for c in app.get_system_commands(screen)}
        assert {"New", "Edit", "Archive", "Search", "Filters", "Clear filters"} <= titles
        app.open_partner(pid(1))
        await settle(app, pilot)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Edit", "Contact", "New deal", "Log", "Archive", "Back", "Delete"} <= titles


async def test_markup_in_names_renders_literally(more, filled_app):
    app = filled_app
    app.store.update_partner(pid(1), {"name": "[bold]Acme[/]", "notes": "see [link=x]"})
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_partners(app, pilot)
        assert listed(screen)[0] == "Acme Labs" or "[bold]Acme[/]" in listed(screen)
        app.open_partner(pid(1))
        await settle(app, pilot)
        head = str(app.screen.query_one("#partner-head").content)
        assert "[bold]Acme[/]" in head and "see [link=x]" in head
