"""The tables triggers keep from the entities (migration 4's partner search, migration 7's
action-queue candidates, migration 8's deal sums, migration 9's active partners) checked
against a recount from the entities.

`differences` is how the tests prove the triggers right after each kind of write (and how to
look at a database edited by hand).
"""

from __future__ import annotations

import sqlite3

from partners_tui.store.migrations import (
    ACTIVE_PARTNER_COLUMNS, DEAL_CELL_COLUMNS, PARTNER_SEARCH_ROW, QUEUE_DEAL_COLUMNS,
    QUEUE_FOLLOW_UP_COLUMNS,
)

SEARCH_COLUMNS = "partner_id, sort_name, archived, is_alumni, tier, tags, body"

RECOUNTS = {
    # table: (its rows as the triggers keep them, the same rows computed from the entities)
    "partner_search": (
        f"SELECT {SEARCH_COLUMNS} FROM partner_search",
        PARTNER_SEARCH_ROW.replace("WHERE p.id = {key}", ""),
    ),
    "queue_follow_up": (
        f"SELECT {QUEUE_FOLLOW_UP_COLUMNS} FROM queue_follow_up",
        f"SELECT {QUEUE_FOLLOW_UP_COLUMNS} FROM queue_follow_up_source",
    ),
    "queue_deal": (
        f"SELECT {QUEUE_DEAL_COLUMNS} FROM queue_deal",
        f"SELECT {QUEUE_DEAL_COLUMNS} FROM queue_deal_source",
    ),
    "deal_cell": (  # a cell whose deals are all gone stays, with every sum back at 0
        f"SELECT {DEAL_CELL_COLUMNS} FROM deal_cell"
        " WHERE n != 0 OR amount != 0 OR plain_amount != 0 OR override_weight != 0",
        f"SELECT {DEAL_CELL_COLUMNS} FROM deal_cell_source",
    ),
    "active_partner_year": (  # likewise: a row whose deals are all gone stays, at n = 0
        f"SELECT {ACTIVE_PARTNER_COLUMNS} FROM active_partner_year WHERE n != 0",
        f"SELECT {ACTIVE_PARTNER_COLUMNS} FROM active_partner_year_source",
    ),
}


def differences(db: sqlite3.Connection) -> dict[str, tuple[list[tuple], list[tuple]]]:
    """Per table: (rows the entities say it should hold but it lacks, rows it holds that they
    do not give); only tables with a difference are listed."""
    out = {}
    for table, (kept, recount) in RECOUNTS.items():
        missing = db.execute(f"{recount} EXCEPT {kept}").fetchall()
        extra = db.execute(f"{kept} EXCEPT {recount}").fetchall()
        if missing or extra:
            out[table] = (missing, extra)
    return out
