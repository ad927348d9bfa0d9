"""`partners-tui report`: the Overview's numbers as JSON (DESIGN 4.8) or readable text."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

from partners_tui.store.queries import ActionQueue, Overview, Scope, ScopeError, overview
from partners_tui.store.queries.common import no_gc, pct, units
from partners_tui.store.queries.queue_rows import QueueRows

CURRENCY_SETTING = "currency"


class ReportError(ValueError):
    """A bad report option (year, window, event); the message names the option."""


def build_report(
    store, *, year: str = "auto", event_id: str | None = None, window: int | None = None,
    include_archived: bool = False, today: dt.date,
) -> dict[str, Any]:
    """The report as a JSON-ready dict with exactly the keys of DESIGN 4.8."""
    try:
        scope = Scope.parse(year, event_id, window, include_archived)
        ov = read_report(store, scope, today)
    except ScopeError as exc:
        raise ReportError(str(exc)) from None
    return report_dict(ov)


def read_report(store, scope: Scope, today: dt.date) -> Overview:
    """What the report shows: the Overview's read models with the whole action queue as plain
    rows (the report lists every item, and needs no Python object per item)."""
    return overview(store, scope, today, queue_as_rows=True)


def report_dict(ov: Overview) -> dict[str, Any]:
    with no_gc():  # one dict per action item: thousands on a large database
        return _report_dict(ov)


def _report_dict(ov: Overview) -> dict[str, Any]:
    s, k, g = ov.scope, ov.kpis, ov.goal_pace
    pipeline = [
        {
            "status": r.status, "label": r.label, "count": r.count, "amount": units(r.amount_cents),
            "share_count_pct": r.share_count_pct, "share_amount_pct": r.share_amount_pct,
            "secured": r.secured, "closed": r.closed,
        }
        for r in ov.pipeline.rows
    ]
    total = ov.pipeline
    pipeline.append(
        {
            "status": None, "label": "Total", "count": total.total_count,
            "amount": units(total.total_amount_cents),
            "share_count_pct": 100.0 if total.total_count else 0.0,
            "share_amount_pct": 100.0 if total.total_amount_cents else 0.0,
            "secured": None, "closed": None,
        }
    )
    return {
        "today": s.today.isoformat(),
        "scope": {
            "year": s.year if s.year_mode != "all" else None,
            "year_mode": s.year_mode,
            "event_id": s.event_id,
            "window_days": s.window_days,
            "include_archived": s.include_archived,
        },
        "kpis": {
            "active_partners": k.active_partners,
            "events_in_scope": k.events_in_scope,
            "archived_events": k.archived_events,
            "revenue_secured": units(k.revenue_secured_cents),
            "goal": units(k.goal_cents),
            "goal_remaining": units(k.goal_remaining_cents),
            "open_pipeline": units(k.open_pipeline_cents),
            "weighted_pipeline": units(k.weighted_pipeline_cents),
            "action_items": k.action_items,
            "overdue_items": k.overdue_items,
        },
        "goal_pace": {
            "goal": units(g.goal_cents),
            "secured": units(g.secured_cents),
            "actual_pct": g.actual_pct,
            "expected_pct": g.expected_pct,
            "expected_secured": units(g.expected_secured_cents),
            "pace_delta": units(g.pace_delta_cents),
            "status": g.status,
        },
        "pipeline": pipeline,
        "events": [
            {
                "id": e.id, "name": e.name, "year": e.year, "archived": e.archived,
                "goal": units(e.goal_cents), "secured": units(e.secured_cents),
                "committed": units(e.committed_cents),
                "open_pipeline": units(e.open_pipeline_cents),
                "actual_pct": e.actual_pct, "expected_pct": e.expected_pct,
                "pace_delta": units(e.pace_delta_cents), "pace": e.pace, "deals": e.deals,
                "follow_ups_due": e.follow_ups_due, "follow_ups_overdue": e.follow_ups_overdue,
            }
            for e in ov.events
        ],
        "action_items": _action_items(ov.action_queue),
        "sync": {"sheets": _plain(ov.sync.sheets), "email": _plain(ov.sync.email)},
    }


def _action_items(queue: ActionQueue | QueueRows) -> list[dict[str, Any]]:
    """Per action item: DESIGN 4.8's keys. From plain rows (`build_report` reads those: no
    Python object per item before these dicts) or from the items of an `ActionQueue`."""
    if isinstance(queue, QueueRows):
        return [
            {
                "kind": kind, "partner_id": partner_id, "partner": partner,
                "event_id": event_id, "deal_id": deal_id, "status": status,
                "amount": None if amount is None else amount / 100, "due_date": due_date,
                "days_until_due": days_until_due, "overdue": overdue == 1,
                "stale_days": stale_days, "score": score,
            }
            for (kind, partner_id, partner, event_id, deal_id, status, amount, due_date,
                 days_until_due, overdue, stale_days, score, _id) in queue.rows
        ]
    return [
        {
            "kind": i.kind, "partner_id": i.partner_id, "partner": i.partner,
            "event_id": i.event_id, "deal_id": i.deal_id, "status": i.status,
            "amount": None if i.amount_cents is None else i.amount_cents / 100,
            "due_date": i.due_date, "days_until_due": i.days_until_due, "overdue": i.overdue,
            "stale_days": i.stale_days, "score": i.score,
        }
        for i in queue.items
    ]


def _plain(value: Any) -> Any:
    """A read model (dataclass, dates, tuples) as JSON-ready values, field names kept."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


# --- text ----------------------------------------------------------------------------------

PACE_WORDS = {
    "no_goal": "no goal", "not_started": "not started", "ahead": "ahead",
    "on_track": "on track", "behind": "behind",
}


