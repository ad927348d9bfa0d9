"""The command line: where files are, which database is used, undo, plain errors."""

import sqlite3

from click.testing import CliRunner

from partners_tui.cli import main
from partners_tui.store.commands import Store


def run(*args, env=None):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def test_locate_prints_paths_under_the_user_dirs(tmp_path):
    result = run("locate")
    assert result.exit_code == 0
    lines = dict(line.split(":", 1) for line in result.output.splitlines())
    assert lines["database"].strip() == str(tmp_path / "xdg" / "data" / "partners-tui" / "partners.sqlite3")
    assert lines["config"].strip() == str(tmp_path / "xdg" / "config" / "partners-tui" / "config.json")
    assert lines["log"].strip().startswith(str(tmp_path / "xdg" / "state" / "partners-tui"))


def test_db_option_beats_environment_beats_default(tmp_path):
    env_db = tmp_path / "env.sqlite3"
    assert f"database: {env_db}" in run("locate", env={"PARTNERS_TUI_DB": str(env_db)}).output
    cli_db = tmp_path / "cli.sqlite3"
    out = run("--db", str(cli_db), "locate", env={"PARTNERS_TUI_DB": str(env_db)}).output
    assert f"database: {cli_db}" in out


def test_undo_from_the_command_line(db_path, clock):
    store = Store.open(db_path, clock=clock)
    store.create_partner({"name": "Acme"})
    store.close()
    result = run("--db", str(db_path), "undo")
    assert (result.exit_code, result.output) == (0, "Undone: New partner Acme\n")
    result = run("--db", str(db_path), "undo")
    assert result.exit_code == 1 and "nothing to undo" in result.output


def test_a_database_from_a_newer_version_gets_a_plain_message(db_path, clock):
    Store.open(db_path, clock=clock).close()
    db = sqlite3.connect(db_path)
    db.execute("PRAGMA user_version=42")
    db.close()
    result = run("--db", str(db_path), "undo")
    assert result.exit_code == 1
    assert "newer partners-tui (schema 42" in result.output
    assert "Traceback" not in result.output


def test_bad_today_is_a_usage_error(db_path):
    result = run("--db", str(db_path), "demo", "--today", "2026-02-30")
    assert result.exit_code == 2 and "not a real date" in result.output
