"""Numbered schema migrations, applied in order when a database is opened.

`PRAGMA user_version` holds the number of the last migration applied. A migration is never edited
once it has shipped: a change to the schema is a new numbered function. Table rebuilds (SQLite's way
to add a constraint) run with foreign keys off, because dropping the old table with them on would
cascade-delete its children; `PRAGMA foreign_key_check` runs before the rebuild commits.
"""

from __future__ import annotations

import sqlite3
from typing import Callable

SCHEMA_V1 = """
CREATE TABLE partner (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    parent_id TEXT REFERENCES partner(id),
    industry TEXT, website TEXT, linkedin TEXT, tier TEXT,
    tags TEXT NOT NULL DEFAULT '',
    notes TEXT,
    is_alumni BOOLEAN NOT NULL DEFAULT 0,
    archived BOOLEAN NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL
);
CREATE TABLE contact (
    id TEXT PRIMARY KEY NOT NULL,
    partner_id TEXT NOT NULL REFERENCES partner(id),
    name TEXT NOT NULL,
    title TEXT, email TEXT, phone TEXT, linkedin TEXT,
    strength INTEGER, influence TEXT,
    is_primary BOOLEAN NOT NULL DEFAULT 0,
    notes TEXT,
    archived BOOLEAN NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL
);
CREATE TABLE event (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    year INTEGER NOT NULL,
    outreach_start TEXT, start_date TEXT, end_date TEXT,
    goal_cents INTEGER,
    tier_presets TEXT NOT NULL DEFAULT '[]',
    notes TEXT,
    archived BOOLEAN NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL
);
CREATE TABLE status (
    key TEXT PRIMARY KEY NOT NULL,
    label TEXT NOT NULL,
    position INTEGER NOT NULL,
    probability INTEGER NOT NULL,
    secured BOOLEAN NOT NULL DEFAULT 0,
    closed BOOLEAN NOT NULL DEFAULT 0,
    stale_after_days INTEGER,
    archived BOOLEAN NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL
);
CREATE TABLE deal (
    id TEXT PRIMARY KEY NOT NULL,
    partner_id TEXT NOT NULL REFERENCES partner(id),
    event_id TEXT NOT NULL REFERENCES event(id),
    contact_id TEXT REFERENCES contact(id),
    owner TEXT,
    status TEXT NOT NULL REFERENCES status(key),
    package_tier TEXT, role TEXT,
    amount_cents INTEGER,
    expected_close TEXT,
    probability_override INTEGER,
    lost_reason TEXT, notes TEXT,
    archived BOOLEAN NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    status_changed_at TEXT
);
CREATE TABLE activity (
    id TEXT PRIMARY KEY NOT NULL,
    partner_id TEXT NOT NULL REFERENCES partner(id),
    contact_id TEXT REFERENCES contact(id),
    deal_id TEXT REFERENCES deal(id),
    event_id TEXT REFERENCES event(id),
    channel TEXT NOT NULL,
    direction TEXT NOT NULL DEFAULT 'outbound',
    occurred_at TEXT NOT NULL,
    subject TEXT, summary TEXT,
    source TEXT NOT NULL DEFAULT 'manual',
    archived BOOLEAN NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL
);
CREATE TABLE follow_up (
    id TEXT PRIMARY KEY NOT NULL,
    partner_id TEXT NOT NULL REFERENCES partner(id),
    deal_id TEXT REFERENCES deal(id) ON DELETE CASCADE,
    activity_id TEXT REFERENCES activity(id),
    event_id TEXT REFERENCES event(id),
    due_date TEXT NOT NULL,
    note TEXT, assignee TEXT, done_at TEXT,
    archived BOOLEAN NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL
);
CREATE TABLE annual_goal (
    year INTEGER PRIMARY KEY NOT NULL,
    goal_cents INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE setting (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE command (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    at TEXT NOT NULL,
    who TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT 'manual',
    undone_by INTEGER
);
CREATE TABLE change (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    command_id INTEGER NOT NULL REFERENCES command(id),
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    op TEXT NOT NULL,
    field TEXT,
    old TEXT,
    new TEXT,
    at TEXT NOT NULL
);
CREATE INDEX ix_contact_partner ON contact(partner_id);
CREATE INDEX ix_deal_partner ON deal(partner_id);
CREATE INDEX ix_deal_event ON deal(event_id);
CREATE INDEX ix_activity_partner ON activity(partner_id);
CREATE INDEX ix_follow_up_deal ON follow_up(deal_id);
CREATE INDEX ix_change_command ON change(command_id);
"""

# v2: amounts, goals and probabilities get CHECK constraints (a table rebuild), deals get the
# denormalised stale clock `last_activity_at`, and the indexes the Overview's queries use.
DEAL_V2 = """
CREATE TABLE deal_new (
    id TEXT PRIMARY KEY NOT NULL,
    partner_id TEXT NOT NULL REFERENCES partner(id),
    event_id TEXT NOT NULL REFERENCES event(id),
    contact_id TEXT REFERENCES contact(id),
    owner TEXT,
    status TEXT NOT NULL REFERENCES status(key),
    package_tier TEXT, role TEXT,
    amount_cents INTEGER CHECK (amount_cents IS NULL OR amount_cents >= 0),
    expected_close TEXT,
    probability_override INTEGER
        CHECK (probability_override IS NULL OR probability_override BETWEEN 0 AND 100),
    lost_reason TEXT, notes TEXT,
    archived BOOLEAN NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    status_changed_at TEXT,
    last_activity_at TEXT
)
"""