def _money(value: float | int | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.2f}"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}%"


def _table(headers: list[str], body: list[list[str]], right: set[int]) -> list[str]:
    widths = [len(h) for h in headers]
    for row in body:
        widths = [max(w, len(c)) for w, c in zip(widths, row)]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths))
        ).rstrip()

    return [line(headers), line(["-" * w for w in widths])] + [line(r) for r in body]


def render_text(report: dict[str, Any]) -> str:
    """A plain-text report for people (no colour, no markup)."""
    s, k, g = report["scope"], report["kpis"], report["goal_pace"]
    if s["event_id"]:
        names = [e["name"] for e in report["events"]]
        what = f"event {names[0] if names else s['event_id']}"
    elif s["year_mode"] == "all":
        what = "all years"
    else:
        what = f"{s['year']}" + (" (auto)" if s["year_mode"] == "auto" else "")
    out = [
        f"Partnerships report — {what} — as of {report['today']}",
        f"Follow-up window {s['window_days']} days; archived "
        + ("included" if s["include_archived"] else "hidden"),
        "",
        f"Active partners     {k['active_partners']:,}",
        f"Events in scope     {k['events_in_scope']:,}"
        + (f" ({k['archived_events']:,} archived)" if k["archived_events"] else ""),
        f"Revenue secured     {_money(k['revenue_secured'])}",
        f"Goal                {_money(k['goal']) if k['goal'] is not None else 'no goal'}",
        f"Goal remaining      {_money(k['goal_remaining']) if k['goal'] is not None else 'no goal'}",
        f"Open pipeline       {_money(k['open_pipeline'])} (weighted {_money(k['weighted_pipeline'])})",
        f"Action items        {k['action_items']:,} ({k['overdue_items']:,} overdue)",
        "",
        "Goal pace: " + PACE_WORDS.get(g["status"], g["status"]),
    ]
    if g["goal"] is not None:
        out.append(
            f"  secured {_money(g['secured'])} of {_money(g['goal'])} = {_pct(g['actual_pct'])};"
            f" expected by now {_money(g['expected_secured'])} = {_pct(g['expected_pct'])};"
            f" delta {_money(g['pace_delta'])}"
        )
    out += ["", "Pipeline"]
    rows = [
        [r["label"], f"{r['count']:,}", _money(r["amount"]), _pct(r["share_count_pct"]),
         _pct(r["share_amount_pct"])]
        for r in report["pipeline"]
    ]
    out += ["  " + x for x in _table(["Status", "Deals", "Amount", "% deals", "% amount"], rows, {1, 2, 3, 4})]
    out += ["", "Events"]
    if report["events"]:
        rows = [
            [e["name"] + (" (archived)" if e["archived"] else ""), str(e["year"]),
             _money(e["goal"]), _money(e["secured"]), _pct(e["actual_pct"]),
             _pct(e["expected_pct"]), PACE_WORDS.get(e["pace"], e["pace"]),
             _money(e["open_pipeline"]), _money(e["committed"]), str(e["deals"]),
             f"{e['follow_ups_due']}/{e['follow_ups_overdue']}"]
            for e in report["events"]
        ]
        out += ["  " + x for x in _table(
            ["Event", "Year", "Goal", "Secured", "Actual", "Expected", "Pace", "Open",
             "Committed", "Deals", "Due/overdue"],
            rows, {1, 2, 3, 4, 5, 7, 8, 9, 10},
        )]
    else:
        out.append("  (no events in scope)")
    items = report["action_items"]
    out += ["", f"Action queue ({len(items):,} items, {k['overdue_items']:,} overdue)"]
    if items:
        labels = {r["status"]: r["label"] for r in report["pipeline"] if r["status"]}
        events = {e["id"]: e["name"] for e in report["events"]}
        rows = []
        for i in items:
            if i["kind"] == "follow_up":
                days = i["days_until_due"]
                when = i["due_date"] + (
                    f" ({-days}d overdue)" if days < 0 else " (today)" if days == 0
                    else f" (in {days}d)"
                )
            else:
                when = f"stale {i['stale_days']}d" + (" (overdue)" if i["overdue"] else "")
            rows.append([
                str(i["score"]), when, i["partner"],
                events.get(i["event_id"], "(general)" if i["event_id"] is None else ""),
                labels.get(i["status"], i["status"] or ""), _money(i["amount"]),
            ])
        out += ["  " + x for x in _table(
            ["Score", "Due", "Partner", "Event", "Status", "Amount"], rows, {0, 5},
        )]
    sheets, email = report["sync"]["sheets"], report["sync"]["email"]
    out += [
        "",
        "Sync: Google Sheets " + ("configured" if sheets["configured"] else "not configured")
        + "; email " + ("configured" if email["configured"] else "not configured"),
    ]
    return "\n".join(out) + "\n"


def dumps(report: dict[str, Any]) -> str:
    """The report as JSON for `report --json`: small objects indented, lists one element per
    line. (`json.dumps(indent=2)` falls back to the pure-Python encoder: three times slower on a
    large queue's thousands of items, and many times longer.)"""
    out = ["{"]
    last = len(report) - 1
    for n, (key, value) in enumerate(report.items()):
        comma = "," if n < last else ""
        name = json.dumps(key)
        if isinstance(value, list) and value:
            out.append(f"  {name}: [")
            out.append(",\n".join("    " + json.dumps(v, ensure_ascii=False) for v in value))
            out.append(f"  ]{comma}")
        else:
            text = json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n  ")
            out.append(f"  {name}: {text}{comma}")
    out.append("}")
    return "\n".join(out)


__all__ = [
    "ReportError", "build_report", "dumps", "read_report", "render_text", "report_dict", "pct",
]
