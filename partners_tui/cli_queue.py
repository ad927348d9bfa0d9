"""`log` and `queue` subcommands: the Action Queue's work, for scripting.

    partners-tui log acme --channel call --summary "Wants the deck" --next +1w
    partners-tui queue --json

`log` finds the partner from part of its name (`store.queries.partner_match`); when several match
equally well it lists them and writes nothing. The activity goes on the partner's deal for
`--event`, or on its only open deal; it marks done the follow-up it answers (the deal's earliest
open one, when due by today or when `--next` replaces it) unless `--keep-follow-up`; all in one
store command, so `partners-tui undo` reverses it whole.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import click

from partners_tui.store.clock import Clock
from partners_tui.store.validate import InvalidInput

CHANNEL_HELP = "email, call, meeting, linkedin, in-person, note (or any word)"


def _clock_for(store, today: str | None) -> Clock:
    """The team's clock, frozen at noon on `today` when given (for scripts and tests)."""
    zone = store.get_setting("time_zone") or None
    if not today:
        return Clock(tz=zone)
    try:
        day = dt.date.fromisoformat(today)
    except ValueError:
        raise click.BadParameter(f"{today!r} is not a real date (use YYYY-MM-DD)", param_hint="--today") from None
    return Clock.fixed_at(day, tz=zone)


def _open(obj, today: str | None):
    store = obj.store()
    store.clock = _clock_for(store, today)
    return store


def _find_event(store, targets, event: str):
    """The partner's deals for `event` (an id, or an event name typed in full)."""
    from partners_tui.store.queries.partner_match import normalize

    by_id = targets.deals_for_event(event)
    if by_id:
        return event, by_id
    wanted = normalize(event)
    named = {d.event_id for d in targets.deals if normalize(d.event) == wanted}
    if len(named) == 1:
        event_id = named.pop()
        return event_id, targets.deals_for_event(event_id)
    from partners_tui.store.queries.scope_choices import scope_choices

    events = [e for e in scope_choices(store).events if e.id == event or normalize(e.name) == wanted]
    if len(events) == 1:
        return events[0].id, ()
    if len(events) > 1:
        listing = "\n".join(f"  {e.name} ({e.year})  {e.id}" for e in events)
        raise click.ClickException(f"{len(events)} events are named {event!r}; use an id:\n{listing}")
    raise click.ClickException(f"no event {event!r} (use its id; `partners-tui report --json` lists them)")


def _choose_status(store, status: str) -> str:
    from partners_tui.store.pipeline import list_statuses

    statuses = [s for s in list_statuses(store) if not s["archived"]]
    wanted = status.strip().lower()
    for s in statuses:
        if wanted in (s["key"], s["label"].lower()):
            return s["key"]
    keys = ", ".join(s["key"] for s in statuses)
    raise click.BadParameter(f"{status!r} is not a status; choose one of: {keys}", param_hint="--status")


def _only_deal(targets, today: str):
    """The deal a log without --event is about: the partner's only open deal, else the only
    deal whose follow-ups are due by today; None when that does not settle it."""
    open_deals = targets.open_deals
    if len(open_deals) == 1:
        return open_deals[0]
    open_ids = {d.id for d in open_deals}
    due = {f.deal_id for f in targets.follow_ups if f.due_date <= today and f.deal_id in open_ids}
    if len(due) == 1:
        return next(d for d in open_deals if d.id in due)
    return None


