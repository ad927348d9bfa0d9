"""Auto-sync with the team's sheet (`partners-tui sheets auto-sync MINUTES|off`): when to start.

The app ticks this every few seconds; it asks `auto_sync_due` (every MINUTES, and
AFTER_CHANGE_SECONDS after a local change) and starts a quiet sync through its runner (the
Overview, which owns the sync worker and its progress). Never while a sync runs; nothing at all
when Sheets is not connected or auto-sync is off. No Textual here: the app owns the interval.
"""

from __future__ import annotations

import logging
import time
from contextlib import contextmanager
from typing import Callable, Iterator, Protocol

from partners_tui.sync.settings import SheetsSettings, load_settings

log = logging.getLogger(__name__)


class SyncRunner(Protocol):
    @property
    def sheets_busy(self) -> bool: ...

    def start_sheets(self, what: str, *, quiet: bool = False) -> bool: ...


class AutoSyncTimer:
    """Remembers the last attempt and the last local change (monotonic seconds)."""

    def __init__(
        self,
        *,
        now: Callable[[], float] = time.monotonic,
        settings: Callable[[], SheetsSettings | None] = load_settings,
        tick_seconds: float = 5.0,
    ) -> None:
        self.now = now
        self.settings = settings
        self.tick_seconds = tick_seconds
        self.runner: SyncRunner | None = None
        self.last_attempt: float | None = None
        self.last_local_change: float | None = None
        self._ignoring = 0

    def note_change(self) -> None:
        """The database changed here (the app's `data_changed`)."""
        if not self._ignoring:
            self.last_local_change = self.now()

    @contextmanager
    def ignoring_changes(self) -> Iterator[None]:
        """A pull's own refresh is not a local change to push back."""
        self._ignoring += 1
        try:
            yield
        finally:
            self._ignoring -= 1

    def attempted(self) -> None:
        """A push or sync started (by hand or by the timer): it carries every change so far."""
        self.last_attempt = self.now()

    def due(self) -> bool:
        try:
            settings = self.settings()
        except Exception:  # an unreadable config: the CLI reports it; the timer stays quiet
            log.exception("could not read the sheets settings")
            return False
        if settings is None or not settings.auto_sync_minutes:
            return False
        from partners_tui.sync.service import auto_sync_due  # gspread loads only when needed

        return auto_sync_due(settings, now=self.now(), last_attempt=self.last_attempt,
                             last_local_change=self.last_local_change)

    def tick(self) -> bool:
        """Start a background sync if one is due; True if it started."""
        runner = self.runner
        if runner is None or runner.sheets_busy or not self.due():
            return False
        self.attempted()
        return runner.start_sheets("sync", quiet=True)
