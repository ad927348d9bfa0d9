"""The tables triggers keep from the entities (migration 7's action-queue candidates, migration
8's deal sums per cell, migration 9's active partners per year) stay equal to a recount,
whatever writes the entities: store commands, undo, raw rows in any order, an upgrade from an
older schema.

`differences` compares each table with a fresh computation from its `*_source` view. Every
step below is checked, and each kind of write is made to change something the tables copy, so a
missing or wrong trigger shows up as a difference.
"""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from partners_tui.store.commands import Store
from partners_tui.store.migrations import migrate
from partners_tui.store.derived_tables import differences
from test_query_support import World, days


@pytest.fixture
def w(store):
    return World(store)


@pytest.fixture
def raw(db_path, store):
    db = sqlite3.connect(db_path)
    yield db
    db.close()


def table(raw, name: str, *columns: str) -> dict:
    """id → (columns) of one candidate table."""
    return {r[0]: r[1:] for r in raw.execute(f"SELECT id, {', '.join(columns)} FROM {name}")}


def test_every_kind_of_write_keeps_the_derived_tables_in_step(w, store, raw):
    def same() -> None:
        assert differences(raw) == {}

    ev = w.event("Summit", 2026)
    other = w.event("Gala", 2026)
    acme = w.partner("Acme")
    pat = w.contact(acme, "Pat")
    deal = w.deal(acme, ev, "1000", "pitched", on=days(-30), contact_id=pat)
    same()
    # A new deal with no follow-up is a stale candidate with its clock, names and amount.
    assert table(raw, "queue_deal", "event_id", "status", "partner", "contact", "amount_cents") == {
        deal: (ev, "pitched", "Acme", "Pat", 100000)}
    # Its cell: 1 deal, 1,000.00 (100000 cents), all of it without a probability override.
    assert raw.execute("SELECT event_id, status, partner_archived, n, amount, plain_amount,"
                       " override_weight FROM deal_cell WHERE n != 0").fetchall() == [
        (ev, "pitched", 0, 1, 100000, 100000, 0)]
    fu = w.follow_up(acme, days(3), deal)
    same()
    # An open follow-up takes the deal off the stale list and copies the deal's fields.
    assert table(raw, "queue_deal", "status") == {}
    assert table(raw, "queue_follow_up", "event_id", "due_date", "status", "contact") == {
        fu: (ev, days(3), "pitched", "Pat")}

    store.change_deal_status(deal, "in_conversation")
    same()
    store.update_deal(deal, {"amount": "2500", "event_id": other, "probability_override": 40})
    same()
    # Moved: the old cell is empty, the new one holds 2,500.00 with a 40 % override
    # (weight 250000 × 40 = 10,000,000 cent-percent).
    assert raw.execute("SELECT event_id, status, n, amount, plain_amount, override_weight"
                       " FROM deal_cell WHERE n != 0").fetchall() == [
        (other, "in_conversation", 1, 250000, 0, 10_000_000)]
    assert table(raw, "queue_follow_up", "event_id", "status", "amount_cents") == {
        fu: (other, "in_conversation", 250000)}
    store.update_partner(acme, {"name": "Acme Two"})
    store.update_contact(pat, {"name": "Patricia"})
    same()
    assert table(raw, "queue_follow_up", "partner", "contact") == {fu: ("Acme Two", "Patricia")}

    store.reschedule_follow_up(fu, days(9))
    same()
    store.complete_follow_up(fu)
    same()
    assert table(raw, "queue_follow_up", "due_date") == {}
    assert set(table(raw, "queue_deal", "status")) == {deal}  # back on the stale list
    store.undo()  # the follow-up open again
    same()
    assert set(table(raw, "queue_follow_up", "due_date")) == {fu}
    assert table(raw, "queue_deal", "status") == {}

    # Activities: logging one restarts the deal's clock; a deal-less follow-up shows its
    # activity's contact and event.
    store.complete_follow_up(fu)
    clock_before = table(raw, "queue_deal", "clock")[deal]
    w.at_time("2026-11-22 18:00").log_activity({"partner_id": acme, "channel": "email",
                                                "deal_id": deal})  # six hours later
    same()
    assert table(raw, "queue_deal", "clock")[deal] > clock_before
    lee = w.contact(acme, "Lee")
    act = store.log_activity({"partner_id": acme, "channel": "call", "event_id": ev,
                              "contact_id": pat}, next_follow_up=days(2))
    same()
    loose = next(k for k, v in table(raw, "queue_follow_up", "deal_id").items() if v == (None,))
    assert table(raw, "queue_follow_up", "event_id", "contact")[loose] == (ev, "Patricia")
    store.update_activity(act, {"contact_id": lee})
    same()
    assert table(raw, "queue_follow_up", "contact")[loose] == ("Lee",)

    # Archiving: the partner's flag is copied; an archived deal takes its follow-ups out.
    store.archive_partner(acme)
    same()
    assert {v for v in table(raw, "queue_follow_up", "partner_archived").values()} == {(1,)}
    store.restore_partner(acme)
    fu2 = w.follow_up(acme, days(1), deal)
    store.archive_deal(deal)
    same()
    assert set(table(raw, "queue_follow_up", "due_date")) == {loose}
    assert table(raw, "queue_deal", "status") == {}
    store.restore_deal(deal)
    same()
    assert set(table(raw, "queue_follow_up", "due_date")) == {loose, fu2}
    store.archive_follow_up(fu2)
    same()

    # Deleting a deal (its follow-ups go with it), and undoing that.
    store.delete_deal(deal)
    same()
    assert table(raw, "queue_deal", "status") == {}
    store.undo()
    same()
    assert set(table(raw, "queue_deal", "status")) == {deal}
    store.undo()  # the follow-up's archiving undone
    same()
    assert fu2 in table(raw, "queue_follow_up", "due_date")