@click.command("log")
@click.argument("partner")
@click.option("--channel", required=True, help=CHANNEL_HELP)
@click.option("--summary", required=True, help="What was said or agreed.")
@click.option("--subject", help="A short subject line.")
@click.option("--direction", type=click.Choice(["outbound", "inbound"]), default="outbound", show_default=True)
@click.option("--event", "event", metavar="ID", help="The event (id or full name) whose deal this is about.")
@click.option("--next", "next_", metavar="+1w|YYYY-MM-DD", help="Schedule the next follow-up: +2d, +1w, next week, friday or a date.")
@click.option("--status", metavar="KEY", help="Move the deal to this status (key or label).")
@click.option("--keep-follow-up", is_flag=True, help="Do not mark the open follow-up done.")
@click.option("--today", metavar="YYYY-MM-DD", help="Log as of noon on this date (default: now).")
@click.pass_obj
def log_command(
    obj, partner: str, channel: str, summary: str, subject: str | None, direction: str,
    event: str | None, next_: str | None, status: str | None, keep_follow_up: bool,
    today: str | None,
) -> None:
    """Log a call, email or meeting with PARTNER (part of its name, or its id)."""
    from partners_tui.store.follow_up_dates import FollowUpDateError, parse_follow_up_date
    from partners_tui.store.queries.log_targets import log_targets
    from partners_tui.store.queries.partner_match import match_partner

    store = _open(obj, today)
    found = match_partner(store, partner)
    problem = found.problem()
    if problem:
        raise click.ClickException(problem + "\nNothing was logged.")
    who = found.partner
    assert who is not None
    targets = log_targets(store, who.id)

    event_id, deal = None, None
    if event:
        event_id, deals = _find_event(store, targets, event)
        open_deals = [d for d in deals if not d.closed] or list(deals)
        if len(open_deals) > 1:
            roles = ", ".join(d.role or "no role" for d in open_deals)
            raise click.ClickException(
                f"{who.name} has {len(open_deals)} deals for that event ({roles}); "
                "nothing was logged. Log it in the app to choose one."
            )
        deal = open_deals[0] if open_deals else None
    else:
        deal = _only_deal(targets, store.clock.today().isoformat())
        event_id = deal.event_id if deal else None
    if status and deal is None:
        listing = "\n".join(f"  {d.event}  {d.event_id}" for d in targets.open_deals) or "  (no open deals)"
        raise click.ClickException(
            f"--status needs one deal; {who.name} has {len(targets.open_deals)} open deals. "
            f"Choose one with --event:\n{listing}"
        )
    status_key = _choose_status(store, status) if status else None

    today_date = store.clock.today()
    next_due = None
    if next_:
        first_day = store.get_setting("week.first_day") or "monday"
        try:
            next_due = parse_follow_up_date(next_, today_date, first_day).isoformat()
        except FollowUpDateError as exc:
            raise click.BadParameter(str(exc), param_hint="--next") from None

    complete = None
    if not keep_follow_up:
        if deal is not None:
            candidates = targets.follow_ups_for(deal.id)
        else:
            candidates = tuple(
                f for f in targets.follow_ups_for(None) if event_id is None or f.event_id == event_id
            )
        if candidates and (next_due or candidates[0].due_date <= today_date.isoformat()):
            complete = candidates[0]

    data: dict[str, Any] = {
        "partner_id": who.id, "channel": channel, "direction": direction, "summary": summary,
        "subject": subject, "deal_id": deal.id if deal else None,
        "event_id": event_id, "contact_id": deal.contact_id if deal else None,
    }
    try:
        store.log_activity(
            data, next_follow_up=next_due,
            complete_follow_up=complete.id if complete else None, status=status_key,
        )
    except InvalidInput as exc:
        raise click.ClickException(f"{exc}\nNothing was logged.") from None

    where = f" on {deal.event}" if deal else ""
    lines = [f"Logged {data['channel']} with {who.name}{where}."]
    if deal is None and len(targets.open_deals) > 1:
        lines.append(
            f"  Not tied to a deal: {who.name} has {len(targets.open_deals)} open deals "
            "(use --event to choose one)."
        )
    if complete:
        lines.append(f"  Follow-up due {complete.due_date} marked done.")
    if next_due:
        lines.append(f"  Next follow-up {next_due}.")
    if status_key and deal and status_key != deal.status:
        lines.append(f"  Status {deal.status_label} → {status_key}.")
    click.echo("\n".join(lines))


