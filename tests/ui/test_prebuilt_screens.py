"""Main screens built ahead in idle time (`PartnersApp.prebuild_mode`): the app builds them while
the Overview is on show, keys work meanwhile, a built screen shows current data when it is
opened, a hidden one does not read for nothing, and it looks exactly like one built on its first
showing."""

from __future__ import annotations

import asyncio
import gc

import pytest

from partners_tui.app import MAIN_SCREENS, PartnersApp, make_app
from partners_tui.screens.action_queue import ActionQueueScreen
from partners_tui.screens.events import EventsScreen
from partners_tui.screens.overview import OverviewScreen
from partners_tui.screens.partners import PartnersScreen
from partners_tui.screens.settings import SettingsScreen
from partners_tui.store.queries import Scope
from partners_tui.widgets.record_list import RecordList
from textual.widgets import DataTable

SIZE = (140, 45)
OTHERS = [cls for cls in MAIN_SCREENS if cls is not OverviewScreen]


@pytest.fixture
def filled_app(filled_app):
    """The app as it ships: building screens ahead (even if a conftest turns that off)."""
    filled_app.prebuild_modes = PartnersApp.prebuild_modes
    filled_app.freeze_after_prebuild = PartnersApp.freeze_after_prebuild
    return filled_app


async def settle(app, pilot) -> None:
    for _ in range(3):
        while any(w.is_running or w.state.name == "PENDING" for w in app.workers):
            await asyncio.sleep(0.01)
        await pilot.pause()


