"""The Events screen and the event detail, driven by keys on the fixed sample data
(tests/ui/ui_sample.py: three events, 2025's archived; six deals; four follow-ups)."""

from __future__ import annotations

import asyncio
import io

from rich.console import Console

from partners_tui.screens.event_detail import EventDetailScreen
from partners_tui.screens.events import EventsScreen
from partners_tui.screens.forms import ChooseScreen, ConfirmScreen, DealForm, EventForm
from partners_tui.screens.help import HelpScreen
from partners_tui.store.queries.details import record

from ui_sample import pid

SIZE = (140, 45)


async def settle(app, pilot) -> None:
    """Let the screens' read workers finish (a superseded one is cancelled, so do not use
    `wait_for_complete`, which raises for those) and their results land."""
    for _ in range(3):
        while any(w.is_running or w.state.name == "PENDING" for w in app.workers):
            await asyncio.sleep(0.01)
        await pilot.pause()


def table_keys(screen, selector: str) -> list[str]:
    table = screen.query_one(selector)
    return [table.coordinate_to_cell_key((i, 0)).row_key.value for i in range(table.row_count)]


def cell_text(screen, selector: str, row: int, column: int) -> str:
    return screen.query_one(selector).get_row_at(row)[column].plain


async def open_events(app, pilot) -> EventsScreen:
    await pilot.pause()
    await pilot.press("2")
    await settle(app, pilot)
    assert isinstance(app.screen, EventsScreen)
    return app.screen


async def test_list_shows_visible_events_newest_first_with_pace(filled_app):
    app = filled_app
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_events(app, pilot)
        assert table_keys(screen, "#events") == [pid(102), pid(101)]  # 2025's is archived
        # Hackathon: secured = confirmed 5,000 of the 25,000 goal = 20%.
        row = screen.query_one("#events").get_row(pid(101))
        assert "Hackathon" in row[0].plain and row[4].plain == "$5,000"
        assert "20%" in row[5].plain
        await pilot.press("x")  # show archived
        await settle(app, pilot)
        assert table_keys(screen, "#events") == [pid(102), pid(101), pid(103)]
        assert "archived" in screen.query_one("#events").get_row(pid(103))[8].plain


async def test_search_and_year_filter(filled_app):
    app = filled_app
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_events(app, pilot)
        await pilot.press("slash", *"blue")
        await settle(app, pilot)
        assert table_keys(screen, "#events") == [pid(102)]
        await pilot.press("escape")  # clears the search, back to the table
        await settle(app, pilot)
        assert table_keys(screen, "#events") == [pid(102), pid(101)]
        assert screen.query_one("#events").has_focus
        await pilot.press("y")
        await pilot.pause()
        await pilot.press("down", "down", "enter")  # All years, 2027, 2026
        await settle(app, pilot)
        assert screen.year == 2026
        assert table_keys(screen, "#events") == [pid(101)]


async def test_enter_opens_the_detail_and_escape_returns(filled_app):
    app = filled_app
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_events(app, pilot)
        await pilot.press("down", "enter")
        await settle(app, pilot)
        detail = app.screen
        assert isinstance(detail, EventDetailScreen) and detail.event_id == pid(101)
        # Committed = 5,000 + 3,000 + 2,500; secured 5,000; open 3,000 + 2,500.
        assert "$10,500" in str(detail.query_one("#tile-committed").content)
        assert "$5,000" in str(detail.query_one("#tile-secured").content)
        assert "$5,500" in str(detail.query_one("#tile-open").content)
        # Pressure: 11-18 overdue, 11-22 due today (inside the window).
        pressure = str(detail.query_one("#pressure").content)
        assert "1 overdue" in pressure and "1 due in 21 days" in pressure
        assert table_keys(detail, "#deals") == [pid(201), pid(203), pid(202)]  # by partner
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


async def test_open_event_from_elsewhere_shows_and_retargets_the_detail(filled_app):
    app = filled_app
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.open_event(pid(101))  # as the Overview scoreboard does, before Events was ever shown
        await settle(app, pilot)
        assert isinstance(app.screen, EventDetailScreen) and app.screen.event_id == pid(101)
        await pilot.press("1")
        await pilot.pause()
        app.open_event(pid(102))  # the detail is still on top of the Events mode
        await settle(app, pilot)
        assert isinstance(app.screen, EventDetailScreen) and app.screen.event_id == pid(102)
        assert "Blueprint" in str(app.screen.query_one("#event-head").content)


