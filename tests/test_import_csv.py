"""Importing the reference CRM's CSV export (tests/fixtures/reference/reference.csv).

Expectations by hand from the fixture's 5 rows: persons P1 (two links L1, L2), P2 (L3), P3 (no
link), P4 (L4, archived). Companies "Acme Corp" and "ACME corp" are one partner, so 3 partners,
4 contacts, 3 events (E1 Blueprint 2026, E2 Data & Beyond 2026, E3 HelloHacks 2025), 4 deals,
2 follow-ups (L1 on 2026-11-25, L3 on 2026-12-01).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from table_rows import rows
from partners_tui.store.importers import ImportFailed, run_import

FIXTURE = Path(__file__).parent / "fixtures" / "reference" / "reference.csv"




def csv_with(tmp_path: Path, edit) -> Path:
    """The fixture with `edit(list_of_row_dicts)` applied, written to a new file."""
    with FIXTURE.open(newline="") as fh:
        reader = csv.DictReader(fh)
        header, data = reader.fieldnames, list(reader)
    edit(data)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(data)
    path = tmp_path / "edited.csv"
    path.write_text(out.getvalue())
    return path


def test_rows_become_partners_contacts_events_deals_and_follow_ups(store):
    result = run_import(store, "csv", FIXTURE, skip_bad=False)
    partners, contacts = rows(store, "partner"), rows(store, "contact")
    events, deals, follow_ups = rows(store, "event"), rows(store, "deal"), rows(store, "follow_up")
    assert sorted(p["name"] for p in partners.values()) == ["Acme Corp", "Globex", "Initech"]
    assert sorted(contacts) == ["P1", "P2", "P3", "P4"]
    assert contacts["P1"]["partner_id"] == contacts["P2"]["partner_id"]  # ACME corp joined Acme Corp
    assert {k: (e["name"], e["year"]) for k, e in events.items()} == {
        "E1": ("Blueprint", 2026), "E2": ("Data & Beyond", 2026), "E3": ("HelloHacks", 2025),
    }
    assert {k: (d["event_id"], d["contact_id"], d["status"], d["amount_cents"]) for k, d in deals.items()} == {
        "L1": ("E1", "P1", "reached_out", 500_000),      # "reached out" alias; 5000 → 500000 cents
        "L2": ("E2", "P1", "waiting_contract", 150_000), # custom status; "$1,500.00" → 150000
        "L3": ("E1", "P2", "confirmed", 250_000),
        "L4": ("E3", "P4", "paid", 100_050),             # 1000.5 → 100050
    }
    assert sorted((f["deal_id"], f["due_date"], f["event_id"]) for f in follow_ups.values()) == [
        ("L1", "2026-11-25", "E1"), ("L3", "2026-12-01", "E1"),
    ]
    assert all(f["done_at"] is None for f in follow_ups.values())
    # epoch milliseconds and ISO text both become UTC stamps (1757289600000 ms = 2025-09-08)
    assert deals["L1"]["updated_at"] == "2025-09-08T00:00:00.000Z"
    assert deals["L2"]["updated_at"] == "2025-09-01T00:00:00.000Z"
    assert contacts["P4"]["archived"]
    assert result.new_statuses == ["waiting_contract"]


def test_reimport_changes_nothing(store):
    run_import(store, "csv", FIXTURE, skip_bad=False)
    before = {e: rows(store, e) for e in ("partner", "contact", "event", "deal", "follow_up")}
    again = run_import(store, "csv", FIXTURE, skip_bad=False)
    assert not again.changed
    assert "Nothing changed" in again.summary()
    assert {e: rows(store, e) for e in before} == before


def test_missing_columns_are_named(store, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("company,email\nAcme,a@b.c\n")
    with pytest.raises(ImportFailed) as exc:
        run_import(store, "csv", path, skip_bad=False)
    message = str(exc.value.problems[0])
    assert "bad.csv" in message and "partnerId" in message
    assert store.is_empty()


@pytest.mark.parametrize(
    "column, value, expected",
    [
        ("sponsorshipAmount", "-50", "sponsorshipAmount"),
        ("sponsorshipAmount", "lots", "sponsorshipAmount"),
        ("followUpDate", "2026-02-30", "followUpDate"),
        ("company", "", "company"),
    ],
)
def test_a_bad_cell_names_file_line_and_column_and_writes_nothing(store, tmp_path, column, value, expected):
    def edit(data):
        data[2][column] = value  # the third data row is on line 4 of the file

    path = csv_with(tmp_path, edit)
    with pytest.raises(ImportFailed) as exc:
        run_import(store, "csv", path, skip_bad=False)
    text = "\n".join(str(p) for p in exc.value.problems)
    assert "edited.csv" in text and "line 4" in text and expected in text
    assert store.is_empty()


def test_skip_bad_imports_the_other_rows(store, tmp_path):
    def edit(data):
        data[4]["sponsorshipAmount"] = "-1"  # L4, line 6

    path = csv_with(tmp_path, edit)
    result = run_import(store, "csv", path, skip_bad=True)
    assert set(rows(store, "deal")) == {"L1", "L2", "L3"}
    assert len(result.skipped) == 1 and "line 6" in result.skipped[0]
