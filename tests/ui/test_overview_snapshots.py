"""What the Overview looks like, wide (140×45) and narrow (80×30), on the fixed UI sample and on
the small demo (seed 1), with today frozen on 2026-11-22. Review the SVGs after any update."""

from __future__ import annotations

import pytest

from partners_tui.app import make_app
from partners_tui.store.demo import generate

from test_overview import settle

SIZES = {"wide": (140, 45), "narrow": (80, 30)}


@pytest.fixture
def demo_app(store, clock):
    generate(store, size="small", seed=1, today=clock.today())
    return make_app(store, clock=clock)


@pytest.mark.parametrize("size", SIZES)
def test_sample(filled_app, snap_compare, size):
    assert snap_compare(filled_app, terminal_size=SIZES[size], run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_small_demo(demo_app, snap_compare, size):
    assert snap_compare(demo_app, terminal_size=SIZES[size], run_before=settle)


def test_small_demo_all_years_focused_card(demo_app, snap_compare):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("y")
        await pilot.pause()
        await pilot.press("down", "enter")  # All years
        await settle(pilot)
        pilot.app.screen.query_one("#card-open_pipeline").focus()
        await pilot.pause()

    assert snap_compare(demo_app, terminal_size=SIZES["wide"], run_before=run_before)


def test_empty_database(app, snap_compare):
    async def run_before(pilot):
        await pilot.pause()
        await pilot.press("e")  # welcome dialog: start empty
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZES["narrow"], run_before=run_before)
