"""`partners-tui sheets ...` end to end against the fake server, and the sync status in
`report --json`."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from .sync_sample import ACCOUNT, SHEET
from .sync_sample import fill, pid
from partners_tui.cli import main
from partners_tui.store.commands import Store
from partners_tui.sync import gateway


@pytest.fixture
def cli(db_path, fake, monkeypatch, tmp_path, clock):
    """Run the CLI on the sample database, with the fake server standing in for Google."""
    monkeypatch.setattr(gateway, "session_factory", fake.session)
    store = Store.open(db_path, clock=clock)
    fill(store)
    store.close()
    key = tmp_path / "key.json"
    key.write_text(json.dumps({"type": "service_account", "client_email": ACCOUNT,
                               "private_key": "x", "token_uri": "https://oauth2.googleapis.com/token"}))

    def run(*args):
        return CliRunner().invoke(main, ["--db", str(db_path), *[str(a) for a in args]], catch_exceptions=False)

    run.key = key
    return run


def test_connect_push_pull_status_and_conflicts(cli, fake):
    out = cli("sheets", "status")
    assert out.exit_code == 0 and "not connected" in out.output

    out = cli("sheets", "connect", "--spreadsheet", f"https://docs.google.com/spreadsheets/d/{SHEET}/edit",
              "--service-account", cli.key)
    assert out.exit_code == 0, out.output
    assert f"Connected to \"Team sheet\" ({SHEET}) as {ACCOUNT}" in out.output
    assert "system keyring" in out.output

    out = cli("sheets", "push")
    assert out.exit_code == 0, out.output
    # 3 partners, 1 contact, 2 events, 4 deals, 2 activities, 2 follow-ups, 4 Pipeline rows = 18;
    # 3 calls: connect made 2-row tabs, so this push sizes them.
    assert "Push done: pushed 18 rows" in out.output and "in 3 API calls" in out.output
    assert "[6/6] Pushed" in out.output

    fake.type_cell(SHEET, "Deals", fake.find_row(SHEET, "Deals", pid(202)), "amount", "lots")
    fake.type_cell(SHEET, "Deals", fake.find_row(SHEET, "Deals", pid(203)), "notes", "from the sheet")
    out = cli("sheets", "sync")
    assert out.exit_code == 0, out.output
    assert "1 changed" in out.output and "1 bad rows skipped" in out.output
    assert "skipped: Deals row 3: amount: 'lots' is not an amount" in out.output

    out = cli("sheets", "status")
    assert "Google Sheets: connected" in out.output
    assert "changes waiting to be pushed: 0" in out.output
    assert "Deals row 3: amount" in out.output
    status = json.loads(cli("sheets", "status", "--json").output)
    assert status["state"] == "connected" and status["last_pull_rows"] == 14 and status["pull_problems"] == 1

    out = cli("sheets", "conflicts")
    assert out.output == "No conflicts to review.\n"

    report = json.loads(cli("report", "--json").output)
    assert report["sync"]["sheets"]["configured"] is True
    assert report["sync"]["sheets"]["state"] == "connected"
    assert report["sync"]["sheets"]["pending_changes"] == 0

    out = cli("sheets", "disconnect")
    assert "Disconnected" in out.output
    assert json.loads(cli("report", "--json").output)["sync"]["sheets"]["state"] == "not_configured"


def test_failures_are_one_line_and_exit_1(cli, fake):
    assert cli("sheets", "push").output.startswith("Error: Google Sheets is not connected")
    cli("sheets", "connect", "--spreadsheet", SHEET, "--service-account", cli.key)
    fake.forbidden.add(SHEET)
    out = cli("sheets", "pull")
    assert out.exit_code == 1
    assert out.output.strip().splitlines()[-1] == (
        f"Error: Permission denied: {ACCOUNT} cannot edit this spreadsheet. Share it with {ACCOUNT} "
        "as an Editor, then sync again. Your changes are kept here."
    )
    assert "last error: Permission denied" in cli("sheets", "status").output


def test_activities_days_is_remembered(cli, fake):
    cli("sheets", "connect", "--spreadsheet", SHEET, "--service-account", cli.key)
    out = cli("sheets", "push", "--activities-days", "7")
    assert out.exit_code == 0, out.output
    assert [r["id"] for r in fake.records(SHEET, "Activities")] == [pid(401)]  # pid(402) is 3 weeks old
    cli("sheets", "push")
    assert len(fake.records(SHEET, "Activities")) == 1
    cli("sheets", "push", "--all-activities")
    assert len(fake.records(SHEET, "Activities")) == 2


def test_conflicts_are_listed_and_can_be_marked_reviewed(cli, fake, db_path, clock):
    cli("sheets", "connect", "--spreadsheet", SHEET, "--service-account", cli.key)
    cli("sheets", "push")
    store = Store.open(db_path, clock=clock)
    store.update_deal(pid(204), {"amount": 9000})
    store.close()
    row = fake.find_row(SHEET, "Deals", pid(204))
    fake.type_cell(SHEET, "Deals", row, "amount", "8500")
    fake.type_cell(SHEET, "Deals", row, "updated_at", "2099-01-01T00:00:00.000Z")
    cli("sheets", "sync")
    out = cli("sheets", "conflicts", "--mark-reviewed")
    assert "deal Acme Analytics / Blueprint: amount_cents: here 900000, sheet 850000 → kept the sheet's value" in out.output
    assert "Marked 1 conflict(s) as reviewed." in out.output
    assert cli("sheets", "conflicts").output == "No conflicts to review.\n"
    assert "(reviewed)" in cli("sheets", "conflicts", "--all").output


def test_auto_sync_interval_is_kept_in_the_config(cli):
    assert cli("sheets", "auto-sync", "5").exit_code == 1  # not connected yet
    cli("sheets", "connect", "--spreadsheet", SHEET, "--service-account", cli.key)
    assert "every 5 minutes" in cli("sheets", "auto-sync", "5").output
    from partners_tui.sync.settings import load_settings

    assert load_settings().auto_sync_minutes == 5
    assert "off" in cli("sheets", "auto-sync", "off").output
    assert load_settings().auto_sync_minutes is None
    assert cli("sheets", "auto-sync", "soon").exit_code == 2
