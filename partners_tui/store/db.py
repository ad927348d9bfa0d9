"""Opening a database file: engine factory, connection pragmas, migrations, seed rows.

One engine per app instance, made here, never at import time. Writes begin with
`BEGIN IMMEDIATE` so two processes on one file queue on the write lock (busy_timeout) instead of
failing half-way through a command with "database is locked".
"""

from __future__ import annotations

import sqlite3
from functools import partial
from typing import Callable
from pathlib import Path

from sqlalchemy import Engine, create_engine, event

from partners_tui.store.migrations import migrate

BUSY_TIMEOUT_MS = 10_000
APP_CACHE_KIB = 32 * 1024
"""The app's page cache per connection, in KiB (SQLite's default is 2 MiB). The app reads the
same large indexes again and again (each scope change): on the large demo a year change's read
went from ~130 to ~85 ms with this. A one-shot command (`report`) gains little from it and
keeps the default, and its memory."""


def _pragmas(dbapi_connection: sqlite3.Connection, _record, cache_kib: int | None = None) -> None:
    # Autocommit at the driver level: SQLAlchemy's "begin" hook below issues BEGIN itself.
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA synchronous=NORMAL")
    if cache_kib:  # grows only as pages are read
        cur.execute(f"PRAGMA cache_size=-{int(cache_kib)}")
    cur.close()


def _begin(conn) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("write") else "BEGIN")


def make_engine(path: Path | str, cache_kib: int | None = None) -> Engine:
    """An engine on `path` with the project's pragmas; does not migrate (see `open_database`).
    `cache_kib`: each connection's page cache (else SQLite's default)."""
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", partial(_pragmas, cache_kib=cache_kib))
    event.listen(engine, "begin", _begin)
    return engine


def migrate_file(path: Path | str, on_upgrade: Callable[[int, int], None] | None = None) -> list[int]:
    """Apply pending migrations to the file at `path`; returns the numbers applied.
    `on_upgrade(from, to)`: told before an existing database is upgraded."""
    db = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA foreign_keys=ON")
        return migrate(db, on_upgrade=on_upgrade)
    finally:
        db.close()


def open_database(
    path: Path | str, on_upgrade: Callable[[int, int], None] | None = None,
    cache_kib: int | None = None,
) -> Engine:
    """Create the file if needed, migrate it to the latest schema, and return an engine on it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    migrate_file(path, on_upgrade)
    return make_engine(path, cache_kib)
