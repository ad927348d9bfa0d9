"""The Overview's Sheets keys against the fake server: s syncs, x cancels (nothing changes
here), c lists conflicts (plain text, mark reviewed), and auto-sync runs shortly after a local
change without overlapping and without a word unless it fails."""

from __future__ import annotations

import threading

import pytest
from textual.widgets import DataTable, Static

from .sync_sample import SHEET, pid, set_time
from partners_tui.app import make_app
from partners_tui.screens.overview import OverviewScreen
from partners_tui.screens.sync_conflicts import SyncConflictsScreen
from partners_tui.sync import gateway
from partners_tui.sync.service import AFTER_CHANGE_SECONDS
from partners_tui.sync.settings import save_settings
from partners_tui.sync_timer import AutoSyncTimer
from partners_tui.widgets.sync_block import SyncBlock

SIZE = (140, 45)


@pytest.fixture
def connected(fake, settings, monkeypatch):
    """`sheets connect` done: settings in the config, gspread talking to the fake server."""
    monkeypatch.setattr(gateway, "session_factory", fake.session)
    save_settings(settings)
    return settings


async def settle(pilot, until=lambda: True) -> None:
    for _ in range(100):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        overview = [s for s in pilot.app.screen_stack if isinstance(s, OverviewScreen)]
        if until() and not any(not w.is_finished for w in pilot.app.workers) and \
                not (overview and overview[0].sheets_busy):
            return
        await pilot.pause(0.02)


def overview_of(app) -> OverviewScreen:
    screen = app.get_default_screen() if not isinstance(app.screen, OverviewScreen) else app.screen
    assert isinstance(screen, OverviewScreen)
    return screen


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


def footer_keys(app) -> set[str]:
    return {b.key for _, b, enabled, _ in app.active_bindings.values() if enabled and b.show}


def amount_in_sheet(fake, deal: str) -> str:
    row = next(r for r in fake.records(SHEET, "Deals") if r["id"] == deal)
    return str(row["amount"])


