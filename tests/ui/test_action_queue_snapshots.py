"""What the Action Queue looks like, wide (140×45) and narrow (80×30): the list, the log form and
the pickers, on the UI sample (plus a quiet deal) and on the small demo (seed 1), with today frozen
on 2026-11-22. Review the SVGs after any update."""

from __future__ import annotations

import pytest

from partners_tui.app import make_app
from partners_tui.store.demo import generate

from test_action_queue import add_queue_extras, settle

SIZES = {"wide": (140, 45), "narrow": (80, 30)}


@pytest.fixture
def sample_app(filled_store, clock):
    add_queue_extras(filled_store)
    return make_app(filled_store, clock=clock)


@pytest.fixture
def demo_app(store, clock):
    generate(store, size="small", seed=1, today=clock.today())
    return make_app(store, clock=clock)


async def open_queue(pilot) -> None:
    await pilot.press("4")
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_sample_queue(sample_app, snap_compare, size):
    assert snap_compare(sample_app, terminal_size=SIZES[size], run_before=open_queue)


@pytest.mark.parametrize("size", SIZES)
def test_small_demo_queue(demo_app, snap_compare, size):
    async def run_before(pilot):
        await open_queue(pilot)
        await pilot.press("down", "down", "down")

    assert snap_compare(demo_app, terminal_size=SIZES[size], run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_log_form_filled_in(sample_app, snap_compare, size):
    async def run_before(pilot):
        await open_queue(pilot)
        await pilot.press("l", "c", *"Deck", "tab", *"Wants", "space", *"it", "space", *"Friday")
        await pilot.press("tab", "2")
        await pilot.pause()

    assert snap_compare(sample_app, terminal_size=SIZES[size], run_before=run_before)


def test_snooze_picker(sample_app, snap_compare):
    async def run_before(pilot):
        await open_queue(pilot)
        await pilot.press("s")
        await pilot.pause()

    assert snap_compare(sample_app, terminal_size=SIZES["wide"], run_before=run_before)


def test_status_picker_narrow(sample_app, snap_compare):
    async def run_before(pilot):
        await open_queue(pilot)
        await pilot.press("t")
        await pilot.pause()

    assert snap_compare(sample_app, terminal_size=SIZES["narrow"], run_before=run_before)
