"""Importing the reference CRM's JSON export (tests/fixtures/reference/biztech.json).

Expectations are computed by hand from the fixture: 5 persons at 4 companies (two at "Acme Corp" /
"ACME corp"), 3 events (one archived), 5 links, 3 communications, 4 follow-up dates.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from table_rows import rows
from sqlalchemy import select

from partners_tui.store.changelog import CHANGE, table
from partners_tui.store.importers import ImportFailed, run_import
from partners_tui.store.importers.plan import company_id

FIXTURE = Path(__file__).parent / "fixtures" / "reference" / "biztech.json"
TABLES = ("partner", "contact", "event", "status", "deal", "activity", "follow_up")
ACME = company_id("Acme Corp")


def dump(store) -> dict[str, list[dict]]:
    """Every entity table plus the command and change logs, for before/after comparisons."""
    with store.read() as conn:
        out = {t: [dict(r) for r in conn.execute(select(table(t)).order_by(*table(t).primary_key.columns)).mappings()] for t in TABLES}
        for log in ("command", "change"):
            out[log] = [tuple(r) for r in conn.exec_driver_sql(f"SELECT * FROM {log} ORDER BY id")]
    return out




def load_fixture() -> dict:
    return json.loads(FIXTURE.read_text())


def write(tmp_path: Path, data: dict, name: str = "ref.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return path


def do_import(store, path: Path = FIXTURE, skip_bad: bool = False):
    return run_import(store, "biztech", path, skip_bad=skip_bad)


# --- a clean import ------------------------------------------------------------------------


def test_import_creates_the_expected_rows(store):
    result = do_import(store)
    counts = {e: c[0] for e, c in result.counts.items()}
    assert counts == {"partner": 4, "contact": 5, "event": 3, "deal": 5, "activity": 3, "follow_up": 4}
    assert result.new_statuses == ["waiting_contract"]
    assert result.skipped == []
    assert "partners: 4 created" in result.summary()
    assert "follow-ups: 4 created" in result.summary()

    partners = rows(store, "partner")
    assert sorted(p["name"] for p in partners.values()) == ["Acme Corp", "Globex", "Initech", "Umbrella"]
    acme = partners[ACME]
    assert acme["tier"] == "gold"
    assert acme["tags"] == "tech, alumni-partner, hiring"  # united over both persons
    assert acme["is_alumni"] is True
    assert acme["created_at"] == "2024-12-01T00:00:00.000Z"  # earliest person (P2)
    assert acme["updated_at"] == "2025-03-01T00:00:00.000Z"  # latest person (P2)
    assert partners[company_id("Initech")]["archived"] is True  # its only person is archived

    contacts = rows(store, "contact")
    assert set(contacts) == {"P1", "P2", "P3", "P4", "P5"}  # the reference person id is kept
    assert contacts["P1"]["partner_id"] == contacts["P2"]["partner_id"] == ACME
    assert contacts["P1"]["title"] == "Recruiter"
    assert contacts["P1"]["created_at"] == "2025-01-01T00:00:00.000Z"
    assert contacts["P4"]["archived"] is True


def test_events_keep_goal_dates_tiers_and_archived(store):
    do_import(store)
    events = rows(store, "event")
    blueprint = events["E1"]
    assert (blueprint["name"], blueprint["year"]) == ("Blueprint", 2026)
    assert (blueprint["outreach_start"], blueprint["start_date"], blueprint["end_date"]) == (
        "2025-09-01", "2026-01-24", "2026-01-25",
    )
    assert blueprint["goal_cents"] == 3_000_000
    assert json.loads(blueprint["tier_presets"]) == [
        {"label": "Gold", "amount_cents": 500_000}, {"label": "Silver", "amount_cents": 250_000},
    ]
    assert events["E2"]["goal_cents"] == 1_200_050  # "12000.50" as text
    assert events["E2"]["outreach_start"] is None
    assert events["E3"]["archived"] is True
    # Addressable by the reference id: a store command finds it.
    assert store.update_event("E1", {"notes": "Renamed notes"})["notes"][1] == "Renamed notes"


def test_links_become_deals_with_statuses_amounts_and_clocks(store):
    do_import(store)
    deals = rows(store, "deal")
    assert {k: d["status"] for k, d in deals.items()} == {
        "L1": "reached_out", "L2": "waiting_contract", "L3": "confirmed", "L4": "paid", "L5": "pitched",
    }
    assert {k: d["amount_cents"] for k, d in deals.items()} == {
        "L1": 500_000, "L2": 250_050, "L3": 250_000, "L4": 100_000, "L5": None,
    }
    l1 = deals["L1"]
    assert (l1["partner_id"], l1["contact_id"], l1["event_id"]) == (ACME, "P1", "E1")
    assert (l1["package_tier"], l1["role"], l1["notes"]) == ("gold", "Sponsor", "Sent deck")
    assert l1["created_at"] == "2025-09-01T00:00:00.000Z"
    assert l1["updated_at"] == l1["status_changed_at"] == "2025-09-08T00:00:00.000Z"
    # The stale clock: latest communication on that partner and event.
    assert l1["last_activity_at"] == "2025-09-08T00:00:00.000Z"  # C1
    assert deals["L3"]["last_activity_at"] == "2025-09-16T05:20:00.000Z"  # C2 (1758000000000)
    assert deals["L2"]["last_activity_at"] is None  # C3 has no event
    assert deals["L5"]["last_activity_at"] is None

    custom = rows(store, "status")["waiting_contract"]
    assert (custom["label"], custom["probability"], custom["stale_after_days"]) == ("Waiting Contract", 10, 14)
    assert not custom["secured"] and not custom["closed"]


def test_communications_become_activities_and_follow_ups(store):
    do_import(store)
    acts = rows(store, "activity")
    assert set(acts) == {"C1", "C2", "C3"}
    assert (acts["C1"]["channel"], acts["C1"]["direction"], acts["C1"]["event_id"]) == ("email", "outbound", "E1")
    assert (acts["C2"]["channel"], acts["C2"]["direction"]) == ("call", "inbound")  # "Phone"
    assert acts["C3"]["direction"] == "outbound"  # blank → the default
    assert acts["C3"]["event_id"] is None and acts["C3"]["contact_id"] == "P2"
    assert all(a["source"] == "import" for a in acts.values())

    follow_ups = sorted(rows(store, "follow_up").values(), key=lambda f: f["due_date"])
    assert [(f["due_date"], f["deal_id"], f["activity_id"], f["event_id"]) for f in follow_ups] == [
        ("2026-11-25", "L1", None, "E1"),
        ("2026-11-28", None, "C1", "E1"),
        ("2026-12-01", "L3", None, "E1"),
        ("2026-12-05", None, "C3", None),
    ]
    assert all(f["done_at"] is None for f in follow_ups)  # open
    assert {f["partner_id"] for f in follow_ups} == {ACME, company_id("Globex")}


def test_reimport_changes_nothing(store):
    do_import(store)
    before = dump(store)
    result = do_import(store)
    assert dump(store) == before  # not even a command row
    assert not result.changed
    assert result.summary().startswith("Nothing changed")
    assert sum(c[2] for c in result.counts.values()) == 24


def test_company_joins_an_existing_partner_by_name(store):
    existing = store.create_partner({"name": "acme corp", "industry": "Retail"})
    do_import(store)
    partners = rows(store, "partner")
    assert len(partners) == 4 and ACME not in partners
    assert rows(store, "contact")["P1"]["partner_id"] == existing
    assert rows(store, "deal")["L1"]["partner_id"] == existing
    assert partners[existing]["industry"] == "Retail"


def test_a_later_export_updates_changed_records_only(store):
    do_import(store)
    data = load_fixture()
    data["links"][0].update(status="confirmed", amount=6000, followUpDate="2026-12-10", updatedAt=1760000000000)
    result = run_import(store, "biztech", write(store_tmp(store), data), skip_bad=False)
    assert result.counts["deal"] == [0, 1, 4]
    assert result.counts["follow_up"] == [0, 1, 3]
    assert [f["due_date"] for f in rows(store, "follow_up").values() if f["deal_id"] == "L1"] == ["2026-12-10"]
    l1 = rows(store, "deal")["L1"]
    assert (l1["status"], l1["amount_cents"]) == ("confirmed", 600_000)
    assert l1["updated_at"] == l1["status_changed_at"] == "2025-10-09T08:53:20.000Z"
    with store.read() as conn:
        change = CHANGE
        history = conn.execute(
            select(change.c.old, change.c.new, change.c.at).where(change.c.entity_id == "L1", change.c.field == "status")
        ).all()
    assert history == [('"reached_out"', '"confirmed"', "2025-10-09T08:53:20.000Z")]


def test_an_older_file_does_not_revert_a_local_edit(store):
    do_import(store)
    store.update_deal("L1", {"amount": 7000})
    do_import(store)
    assert rows(store, "deal")["L1"]["amount_cents"] == 700_000


def test_undo_removes_the_import(store):
    before = dump(store)
    do_import(store)
    undone = store.undo()
    assert undone.description.startswith("Import biztech.json")
    after = dump(store)
    for entity in TABLES:
        assert after[entity] == before[entity], entity


# --- bad input -----------------------------------------------------------------------------


def store_tmp(store) -> Path:
    """A scratch folder next to the test's database file."""
    path = Path(store.engine.url.database).parent / "files"
    path.mkdir(exist_ok=True)
    return path


