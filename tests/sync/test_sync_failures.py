"""Failures: 429 and 5xx retried a bounded number of times with backoff and jitter, timeouts
set, plain-language messages for permission / not found / revoked credentials, cancellation,
and never a change to local data from a sync that did not finish."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from .sync_sample import ACCOUNT, SHEET
from .sync_sample import pid, set_time
from partners_tui.store.changelog import table
from partners_tui.sync.errors import (
    CredentialsRevoked, PermissionDenied, SpreadsheetNotFound, SyncCancelled, Unreachable,
)
from partners_tui.sync.gateway import SheetsGateway
from partners_tui.sync.retry import CONNECT_TIMEOUT, READ_TIMEOUT, RetryPolicy


def snapshot(store) -> dict:
    """Every entity row, to show a failed sync changed nothing here."""
    out = {}
    with store.read() as conn:
        for entity in ("partner", "contact", "event", "deal", "activity", "follow_up"):
            t = table(entity)
            out[entity] = [dict(r) for r in conn.execute(select(t).order_by(t.c.id)).mappings()]
    return out


def test_a_429_is_retried_after_a_jittered_wait_then_succeeds(filled, fake, make_sync, waits):
    fake.fail_next(429, 1)
    result = make_sync(filled).push()
    assert result.api_calls == 4  # the refused metadata call, then the 3 of a first push
    # First wait: half of base×2⁰ = 0.5 s for sure, plus random (0.5 here) × 0.5 s = 0.75 s.
    assert sum(waits) == pytest.approx(0.75)
    assert max(waits) <= 0.2 + 1e-9  # slept in short slices, so a cancel is seen quickly


def test_retry_after_is_honoured_within_the_cap(filled, fake, make_sync, waits):
    fake.fail_next(429, 1, retry_after=5)
    make_sync(filled).push()
    assert sum(waits) == pytest.approx(5.0)  # max(0.75, min(5, cap 8))


def test_500_three_times_is_a_clean_failure_with_nothing_lost(filled, fake, make_sync, waits):
    sync = make_sync(filled)
    sync.push()
    set_time(filled, "10:00")
    filled.update_deal(pid(202), {"notes": "offline edit"})
    fake.type_cell(SHEET, "Deals", fake.find_row(SHEET, "Deals", pid(201)), "notes", "sheet edit")
    before_local, before_sheet = snapshot(filled), fake.table(SHEET, "Deals")
    fake.fail_next(500, 3, kind="batchGet")  # the policy allows 3 tries

    with pytest.raises(Unreachable) as err:
        sync.sync()

    assert "server error (500)" in str(err.value) and "kept here" in str(err.value)
    assert len(fake.calls("batchGet")) == 3
    # Backoff: 0.75 s then 1.5 s (steps 1 and 2 s, half sure + half × 0.5 jitter); no wait after the last.
    assert sum(waits) == pytest.approx(0.75 + 1.5)
    assert snapshot(filled) == before_local and fake.table(SHEET, "Deals") == before_sheet
    status = sync.status()
    assert status.state == "unreachable" and status.last_error == str(err.value)
    assert status.last_pull_result == "failed" and status.last_push_result == "failed"
    assert status.pending_changes == 1

    # Back online: the next sync catches up both ways.
    result = sync.sync()
    assert result.pull.updated == 1
    status = sync.status()
    assert status.state == "connected" and status.last_error is None and status.pending_changes == 0
    notes = {r["id"]: r["notes"] for r in fake.records(SHEET, "Deals")}
    assert notes[pid(201)] == "sheet edit" and notes[pid(202)] == "offline edit"


def test_a_failed_push_writes_nothing_and_keeps_the_changes_waiting(filled, fake, make_sync):
    sync = make_sync(filled)
    sync.push()
    filled.update_partner(pid(1), {"notes": "new"})
    fake.fail_next(503, 3, kind="valuesBatchUpdate")
    with pytest.raises(Unreachable):
        sync.push()
    assert fake.records(SHEET, "Partners")[0]["notes"] == ""
    assert sync.status().pending_changes == 1 and sync.status().last_push_result == "failed"


def test_offline_changes_wait_and_the_count_grows(filled, fake, make_sync, settings, policy):
    sync = make_sync(filled)
    sync.push()
    from partners_tui.sync.service import SheetsSync
    from .fake_sheets import LocalSheetsSession

    offline = SheetsSync(filled, settings, session=LocalSheetsSession("http://127.0.0.1:9"), policy=policy)
    for n, note in enumerate(("a", "b", "c"), start=1):
        filled.update_deal(pid(200 + n), {"notes": note})
        with pytest.raises(Unreachable) as err:
            offline.sync()
        assert "could not be reached" in str(err.value)
        assert offline.status().pending_changes == n  # one more deal waiting each time
    assert offline.status().state == "unreachable"
    sync.sync()
    assert sync.status().pending_changes == 0
    assert [r["notes"] for r in fake.records(SHEET, "Deals")][:3] == ["a", "b", "c"]


@pytest.mark.parametrize(
    "setup, error, words",
    [
        (lambda fake: fake.forbidden.add(SHEET), PermissionDenied, ["Permission denied", ACCOUNT, "Share"]),
        (lambda fake: fake.books.pop(SHEET), SpreadsheetNotFound, ["Spreadsheet not found", "connect"]),
        (lambda fake: setattr(fake, "revoked", True), CredentialsRevoked, ["expired or revoked", "connect"]),
    ],
    ids=["permission", "not-found", "revoked"],
)
def test_access_problems_give_one_plain_message(filled, fake, make_sync, setup, error, words):
    sync = make_sync(filled)
    setup(fake)
    with pytest.raises(error) as err:
        sync.pull()
    message = str(err.value)
    assert all(w in message for w in words), message
    assert "{" not in message and "Traceback" not in message  # no API JSON, no stack
    assert len(fake.requests) == 1  # not retried: retrying cannot help
    status = sync.status()
    assert status.last_error == message and status.state == "unreachable"


def test_timeouts_are_set_and_a_slow_server_fails_cleanly(fake, waits):
    gw = SheetsGateway.open(SHEET, None, session=fake.session(),
                            policy=RetryPolicy(attempts=2, sleep=waits.append, random=lambda: 0))
    assert gw.http.timeout == (CONNECT_TIMEOUT, READ_TIMEOUT)
    gw.http.set_timeout(0.2)
    fake.delay = 0.6
    with pytest.raises(Unreachable, match="did not answer in time"):
        gw.metadata()
    fake.delay = 0
    assert gw.metadata().title == "Team sheet"


def test_cancelling_stops_before_anything_is_saved(filled, fake, make_sync):
    sync = make_sync(filled)
    sync.push()
    fake.type_cell(SHEET, "Deals", fake.find_row(SHEET, "Deals", pid(202)), "notes", "sheet edit")
    before = snapshot(filled)
    seen = []

    def progress(update):
        seen.append(update.message)

    # Cancelled once the merge has been planned: the pull's transaction is rolled back.
    with pytest.raises(SyncCancelled):
        sync.pull(progress=progress, cancelled=lambda: "Merging the sheet's edits" in seen)
    assert snapshot(filled) == before
    assert sync.status().last_pull_result == "cancelled"
    assert sync.status().last_error is None  # a cancel is not an error


def test_cancelling_during_a_retry_wait_stops_promptly(filled, fake, make_sync, waits):
    fake.fail_next(429, 3)
    with pytest.raises(SyncCancelled):
        make_sync(filled).push(cancelled=lambda: len(waits) >= 2)
    assert len(waits) == 2 and len(fake.requests) == 1  # no second try
