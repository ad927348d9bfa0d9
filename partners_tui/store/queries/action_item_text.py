"""How an action item is named and explained, the same in the TUI and in `partners-tui queue`.

`item_key` is the stable handle other screens use to point at an item (`app.open_action_item`):
`follow_up:<follow-up id>` or `stale:<deal id>`. `due_label` is the short column text ("3d overdue",
"Due today", "Due in 4d", "Stale 18d"); `reason` says in words why the item is in the queue.
"""

from __future__ import annotations

from partners_tui.store.queries.action_queue import ActionItem


def item_key(item: ActionItem) -> str:
    return f"{item.kind}:{item.follow_up_id or item.deal_id}"


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def due_label(item: ActionItem) -> str:
    if item.kind == "stale":
        return f"Stale {item.stale_days}d"
    days = item.days_until_due or 0
    if days < 0:
        return f"{-days}d overdue"
    if days == 0:
        return "Due today"
    return f"Due in {days}d"


def urgency(item: ActionItem) -> str:
    """One word for colouring: overdue, today, soon (within a week), later, stale."""
    if item.overdue:
        return "overdue"
    if item.kind == "stale":
        return "stale"
    days = item.days_until_due or 0
    if days == 0:
        return "today"
    return "soon" if days <= 7 else "later"


def reason(item: ActionItem) -> str:
    """Why the item is here, short: "Follow-up 4 days overdue: Send the deck", "No activity for
    18 days"."""
    if item.kind == "stale":
        return f"No activity for {_days(item.stale_days or 0)}"
    days = item.days_until_due or 0
    if days < 0:
        text = f"Follow-up {_days(-days)} overdue"
    elif days == 0:
        text = "Follow-up due today"
    else:
        text = f"Follow-up due {item.due_date}"
    if item.note:
        text += f": {item.note}"
    return text


def explain(item: ActionItem) -> str:
    """`reason` with the rule behind it, for a detail line or a report."""
    if item.kind == "stale":
        text = f"No activity for {_days(item.stale_days or 0)}; stale after {item.stale_after_days}"
        if item.overdue:
            text += f", overdue after {2 * (item.stale_after_days or 0)}"
        return text
    return reason(item)
