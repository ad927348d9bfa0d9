"""The app shell: welcome on an empty database, screen switching, help, command palette, undo,
quit. Driven by keys through Pilot, like a user would."""

from __future__ import annotations

import io

from rich.console import Console
from textual.command import CommandPalette

from partners_tui.app import MAIN_SCREENS, PartnersApp
from partners_tui.screens.help import HelpScreen
from partners_tui.screens.welcome import WelcomeScreen

import ui_sample


def fake_demo(store, **kwargs):
    """A fast stand-in for the demo generator: one partner and one event, one command."""
    progress = kwargs.get("progress")
    if progress:
        progress("partners 1")
    ui_sample.fill(store)
    return {"partners": 5, "events": 3}


def help_text(app: PartnersApp) -> str:
    """The help screen's sections as plain text, as a wide terminal would show them."""
    screen = app.screen
    assert isinstance(screen, HelpScreen)
    console = Console(width=200, record=True, file=io.StringIO())
    for title, table in screen.sections():
        console.print(title)
        console.print(table)
    return console.export_text()


async def test_empty_database_greets_and_starts_empty(app):
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        await pilot.press("e")
        await pilot.pause()
        assert not isinstance(app.screen, WelcomeScreen)
        assert app.current_mode == "overview"
        assert any("Starting empty" in n.message for n in app._notifications)


async def test_welcome_loads_demo_data_and_undo_removes_it(app):
    app.generate_demo = fake_demo
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, WelcomeScreen)
        assert not app.store.is_empty()
        assert any("Demo data loaded" == n.title for n in app._notifications)
        await pilot.press("ctrl+z")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any((n.title == "Undo") for n in app._notifications)
        # the fill was several commands; undo takes back the last one only (one follow-up)
        assert not app.store.is_empty()


async def test_demo_is_refused_on_a_database_with_data(filled_app):
    filled_app.generate_demo = fake_demo
    async with filled_app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        assert not isinstance(filled_app.screen, WelcomeScreen)
        filled_app.action_load_demo()
        await pilot.pause()
        assert any("already holds data" in n.message for n in filled_app._notifications)


async def test_number_keys_switch_every_main_screen(filled_app):
    async with filled_app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        for cls in [*MAIN_SCREENS[1:], MAIN_SCREENS[0]]:
            await pilot.press(cls.KEY)
            await pilot.pause()
            assert filled_app.current_mode == cls.MODE
            assert isinstance(filled_app.screen, cls)


async def test_help_lists_every_app_binding_and_every_screen(filled_app):
    async with filled_app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        text = help_text(filled_app)
        for binding in PartnersApp.BINDINGS:
            assert (binding.tooltip or binding.description) in text
        for cls in MAIN_SCREENS:
            assert cls.PURPOSE[:40] in text.replace("\n", " ") or cls.LABEL in text
        assert "command palette" in text
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(filled_app.screen, HelpScreen)


async def test_command_palette_offers_screens_help_and_demo(filled_app):
    async with filled_app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        titles = [c.title for c in filled_app.get_system_commands(filled_app.screen)]
        for cls in MAIN_SCREENS:
            assert cls.LABEL in titles
        assert "Load demo data" in titles and "Help" in titles and "Quit" in titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(filled_app.screen, CommandPalette)
        await pilot.press(*"Events")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert filled_app.current_mode == "events"


async def test_q_quits_cleanly(filled_app):
    async with filled_app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
    assert filled_app.return_code == 0


async def test_undo_with_nothing_to_undo_says_so(app):
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.press("ctrl+z")
        await app.workers.wait_for_complete()
        await pilot.pause()
        # the empty database holds only the status seed, which undo never reverses
        assert any(n.message == "Nothing to undo." for n in app._notifications)


def test_welcome_snapshot_wide(app, snap_compare):
    assert snap_compare(app, terminal_size=(140, 45))


def test_welcome_snapshot_narrow(app, snap_compare):
    assert snap_compare(app, terminal_size=(80, 30))


def test_help_snapshot_wide(filled_app, snap_compare):
    assert snap_compare(filled_app, terminal_size=(140, 45), press=["question_mark"])


def test_help_snapshot_narrow(filled_app, snap_compare):
    assert snap_compare(filled_app, terminal_size=(80, 30), press=["question_mark"])