async def all_built(app: PartnersApp, timeout: float = 20) -> None:
    """Wait (as a user looking at the Overview would) until the app built every main screen."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not all(app.is_mode_built(cls.MODE) for cls in OTHERS):
        assert loop.time() < deadline, "the main screens were not built in idle time"
        await asyncio.sleep(0.05)
    # Built, then let each screen finish mounting its widgets: a test that ends (and closes the
    # app) in the middle of that trips Textual's Header over its removed title.
    for cls in OTHERS:
        for screen in app.get_screen_stack(cls.MODE):
            for node in (screen, *screen.walk_children()):
                if node.is_running:
                    await asyncio.wait_for(node.wait_for_refresh(), timeout)


def built_screen(app: PartnersApp, cls):
    stack = app.get_screen_stack(cls.MODE)
    assert len(stack) == 1 and isinstance(stack[0], cls)
    return stack[0]


def partner_names(screen: PartnersScreen) -> list[str]:
    listing = screen.query_one("#partners", RecordList)
    return [listing.text(k, "name") for k in listing.keys]


async def test_idle_app_builds_every_main_screen_without_showing_it(filled_app):
    app = filled_app
    async with app.run_test(size=SIZE) as pilot:
        await all_built(app)
        await settle(app, pilot)
        assert isinstance(app.screen, OverviewScreen) and app.current_mode == OverviewScreen.MODE
        partners = built_screen(app, PartnersScreen)
        assert not partners.is_current
        # Composed and read once already: the rows are there before the screen is first shown.
        assert len(partner_names(partners)) == 5
        assert built_screen(app, EventsScreen).query_one("#events").row_count > 0
        assert built_screen(app, ActionQueueScreen).queue is not None
        await pilot.press("3")
        await settle(app, pilot)
        assert app.screen is partners  # the same screen: not built again
        assert partners.query_one("#partners", RecordList).has_focus


async def test_screens_opened_before_their_turn_are_not_built_twice(filled_app):
    app = filled_app
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5")  # straight away, before any idle moment
        await settle(app, pilot)
        settings = app.screen
        assert isinstance(settings, SettingsScreen)
        await pilot.press("1")
        await all_built(app)
        assert built_screen(app, SettingsScreen) is settings


async def test_keys_work_while_screens_are_being_built(filled_app):
    """Keys pressed while the app builds the screens ahead land as usual (on the built screen)."""
    app = filled_app
    async with app.run_test(size=SIZE) as pilot:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 20
        while not app.is_mode_built(PartnersScreen.MODE):  # the first one is on its way
            assert loop.time() < deadline
            await asyncio.sleep(0.005)
        await pilot.press("3", "slash", *"glob")  # while the others are still to come
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, PartnersScreen)
        assert partner_names(screen) == ["Globex Foundation"]
        await pilot.press("escape", "2")
        await settle(app, pilot)
        assert isinstance(app.screen, EventsScreen)
        await pilot.press("4")
        await settle(app, pilot)
        assert isinstance(app.screen, ActionQueueScreen) and app.screen.queue is not None
        await all_built(app)


async def test_nothing_is_built_while_a_dialog_is_open(filled_app):
    app = filled_app
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")  # the help screen, over the Overview
        await settle(app, pilot)
        await asyncio.sleep(1.5)  # idle, but busy reading the help
        assert not any(app.is_mode_built(cls.MODE) for cls in OTHERS)
        await pilot.press("escape")
        await all_built(app)


async def test_built_partners_screen_shows_a_partner_added_elsewhere(filled_app):
    app = filled_app
    async with app.run_test(size=SIZE) as pilot:
        await all_built(app)
        await settle(app, pilot)
        partners = built_screen(app, PartnersScreen)
        generation = partners.generation
        ok, _ = app.write(lambda: app.store.create_partner({"name": "Aardvark Robotics"}),
                          success="Added")  # written while the Overview shows
        assert ok
        await settle(app, pilot)
        assert partners.generation == generation  # hidden: no read for nothing
        assert "Aardvark Robotics" not in partner_names(partners)
        await pilot.press("3")
        await settle(app, pilot)
        assert app.screen is partners
        assert partner_names(partners)[0] == "Aardvark Robotics"  # name order
        assert len(partner_names(partners)) == 6


async def test_built_partners_screen_shows_a_partner_added_through_the_form(filled_app):
    """A write made on another screen (a form over the Events list) shows on Partners."""
    app = filled_app
    async with app.run_test(size=SIZE) as pilot:
        await all_built(app)
        await pilot.press("2")
        await settle(app, pilot)
        from partners_tui.screens.forms import PartnerForm

        app.push_screen(PartnerForm())
        await settle(app, pilot)
        await pilot.press(*"Zephyr Catering", "ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, PartnerForm)
        await pilot.press("3")
        await settle(app, pilot)
        assert partner_names(app.screen)[-1] == "Zephyr Catering"


async def test_built_screens_shown_with_nothing_written_read_nothing_again(filled_app):
    """Nothing written since they were built: the rows they hold are current, kept as they are."""
    app = filled_app
    async with app.run_test(size=SIZE) as pilot:
        await all_built(app)
        await settle(app, pilot)
        partners, events = built_screen(app, PartnersScreen), built_screen(app, EventsScreen)
        queue, settings = built_screen(app, ActionQueueScreen), built_screen(app, SettingsScreen)
        before = (partners.generation, events.generation, queue._generation, settings.view)
        for key in "3245":
            await pilot.press(key)
            await settle(app, pilot)
        assert (partners.generation, events.generation, queue._generation, settings.view) == before
        assert isinstance(app.screen, SettingsScreen)
        await pilot.press("r")  # asked for: read again all the same
        await settle(app, pilot)
        assert settings.view is not before[3]


async def test_built_events_and_settings_show_writes_made_elsewhere(filled_app):
    app = filled_app
    async with app.run_test(size=SIZE) as pilot:
        await all_built(app)
        await settle(app, pilot)
        events = built_screen(app, EventsScreen)
        assert events.query_one("#events", DataTable).row_count == 2  # the archived one hidden
        ok, _ = app.write(lambda: app.store.create_event(
            {"name": "Spring Mixer 2027", "year": 2027, "start_date": "2027-03-10",
             "end_date": "2027-03-10", "goal": 5000}))
        assert ok
        ok, _ = app.write(lambda: app.store.set_annual_goal(2026, 30000))
        assert ok
        await settle(app, pilot)
        await pilot.press("2")
        await settle(app, pilot)
        table = events.query_one("#events", DataTable)
        assert table.row_count == 3
        assert "Spring Mixer 2027" in [table.get_row_at(i)[0].plain for i in range(3)]
        await pilot.press("5")
        await settle(app, pilot)
        goals = built_screen(app, SettingsScreen).query_one("#goals", DataTable)
        assert goals.get_cell("2026", "annual").plain == "$30,000"


async def test_hidden_action_queue_reads_a_new_scope_only_when_shown(filled_app):
    app = filled_app
    async with app.run_test(size=SIZE) as pilot:
        await all_built(app)
        await settle(app, pilot)
        queue = built_screen(app, ActionQueueScreen)
        assert queue.loaded is not None
        read_before = queue._generation
        app.set_scope(Scope("all"))  # on the Overview
        await settle(app, pilot)
        assert queue._generation == read_before  # nothing read while hidden
        await pilot.press("4")
        await settle(app, pilot)
        assert queue._generation == read_before + 1
        assert queue.loaded.scope == Scope("all")


async def test_collector_freezes_start_up_once_built_and_thaws_on_exit(filled_app):
    app = filled_app
    assert gc.get_freeze_count() == 0
    async with app.run_test(size=SIZE) as pilot:
        await all_built(app)
        await settle(app, pilot)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 20
        while not gc.get_freeze_count():  # after the last screen's first read
            assert loop.time() < deadline
            await asyncio.sleep(0.05)
    assert gc.get_freeze_count() == 0  # this app's objects can be collected again


@pytest.mark.parametrize("size", [SIZE, (80, 30)])
@pytest.mark.parametrize("cls", OTHERS, ids=lambda cls: cls.MODE)
async def test_built_screen_looks_like_one_built_when_first_shown(filled_store, clock, cls, size):
    """Same widgets, same styles: the screenshot of a screen built ahead equals the screenshot of
    the same screen built by Textual on its first showing (which re-applies every style sheet)."""

    async def shot(prebuilt: bool) -> str:
        app = make_app(filled_store, clock=clock)
        app.prebuild_modes = (cls.MODE,) if prebuilt else ()
        async with app.run_test(size=size) as pilot:
            await settle(app, pilot)
            if prebuilt:
                await all_built_one(app, cls)
                await settle(app, pilot)
            await pilot.press(cls.KEY)
            await settle(app, pilot)
            assert isinstance(app.screen, cls)
            return app.export_screenshot()

    assert await shot(prebuilt=True) == await shot(prebuilt=False)


async def all_built_one(app: PartnersApp, cls, timeout: float = 20) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not app.is_mode_built(cls.MODE):
        assert loop.time() < deadline
        await asyncio.sleep(0.05)
