"""settings / status / goal from the command line: same rules and messages as the store."""

import json

from click.testing import CliRunner

from partners_tui.cli import main


def run(db, *args):
    return CliRunner().invoke(main, ["--db", str(db), *args], catch_exceptions=False)


def test_settings_show_and_set(db_path):
    assert json.loads(run(db_path, "settings", "show", "--json").output)["currency.code"] == "CAD"
    assert run(db_path, "settings", "set", "currency.code", "usd").output == "currency.code = USD\n"
    bad = run(db_path, "settings", "set", "follow_up.window_days", "5")
    assert bad.exit_code == 1 and "follow_up.window_days: must be between 7 and 90" in bad.output
    assert json.loads(run(db_path, "settings", "show", "--json").output)["follow_up.window_days"] == 21


def test_status_add_update_merge_list(db_path):
    assert run(db_path, "status", "add", "Waiting Contract", "--probability", "70").output == "Added status waiting_contract\n"
    assert run(db_path, "status", "update", "waiting_contract", "--label", "Contract Out", "--stale-after", "never").exit_code == 0
    rows = {r["key"]: r for r in json.loads(run(db_path, "status", "list", "--json").output)}
    assert (rows["waiting_contract"]["label"], rows["waiting_contract"]["probability"], rows["waiting_contract"]["stale_after_days"]) == (
        "Contract Out", 70, None)
    assert rows["waiting_contract"]["position"] == 6
    merged = run(db_path, "status", "merge", "waiting_contract", "confirmed")
    assert merged.output == "Merged waiting_contract into confirmed: 0 deal(s) moved\n"
    bad = run(db_path, "status", "update", "pitched", "--probability", "150")
    assert bad.exit_code == 1 and "probability: must be between 0 and 100" in bad.output
    guard = run(db_path, "status", "update", "confirmed", "--archive")
    assert guard.exit_code == 0  # paid is still secured
    guard = run(db_path, "status", "update", "paid", "--archive")
    assert guard.exit_code == 1 and "one secured status" in guard.output


def test_goal_set_and_clear(db_path):
    assert run(db_path, "goal", "set", "2026", "50,000").output == "2026: goal 50,000\n"
    negative = run(db_path, "goal", "set", "2026", "-5")
    assert negative.exit_code == 1 and "goal: must be 0 or more" in negative.output
    assert run(db_path, "goal", "clear", "2026").output == "2026: sum of event goals\n"
    assert run(db_path, "undo").output == "Undone: Annual goal 2026: sum of event goals\n"


def test_status_delete_only_when_unused(db_path):
    from partners_tui.store.commands import Store

    store = Store.open(db_path)
    p = store.create_partner({"name": "Acme"})
    e = store.create_event({"name": "E", "year": 2026})
    store.create_deal({"partner_id": p, "event_id": e, "status": "pitched"})
    store.close()
    used = run(db_path, "status", "delete", "pitched")
    assert used.exit_code == 1 and "Pitched is used by 1 deal(s); merge it into another status or archive it" in used.output
    assert run(db_path, "status", "delete", "shortlist").output == "Deleted status shortlist\n"
    keys = [r["key"] for r in json.loads(run(db_path, "status", "list", "--json").output)]
    assert "shortlist" not in keys and "pitched" in keys