async def test_deals_sort_by_any_column(filled_app):
    app = filled_app
    async with app.run_test(size=SIZE) as pilot:
        app.open_event(pid(101))
        await settle(app, pilot)
        detail = app.screen
        await pilot.press("o")  # partner → contact
        await pilot.press("o", "o", "o", "o")  # status, tier, role, amount
        await settle(app, pilot)
        assert detail.sort == "amount"
        assert table_keys(detail, "#deals") == [pid(203), pid(202), pid(201)]  # 2,500 3,000 5,000
        await pilot.press("O")
        await settle(app, pilot)
        assert table_keys(detail, "#deals") == [pid(201), pid(202), pid(203)]
        assert "Amount ▼" in str(detail.query_one("#deals").columns[detail.query_one("#deals").ordered_columns[5].key].label)


async def test_new_deal_from_the_event_and_status_change(filled_app):
    app = filled_app
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        app.open_event(pid(101))
        await settle(app, pilot)
        detail = app.screen
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, DealForm) and form.fields["event_id"].value == pid(101)
        await pilot.press("escape")
        await pilot.pause()
        # s on the selected deal (Acme, confirmed) → Paid.
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ChooseScreen)
        await pilot.press("down", "enter")  # confirmed → paid (the next status)
        await settle(app, pilot)
        assert record(app.store, "deal", pid(201))["status"] == "paid"
        assert app.screen is detail
        assert cell_text(detail, "#deals", 0, 2) == "Paid"


async def test_delete_deal_needs_confirmation_and_undo_brings_it_back(filled_app):
    app = filled_app
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        app.open_event(pid(101))
        await settle(app, pilot)
        detail = app.screen
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # keep it
        await pilot.pause()
        assert record(app.store, "deal", pid(201)) is not None
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        assert record(app.store, "deal", pid(201)) is None
        assert pid(201) not in table_keys(detail, "#deals")
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert record(app.store, "deal", pid(201)) is not None
        assert pid(201) in table_keys(detail, "#deals")


async def test_archive_event_with_confirmation_and_restore(filled_app):
    app = filled_app
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_events(app, pilot)
        await pilot.press("a")  # the selected (first) event: Blueprint 2027
        await pilot.pause()
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen) and "Archive Blueprint" in confirm.message
        await pilot.press("y")
        await settle(app, pilot)
        assert record(app.store, "event", pid(102))["archived"]
        assert table_keys(screen, "#events") == [pid(101)]
        await pilot.press("x", "up")  # show archived; select Blueprint again
        await settle(app, pilot)
        await pilot.press("home", "a")
        await pilot.pause()
        assert "Restore Blueprint" in app.screen.message
        await pilot.press("y")
        await settle(app, pilot)
        assert not record(app.store, "event", pid(102))["archived"]


async def test_edit_event_from_the_list(filled_app):
    app = filled_app
    async with app.run_test(size=SIZE) as pilot:
        await open_events(app, pilot)
        await pilot.press("down", "e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, EventForm) and form.event_id == pid(101)


async def test_keys_are_in_the_footer_help_and_palette(filled_app):
    app = filled_app
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_events(app, pilot)
        shown = {b.key for _, b in screen._bindings if b.show}
        assert {"n", "e", "a", "slash"} <= shown
        titles = [c.title for c in app.get_system_commands(screen)]
        assert {"New", "Edit", "Archive", "Search", "Show archived"} <= set(titles)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        console = Console(width=200, record=True, file=io.StringIO())
        for title, table in app.screen.sections():
            console.print(title)
            console.print(table)
        text = console.export_text()
        assert "Archive or restore the selected event" in text
        assert "Search events by name or year" in text
        await pilot.press("escape")
        app.open_event(pid(101))
        await settle(app, pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"New deal", "Edit event", "Status", "Sort", "Back"} <= set(titles)


async def test_markup_in_event_and_partner_names_renders_literally(filled_app):
    app = filled_app
    app.store.update_event(pid(101), {"name": "[bold]Hack[/] [/i]"})
    app.store.update_partner(pid(1), {"name": "[red]Acme[/red"})
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_events(app, pilot)
        assert screen.query_one("#events").get_row(pid(101))[0].plain == "[bold]Hack[/] [/i]"
        app.open_event(pid(101))
        await settle(app, pilot)
        assert "[bold]Hack[/] [/i]" in str(app.screen.query_one("#event-head").content)
        assert "[red]Acme[/red" in cell_text(app.screen, "#deals", 0, 0)
