"""The TUI stays responsive during a slow push: the sync runs in a thread worker (as the
Overview's sync block runs it) while keys keep switching screens; a cancel stops it cleanly."""

from __future__ import annotations

import threading

from textual.worker import WorkerState, get_current_worker

from .sync_sample import SHEET
from partners_tui.app import make_app


def start_push(app, sync, messages):
    def push():
        worker = get_current_worker()
        return sync.push(
            progress=lambda p: app.call_from_thread(messages.append, p.message),
            cancelled=lambda: worker.is_cancelled,
        )

    return app.run_worker(push, thread=True, exclusive=True, group="sync", exit_on_error=False)


async def test_the_app_stays_responsive_during_a_slow_push(filled, fake, make_sync, clock):
    fake.gate = threading.Event()  # the server holds every answer until the test opens the gate
    app = make_app(filled, clock=clock)
    messages: list[str] = []
    async with app.run_test(size=(140, 45)) as pilot:
        worker = start_push(app, make_sync(filled), messages)
        await pilot.pause()
        await pilot.press("3")
        assert app.current_mode == "partners"
        await pilot.press("1")
        assert app.current_mode == "overview"
        assert worker.state == WorkerState.RUNNING  # the push is provably still waiting on the sheet
        fake.gate.set()
        await worker.wait()
        await pilot.pause()
        assert worker.state == WorkerState.SUCCESS
        assert worker.result.api_calls == 3
        assert messages[-1] == "Pushed"
    assert len(fake.records(SHEET, "Deals")) == 4


async def test_a_cancelled_push_stops_and_changes_nothing(filled, fake, make_sync, clock):
    fake.gate = threading.Event()
    app = make_app(filled, clock=clock)
    sync = make_sync(filled)
    async with app.run_test(size=(140, 45)) as pilot:
        worker = start_push(app, sync, [])
        await pilot.pause()
        worker.cancel()
        fake.gate.set()  # the metadata answer arrives; the cancel is seen before anything is written
        try:
            await worker.wait()
        except Exception:
            pass
        await pilot.pause()
        assert worker.state == WorkerState.CANCELLED
        # The thread notices at its next check (the metadata answer) and records the cancel.
        for _ in range(200):
            if sync.status().last_push_result is not None:
                break
            await pilot.pause(0.05)
    assert sync.status().last_push_result == "cancelled"
    assert fake.calls("valuesBatchUpdate") == [] and fake.calls("batchUpdate") == []