@click.command("queue")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--year", default="auto", show_default=True, help="auto, all, or a year such as 2026.")
@click.option("--event", "event_id", metavar="ID", help="One event's id.")
@click.option("--window", type=int, default=None, help="Follow-up window in days (7-90; default: the team's).")
@click.option("--include-archived", is_flag=True, help="Include archived events and partners.")
@click.option("--limit", type=click.IntRange(min=1), help="Show only the first N items.")
@click.option("--today", metavar="YYYY-MM-DD", help="As of this date (default: today).")
@click.pass_obj
def queue_command(
    obj, as_json: bool, year: str, event_id: str | None, window: int | None,
    include_archived: bool, limit: int | None, today: str | None,
) -> None:
    """The Action Queue: follow-ups due and deals gone quiet, most urgent first."""
    from partners_tui.store.queries import (
        Scope, ScopeError, action_queue, queue_summary, resolve_scope,
    )
    from partners_tui.store.queries.action_item_text import due_label, item_key, reason
    from partners_tui.store.queries.common import units
    from partners_tui.widgets.money import Money

    store = _open(obj, today)
    day = store.clock.today()
    try:
        scope = Scope.parse(year, event_id, window, include_archived)
        with store.read() as conn:
            resolved = resolve_scope(conn, scope, day)
            queue = (  # with a limit, only those items are built (the counts cover all)
                queue_summary(conn, resolved, store.clock, top=limit) if limit
                else action_queue(conn, resolved, store.clock)
            )
    except ScopeError as exc:
        raise click.ClickException(str(exc)) from None
    items = queue.items
    if as_json:
        out = {
            "today": day.isoformat(),
            "scope": {
                "year": resolved.year, "year_mode": resolved.year_mode, "event_id": resolved.event_id,
                "window_days": resolved.window_days, "include_archived": resolved.include_archived,
            },
            "count": len(queue), "overdue": queue.overdue,
            "items": [
                {
                    "key": item_key(i), "kind": i.kind, "follow_up_id": i.follow_up_id,
                    "deal_id": i.deal_id, "partner_id": i.partner_id, "partner": i.partner,
                    "contact_id": i.contact_id, "contact": i.contact, "event_id": i.event_id,
                    "event": i.event, "status": i.status, "status_label": i.status_label,
                    "amount": units(i.amount_cents), "due_date": i.due_date,
                    "days_until_due": i.days_until_due, "overdue": i.overdue,
                    "overdue_days": i.overdue_days, "stale_days": i.stale_days, "score": i.score,
                    "due": due_label(i), "reason": reason(i), "note": i.note,
                }
                for i in items
            ],
        }
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
        return
    money = Money.from_settings(store.settings())
    click.echo(f"Action queue as of {day.isoformat()}: {len(queue):,} items, {queue.overdue:,} overdue")
    if not items:
        click.echo("  Nothing to follow up in this scope.")
        return
    rows = [
        (due_label(i), str(i.score), i.partner, i.contact or "", i.event or "", i.status_label or "",
         money.full(i.amount_cents), reason(i))
        for i in items
    ]
    headers = ("Due", "Score", "Partner", "Contact", "Event", "Status", "Amount", "Why")
    widths = [min(max(len(h), *(len(r[n]) for r in rows)), 32) for n, h in enumerate(headers)]
    right = {1, 6}

    def line(cells) -> str:
        out = []
        for n, cell in enumerate(cells):
            text = cell if len(cell) <= widths[n] else cell[: widths[n] - 1] + "…"
            out.append(text.rjust(widths[n]) if n in right else text.ljust(widths[n]))
        return "  ".join(out).rstrip()

    click.echo(line(headers))
    for r in rows:
        click.echo(line(r))
    if limit and len(queue) > limit:
        click.echo(f"… and {len(queue) - limit:,} more")


QUEUE_COMMANDS: list = [log_command, queue_command]
"""Click commands registered on the main group."""