def failing(store, path: Path) -> list[str]:
    before = dump(store)
    with pytest.raises(ImportFailed) as info:
        run_import(store, "biztech", path, skip_bad=False)
    assert dump(store) == before  # nothing written
    return info.value.problems


def test_malformed_json_names_file_and_line(store, tmp_path):
    path = tmp_path / "ref.json"
    path.write_text('{"partners": [\n  {"id": "P1",}\n]}')
    problems = failing(store, path)
    assert len(problems) == 1
    assert problems[0].startswith("ref.json: line 2 column")
    assert "not valid JSON" in problems[0]


def test_not_an_export_is_refused(store, tmp_path):
    path = write(tmp_path, {"rows": []})
    assert failing(store, path) == ["ref.json: file: has none of partners, links, events, communications"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["partners"][2].pop("company"), "ref.json: partners[2] (id P3) company: is required"),
        (lambda d: d["links"][0].update(amount=-5), "ref.json: links[0] (id L1) amount: must be 0 or more"),
        (lambda d: d["links"][2].update(followUpDate="2026-02-30"),
         "ref.json: links[2] (id L3) followUpDate: '2026-02-30' is not a real calendar date"),
        (lambda d: d["events"][1].update(startDate="2026-02-30"),
         "ref.json: events[1] (id E2) startDate: '2026-02-30' is not a real calendar date"),
        (lambda d: d["links"][1].update(eventId="E9"), "ref.json: links[1] (id L2) eventId: no event with id 'E9'"),
        (lambda d: d["links"].append({**d["links"][0], "amount": 6000}),
         "ref.json: links[5] (id L1) amount: id L1 appears again with different content (first at links[0])"),
        (lambda d: d["communications"][0].update(occurredAt="yesterday"),
         "ref.json: communications[0] (id C1) occurredAt: 'yesterday' is not a timestamp (epoch milliseconds or ISO 8601)"),
        (lambda d: d["communications"][1].update(partnerId="P9"),
         "ref.json: communications[1] (id C2) partnerId: no partner with id 'P9'"),
    ],
    ids=["missing-company", "negative-amount", "impossible-date", "event-date", "unknown-event",
         "duplicate-id", "bad-timestamp", "unknown-partner"],
)
def test_bad_record_names_file_record_and_field(store, tmp_path, change, expected):
    data = load_fixture()
    change(data)
    problems = failing(store, write(tmp_path, data))
    assert problems[0] == expected


