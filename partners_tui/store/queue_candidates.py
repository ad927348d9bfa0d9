"""The action queue's candidate tables (migration 7) checked against the entity rows they copy.

Triggers keep `queue_follow_up` and `queue_deal` in step with every write; `differences` is how
the tests prove it after each kind of write (and how to look at a database edited by hand).
"""

from __future__ import annotations

import sqlite3

from partners_tui.store.migrations import QUEUE_DEAL_COLUMNS, QUEUE_FOLLOW_UP_COLUMNS

TABLES = {
    "queue_follow_up": ("queue_follow_up_source", QUEUE_FOLLOW_UP_COLUMNS),
    "queue_deal": ("queue_deal_source", QUEUE_DEAL_COLUMNS),
}


def differences(db: sqlite3.Connection) -> dict[str, tuple[list[tuple], list[tuple]]]:
    """Per table: (rows the entities say it should hold but it lacks, rows it holds that they
    do not give); only tables with a difference are listed."""
    out = {}
    for table, (source, columns) in TABLES.items():
        missing = db.execute(
            f"SELECT {columns} FROM {source} EXCEPT SELECT {columns} FROM {table}"
        ).fetchall()
        extra = db.execute(
            f"SELECT {columns} FROM {table} EXCEPT SELECT {columns} FROM {source}"
        ).fetchall()
        if missing or extra:
            out[table] = (missing, extra)
    return out