def active_rows(raw) -> set[tuple]:
    """(year, event archived, partner, live deals) of migration 9's rows that count."""
    return set(raw.execute("SELECT year, event_archived, partner_id, n FROM active_partner_year"
                           " WHERE n != 0").fetchall())


def test_events_and_statuses_move_the_active_partner_counts(w, store, raw):
    """Migration 9's per-year counts follow an event's year and archived flag, and a status
    turning lost or back, besides the deals' own writes."""
    def same() -> None:
        assert differences(raw) == {}

    ev, gala = w.event("Summit", 2026), w.event("Gala", 2025)
    acme, zeta = w.partner("Acme"), w.partner("Zeta")
    w.deal(acme, ev, "100", "pitched")
    w.deal(acme, gala, "100", "pitched")
    lost = w.deal(zeta, ev, "100", "declined")  # lost: makes nobody active
    same()
    assert active_rows(raw) == {(2025, 0, acme, 1), (2026, 0, acme, 1)}
    store.update_event(gala, {"year": 2026})  # both of Acme's deals now count under 2026
    same()
    assert active_rows(raw) == {(2026, 0, acme, 2)}
    store.archive_event(gala)
    same()
    assert active_rows(raw) == {(2026, 0, acme, 1), (2026, 1, acme, 1)}
    store.restore_event(gala)
    store.change_deal_status(lost, "pitched")  # Zeta active
    same()
    assert active_rows(raw) == {(2026, 0, acme, 2), (2026, 0, zeta, 1)}
    # "pitched" made lost (closed, not secured) takes every pitched deal out; then back.
    store.update_status("pitched", {"closed": True})
    same()
    assert active_rows(raw) == set()
    store.update_status("pitched", {"closed": False})
    same()
    assert active_rows(raw) == {(2026, 0, acme, 2), (2026, 0, zeta, 1)}
    store.undo()
    same()
    assert active_rows(raw) == set()


def test_an_older_database_gets_its_derived_tables_on_migration(tmp_path, clock):
    """Rows written at schema 6 (no candidate tables) are all there after the upgrade."""
    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path, isolation_level=None)
    migrate(db, upto=6)
    _statuses(db)
    stamp = STAMP
    db.execute("INSERT INTO event (id, name, year, archived, created_at, updated_at) "
               "VALUES ('e1', 'Summit', 2026, 0, ?, ?)", (stamp, stamp))
    db.execute("INSERT INTO partner (id, name, archived, created_at, updated_at) "
               "VALUES ('p1', 'Acme', 0, ?, ?)", (stamp, stamp))
    for i, status in enumerate(("pitched", "confirmed", "paid")):
        db.execute("INSERT INTO deal (id, partner_id, event_id, status, archived, created_at, "
                   "updated_at) VALUES (?, 'p1', 'e1', ?, 0, ?, ?)", (f"d{i}", status, stamp, stamp))
    db.execute("INSERT INTO follow_up (id, partner_id, deal_id, due_date, archived, created_at, "
               "updated_at) VALUES ('f1', 'p1', 'd0', '2026-11-25', 0, ?, ?)", (stamp, stamp))
    db.close()
    Store.open(path, clock=clock).close()  # migrates to the latest
    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA user_version").fetchone()[0] >= 7
        assert differences(db) == {}
        assert {r[0] for r in db.execute("SELECT id FROM queue_deal")} == {"d1", "d2"}
        assert db.execute("SELECT id, event_id FROM queue_follow_up").fetchall() == [("f1", "e1")]
        assert db.execute("SELECT status, n FROM deal_cell ORDER BY status").fetchall() == [
            ("confirmed", 1), ("paid", 1), ("pitched", 1)]
        # None of the three is lost (paid is closed but secured): Acme counts 3 live deals.
        assert active_rows(db) == {(2026, 0, "p1", 3)}
    finally:
        db.close()