INDEXES_V2 = """
CREATE INDEX ix_deal_event_status ON deal(event_id, status);
CREATE INDEX ix_deal_status ON deal(status);
CREATE INDEX ix_deal_partner_event ON deal(partner_id, event_id);
CREATE INDEX ix_activity_deal_time ON activity(deal_id, occurred_at);
CREATE INDEX ix_activity_partner_event_time ON activity(partner_id, event_id, occurred_at);
CREATE INDEX ix_activity_time ON activity(occurred_at);
CREATE INDEX ix_follow_up_open_due ON follow_up(done_at, due_date);
CREATE INDEX ix_follow_up_partner ON follow_up(partner_id);
CREATE INDEX ix_event_year ON event(year);
CREATE INDEX ix_partner_parent ON partner(parent_id);
CREATE INDEX ix_change_entity ON change(entity, entity_id);
CREATE INDEX ix_change_field ON change(entity, field, entity_id);
"""


def _run_script(db: sqlite3.Connection, script: str) -> None:
    """Run `;`-separated DDL inside the current transaction (executescript would commit it)."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def _run_statements(db: sqlite3.Connection, statements: list[str]) -> None:
    """Run DDL given one statement each, inside the current transaction: for statements that
    hold `;` themselves (trigger bodies), which `_run_script` would split."""
    for statement in statements:
        db.execute(statement)


def _v1(db: sqlite3.Connection) -> None:
    _run_script(db, SCHEMA_V1)


def _v2(db: sqlite3.Connection) -> None:
    db.execute(DEAL_V2)
    cols = (
        "id, partner_id, event_id, contact_id, owner, status, package_tier, role, amount_cents,"
        " expected_close, probability_override, lost_reason, notes, archived, created_at,"
        " updated_at, status_changed_at"
    )
    db.execute(f"INSERT INTO deal_new ({cols}) SELECT {cols} FROM deal")
    db.execute("DROP TABLE deal")
    db.execute("ALTER TABLE deal_new RENAME TO deal")
    _run_script(
        db,
        "CREATE INDEX ix_deal_partner ON deal(partner_id);"
        "CREATE INDEX ix_deal_event ON deal(event_id);" + INDEXES_V2,
    )
    # The stale clock: latest activity on the deal, or on its partner for the deal's event.
    db.execute(
        """
        UPDATE deal SET last_activity_at = (
            SELECT max(a.occurred_at) FROM activity a
            WHERE a.deal_id = deal.id
               OR (a.partner_id = deal.partner_id AND a.event_id = deal.event_id)
        )
        """
    )


# v3: Google Sheets sync bookkeeping (not entity data, so not change-logged): the values last
# seen in both the sheet and the database per row (the base of the three-way merge), the
# persisted status of the last push and pull, and the conflicts left for a person to review.
SYNC_V3 = """
CREATE TABLE sync_row (
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    sheet_values TEXT NOT NULL,
    PRIMARY KEY (entity, entity_id)
);
CREATE TABLE sync_state (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE sync_conflict (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    label TEXT NOT NULL DEFAULT '',
    field TEXT NOT NULL,
    local_value TEXT,
    sheet_value TEXT,
    kept TEXT NOT NULL,
    local_updated_at TEXT,
    sheet_updated_at TEXT,
    reviewed BOOLEAN NOT NULL DEFAULT 0
);
CREATE INDEX ix_sync_conflict_open ON sync_conflict(reviewed, id);
"""


def _v3(db: sqlite3.Connection) -> None:
    _run_script(db, SYNC_V3)


# v4: the Partners screen's search table. One row per partner holding what a search matches
# (name, tags, notes, every contact's name and email) and what the list filters and sorts on,
# clustered by name so a page of results is read in order and the scan stops early. Triggers keep
# it in step with every write (commands, imports, undo, sync) without any of them knowing.
# A later migration that rebuilds `partner` or `contact` drops these triggers: recreate them.
PARTNER_SEARCH_ROW = """
    SELECT p.id, p.name, p.archived, p.is_alumni, p.tier, p.tags,
           p.name || char(10) || p.tags || char(10) || coalesce(p.notes, '') || char(10) ||
           coalesce((SELECT group_concat(c.name || ' ' || coalesce(c.email, ''), char(10))
                     FROM contact c WHERE c.partner_id = p.id), '')
    FROM partner p WHERE p.id = {key}
"""


def _refresh_search(key: str) -> str:
    return (
        f"DELETE FROM partner_search WHERE partner_id = {key};"
        " INSERT INTO partner_search (partner_id, sort_name, archived, is_alumni, tier, tags, body)"
        + PARTNER_SEARCH_ROW.format(key=key) + ";"
    )


PARTNER_SEARCH_V4 = [
    """
    CREATE TABLE partner_search (
        partner_id TEXT NOT NULL,
        sort_name TEXT NOT NULL COLLATE NOCASE,
        archived BOOLEAN NOT NULL,
        is_alumni BOOLEAN NOT NULL,
        tier TEXT,
        tags TEXT NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (sort_name, partner_id)
    ) WITHOUT ROWID
    """,
    "CREATE UNIQUE INDEX ix_partner_search_partner ON partner_search(partner_id)",
    "INSERT INTO partner_search (partner_id, sort_name, archived, is_alumni, tier, tags, body)"
    + PARTNER_SEARCH_ROW.replace("WHERE p.id = {key}", ""),
    "CREATE TRIGGER tr_partner_search_insert AFTER INSERT ON partner BEGIN "
    + _refresh_search("NEW.id") + " END",
    "CREATE TRIGGER tr_partner_search_update AFTER UPDATE OF id, name, tags, notes, tier, is_alumni,"
    " archived ON partner BEGIN DELETE FROM partner_search WHERE partner_id = OLD.id; "
    + _refresh_search("NEW.id") + " END",
    "CREATE TRIGGER tr_partner_search_delete AFTER DELETE ON partner BEGIN"
    " DELETE FROM partner_search WHERE partner_id = OLD.id; END",
    "CREATE TRIGGER tr_contact_search_insert AFTER INSERT ON contact BEGIN "
    + _refresh_search("NEW.partner_id") + " END",
    "CREATE TRIGGER tr_contact_search_update AFTER UPDATE OF partner_id, name, email ON contact BEGIN "
    + _refresh_search("OLD.partner_id") + " " + _refresh_search("NEW.partner_id") + " END",
    "CREATE TRIGGER tr_contact_search_delete AFTER DELETE ON contact BEGIN "
    + _refresh_search("OLD.partner_id") + " END",
]


def _v4(db: sqlite3.Connection) -> None:
    for statement in PARTNER_SEARCH_V4:  # triggers hold `;`, so no _run_script here
        db.execute(statement)


# v5: the Overview's read models (DESIGN 4) read only candidate rows, through covering indexes:
# the in-scope deals' sums (`ix_deal_scope`), stale deals with their clock columns
# (`ix_deal_stale`), open follow-ups (`ix_follow_up_open`, `ix_follow_up_open_deal`), names for
# the action queue (`ix_partner_name`, `ix_contact_name`) and the few archived partners
# (`ix_partner_archived`). Triggers keep `follow_up.event_id` equal to its deal's event (or its
# activity's, without a deal) whoever writes, so the queue can skip other events' follow-ups in
# the index; existing rows are brought in line first.
OVERVIEW_V5 = [
    "CREATE INDEX ix_deal_scope ON deal(event_id, archived, status, partner_id, amount_cents,"
    " probability_override)",
    "CREATE INDEX ix_deal_stale ON deal(event_id, archived, status, created_at, status_changed_at,"
    " last_activity_at, id, partner_id, contact_id, amount_cents, probability_override)",
    "CREATE INDEX ix_follow_up_open ON follow_up(done_at, archived, due_date, event_id, deal_id,"
    " partner_id, activity_id)",
    "CREATE INDEX ix_follow_up_open_deal ON follow_up(deal_id, done_at, archived)",
    "CREATE INDEX ix_partner_name ON partner(id, archived, name)",
    "CREATE INDEX ix_partner_archived ON partner(id, archived) WHERE archived = 1",
    "CREATE INDEX ix_contact_name ON contact(id, name)",
    """
    UPDATE follow_up SET event_id = (SELECT d.event_id FROM deal d WHERE d.id = follow_up.deal_id)
    WHERE deal_id IS NOT NULL
      AND event_id IS NOT (SELECT d.event_id FROM deal d WHERE d.id = follow_up.deal_id)
    """,
    """
    CREATE TRIGGER tr_follow_up_event_of_deal AFTER UPDATE OF event_id ON deal
    WHEN NEW.event_id IS NOT OLD.event_id BEGIN
        UPDATE follow_up SET event_id = NEW.event_id
        WHERE deal_id = NEW.id AND event_id IS NOT NEW.event_id;
    END
    """,
    """
    CREATE TRIGGER tr_follow_up_event_insert AFTER INSERT ON follow_up
    WHEN NEW.deal_id IS NOT NULL BEGIN
        UPDATE follow_up SET event_id = (SELECT d.event_id FROM deal d WHERE d.id = NEW.deal_id)
        WHERE id = NEW.id
          AND event_id IS NOT (SELECT d.event_id FROM deal d WHERE d.id = NEW.deal_id);
    END
    """,
    """
    CREATE TRIGGER tr_follow_up_event_update AFTER UPDATE OF deal_id, event_id ON follow_up
    WHEN NEW.deal_id IS NOT NULL BEGIN
        UPDATE follow_up SET event_id = (SELECT d.event_id FROM deal d WHERE d.id = NEW.deal_id)
        WHERE id = NEW.id
          AND event_id IS NOT (SELECT d.event_id FROM deal d WHERE d.id = NEW.deal_id);
    END
    """,
    """
    CREATE TRIGGER tr_follow_up_event_of_activity AFTER UPDATE OF event_id ON activity
    WHEN NEW.event_id IS NOT OLD.event_id BEGIN
        UPDATE follow_up SET event_id = NEW.event_id
        WHERE activity_id = NEW.id AND deal_id IS NULL AND event_id IS OLD.event_id;
    END
    """,
]


def _v5(db: sqlite3.Connection) -> None:
    for statement in OVERVIEW_V5:  # triggers hold `;`, so no _run_script here
        db.execute(statement)


# v6: the Partners screen's deal filters. Partners with a deal in a status, or with a deal of a
# package tier, are gathered from these indexes alone (no lookup per deal): on 200,000 deals a
# status filter's first page went from ~450 ms to ~20 ms.
PARTNER_FILTERS_V6 = """
CREATE INDEX ix_deal_status_partner ON deal(status, archived, partner_id);
CREATE INDEX ix_deal_tier_partner ON deal(package_tier COLLATE NOCASE, archived, status, event_id, partner_id);
"""


def _v6(db: sqlite3.Connection) -> None:
    _run_script(db, PARTNER_FILTERS_V6)

# v7: the action queue's candidates (DESIGN 4.6), kept ready by triggers. On 200,000 deals the
# queue's joins cost more than everything else the Overview reads: a deal, a partner, a contact
# and an activity looked up by UUID for each follow-up, an open-follow-up check for each deal.
# So each candidate is one row here holding what the queue filters, scores and shows, clustered
# by event so a scope's candidates are one range each:
# - `queue_follow_up`: every open follow-up (not done, not archived) whose deal, if it has one,
#   is not archived; `event_id` is its deal's event, else its own, '' for a general one;
# - `queue_deal`: every deal that is not archived and has no open follow-up, with its stale
#   clock (the latest of creation, status change and last activity).
# What depends on the day, the window or the status settings (due by the horizon, closed, stale
# after N days) stays in the queries. Rows are rebuilt from the two `*_source` views by key, so
# a trigger cannot compute a row differently from the first fill; names and archived flags of
# partners and contacts are copied across by update. Like `partner_search`, nothing else writes
# these tables (commands, imports, undo and sync only write the entities). A later migration
# that rebuilds an entity table (create new, copy, drop, rename) must first drop these views
# and triggers (and migration 5's), which name the tables, or the rename fails; then recreate
# them.
QUEUE_FOLLOW_UP_SOURCE = """
    CREATE VIEW queue_follow_up_source AS
    SELECT coalesce(d.event_id, f.event_id, '') AS event_id, f.due_date AS due_date, f.id AS id,
           f.partner_id AS partner_id, p.name AS partner, p.archived AS partner_archived,
           f.deal_id AS deal_id, coalesce(dp.archived, 0) AS deal_partner_archived,
           d.status AS status, d.amount_cents AS amount_cents,
           d.probability_override AS probability_override,
           c.id AS contact_id, c.name AS contact, f.note AS note, f.activity_id AS activity_id
    FROM follow_up f
    JOIN partner p ON p.id = f.partner_id
    LEFT JOIN deal d ON d.id = f.deal_id
    LEFT JOIN partner dp ON dp.id = d.partner_id
    LEFT JOIN activity a ON a.id = f.activity_id
    LEFT JOIN contact c ON c.id = coalesce(d.contact_id, a.contact_id)
    WHERE f.done_at IS NULL AND f.archived = 0 AND (f.deal_id IS NULL OR d.archived = 0)
"""
QUEUE_DEAL_SOURCE = """
    CREATE VIEW queue_deal_source AS
    SELECT d.event_id AS event_id, d.status AS status,
           max(d.created_at, coalesce(d.status_changed_at, ''), coalesce(d.last_activity_at, ''))
               AS clock,
           d.id AS id, d.partner_id AS partner_id, p.name AS partner,
           p.archived AS partner_archived, d.contact_id AS contact_id, c.name AS contact,
           d.amount_cents AS amount_cents, d.probability_override AS probability_override
    FROM deal d
    JOIN partner p ON p.id = d.partner_id
    LEFT JOIN contact c ON c.id = d.contact_id
    WHERE d.archived = 0 AND NOT EXISTS (
        SELECT 1 FROM follow_up o WHERE o.deal_id = d.id AND o.done_at IS NULL AND o.archived = 0
    )
"""
QUEUE_FOLLOW_UP_COLUMNS = (
    "event_id, due_date, id, partner_id, partner, partner_archived, deal_id,"
    " deal_partner_archived, status, amount_cents, probability_override, contact_id, contact,"
    " note, activity_id"
)
QUEUE_DEAL_COLUMNS = (
    "event_id, status, clock, id, partner_id, partner, partner_archived, contact_id, contact,"
    " amount_cents, probability_override"
)


def _queue_follow_ups(where: str) -> str:
    """Rebuild the follow-up candidates matching `where` (over the view's columns)."""
    return (
        f"DELETE FROM queue_follow_up WHERE {where};"
        f" INSERT INTO queue_follow_up ({QUEUE_FOLLOW_UP_COLUMNS})"
        f" SELECT {QUEUE_FOLLOW_UP_COLUMNS} FROM queue_follow_up_source WHERE {where};"
    )


def _queue_deal(key: str) -> str:
    """Rebuild the deal candidate of deal `key` (nothing when NULL)."""
    return (
        f"DELETE FROM queue_deal WHERE id = {key};"
        f" INSERT INTO queue_deal ({QUEUE_DEAL_COLUMNS})"
        f" SELECT {QUEUE_DEAL_COLUMNS} FROM queue_deal_source WHERE id = {key};"
    )


def _trigger(name: str, when: str, body: str) -> str:
    return f"CREATE TRIGGER {name} {when} BEGIN {body} END"


QUEUE_V7 = [
    "DROP INDEX IF EXISTS ix_deal_stale",  # the stale deals are read from queue_deal now
    "CREATE INDEX ix_follow_up_activity ON follow_up(activity_id)",
    QUEUE_FOLLOW_UP_SOURCE,
    QUEUE_DEAL_SOURCE,
    """
    CREATE TABLE queue_follow_up (
        event_id TEXT NOT NULL, due_date TEXT NOT NULL, id TEXT NOT NULL,
        partner_id TEXT NOT NULL, partner TEXT NOT NULL, partner_archived BOOLEAN NOT NULL,
        deal_id TEXT, deal_partner_archived BOOLEAN NOT NULL, status TEXT,
        amount_cents INTEGER, probability_override INTEGER, contact_id TEXT, contact TEXT,
        note TEXT, activity_id TEXT,
        PRIMARY KEY (event_id, due_date, id)
    ) WITHOUT ROWID
    """,
    "CREATE UNIQUE INDEX ix_queue_follow_up_id ON queue_follow_up(id)",
    "CREATE INDEX ix_queue_follow_up_partner ON queue_follow_up(partner_id)",
    "CREATE INDEX ix_queue_follow_up_deal ON queue_follow_up(deal_id)",
    "CREATE INDEX ix_queue_follow_up_contact ON queue_follow_up(contact_id)",
    "CREATE INDEX ix_queue_follow_up_activity ON queue_follow_up(activity_id)",
    """
    CREATE TABLE queue_deal (
        event_id TEXT NOT NULL, status TEXT NOT NULL, clock TEXT NOT NULL, id TEXT NOT NULL,
        partner_id TEXT NOT NULL, partner TEXT NOT NULL, partner_archived BOOLEAN NOT NULL,
        contact_id TEXT, contact TEXT, amount_cents INTEGER, probability_override INTEGER,
        PRIMARY KEY (event_id, status, clock, id)
    ) WITHOUT ROWID
    """,
    "CREATE UNIQUE INDEX ix_queue_deal_id ON queue_deal(id)",
    "CREATE INDEX ix_queue_deal_partner ON queue_deal(partner_id)",
    "CREATE INDEX ix_queue_deal_contact ON queue_deal(contact_id)",
    f"INSERT INTO queue_follow_up ({QUEUE_FOLLOW_UP_COLUMNS})"
    f" SELECT {QUEUE_FOLLOW_UP_COLUMNS} FROM queue_follow_up_source",
    f"INSERT INTO queue_deal ({QUEUE_DEAL_COLUMNS}) SELECT {QUEUE_DEAL_COLUMNS} FROM queue_deal_source",
    # A follow-up: its own row, and its deal's (an open follow-up takes the deal off the stale list).
    _trigger("tr_queue_follow_up_insert", "AFTER INSERT ON follow_up",
             _queue_follow_ups("id = NEW.id") + _queue_deal("NEW.deal_id")),
    _trigger("tr_queue_follow_up_update",
             "AFTER UPDATE OF id, partner_id, deal_id, activity_id, event_id, due_date, note,"
             " done_at, archived ON follow_up",
             "DELETE FROM queue_follow_up WHERE id = OLD.id;" + _queue_follow_ups("id = NEW.id")
             + _queue_deal("OLD.deal_id") + _queue_deal("NEW.deal_id")),
    _trigger("tr_queue_follow_up_delete", "AFTER DELETE ON follow_up",
             "DELETE FROM queue_follow_up WHERE id = OLD.id;" + _queue_deal("OLD.deal_id")),
    # A deal: its own row; its follow-ups' rows when something they copy changed.
    _trigger("tr_queue_deal_insert", "AFTER INSERT ON deal",
             _queue_deal("NEW.id") + _queue_follow_ups("deal_id = NEW.id")),
    _trigger("tr_queue_deal_update",
             "AFTER UPDATE OF id, partner_id, event_id, contact_id, status, amount_cents,"
             " probability_override, archived, created_at, status_changed_at, last_activity_at"
             " ON deal",
             "DELETE FROM queue_deal WHERE id = OLD.id;" + _queue_deal("NEW.id")),
    _trigger("tr_queue_deal_update_follow_ups",
             "AFTER UPDATE OF id, partner_id, event_id, contact_id, status, amount_cents,"
             " probability_override, archived ON deal",
             "DELETE FROM queue_follow_up WHERE deal_id = OLD.id;"
             + _queue_follow_ups("deal_id = NEW.id")),
    _trigger("tr_queue_deal_delete", "AFTER DELETE ON deal",
             "DELETE FROM queue_deal WHERE id = OLD.id;"
             " DELETE FROM queue_follow_up WHERE deal_id = OLD.id;"),
    # Names and archived flags, copied.
    _trigger("tr_queue_partner_update", "AFTER UPDATE OF name, archived ON partner",
             "UPDATE queue_follow_up SET partner = NEW.name, partner_archived = NEW.archived"
             " WHERE partner_id = NEW.id;"
             " UPDATE queue_deal SET partner = NEW.name, partner_archived = NEW.archived"
             " WHERE partner_id = NEW.id;"
             " UPDATE queue_follow_up SET deal_partner_archived = NEW.archived"
             " WHERE deal_id IN (SELECT d.id FROM deal d WHERE d.partner_id = NEW.id);"),
    _trigger("tr_queue_contact_update", "AFTER UPDATE OF name ON contact",
             "UPDATE queue_follow_up SET contact = NEW.name WHERE contact_id = NEW.id;"
             " UPDATE queue_deal SET contact = NEW.name WHERE contact_id = NEW.id;"),
    # A follow-up without a deal shows its activity's contact.
    _trigger("tr_queue_activity_update", "AFTER UPDATE OF contact_id ON activity",
             _queue_follow_ups("activity_id = NEW.id")),
]


def _v7(db: sqlite3.Connection) -> None:
    _run_statements(db, QUEUE_V7)


# v8: the in-scope deals' sums per (event, status), kept by triggers. The Overview's totals
# (KPIs, pipeline, scoreboard) are sums over every deal of the events in scope: 200,000 deals
# for all years on the large demo, ~95 ms even from a covering index. `deal_cell` holds them
# already summed per (event, status, whether the partner is archived), so the totals read a
# few hundred rows. Unlike the queue's candidates, a cell is a sum over many deals, so the
# triggers add and subtract one deal's share rather than rebuild a row; `deal_cell_source` is
# the same sums computed from the deals, for the first fill and for the tests' recount. A cell
# whose deals are all gone stays, its sums back at 0. As for migration 7: a later rebuild of
# `deal` or `partner` must drop and recreate this view and these triggers.
DEAL_CELL_COLUMNS = "event_id, status, partner_archived, n, amount, plain_amount, override_weight"
_DEAL_CELL_UPSERT = (
    " ON CONFLICT (event_id, status, partner_archived) DO UPDATE SET"
    " n = n + excluded.n, amount = amount + excluded.amount,"
    " plain_amount = plain_amount + excluded.plain_amount,"
    " override_weight = override_weight + excluded.override_weight;"
)


def _deal_cell_add(d: str, sign: str) -> str:
    """Add (sign '') or take away ('-') deal `d`'s share of its cell, if it is not archived."""
    return (
        f"INSERT INTO deal_cell ({DEAL_CELL_COLUMNS})"
        f" SELECT {d}.event_id, {d}.status,"
        f" coalesce((SELECT p.archived FROM partner p WHERE p.id = {d}.partner_id), 0),"
        f" {sign}1, {sign}coalesce({d}.amount_cents, 0),"
        f" {sign}(CASE WHEN {d}.probability_override IS NULL"
        f" THEN coalesce({d}.amount_cents, 0) ELSE 0 END),"
        f" {sign}coalesce({d}.amount_cents * {d}.probability_override, 0)"
        f" WHERE {d}.archived = 0" + _DEAL_CELL_UPSERT
    )


def _deal_cell_move_partner() -> str:
    """Move the deals of partner NEW.id from the cells of its old archived flag to the new."""
    out = ""
    for flag, sign in (("OLD.archived", "-"), ("NEW.archived", "")):
        out += (
            f"INSERT INTO deal_cell ({DEAL_CELL_COLUMNS})"
            f" SELECT event_id, status, {flag}, {sign}n, {sign}a, {sign}pa, {sign}w FROM ("
            "  SELECT d.event_id, d.status, count(*) AS n, coalesce(sum(d.amount_cents), 0) AS a,"
            "  coalesce(sum(CASE WHEN d.probability_override IS NULL THEN d.amount_cents END), 0)"
            "  AS pa, coalesce(sum(d.amount_cents * d.probability_override), 0) AS w"
            "  FROM deal d WHERE d.partner_id = NEW.id AND d.archived = 0"
            "  GROUP BY d.event_id, d.status"
            ") WHERE true" + _DEAL_CELL_UPSERT
        )
    return out


DEAL_CELL_V8 = [
    """
    CREATE VIEW deal_cell_source AS
    SELECT d.event_id AS event_id, d.status AS status, p.archived AS partner_archived,
           count(*) AS n, coalesce(sum(d.amount_cents), 0) AS amount,
           coalesce(sum(CASE WHEN d.probability_override IS NULL THEN d.amount_cents END), 0)
               AS plain_amount,
           coalesce(sum(d.amount_cents * d.probability_override), 0) AS override_weight
    FROM deal d JOIN partner p ON p.id = d.partner_id
    WHERE d.archived = 0
    GROUP BY d.event_id, d.status, p.archived
    """,
    """
    CREATE TABLE deal_cell (
        event_id TEXT NOT NULL, status TEXT NOT NULL, partner_archived BOOLEAN NOT NULL,
        n INTEGER NOT NULL, amount INTEGER NOT NULL, plain_amount INTEGER NOT NULL,
        override_weight INTEGER NOT NULL,
        PRIMARY KEY (event_id, status, partner_archived)
    ) WITHOUT ROWID
    """,
    f"INSERT INTO deal_cell ({DEAL_CELL_COLUMNS}) SELECT {DEAL_CELL_COLUMNS} FROM deal_cell_source",
    _trigger("tr_deal_cell_insert", "AFTER INSERT ON deal", _deal_cell_add("NEW", "")),
    _trigger("tr_deal_cell_update",
             "AFTER UPDATE OF partner_id, event_id, status, amount_cents, probability_override,"
             " archived ON deal",
             _deal_cell_add("OLD", "-") + _deal_cell_add("NEW", "")),
    _trigger("tr_deal_cell_delete", "AFTER DELETE ON deal", _deal_cell_add("OLD", "-")),
    _trigger("tr_deal_cell_partner", "AFTER UPDATE OF archived ON partner"
             " WHEN NEW.archived IS NOT OLD.archived",
             _deal_cell_move_partner()),
]


def _v8(db: sqlite3.Connection) -> None:
    _run_statements(db, DEAL_CELL_V8)


# v9: who counts as an active partner, per year, kept by triggers. The Overview's "active
# partners" is the number of distinct partners with a deal in scope that is not archived and not
# lost; for all years on the large demo that is a GROUP BY over 150,000 deals (~80 ms, most of
# it sorting partner ids). `active_partner_year` holds, per (event year, event archived flag,
# partner), how many such deals the partner has, so a whole-year or all-years scope counts a
# few rows per partner, already in partner order. Whether a status is lost (closed, not
# secured) is read from `status` when a deal is written, and the deals of a status whose flags
# change, or of an event whose year or archived flag changes, are moved in one statement. A row
# whose deals are all gone stays, with n back at 0. As for migrations 7 and 8: a later rebuild
# of `deal`, `event` or `status` must drop and recreate this view and these triggers.
ACTIVE_PARTNER_COLUMNS = "year, event_archived, partner_id, n"
_LIVE_STATUS = "(s.secured OR NOT s.closed)"
"""A status whose deals make their partner active: any but a lost one (closed, not secured)."""
_ACTIVE_PARTNER_UPSERT = (
    " ON CONFLICT (year, event_archived, partner_id) DO UPDATE SET n = n + excluded.n;"
)


def _active_partner_add(d: str, sign: str) -> str:
    """Count (sign '') or uncount ('-') deal `d` for its partner, if it is live (not archived,
    not in a lost status)."""
    return (
        f"INSERT INTO active_partner_year ({ACTIVE_PARTNER_COLUMNS})"
        f" SELECT e.year, e.archived, {d}.partner_id, {sign}1 FROM event e, status s"
        f" WHERE e.id = {d}.event_id AND s.key = {d}.status AND {d}.archived = 0"
        f" AND {_LIVE_STATUS}" + _ACTIVE_PARTNER_UPSERT
    )


def _active_partner_move(year: str, archived: str, sign: str, deals: str) -> str:
    """Count (sign '') or uncount ('-') the live deals `deals` (a condition on `deal d`, joined
    with its `status s`) under (`year`, `archived`), per partner."""
    return (
        f"INSERT INTO active_partner_year ({ACTIVE_PARTNER_COLUMNS})"
        f" SELECT {year}, {archived}, partner_id, {sign}n FROM ("
        f"  SELECT d.partner_id, count(*) AS n FROM deal d JOIN status s ON s.key = d.status"
        f"  WHERE {deals} AND d.archived = 0 AND {_LIVE_STATUS} GROUP BY d.partner_id"
        f") WHERE true" + _ACTIVE_PARTNER_UPSERT
    )


def _active_partner_status_flip() -> str:
    """A status turned lost (or back): uncount (or count) its deals, per event year and flag.
    Only runs when the status's lost-ness changed (the trigger's WHEN)."""
    return (
        f"INSERT INTO active_partner_year ({ACTIVE_PARTNER_COLUMNS})"
        " SELECT year, archived, partner_id,"
        "  CASE WHEN (NEW.secured OR NOT NEW.closed) THEN n ELSE -n END FROM ("
        "  SELECT e.year, e.archived, d.partner_id, count(*) AS n"
        "  FROM deal d JOIN event e ON e.id = d.event_id"
        "  WHERE d.status = NEW.key AND d.archived = 0 GROUP BY e.year, e.archived, d.partner_id"
        ") WHERE true" + _ACTIVE_PARTNER_UPSERT
    )


ACTIVE_PARTNER_V9 = [
    f"""
    CREATE VIEW active_partner_year_source AS
    SELECT e.year AS year, e.archived AS event_archived, d.partner_id AS partner_id,
           count(*) AS n
    FROM deal d JOIN event e ON e.id = d.event_id JOIN status s ON s.key = d.status
    WHERE d.archived = 0 AND {_LIVE_STATUS}
    GROUP BY e.year, e.archived, d.partner_id
    """,
    """
    CREATE TABLE active_partner_year (
        year INTEGER NOT NULL, event_archived BOOLEAN NOT NULL, partner_id TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (year, event_archived, partner_id)
    ) WITHOUT ROWID
    """,
    # All years: every row in partner order, so counting distinct partners needs no sort.
    "CREATE INDEX ix_active_partner_year_partner"
    " ON active_partner_year(partner_id, event_archived, n)",
    f"INSERT INTO active_partner_year ({ACTIVE_PARTNER_COLUMNS})"
    f" SELECT {ACTIVE_PARTNER_COLUMNS} FROM active_partner_year_source",
    _trigger("tr_active_partner_insert", "AFTER INSERT ON deal", _active_partner_add("NEW", "")),
    _trigger("tr_active_partner_update",
             "AFTER UPDATE OF partner_id, event_id, status, archived ON deal",
             _active_partner_add("OLD", "-") + _active_partner_add("NEW", "")),
    _trigger("tr_active_partner_delete", "AFTER DELETE ON deal", _active_partner_add("OLD", "-")),
    _trigger("tr_active_partner_event", "AFTER UPDATE OF year, archived ON event"
             " WHEN NEW.year IS NOT OLD.year OR NEW.archived IS NOT OLD.archived",
             _active_partner_move("OLD.year", "OLD.archived", "-", "d.event_id = OLD.id")
             + _active_partner_move("NEW.year", "NEW.archived", "", "d.event_id = NEW.id")),
    _trigger("tr_active_partner_status", "AFTER UPDATE OF secured, closed ON status"
             " WHEN (NEW.secured OR NOT NEW.closed) IS NOT (OLD.secured OR NOT OLD.closed)",
             _active_partner_status_flip()),
]


def _v9(db: sqlite3.Connection) -> None:
    _run_statements(db, ACTIVE_PARTNER_V9)


# v10: a narrow copy of the stale candidates' ranking columns. Counting the stale deals and
# ranking the queue's head read, per (event, status), the range of `queue_deal` before a clock
# cut-off, but only the clock, the partner's archived flag, the amount and the override (and
# the id); its rows also carry names and contact ids, ~300 bytes each: 49 MB on the large demo,
# more than the app's page cache, for an all-years scope. This index holds just those columns
# (19 MB), so SQLite reads it instead (a covering index); the report, which lists the names,
# still reads the table.
def _v10(db: sqlite3.Connection) -> None:
    db.execute(
        "CREATE INDEX ix_queue_deal_rank ON queue_deal"
        "(event_id, status, clock, partner_archived, amount_cents, probability_override)"
    )


MIGRATIONS: list[tuple[int, Callable[[sqlite3.Connection], None], bool]] = [
    # (number, function, rebuilds tables)
    (1, _v1, False),
    (2, _v2, True),
    (3, _v3, False),
    (4, _v4, False),
    (5, _v5, False),
    (6, _v6, False),
    (7, _v7, False),
    (8, _v8, False),
    (9, _v9, False),
    (10, _v10, False),
]
LATEST = MIGRATIONS[-1][0]


class MigrationError(RuntimeError):
    pass


def upgrade_notice(path: object, current: int, target: int) -> str:
    """What to tell someone whose database is being upgraded (it may take a while)."""
    return (f"Upgrading {path} from schema {current} to {target}; this happens once and can take "
            "a minute on a large database...")


def schema_version(db: sqlite3.Connection) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def migrate(
    db: sqlite3.Connection, upto: int | None = None,
    on_upgrade: Callable[[int, int], None] | None = None,
) -> list[int]:
    """Bring the database at `db` (a raw sqlite3 connection in autocommit mode) up to `upto`.

    Each migration is its own transaction; a failure rolls that one back and leaves the file at
    the previous version. Returns the numbers applied. `on_upgrade(from, to)` is called first
    when a database that has data (not a new file) is about to be upgraded: on a large one some
    migrations take many seconds, which the user should be told about.
    """
    latest = MIGRATIONS[-1][0]
    upto = latest if upto is None else upto
    current = schema_version(db)
    if current > latest:
        raise MigrationError(
            f"this database was written by a newer partners-tui (schema {current}, "
            f"this version knows up to {latest}); upgrade partners-tui to open it"
        )
    if on_upgrade is not None and 0 < current < upto:
        on_upgrade(current, upto)
    applied = []
    for number, fn, rebuilds in MIGRATIONS:
        if number <= current or number > upto:
            continue
        if rebuilds:
            db.execute("PRAGMA foreign_keys=OFF")  # no effect inside a transaction: set first
        try:
            db.execute("BEGIN IMMEDIATE")
            fn(db)
            problems = db.execute("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise MigrationError(
                    f"migration {number} would leave {len(problems)} broken references "
                    f"(first: table {problems[0][0]} row {problems[0][1]}); nothing was changed"
                )
            db.execute(f"PRAGMA user_version={number}")
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        finally:
            if rebuilds:
                db.execute("PRAGMA foreign_keys=ON")
        applied.append(number)
    return applied
