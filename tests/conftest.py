"""Every test runs isolated from the machine: temporary XDG dirs, an in-memory keyring, a frozen
clock and a temporary database. Nothing here touches the network."""

from __future__ import annotations

import datetime as dt
import gc

import keyring
import pytest
from keyring.backend import KeyringBackend

from partners_tui import gc_pause
from partners_tui.store.clock import Clock
from partners_tui.store.commands import Store

TODAY = dt.date(2026, 11, 22)
TZ = "America/Vancouver"


class MemoryKeyring(KeyringBackend):
    priority = 1

    def __init__(self):
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.secrets.get((service, username))

    def set_password(self, service, username, password):
        self.secrets[(service, username)] = password

    def delete_password(self, service, username):
        self.secrets.pop((service, username), None)


@pytest.fixture(autouse=True)
def isolated_machine(tmp_path, monkeypatch):
    """Point platformdirs at temporary folders and keyring at memory for every test."""
    for var, sub in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"),
                     ("XDG_STATE_HOME", "state"), ("XDG_CACHE_HOME", "cache")):
        monkeypatch.setenv(var, str(tmp_path / "xdg" / sub))
    monkeypatch.delenv("PARTNERS_TUI_DB", raising=False)
    monkeypatch.setenv("TZ", TZ)
    previous = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    yield memory
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def collector_left_running():
    """No test leaves the garbage collector held off (`gc_pause`): a hold an app forgot to let
    go would slow every later test and hide a real leak."""
    yield
    left = gc_pause.holders()
    for holder in left:
        gc_pause.release(holder)
    enabled = gc.isenabled()
    gc.enable()
    assert not left, f"held off the collector at the end of the test: {sorted(map(str, left))}"
    assert enabled, "the garbage collector was left disabled"


@pytest.fixture
def clock() -> Clock:
    """Frozen at noon on 2026-11-22 in Vancouver."""
    return Clock.fixed_at(TODAY, tz=TZ)


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "partners.sqlite3"


@pytest.fixture
def store(db_path, clock) -> Store:
    s = Store.open(db_path, clock=clock, who="tester")
    yield s
    s.close()
