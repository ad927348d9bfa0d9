"""The app holds the garbage collector off while someone waits for a paint (`gc_pause`), and
always lets it run again: after start-up's first paint, after each Overview scope change's
paint, when a read fails, and when the app closes mid-read."""

from __future__ import annotations

import gc
import threading
import time

import pytest

from partners_tui import gc_pause
from partners_tui.app import PartnersApp
from partners_tui.screens import overview as overview_module
from partners_tui.screens import paint_hold
from partners_tui.screens.welcome import WelcomeScreen
from partners_tui.store.queries import Scope

from test_overview import settle

SIZE = (140, 45)


@pytest.fixture(autouse=True)
def no_screens_built_ahead(monkeypatch):
    """These tests idle for a while: other main screens would be built meanwhile, and one
    being built as the test closes the app fails in Textual's Header (set_title)."""
    monkeypatch.setattr(PartnersApp, "prebuild_modes", ())


async def collector_runs_again(pilot) -> bool:
    """Within a second: the hold ends a moment after the paint (`paint_hold.AFTER_PAINT`)."""
    for _ in range(20):
        if gc.isenabled():
            break
        await pilot.pause(0.05)
    return gc.isenabled() and not gc_pause.holders()


def gated_reads(monkeypatch, *, fail: bool = False) -> threading.Event:
    """The Overview's reads wait for the returned event (then fail, with `fail`)."""
    gate = threading.Event()
    real = overview_module.read_overview

    def read(*args, **kwargs):
        assert gate.wait(10)
        if fail:
            raise RuntimeError("disk on fire")
        return real(*args, **kwargs)

    monkeypatch.setattr(overview_module, "read_overview", read)
    return gate


async def change_while_the_read_waits(pilot, monkeypatch, scope: Scope, *, fail=False):
    """Change the scope with the read held at its gate: the collector is held off meanwhile."""
    gate = gated_reads(monkeypatch, fail=fail)
    pilot.app.set_scope(scope)
    await pilot.pause()
    assert not gc.isenabled()
    return gate


async def test_a_scope_change_holds_the_collector_until_painted(filled_app, monkeypatch):
    async with filled_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert await collector_runs_again(pilot)
        gate = await change_while_the_read_waits(pilot, monkeypatch, Scope("all"))
        gate.set()
        await settle(pilot)
        assert pilot.app.screen.loaded.scope == Scope("all")
        assert await collector_runs_again(pilot)


async def test_a_change_right_after_a_paint_keeps_the_hold_until_its_own(filled_app, monkeypatch):
    """The moment-after-the-paint release of one read does not end the next read's hold."""
    monkeypatch.setattr(paint_hold, "AFTER_PAINT", 0.5)  # a moment a slow CI will see
    async with filled_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert await collector_runs_again(pilot)
        filled_app.set_scope(Scope("all"))
        screen = filled_app.screen
        while screen.loaded.scope != Scope("all"):  # shown: its release is AFTER_PAINT away
            await pilot.pause()
        assert not gc.isenabled()
        gate = gated_reads(monkeypatch)
        filled_app.set_scope(Scope())
        await pilot.pause(2 * paint_hold.AFTER_PAINT)  # the first read's moment is past
        assert not gc.isenabled()
        gate.set()
        await settle(pilot)
        assert await collector_runs_again(pilot)


async def test_a_failed_read_lets_the_collector_run(filled_app, monkeypatch):
    async with filled_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        gate = await change_while_the_read_waits(pilot, monkeypatch, Scope("all"), fail=True)
        gate.set()
        await settle(pilot)
        assert await collector_runs_again(pilot)


async def test_closing_mid_read_lets_the_collector_run(filled_app, monkeypatch):
    async with filled_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        gate = await change_while_the_read_waits(pilot, monkeypatch, Scope("all"))
    # The app has closed with its read still waiting: none of its holds is left.
    assert not [h for h in gc_pause.holders() if str(h).startswith("paint-hold-")]
    assert gc.isenabled()
    gate.set()  # let the orphan read end (its own query-layer hold with it)
    for _ in range(100):
        if not gc_pause.holders():
            break
        time.sleep(0.05)


async def test_start_up_hold_ends_once_the_first_screen_has_painted(filled_app):
    """`partners-tui` holds the collector from launch (cli.main); the app lets go at the first
    quiet moment after the Overview's first read is painted."""
    gc_pause.hold(gc_pause.START_UP)
    async with filled_app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert gc_pause.START_UP in gc_pause.holders()
        await settle(pilot)
        assert await collector_runs_again(pilot)  # a few looks of the idle timer


async def test_start_up_hold_ends_on_the_welcome_screen_too(app):
    gc_pause.hold(gc_pause.START_UP)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        assert await collector_runs_again(pilot)