# --- random raw writes ---------------------------------------------------------------------

IDS = {"partner": ["p0", "p1", "p2"], "contact": ["c0", "c1"], "event": ["e0", "e1"],
       "deal": ["d0", "d1", "d2", "d3"], "activity": ["a0", "a1"],
       "follow_up": ["f0", "f1", "f2", "f3", "f4"]}
STAMP = "2026-10-01T00:00:00Z"


def _statuses(db) -> None:
    for i, (key, secured, closed, stale) in enumerate((
        ("prospecting", 0, 0, 14), ("pitched", 0, 0, 14), ("confirmed", 1, 0, 30),
        ("paid", 1, 1, None), ("declined", 0, 1, None),
    )):
        db.execute("INSERT INTO status (key, label, position, probability, secured, closed,"
                   " stale_after_days, archived, created_at, updated_at)"
                   " VALUES (?, ?, ?, 10, ?, ?, ?, 0, ?, ?)",
                   (key, key, i, secured, closed, stale, STAMP, STAMP))


def _world(db) -> None:
    _statuses(db)
    for key in IDS["event"]:
        db.execute("INSERT INTO event (id, name, year, archived, created_at, updated_at) "
                   "VALUES (?, ?, 2026, 0, ?, ?)", (key, key, STAMP, STAMP))
    for key in IDS["partner"]:
        db.execute("INSERT INTO partner (id, name, archived, created_at, updated_at) "
                   "VALUES (?, ?, 0, ?, ?)", (key, key, STAMP, STAMP))
    for i, key in enumerate(IDS["contact"]):
        db.execute("INSERT INTO contact (id, partner_id, name, archived, created_at, updated_at) "
                   "VALUES (?, ?, ?, 0, ?, ?)", (key, f"p{i}", key, STAMP, STAMP))
    for i, key in enumerate(IDS["deal"]):
        db.execute("INSERT INTO deal (id, partner_id, event_id, status, archived, created_at, "
                   "updated_at) VALUES (?, ?, ?, 'pitched', 0, ?, ?)",
                   (key, f"p{i % 3}", f"e{i % 2}", STAMP, STAMP))
    for i, key in enumerate(IDS["activity"]):
        db.execute("INSERT INTO activity (id, partner_id, contact_id, event_id, channel, "
                   "occurred_at, archived, created_at, updated_at) "
                   "VALUES (?, ?, ?, 'e0', 'email', ?, 0, ?, ?)",
                   (key, f"p{i}", f"c{i}", STAMP, STAMP, STAMP))
    for i, (deal, activity) in enumerate((("d0", None), ("d1", "a0"), (None, "a1"))):
        db.execute("INSERT INTO follow_up (id, partner_id, deal_id, activity_id, due_date, archived,"
                   " created_at, updated_at) VALUES (?, ?, ?, ?, '2026-11-25', 0, ?, ?)",
                   (f"f{i}", f"p{i}", deal, activity, STAMP, STAMP))