async def test_s_syncs_the_sheet_and_refreshes(filled, fake, connected, make_sync, clock):
    app = make_app(filled, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert any(m.startswith("Pulled 0 rows") and "pushed 18 rows" in m for m in messages(app)), \
            messages(app)
        # A teammate edits the sheet; the next sync pulls it and the screens re-read.
        fake.type_cell(SHEET, "Deals", fake.find_row(SHEET, "Deals", pid(203)), "notes", "from the sheet")
        reloads = []
        app.screen.reload = lambda: reloads.append(1)  # data_changed() reloads the screens
        await pilot.press("s")
        await settle(pilot)
        assert reloads
        assert any("1 changed" in m for m in messages(app))
    assert make_sync(filled).status().last_pull_result == "ok"


async def test_palette_lists_push_pull_sync_and_conflicts(filled, connected, clock):
    app = make_app(filled, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Push", "Pull", "Sync", "Sheet conflicts", "Cancel sync"} <= titles


async def test_x_cancels_a_running_sync_and_nothing_changes(filled, fake, connected, make_sync, clock):
    make_sync(filled).push()
    fake.type_cell(SHEET, "Deals", fake.find_row(SHEET, "Deals", pid(203)), "notes", "from the sheet")
    writes_before = len(fake.calls("valuesBatchUpdate"))
    app = make_app(filled, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "x" not in footer_keys(app)  # shown only while something can be cancelled
        fake.gate = threading.Event()  # every answer waits: the sync is provably running
        await pilot.press("s")
        await pilot.pause()
        overview = overview_of(app)
        assert overview.sheets_busy and "x" in footer_keys(app)
        block = overview.query_one("#sync-side", SyncBlock)
        assert block.running and "Syncing" in block.running
        await pilot.press("x")
        await pilot.pause()
        assert block.running == "Cancelling…"
        fake.gate.set()  # the metadata answer arrives; the service sees the cancel next
        await settle(pilot)
        assert not overview.sheets_busy and "x" not in footer_keys(app)
        assert "Sync cancelled. Nothing was changed here." in messages(app)
    status = make_sync(filled).status()
    assert status.last_pull_result == "cancelled"
    assert len(fake.calls("valuesBatchUpdate")) == writes_before  # nothing written to the sheet
    with filled.read() as conn:  # nothing changed here: the sheet's note was not pulled
        from sqlalchemy import text

        notes = conn.execute(text("select notes from deal where id = :i"), {"i": pid(203)}).scalar()
    assert notes != "from the sheet"


async def test_conflicts_view_lists_plain_text_and_marks_reviewed(filled, fake, connected, make_sync, clock):
    sync = make_sync(filled)
    sync.push()  # at 09:00
    set_time(filled, "10:00")
    filled.update_deal(pid(202), {"amount": 3500})
    fake.type_cell(SHEET, "Deals", fake.find_row(SHEET, "Deals", pid(202)), "amount", "4000")
    set_time(filled, "12:00")
    assert sync.pull().pull.conflicts == 1
    app = make_app(filled, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        block = overview_of(app).query_one("#sync-side", SyncBlock)
        assert "1 to review: press c" in block.render().plain
        await pilot.press("c")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, SyncConflictsScreen)
        table = dialog.query_one(DataTable)
        assert table.row_count == 1
        cells = [str(c) for c in table.get_row_at(0)]
        # The partner is named "[bold]Northwind[/]": drawn literally, never as markup.
        # A typed value has no time, so this database's value (3500.00 = 350000 cents) was kept.
        assert cells[:6] == ["deal", "[bold]Northwind[/] / Hackathon", "amount_cents", "350000",
                             "400000", "here"]
        await pilot.press("m")
        await pilot.pause()
        assert table.row_count == 0
        empty = dialog.query_one("#conflicts-empty", Static)
        assert empty.display and "No conflicts to review" in str(empty.render())
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)
        assert "to review" not in block.render().plain
    assert sync.conflicts() == []


async def test_conflicts_view_when_not_connected(filled, clock):
    app = make_app(filled, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, SyncConflictsScreen)
        assert "not connected" in str(app.screen.query_one("#conflicts-empty", Static).render())
        await pilot.press("escape")
        assert isinstance(app.screen, OverviewScreen)


class FakeTime:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


async def test_auto_sync_runs_shortly_after_a_local_change(filled, fake, connected, clock):
    save_settings(connected.with_(auto_sync_minutes=5))
    now = FakeTime()
    app = make_app(filled, clock=clock)
    app.sync_timer = AutoSyncTimer(now=now, tick_seconds=0.02)  # ticks fast; time moves by hand
    async with app.run_test(size=SIZE) as pilot:
        # The first tick syncs at once (never synced in this run), quietly.
        await settle(pilot, until=lambda: app.sync_timer.last_attempt is not None)
        assert amount_in_sheet(fake, pid(202)) == "3000"  # the sample deal, pushed
        assert not any("pushed" in m for m in messages(app))  # silent when it works
        calls = len(fake.calls("valuesBatchUpdate"))

        now.t += 10  # an edit 10 s after that sync
        app.write(lambda: filled.update_deal(pid(202), {"amount": 3500}))
        now.t += AFTER_CHANGE_SECONDS - 1
        await pilot.pause(0.2)  # several ticks: not due yet
        assert len(fake.calls("valuesBatchUpdate")) == calls
        now.t += 1
        await settle(pilot, until=lambda: len(fake.calls("valuesBatchUpdate")) > calls)
        assert amount_in_sheet(fake, pid(202)) == "3500"
        # The sync's own refresh is not a change to push back: no further sync.
        calls = len(fake.calls("valuesBatchUpdate"))
        now.t += AFTER_CHANGE_SECONDS
        await pilot.pause(0.2)
        assert len(fake.calls("valuesBatchUpdate")) == calls
        assert not any("pushed" in m for m in messages(app))


async def test_auto_sync_never_overlaps_a_running_sync(filled, fake, connected, clock):
    save_settings(connected.with_(auto_sync_minutes=5))
    now = FakeTime()
    app = make_app(filled, clock=clock)
    app.sync_timer = AutoSyncTimer(now=now, tick_seconds=3600)  # ticked by hand below
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        fake.gate = threading.Event()
        assert app.sync_timer.tick()  # due: never attempted
        now.t += 3600
        assert not app.sync_timer.tick()  # due again, but one is running
        fake.gate.set()
        await settle(pilot)
        assert len(fake.calls("valuesBatchUpdate")) == 1


async def test_auto_sync_failure_shows_in_the_sync_block(filled, fake, connected, clock):
    save_settings(connected.with_(auto_sync_minutes=5))
    app = make_app(filled, clock=clock)
    app.sync_timer = AutoSyncTimer(now=FakeTime(), tick_seconds=3600)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        fake.fail_next(403, times=1)
        assert app.sync_timer.tick()
        await settle(pilot)
        block = overview_of(app).query_one("#sync-side", SyncBlock)
        assert "Last error" in block.render().plain
        assert not any(n.severity == "error" for n in app._notifications)  # the block says it


async def test_auto_sync_does_nothing_when_sheets_is_not_connected(filled, clock):
    app = make_app(filled, clock=clock)
    app.sync_timer = AutoSyncTimer(now=FakeTime(), tick_seconds=3600)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not app.sync_timer.tick()
        assert not overview_of(app).sheets_busy and app.sync_timer.last_attempt is None
