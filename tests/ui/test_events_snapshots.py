"""What the Events list and an event's detail look like, wide (140×45) and narrow (80×30), on the
fixed UI sample with today frozen on 2026-11-22. Review the SVGs after any update."""

from __future__ import annotations

import pytest

from test_events import settle
from ui_sample import pid

SIZES = {"wide": (140, 45), "narrow": (80, 30)}


@pytest.fixture
def presets_app(filled_store, filled_app):
    filled_store.update_event(pid(101), {"tier_presets": [
        {"label": "Gold", "amount": 5000}, {"label": "Silver", "amount": 2500},
        {"label": "Community", "amount": 500}]})
    filled_store.log_activity({"partner_id": pid(2), "deal_id": pid(202), "channel": "meeting",
                               "direction": "inbound", "subject": "Walkthrough of the packages",
                               "occurred_at": "2026-11-20T19:30:00.000Z"})
    return filled_app


@pytest.mark.parametrize("size", SIZES)
def test_events_list(filled_app, snap_compare, size):
    async def run_before(pilot):
        await pilot.pause()
        await pilot.press("2")
        await settle(pilot.app, pilot)
        await pilot.press("x")  # archived ones too, with their badge
        await settle(pilot.app, pilot)

    assert snap_compare(filled_app, terminal_size=SIZES[size], run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_event_detail(presets_app, snap_compare, size):
    async def run_before(pilot):
        await pilot.pause()
        pilot.app.open_event(pid(101))
        await settle(pilot.app, pilot)

    assert snap_compare(presets_app, terminal_size=SIZES[size], run_before=run_before)
