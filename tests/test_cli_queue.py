"""`partners-tui log` and `partners-tui queue` on the UI sample data (tests/ui/ui_sample.py).

Today is Sunday 2026-11-22. In scope `auto` (2026: BizTech Hackathon 2026) the queue holds
Northwind's follow-up due 2026-11-18 (4 days overdue) and Globex's due today.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from partners_tui.cli import main
from partners_tui.store.commands import Store

sys.path.append(str(Path(__file__).parent / "ui"))  # after tests/: never shadows its conftest
import ui_sample  # noqa: E402
from ui_sample import pid  # noqa: E402


@pytest.fixture
def sample_db(store, db_path):
    ui_sample.fill(store)
    store.create_partner({"name": "Northwind Traders"}, id=pid(6))
    return db_path


def run(db_path, *args):
    return CliRunner().invoke(main, ["--db", str(db_path), *args], catch_exceptions=False)


def fetch(db_path, sql, **params):
    store = Store.open(db_path)
    try:
        with store.read() as conn:
            return conn.execute(text(sql), params).mappings().all()
    finally:
        store.close()


def count_activities(db_path) -> int:
    return fetch(db_path, "SELECT count(*) AS n FROM activity")[0]["n"]


def test_log_on_the_only_open_deal_completes_the_due_follow_up_and_schedules_the_next(sample_db):
    result = run(sample_db, "log", "northwind v", "--channel", "call", "--summary",
                 "Wants the deck", "--next", "+1w", "--today", "2026-11-22")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Logged call with Northwind Ventures on BizTech Hackathon 2026.",
        "  Follow-up due 2026-11-18 marked done.",
        "  Next follow-up 2026-11-29.",  # 22 + 7
    ]
    activity = fetch(sample_db, "SELECT * FROM activity WHERE summary = 'Wants the deck'")[0]
    assert (activity["partner_id"], activity["deal_id"], activity["event_id"], activity["channel"]) == (
        pid(2), pid(202), pid(101), "call")
    assert fetch(sample_db, "SELECT done_at FROM follow_up WHERE id = :i", i=pid(301))[0]["done_at"]
    nxt = fetch(sample_db, "SELECT * FROM follow_up WHERE done_at IS NULL AND partner_id = :p", p=pid(2))
    assert [(f["due_date"], f["deal_id"], f["activity_id"]) for f in nxt] == [
        ("2026-11-29", pid(202), activity["id"])]
    # One command: one undo takes it all back.
    undo = run(sample_db, "undo")
    assert undo.output.startswith("Undone: Log call with Northwind Ventures")
    assert count_activities(sample_db) == 1
    assert fetch(sample_db, "SELECT done_at FROM follow_up WHERE id = :i", i=pid(301))[0]["done_at"] is None


def test_ambiguous_partner_lists_candidates_and_writes_nothing(sample_db):
    before = count_activities(sample_db)
    result = run(sample_db, "log", "northwind", "--channel", "call", "--summary", "x")
    assert result.exit_code == 1
    assert "'northwind' matches 2 partners" in result.output
    assert f"Northwind Ventures  {pid(2)}" in result.output
    assert f"Northwind Traders  {pid(6)}" in result.output
    assert "Nothing was logged." in result.output
    assert count_activities(sample_db) == before


def test_unknown_partner_is_an_error(sample_db):
    result = run(sample_db, "log", "Hooli", "--channel", "call", "--summary", "x")
    assert result.exit_code == 1 and "no partner matches 'Hooli'" in result.output


def test_event_and_status_move_the_deal(sample_db):
    result = run(sample_db, "log", "acme", "--channel", "meeting", "--summary", "Signed",
                 "--event", pid(102), "--status", "Confirmed", "--today", "2026-11-22")
    assert result.exit_code == 0, result.output
    assert "Logged meeting with Acme Analytics on Blueprint Conference 2027." in result.output
    assert "Status Reached Out → confirmed." in result.output
    deal = fetch(sample_db, "SELECT status FROM deal WHERE id = :i", i=pid(204))[0]
    assert deal["status"] == "confirmed"
    # Not due yet (2026-12-01) and no --next: the follow-up stays open.
    assert fetch(sample_db, "SELECT done_at FROM follow_up WHERE id = :i", i=pid(303))[0]["done_at"] is None
    history = fetch(sample_db, "SELECT old, new FROM change WHERE entity = 'deal' AND field = 'status' "
                               "AND entity_id = :i", i=pid(204))
    assert [(json.loads(h["old"]), json.loads(h["new"])) for h in history] == [("reached_out", "confirmed")]


def test_event_by_name(sample_db):
    result = run(sample_db, "log", "acme", "--channel", "email", "--summary", "Deck sent",
                 "--event", "blueprint conference 2027")
    assert result.exit_code == 0, result.output
    assert "on Blueprint Conference 2027" in result.output


def test_several_open_deals_without_event(sample_db):
    # Acme has open deals in 101 (confirmed is secured, not closed) and 102: no single deal.
    result = run(sample_db, "log", "acme", "--channel", "call", "--summary", "Hello")
    assert result.exit_code == 0, result.output
    assert "Not tied to a deal" in result.output
    result = run(sample_db, "log", "acme", "--channel", "call", "--summary", "x", "--status", "paid")
    assert result.exit_code == 1 and "--status needs one deal" in result.output


@pytest.mark.parametrize(
    "args, message",
    [
        (["--next", "2026-02-30"], "not a real date"),
        (["--next", "soonish"], "is not a date"),
        (["--status", "nope"], "is not a status"),
        (["--event", "No Such Event"], "no event"),
    ],
)
def test_bad_options_write_nothing(sample_db, args, message):
    before = count_activities(sample_db)
    result = run(sample_db, "log", "globex", "--channel", "call", "--summary", "x", *args)
    assert result.exit_code != 0 and message in result.output
    assert count_activities(sample_db) == before


def test_keep_follow_up(sample_db):
    result = run(sample_db, "log", "globex", "--channel", "call", "--summary", "x",
                 "--keep-follow-up", "--today", "2026-11-22")
    assert result.exit_code == 0 and "marked done" not in result.output
    assert fetch(sample_db, "SELECT done_at FROM follow_up WHERE id = :i", i=pid(302))[0]["done_at"] is None


def test_queue_json(sample_db):
    result = run(sample_db, "queue", "--json", "--today", "2026-11-22")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["today"] == "2026-11-22" and data["scope"]["year"] == 2026
    assert (data["count"], data["overdue"]) == (2, 1)
    first, second = data["items"]
    assert first["key"] == f"follow_up:{pid(301)}"
    assert (first["partner"], first["due"], first["days_until_due"], first["overdue"]) == (
        "Northwind Ventures", "4d overdue", -4, True)
    assert first["reason"] == "Follow-up 4 days overdue"
    assert first["amount"] == 3000
    # Northwind: urgency 60 + 4 = 64; value: weighted 3000 × 50% = 1500 is the largest → 20.
    assert first["score"] == 84
    # Globex: due today 55; weighted 2500 × 20% = 500 → round(20 × 500 / 1500) = 7.
    assert (second["partner"], second["due"], second["score"]) == ("Globex Foundation", "Due today", 62)


def test_queue_text_and_scope_options(sample_db):
    result = run(sample_db, "queue", "--today", "2026-11-22")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "Action queue as of 2026-11-22: 2 items, 1 overdue"
    assert lines[2].startswith("4d overdue") and "Northwind Ventures" in lines[2]
    every = json.loads(run(sample_db, "queue", "--json", "--year", "all", "--today", "2026-11-22").output)
    # All years adds Acme's 2027 follow-up due 2026-12-01 (in 9 days, inside 21).
    assert every["count"] == 3
    bad = run(sample_db, "queue", "--window", "3")
    assert bad.exit_code == 1 and "--window must be between 7 and 90" in bad.output


def test_queue_limit_shows_the_first_items_and_counts_them_all(sample_db):
    whole = json.loads(run(sample_db, "queue", "--json", "--year", "all", "--today", "2026-11-22").output)
    head = json.loads(run(sample_db, "queue", "--json", "--year", "all", "--limit", "2",
                          "--today", "2026-11-22").output)
    assert (head["count"], head["overdue"]) == (whole["count"], whole["overdue"]) == (3, 1)
    assert head["items"] == whole["items"][:2]
    text = run(sample_db, "queue", "--year", "all", "--limit", "2", "--today", "2026-11-22").output
    assert text.splitlines()[0] == "Action queue as of 2026-11-22: 3 items, 1 overdue"
    assert text.rstrip().endswith("… and 1 more")