def test_every_problem_is_listed(store, tmp_path):
    data = load_fixture()
    data["links"][0]["amount"] = -5
    data["links"][2]["followUpDate"] = "2026-02-30"
    data["partners"][4]["company"] = " "
    problems = failing(store, write(tmp_path, data))
    assert problems == [
        "ref.json: partners[4] (id P5) company: is required",
        "ref.json: links[0] (id L1) amount: must be 0 or more",
        "ref.json: links[2] (id L3) followUpDate: '2026-02-30' is not a real calendar date",
        "ref.json: links[4] (id L5) partnerId: partner P5 is itself bad (see its problem)",
    ]


def test_identical_duplicate_is_harmless(store, tmp_path):
    data = load_fixture()
    data["links"].append(dict(data["links"][0]))
    result = run_import(store, "biztech", write(tmp_path, data), skip_bad=False)
    assert result.counts["deal"][0] == 5


def test_skip_bad_imports_the_rest(store, tmp_path):
    data = load_fixture()
    data["links"][0]["amount"] = -5  # L1 and its follow-up are skipped
    data["events"][2]["year"] = "soon"  # E3 and its link L4 are skipped
    result = run_import(store, "biztech", write(tmp_path, data), skip_bad=True)
    assert result.skipped == [
        "ref.json: events[2] (id E3) year: 'soon' is not a whole number",
        "ref.json: links[0] (id L1) amount: must be 0 or more",
        "ref.json: links[3] (id L4) eventId: event E3 is itself bad (see its problem)",
    ]
    assert set(rows(store, "deal")) == {"L2", "L3", "L5"}
    assert set(rows(store, "event")) == {"E1", "E2"}
    assert {f["deal_id"] for f in rows(store, "follow_up").values()} == {None, "L3"}
    assert "3 problem(s): bad records skipped" in result.summary()


def test_unreadable_file_fails_even_with_skip_bad(store, tmp_path):
    path = tmp_path / "ref.json"
    path.write_text("not json")
    with pytest.raises(ImportFailed):
        run_import(store, "biztech", path, skip_bad=True)


def test_fixture_is_not_modified(tmp_path, store):
    copy = tmp_path / "copy.json"
    shutil.copy(FIXTURE, copy)
    do_import(store, copy)
    assert copy.read_bytes() == FIXTURE.read_bytes()
