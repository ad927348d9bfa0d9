"""What the Partners list and a partner's detail look like, wide (140×45) and narrow (80×30), on
the fixed UI sample plus contacts, an activity and a branch, today frozen on 2026-11-22. Review
the SVGs after any update."""

from __future__ import annotations

import pytest

from test_partners import more, settle  # noqa: F401  (`more` is a fixture used by name)
from ui_sample import pid

SIZES = {"wide": (140, 45), "narrow": (80, 30)}


@pytest.mark.parametrize("size", SIZES)
def test_partners_list(more, filled_app, snap_compare, size):
    async def run_before(pilot):
        await pilot.pause()
        await pilot.press("3")
        await settle(pilot.app, pilot)

    assert snap_compare(filled_app, terminal_size=SIZES[size], run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_partner_detail(more, filled_app, snap_compare, size):
    async def run_before(pilot):
        await pilot.pause()
        pilot.app.open_partner(pid(1))
        await settle(pilot.app, pilot)

    assert snap_compare(filled_app, terminal_size=SIZES[size], run_before=run_before)
