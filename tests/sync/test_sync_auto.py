"""When the app should sync by itself (the TUI's timer asks `auto_sync_due`)."""

from __future__ import annotations

from partners_tui.sync.service import AFTER_CHANGE_SECONDS, auto_sync_due
from partners_tui.sync.settings import SheetsSettings

ON = SheetsSettings("sheet-1234567890", auto_sync_minutes=5)


def test_off_unless_an_interval_is_set():
    assert not auto_sync_due(None, now=1000, last_attempt=None, last_local_change=None)
    assert not auto_sync_due(SheetsSettings("sheet-1234567890"), now=1000, last_attempt=None, last_local_change=None)


def test_every_interval_and_shortly_after_local_changes():
    assert auto_sync_due(ON, now=1000, last_attempt=None, last_local_change=None)  # first time
    assert not auto_sync_due(ON, now=1000 + 299, last_attempt=1000, last_local_change=None)
    assert auto_sync_due(ON, now=1000 + 300, last_attempt=1000, last_local_change=None)  # 5 min
    # An edit at 1100: not yet at 1100 + 29 s, yes at 1100 + 30 s.
    assert not auto_sync_due(ON, now=1100 + AFTER_CHANGE_SECONDS - 1, last_attempt=1000, last_local_change=1100)
    assert auto_sync_due(ON, now=1100 + AFTER_CHANGE_SECONDS, last_attempt=1000, last_local_change=1100)
    # A change already covered by the last attempt does not trigger another.
    assert not auto_sync_due(ON, now=1200, last_attempt=1150, last_local_change=1100)
