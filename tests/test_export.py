"""Exports: the full JSON backup and the reference CSV layout (which our CSV import reads back)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from table_rows import rows
from partners_tui.store.commands import Store
from partners_tui.store.exporters import export_csv, export_json
from partners_tui.store.importers import run_import

FIXTURE = Path(__file__).parent / "fixtures" / "reference" / "reference.csv"




@pytest.fixture
def sample(store):
    run_import(store, "csv", FIXTURE, skip_bad=False)
    acme = next(k for k, p in rows(store, "partner").items() if p["name"] == "Acme Corp")
    store.update_partner(acme, {"notes": '=HYPERLINK("x") and [bold]x[/]'})
    store.log_activity({"partner_id": acme, "deal_id": "L1", "channel": "call", "summary": "Talked"})
    return store


def test_json_holds_every_table_and_the_change_log(sample, tmp_path):
    path = tmp_path / "backup.json"
    counts = export_json(sample, path)
    data = json.loads(path.read_text())
    assert data["format"] == "partners-tui" and data["version"] == 1
    # 3 partners, 4 contacts, 3 events, 4 deals, 1 activity, 2 follow-ups, 11 statuses
    # (10 defaults + waiting_contract)
    expected = {"partners": 3, "contacts": 4, "events": 3, "deals": 4, "activities": 1,
                "follow_ups": 2, "statuses": 11}
    for name, n in expected.items():
        assert len(data[name]) == counts[name] == n, name
    assert counts["commands"] == 4  # the statuses' seed, the import, the partner edit, the activity
    assert {d["id"]: d["amount_cents"] for d in data["deals"]}["L4"] == 100_050
    assert any(p["notes"] == '=HYPERLINK("x") and [bold]x[/]' for p in data["partners"])


def test_csv_round_trips_through_the_csv_import(sample, tmp_path, clock):
    path = tmp_path / "out.csv"
    counts = export_csv(sample, path)
    # one row per deal (4) plus P3, the contact without a deal
    assert counts == {"rows": 5, "deals": 4, "partners": 3}
    with path.open(newline="") as fh:
        header = next(csv.reader(fh))
    assert header == next(csv.reader(FIXTURE.open(newline="")))
    other = Store.open(tmp_path / "other.sqlite3", clock=clock)
    try:
        run_import(other, "csv", path, skip_bad=False)
        pick = lambda s: {k: (d["partner_id"], d["event_id"], d["status"], d["amount_cents"], d["role"])
                          for k, d in rows(s, "deal").items()}
        assert pick(other) == pick(sample)
        due = lambda s: sorted((f["deal_id"], f["due_date"]) for f in rows(s, "follow_up").values())
        assert due(other) == due(sample)
    finally:
        other.close()


def test_a_failed_export_keeps_the_previous_file(sample, tmp_path, monkeypatch):
    path = tmp_path / "backup.json"
    path.write_text("previous")

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(json, "dumps", boom)
    with pytest.raises(OSError):
        export_json(sample, path)
    assert path.read_text() == "previous"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".backup")] == []


def test_our_json_backup_is_not_mistaken_for_a_reference_file(sample, tmp_path):
    from partners_tui.store.importers import ImportFailed

    path = tmp_path / "backup.json"
    export_json(sample, path)
    with pytest.raises(ImportFailed) as exc:
        run_import(sample, "biztech", path, skip_bad=False)
    assert "is a partners-tui export" in str(exc.value.problems[0])
