"""The tables triggers keep from the entities (migration 7's action-queue candidates, migration
8's deal sums) checked against a recount from the entities.

`differences` is how the tests prove the triggers right after each kind of write (and how to
look at a database edited by hand).
"""

from __future__ import annotations

import sqlite3

from partners_tui.store.migrations import (
    DEAL_CELL_COLUMNS, QUEUE_DEAL_COLUMNS, QUEUE_FOLLOW_UP_COLUMNS,
)

TABLES = {
    "queue_follow_up": ("queue_follow_up_source", QUEUE_FOLLOW_UP_COLUMNS, ""),
    "queue_deal": ("queue_deal_source", QUEUE_DEAL_COLUMNS, ""),
    "deal_cell": ("deal_cell_source", DEAL_CELL_COLUMNS, " WHERE n != 0"),  # empty cells stay
}


def differences(db: sqlite3.Connection) -> dict[str, tuple[list[tuple], list[tuple]]]:
    """Per table: (rows the entities say it should hold but it lacks, rows it holds that they
    do not give); only tables with a difference are listed."""
    out = {}
    for table, (source, columns, kept) in TABLES.items():
        missing = db.execute(
            f"SELECT {columns} FROM {source} EXCEPT SELECT {columns} FROM {table}{kept}"
        ).fetchall()
        extra = db.execute(
            f"SELECT {columns} FROM {table}{kept} EXCEPT SELECT {columns} FROM {source}"
        ).fetchall()
        if missing or extra:
            out[table] = (missing, extra)
    return out
