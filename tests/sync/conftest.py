"""Fixtures for the Sheets sync tests: a fake Sheets v4 server on 127.0.0.1 (real gspread talks
to it over HTTP through a session that refuses every other host), settings, a retry policy that
records its waits instead of sleeping, and the sample data."""

from __future__ import annotations

import pytest

from partners_tui.store.commands import Store
from partners_tui.sync.retry import RetryPolicy
from partners_tui.sync.service import SheetsSync
from partners_tui.sync.settings import SheetsSettings

from . import sync_sample
from .fake_sheets import FakeSheets
from .sync_sample import ACCOUNT, SHEET  # noqa: F401 - re-exported for fixtures below


@pytest.fixture
def fake():
    server = FakeSheets().start()
    server.create(SHEET, "Team sheet")
    yield server
    server.stop()


@pytest.fixture
def waits() -> list[float]:
    return []


@pytest.fixture
def policy(waits) -> RetryPolicy:
    """3 tries; waits are recorded, not slept (tests assert behaviour, never timings)."""
    return RetryPolicy(attempts=3, base=1.0, cap=8.0, sleep=waits.append, random=lambda: 0.5)


@pytest.fixture
def settings() -> SheetsSettings:
    return SheetsSettings(SHEET, account=ACCOUNT, title="Team sheet")


@pytest.fixture
def make_sync(fake, settings, policy):
    def make(store: Store, **changes) -> SheetsSync:
        return SheetsSync(store, settings.with_(**changes) if changes else settings,
                          session=fake.session(), policy=policy)

    return make


@pytest.fixture
def filled(store) -> Store:
    sync_sample.fill(store)
    return store


@pytest.fixture
def second_store(tmp_path, clock):
    """A teammate's database on another machine."""
    s = Store.open(tmp_path / "teammate.sqlite3", clock=clock, who="teammate")
    yield s
    s.close()