COLUMN_VALUES = {
    "follow_up": {
        "deal_id": st.sampled_from([None, *IDS["deal"]]),
        "activity_id": st.sampled_from([None, *IDS["activity"]]),
        "event_id": st.sampled_from([None, *IDS["event"]]),
        "due_date": st.sampled_from(["2026-11-20", "2026-11-30", "2027-01-05"]),
        "done_at": st.sampled_from([None, STAMP]),
        "archived": st.sampled_from([0, 1]),
        "note": st.sampled_from([None, "call back", "[bold]x[/]"]),
        "partner_id": st.sampled_from(IDS["partner"]),
    },
    "deal": {
        "status": st.sampled_from(["prospecting", "pitched", "confirmed", "paid", "declined"]),
        "amount_cents": st.sampled_from([None, 0, 150000]),
        "probability_override": st.sampled_from([None, 0, 40]),
        "archived": st.sampled_from([0, 1]),
        "event_id": st.sampled_from(IDS["event"]),
        "partner_id": st.sampled_from(IDS["partner"]),
        "contact_id": st.sampled_from([None, *IDS["contact"]]),
        "status_changed_at": st.sampled_from([None, "2026-11-01T00:00:00Z"]),
        "last_activity_at": st.sampled_from([None, "2026-11-10T00:00:00Z"]),
    },
    "partner": {"name": st.sampled_from(["Acme", "=HYPERLINK(\"x\")", "zeta"]),
                "archived": st.sampled_from([0, 1])},
    "contact": {"name": st.sampled_from(["Pat", "Lee"])},
    "activity": {"contact_id": st.sampled_from([None, *IDS["contact"]]),
                 "event_id": st.sampled_from([None, *IDS["event"]])},
    "event": {"year": st.sampled_from([2025, 2026]), "archived": st.sampled_from([0, 1])},
    "status": {"secured": st.sampled_from([0, 1]), "closed": st.sampled_from([0, 1])},
}
STATUS_KEYS = ["prospecting", "pitched", "confirmed", "paid", "declined"]


@st.composite
def writes(draw):
    """One raw write: insert or delete a follow-up, insert or delete a deal, or update one
    column (of a status too: its secured and closed flags make its deals lost or not)."""
    kind = draw(st.sampled_from(["insert_follow_up", "delete_follow_up", "delete_deal",
                                 "insert_deal", "update", "update", "update", "update"]))
    if kind == "insert_deal":
        return (kind, draw(st.sampled_from(IDS["deal"])),
                {c: draw(COLUMN_VALUES["deal"][c])
                 for c in ("status", "amount_cents", "archived", "event_id", "partner_id")})
    if kind == "insert_follow_up":
        return (kind, draw(st.sampled_from(IDS["follow_up"])),
                {c: draw(s) for c, s in COLUMN_VALUES["follow_up"].items()})
    if kind == "delete_follow_up":
        return (kind, draw(st.sampled_from(IDS["follow_up"])), {})
    if kind == "delete_deal":
        return (kind, draw(st.sampled_from(IDS["deal"])), {})
    entity = draw(st.sampled_from(["follow_up", "deal", "deal", "partner", "contact", "activity",
                                   "event", "status"]))
    column = draw(st.sampled_from(sorted(COLUMN_VALUES[entity])))
    keys = STATUS_KEYS if entity == "status" else IDS[entity]
    return ("update", f"{entity}:{draw(st.sampled_from(keys))}",
            {column: draw(COLUMN_VALUES[entity][column])})


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(writes(), min_size=1, max_size=25))
def test_random_raw_writes_keep_the_derived_tables_in_step(tmp_path, steps):
    """Rows written straight into the tables (as a sync, an import or undo may) in any order:
    after every write each candidate table equals its recount."""
    db = sqlite3.connect(":memory:", isolation_level=None)
    db.execute("PRAGMA foreign_keys=ON")
    migrate(db)
    _world(db)
    assert differences(db) == {}
    for kind, key, values in steps:
        try:
            if kind == "insert_follow_up":
                db.execute(
                    "INSERT INTO follow_up (id, partner_id, deal_id, activity_id, event_id, due_date,"
                    " done_at, archived, note, created_at, updated_at) VALUES "
                    "(:id, :partner_id, :deal_id, :activity_id, :event_id, :due_date, :done_at,"
                    " :archived, :note, :at, :at)", {**values, "id": key, "at": STAMP})
            elif kind == "insert_deal":
                db.execute(
                    "INSERT INTO deal (id, partner_id, event_id, status, amount_cents, archived,"
                    " created_at, updated_at) VALUES (:id, :partner_id, :event_id, :status,"
                    " :amount_cents, :archived, :at, :at)", {**values, "id": key, "at": STAMP})
            elif kind == "delete_follow_up":
                db.execute("DELETE FROM follow_up WHERE id = ?", (key,))
            elif kind == "delete_deal":
                db.execute("UPDATE activity SET deal_id = NULL WHERE deal_id = ?", (key,))
                db.execute("DELETE FROM deal WHERE id = ?", (key,))
            else:
                entity, row = key.split(":")
                (column, value), = values.items()
                pk = "key" if entity == "status" else "id"
                db.execute(f"UPDATE {entity} SET {column} = ? WHERE {pk} = ?", (value, row))
        except sqlite3.IntegrityError:
            pass  # a write the schema refuses (a duplicate id, a broken reference) changes nothing
        assert differences(db) == {}, (kind, key, values)
    db.close()
