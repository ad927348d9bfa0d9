"""`partners-tui report`: the JSON keys of DESIGN 4.8, the text report, and option errors."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from partners_tui.cli import main
from partners_tui.store.clock import Clock
from partners_tui.store.commands import Store

TOP = {"today", "scope", "kpis", "goal_pace", "pipeline", "events", "action_items", "sync"}
SCOPE = {"year", "year_mode", "event_id", "window_days", "include_archived"}
KPIS = {"active_partners", "events_in_scope", "archived_events", "revenue_secured", "goal",
        "goal_remaining", "open_pipeline", "weighted_pipeline", "action_items", "overdue_items"}
GOAL_PACE = {"goal", "secured", "actual_pct", "expected_pct", "expected_secured", "pace_delta",
             "status"}
EVENT = {"id", "name", "year", "archived", "goal", "secured", "committed", "open_pipeline",
         "actual_pct", "expected_pct", "pace_delta", "pace", "deals", "follow_ups_due",
         "follow_ups_overdue"}
PIPELINE = {"status", "label", "count", "amount", "share_count_pct", "share_amount_pct",
            "secured", "closed"}
ITEM = {"kind", "partner_id", "partner", "event_id", "deal_id", "status", "amount", "due_date",
        "days_until_due", "overdue", "stale_days", "score"}


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def filled(db_path, clock):
    """Gala (goal 2,000, outreach 2026-10-01 → end 2026-12-01): Acme confirmed 750.50 with a
    follow-up due 2026-11-20, Bolt pitched 1,000; Cobalt declined 300 (archived partner);
    a general follow-up for Bolt due 2026-11-25."""
    store = Store.open(db_path, clock=clock, who="tester")
    gala = store.create_event({"name": "Gala", "year": 2026, "goal": "2000",
                               "outreach_start": "2026-10-01", "end_date": "2026-12-01"})
    acme = store.create_partner({"name": "Acme"})
    bolt = store.create_partner({"name": "Bolt [b]"})
    cobalt = store.create_partner({"name": "Cobalt"})
    deal = store.create_deal({"partner_id": acme, "event_id": gala, "status": "confirmed",
                              "amount": "750.50"})
    store.create_deal({"partner_id": bolt, "event_id": gala, "status": "pitched", "amount": "1000"})
    store.create_deal({"partner_id": cobalt, "event_id": gala, "status": "declined", "amount": "300"})
    store.archive_partner(cobalt)
    store.add_follow_up({"partner_id": acme, "deal_id": deal, "due_date": "2026-11-20"})
    store.add_follow_up({"partner_id": bolt, "due_date": "2026-11-25"})
    store.close()
    return {"db": str(db_path), "gala": gala, "acme": acme, "bolt": bolt, "deal": deal}


def report_json(f, *args: str) -> dict:
    result = run("--db", f["db"], "report", "--json", "--today", "2026-11-22", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_json_has_exactly_the_keys_of_design_4_8(filled):
    r = report_json(filled)
    assert set(r) == TOP
    assert set(r["scope"]) == SCOPE and set(r["kpis"]) == KPIS
    assert set(r["goal_pace"]) == GOAL_PACE
    assert r["events"] and all(set(e) == EVENT for e in r["events"])
    assert r["pipeline"] and all(set(p) == PIPELINE for p in r["pipeline"])
    assert r["action_items"] and all(set(i) == ITEM for i in r["action_items"])
    assert set(r["sync"]) == {"sheets", "email"}


def test_json_values(filled):
    r = report_json(filled)
    assert r["today"] == "2026-11-22"
    assert r["scope"] == {"year": 2026, "year_mode": "auto", "event_id": None, "window_days": 21,
                          "include_archived": False}
    # secured 750.50 of 2,000 = 37.525 % → 37.53 (half up); r = 52/61 (2026-10-01 → 2026-12-01)
    # → expected 2,000 × 52/61 = 1,704.918… → 1,704.92 (85.25 %); delta 750.50 − 1,704.92.
    assert r["goal_pace"] == {
        "goal": 2000.0, "secured": 750.5, "actual_pct": 37.53, "expected_pct": 85.25,
        "expected_secured": 1704.92, "pace_delta": -954.42, "status": "behind",
    }
    assert r["kpis"] == {
        "active_partners": 2, "events_in_scope": 1, "archived_events": 0,
        "revenue_secured": 750.5, "goal": 2000.0, "goal_remaining": 1249.5,
        "open_pipeline": 1000.0, "weighted_pipeline": 200.0, "action_items": 2,
        "overdue_items": 1,
    }
    # Acme's follow-up is 2 days overdue: 60 + 2, value round(20 × 750.50/750.50) = 20 → 82.
    # Bolt's general follow-up is due in 3 days: 50 − round(40 × 3/21 = 5.71) = 44, no deal → 44.
    assert [(i["partner"], i["score"], i["days_until_due"]) for i in r["action_items"]] == [
        ("Acme", 82, -2), ("Bolt [b]", 44, 3)]
    assert r["sync"]["sheets"]["configured"] is False and r["sync"]["email"]["configured"] is False


def test_text_report(filled):
    result = run("--db", filled["db"], "report", "--today", "2026-11-22")
    assert result.exit_code == 0
    assert result.output == (
        "Partnerships report — 2026 (auto) — as of 2026-11-22\n"
        "Follow-up window 21 days; archived hidden\n"
        "\n"
        "Active partners     2\n"
        "Events in scope     1\n"
        "Revenue secured     750.50\n"
        "Goal                2,000.00\n"
        "Goal remaining      1,249.50\n"
        "Open pipeline       1,000.00 (weighted 200.00)\n"
        "Action items        2 (1 overdue)\n"
        "\n"
        "Goal pace: behind\n"
        "  secured 750.50 of 2,000.00 = 37.53%; expected by now 1,704.92 = 85.25%;"
        " delta -954.42\n"
        "\n"
        "Pipeline\n"
        "  Status     Deals    Amount  % deals  % amount\n"
        "  ---------  -----  --------  -------  --------\n"
        "  Pitched        1  1,000.00   50.00%    57.13%\n"
        "  Confirmed      1    750.50   50.00%    42.87%\n"
        "  Total          2  1,750.50  100.00%   100.00%\n"
        "\n"
        "Events\n"
        "  Event  Year      Goal  Secured  Actual  Expected  Pace        Open  Committed"
        "  Deals  Due/overdue\n"
        "  -----  ----  --------  -------  ------  --------  ------  --------  ---------"
        "  -----  -----------\n"
        "  Gala   2026  2,000.00   750.50  37.53%    85.25%  behind  1,000.00   1,750.50"
        "      2          0/1\n"
        "\n"
        "Action queue (2 items, 1 overdue)\n"
        "  Score  Due                      Partner   Event      Status     Amount\n"
        "  -----  -----------------------  --------  ---------  ---------  ------\n"
        "     82  2026-11-20 (2d overdue)  Acme      Gala       Confirmed  750.50\n"
        "     44  2026-11-25 (in 3d)       Bolt [b]  (general)                  —\n"
        "\n"
        "Sync: Google Sheets not configured; email not configured\n"
        "\n"
    )


def test_amount_shares_in_the_text_add_up(filled):
    # 1,000/1,750.50 = 57.1265 % → 57.13; 750.50/1,750.50 = 42.8735 % → 42.87; sum 100.00
    r = report_json(filled)
    assert [p["share_amount_pct"] for p in r["pipeline"]] == [57.13, 42.87, 100.0]


@pytest.mark.parametrize("window", ["6", "91"])
def test_window_out_of_range_names_the_bounds(filled, window):
    result = run("--db", filled["db"], "report", "--window", window)
    assert result.exit_code == 1
    assert f"--window must be between 7 and 90 days (got {window})" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("window", ["7", "90"])
def test_window_bounds_are_accepted(filled, window):
    assert report_json(filled, "--window", window)["scope"]["window_days"] == int(window)


def test_window_changes_what_is_due(filled):
    # Seen from 2026-11-15: Acme's follow-up is 5 days out, Bolt's 10 days out.
    week = run_json_at(filled, "2026-11-15", "--window", "7")["action_items"]
    assert [(i["partner"], i["days_until_due"]) for i in week] == [("Acme", 5)]
    assert len(run_json_at(filled, "2026-11-15")["action_items"]) == 2


def run_json_at(f, today: str, *args: str) -> dict:
    result = run("--db", f["db"], "report", "--json", "--today", today, *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.mark.parametrize("year", ["20x6", "next", "26"])
def test_bad_year(filled, year):
    result = run("--db", filled["db"], "report", "--year", year)
    assert result.exit_code == 1 and "--year must be auto, all or a year such as 2026" in result.output


def test_year_options(filled):
    assert report_json(filled, "--year", "all")["scope"]["year"] is None
    r = report_json(filled, "--year", "2025")
    assert (r["scope"]["year"], r["scope"]["year_mode"], r["events"]) == (2025, "year", [])


def test_unknown_event(filled):
    result = run("--db", filled["db"], "report", "--event", "no-such-event")
    assert result.exit_code == 1 and "no event with id 'no-such-event'" in result.output


def test_event_option(filled):
    r = report_json(filled, "--event", filled["gala"])
    assert r["scope"]["event_id"] == filled["gala"] and r["scope"]["year"] == 2026
    # With an event filter, the general follow-up is no longer an item.
    assert [i["partner"] for i in r["action_items"]] == ["Acme"]
    text = run("--db", filled["db"], "report", "--today", "2026-11-22", "--event", filled["gala"])
    assert text.output.startswith("Partnerships report — event Gala — as of 2026-11-22\n")


def test_include_archived(filled):
    r = report_json(filled, "--include-archived")
    # Cobalt (archived) is back: its declined 300 counts as a deal, not as an active partner.
    assert r["scope"]["include_archived"] is True
    assert r["kpis"]["active_partners"] == 2 and r["events"][0]["deals"] == 3
    assert r["events"][0]["committed"] == 2050.5


def test_today_makes_reports_reproducible(filled):
    a = run("--db", filled["db"], "report", "--json", "--today", "2026-11-22").output
    b = run("--db", filled["db"], "report", "--json", "--today", "2026-11-22").output
    assert a == b
    later = run_json_at(filled, "2026-12-02")
    # After the end date the expected ratio is 1: expected 2,000 = 100 %.
    assert later["today"] == "2026-12-02" and later["goal_pace"]["expected_pct"] == 100.0


def test_bad_today_is_a_usage_error(filled):
    result = run("--db", filled["db"], "report", "--today", "2026-02-30")
    assert result.exit_code == 2 and "not a real date" in result.output


def test_default_today_is_the_local_date_in_the_team_time_zone(filled, monkeypatch):
    store = Store.open(filled["db"], clock=Clock.fixed_at("2026-11-22"))
    store.set_setting("time_zone", "Pacific/Kiritimati")  # UTC+14
    store.close()
    # 2026-11-22 11:00 UTC: still the 22nd on this machine (Vancouver, 03:00) but already the
    # 23rd in Kiritimati (01:00), the team's zone: that is the report's "today".
    instant = dt.datetime(2026, 11, 22, 11, 0, tzinfo=dt.timezone.utc)
    monkeypatch.setattr(Clock, "now", lambda self: self.fixed.astimezone(dt.timezone.utc)
                        if self.fixed is not None else instant)
    result = run("--db", filled["db"], "report", "--json")
    assert json.loads(result.output)["today"] == "2026-11-23"


def test_json_text_round_trips_with_one_line_per_item(filled):
    from partners_tui.report import build_report, dumps

    store = Store.open(filled["db"], clock=Clock.fixed_at("2026-11-22"))
    data = build_report(store, today=dt.date(2026, 11, 22))
    data_none = build_report(store, today=dt.date(2026, 11, 22), year="2025")
    store.close()
    text = dumps(data)
    assert json.loads(text) == data and json.loads(dumps(data_none)) == data_none
    lines = text.splitlines()
    assert lines[lines.index('  "action_items": [') + 1].startswith('    {"kind": "follow_up"')
    assert '  "events": [],' in dumps(data_none)
