"""What the Settings screen and its dialogs look like, wide (140×45) and narrow (80×30), on the
fixed UI sample with today frozen on 2026-11-22. Review the SVGs after any update."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input

SIZES = {"wide": (140, 45), "narrow": (80, 30)}


async def settle(pilot) -> None:
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def show_settings(pilot) -> None:
    await settle(pilot)
    await pilot.press("5")
    await settle(pilot)


@pytest.fixture
def settings_app(filled_app):
    # an explicit annual goal, so the Goals section shows a difference
    filled_app.store.set_annual_goal(2026, 30000)
    return filled_app


@pytest.mark.parametrize("size", SIZES)
def test_settings_screen(settings_app, snap_compare, size):
    assert snap_compare(settings_app, terminal_size=SIZES[size], run_before=show_settings)


@pytest.mark.parametrize("size", SIZES)
def test_status_dialog_with_a_problem(settings_app, snap_compare, size):
    async def run_before(pilot):
        await show_settings(pilot)
        table = pilot.app.screen.query_one("#statuses", DataTable)
        table.move_cursor(row=table.get_row_index("pitched"))
        await pilot.press("p")
        await pilot.pause()
        pilot.app.screen.query_one("#probability", Input).value = "150"
        await pilot.press("ctrl+s")
        await settle(pilot)

    assert snap_compare(settings_app, terminal_size=SIZES[size], run_before=run_before)


def test_goal_dialog(settings_app, snap_compare):
    async def run_before(pilot):
        await show_settings(pilot)
        await pilot.press("tab")
        pilot.app.screen.query_one("#goals", DataTable).move_cursor(row=1)
        await pilot.press("g")
        await settle(pilot)

    assert snap_compare(settings_app, terminal_size=SIZES["narrow"], run_before=run_before)


def test_merge_confirmation(settings_app, snap_compare):
    async def run_before(pilot):
        await show_settings(pilot)
        table = pilot.app.screen.query_one("#statuses", DataTable)
        table.move_cursor(row=table.get_row_index("in_conversation"))
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("down", "down", "enter")
        await settle(pilot)

    assert snap_compare(settings_app, terminal_size=SIZES["wide"], run_before=run_before)
