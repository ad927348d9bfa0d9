"""An older database file opens, upgrades and keeps every row."""

import shutil
import sqlite3
from pathlib import Path

import pytest

from partners_tui.store import migrations
from partners_tui.store.commands import Store
from partners_tui.store.migrations import LATEST, MigrationError
from partners_tui.store.models import TABLES, Change, Command

FIXTURE = Path(__file__).parent / "fixtures" / "schema_v1.sqlite3"
ALL_TABLES = [*TABLES, "command", "change"]


def dump(path: Path) -> dict[str, list[dict]]:
    db = sqlite3.connect(path)
    db.row_factory = sqlite3.Row
    out = {name: [dict(r) for r in db.execute(f"SELECT * FROM {name} ORDER BY rowid")] for name in ALL_TABLES}
    db.close()
    return out


@pytest.fixture
def v1_copy(tmp_path) -> Path:
    path = tmp_path / "old.sqlite3"
    shutil.copy(FIXTURE, path)
    return path


def test_fixture_is_really_schema_version_1(v1_copy):
    db = sqlite3.connect(v1_copy)
    assert db.execute("PRAGMA user_version").fetchone()[0] == 1
    columns = {r[1] for r in db.execute("PRAGMA table_info(deal)")}
    assert "last_activity_at" not in columns


def test_v1_database_upgrades_without_losing_a_row(v1_copy, clock):
    before = dump(v1_copy)
    assert sum(len(rows) for rows in before.values()) == 3 + 2 + 2 + 11 + 3 + 3 + 3 + 1 + 1 + 2 + 2

    store = Store.open(v1_copy, clock=clock)
    store.close()
    after = dump(v1_copy)

    db = sqlite3.connect(v1_copy)
    assert db.execute("PRAGMA user_version").fetchone()[0] == LATEST
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    for name, rows in before.items():
        assert len(after[name]) == len(rows), name
        for old, new in zip(rows, after[name]):
            assert {k: new[k] for k in old} == old, f"{name} row changed by the upgrade"
    # The follow-up on d-1 has ON DELETE CASCADE to deal: a rebuild with foreign keys on loses it.
    assert [r["id"] for r in after["follow_up"]] == ["f-1", "f-2", "f-3"]


def test_v2_backfills_the_stale_clock_from_activities(v1_copy, clock):
    Store.open(v1_copy, clock=clock).close()
    deals = {r["id"]: r for r in dump(v1_copy)["deal"]}
    assert deals["d-1"]["last_activity_at"] == "2025-02-10T17:30:00.000Z"  # a-1 is on the deal
    assert deals["d-2"]["last_activity_at"] == "2025-12-01T08:00:00.000Z"  # a-2: same partner+event
    assert deals["d-3"]["last_activity_at"] is None  # a-3 has no event: not this deal's


def test_upgraded_file_takes_new_constraints_and_still_works(v1_copy, clock):
    store = Store.open(v1_copy, clock=clock)
    db = sqlite3.connect(v1_copy, isolation_level=None)
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("UPDATE deal SET amount_cents = -1 WHERE id = 'd-1'")
    store.change_deal_status("d-1", "paid")
    assert store.undo().description.endswith("Confirmed → Paid")
    store.close()


def test_migrated_schema_matches_the_models(db_path, clock):
    Store.open(db_path, clock=clock).close()
    db = sqlite3.connect(db_path)
    for name, model in {**TABLES, "command": Command, "change": Change}.items():
        columns = {r[1] for r in db.execute(f"PRAGMA table_info({name})")}
        assert columns == set(model.__table__.columns.keys()), name


def test_file_from_a_newer_version_is_refused_untouched(db_path, clock):
    Store.open(db_path, clock=clock).close()
    db = sqlite3.connect(db_path)
    db.execute("PRAGMA user_version=99")
    db.close()
    data = db_path.read_bytes()
    with pytest.raises(MigrationError, match="newer partners-tui"):
        Store.open(db_path, clock=clock)
    assert db_path.read_bytes() == data


def test_a_failing_migration_rolls_back_and_keeps_the_old_version(v1_copy, clock, monkeypatch):
    def broken(db):
        db.execute("DELETE FROM partner WHERE parent_id IS NOT NULL")
        raise RuntimeError("disk full")

    last = migrations.LATEST  # the next number after the real ones is the broken one
    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, (last + 1, broken, True)])
    monkeypatch.setattr(migrations, "LATEST", last + 1)
    with pytest.raises(RuntimeError, match="disk full"):
        migrations.migrate(sqlite3.connect(v1_copy, isolation_level=None))
    db = sqlite3.connect(v1_copy)
    assert db.execute("PRAGMA user_version").fetchone()[0] == last  # real ones applied, broken rolled back
    assert db.execute("SELECT count(*) FROM partner").fetchone()[0] == 3
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 0  # a new connection's default


def test_a_migration_that_breaks_references_is_refused(v1_copy, monkeypatch):
    def orphan(db):
        db.execute("DELETE FROM partner WHERE id = 'p-parent'")

    last = migrations.LATEST
    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, (last + 1, orphan, True)])
    monkeypatch.setattr(migrations, "LATEST", last + 1)
    with pytest.raises(MigrationError, match="broken references"):
        migrations.migrate(sqlite3.connect(v1_copy, isolation_level=None))
    db = sqlite3.connect(v1_copy)
    assert db.execute("SELECT count(*) FROM partner").fetchone()[0] == 3


def test_v1_database_gets_the_queue_candidates_and_says_it_is_upgrading(v1_copy, clock):
    from partners_tui.store.derived_tables import differences

    told = []
    Store.open(v1_copy, clock=clock, on_upgrade=lambda *versions: told.append(versions)).close()
    assert told == [(1, LATEST)]
    db = sqlite3.connect(v1_copy)
    try:
        assert differences(db) == {}
        assert db.execute("SELECT count(*) FROM queue_follow_up").fetchone()[0] + \
            db.execute("SELECT count(*) FROM queue_deal").fetchone()[0] > 0
    finally:
        db.close()
    told.clear()
    Store.open(v1_copy, clock=clock, on_upgrade=lambda *versions: told.append(versions)).close()
    assert told == []  # up to date: nothing to say


def test_the_cli_says_when_it_upgrades_an_older_database(v1_copy):
    from click.testing import CliRunner

    from partners_tui.cli import main

    result = CliRunner().invoke(main, ["--db", str(v1_copy), "report", "--today", "2026-11-22"])
    assert result.exit_code == 0, result.output
    assert f"Upgrading {v1_copy} from schema 1 to {LATEST}" in result.stderr
    again = CliRunner().invoke(main, ["--db", str(v1_copy), "report", "--today", "2026-11-22"])
    assert "Upgrading" not in again.stderr
