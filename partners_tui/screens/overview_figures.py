"""What the Overview's cards say: captions, explanations, and each card's figures for a read.

Plain functions from the query layer's read models to text (no widgets), so the wording of a
number lives in one place and tests can check it without a terminal.
"""

from __future__ import annotations

from partners_tui.store.queries import Overview
from partners_tui.store.queries.scope_choices import ScopeChoices
from partners_tui.widgets.kpi_card import CardValue
from partners_tui.widgets.money import Money, percent

CARDS: tuple[tuple[str, str, str], ...] = (
    ("active_partners", "Active partners",
     "Partners with at least one deal in scope that is not lost (archived partners only when "
     "archived records are included)."),
    ("events", "Events in scope",
     "Events matching the year and event choice; archived events only when included."),
    ("archived_events", "Archived events",
     "Archived events matching the year and event choice, counted whether or not they are "
     "included."),
    ("secured", "Revenue secured",
     "Sum of the amounts of deals in scope whose status counts as secured (Confirmed and Paid "
     "by default)."),
    ("goal_remaining", "Goal remaining",
     "The goal minus revenue secured, never below zero. The goal is the year's annual goal if "
     "one is set, else the sum of its events' goals; with one event chosen, that event's goal."),
    ("open_pipeline", "Open pipeline",
     "Sum of the amounts of deals in an open status (neither secured nor closed). Weighted: "
     "each amount times its win probability."),
    ("action_items", "Action items",
     "Follow-ups due within the window (overdue ones included) and deals gone quiet in a status "
     "with a stale-after limit and no open follow-up. Overdue: due before today, or quiet for "
     "twice the limit."),
)


def scope_label(ov: Overview, choices: ScopeChoices) -> str:
    """"2026 (auto)", "2026", "All years" or the chosen event's name."""
    s = ov.scope
    if s.event_id is not None:
        chosen = choices.find(s.event_id)
        return chosen.name if chosen else "the chosen event"
    if s.year_mode == "all":
        return "All years"
    return f"{s.year} (auto)" if s.year_mode == "auto" else str(s.year)


def goal_hint(ov: Overview) -> str:
    s = ov.scope
    if s.event_id is not None:
        return ("Give this event a goal on the Events screen (2): its goal is what the pace "
                "is measured against.")
    year = str(s.year) if s.year is not None else "YEAR"
    return (
        f"Set one with `partners-tui goal set {year} AMOUNT`, on the Settings screen (5), or by "
        "giving events a goal on the Events screen (2)."
    )


def card_values(ov: Overview, money: Money, label: str) -> dict[str, CardValue]:
    k, m = ov.kpis, money
    goal_pct = percent(ov.goal_pace.actual_pct)
    values = {
        "active_partners": CardValue(
            f"{k.active_partners:,}", note="with live deals",
            detail=f"{k.active_partners:,} partners",
        ),
        "events": CardValue(
            f"{k.events_in_scope:,}", note=label, detail=f"{k.events_in_scope:,} ({label})",
        ),
        "archived_events": CardValue(
            f"{k.archived_events:,}",
            note="included" if ov.scope.include_archived else "hidden",
            detail=f"{k.archived_events:,} "
                   f"({'included' if ov.scope.include_archived else 'not counted elsewhere'})",
        ),
        "secured": CardValue(
            m.full(k.revenue_secured_cents), m.short(k.revenue_secured_cents),
            note=f"{goal_pct} of goal" if k.goal_cents else "no goal set",
            tone="success" if k.revenue_secured_cents else "",
            detail=m.full(k.revenue_secured_cents)
            + (f", {goal_pct} of the {m.full(k.goal_cents)} goal" if k.goal_cents else ""),
        ),
        "open_pipeline": CardValue(
            m.full(k.open_pipeline_cents), m.short(k.open_pipeline_cents),
            note=f"weighted {m.full(k.weighted_pipeline_cents)}",
            note_short=f"weighted {m.short(k.weighted_pipeline_cents)}",
            detail=f"{m.full(k.open_pipeline_cents)}, weighted by win probability "
                   f"{m.full(k.weighted_pipeline_cents)}",
        ),
        "action_items": CardValue(
            f"{k.action_items:,}", note=f"{k.overdue_items:,} overdue",
            note_tone="error" if k.overdue_items else "",
            detail=f"{k.action_items:,} items, {k.overdue_items:,} overdue, follow-ups due "
                   f"within {ov.scope.window_days} days",
        ),
    }
    if k.goal_cents:
        remaining = k.goal_remaining_cents or 0
        values["goal_remaining"] = CardValue(
            m.full(remaining), m.short(remaining),
            note=f"of {m.full(k.goal_cents)}" if remaining else "goal reached",
            note_short=f"of {m.short(k.goal_cents)}" if remaining else None,
            note_tone="" if remaining else "success",
            detail=f"{m.full(remaining)} still to secure of the {m.full(k.goal_cents)} goal",
        )
    else:
        values["goal_remaining"] = CardValue(
            "No goal", note="press ? for how", tone="warning",
            detail="no goal set for this scope",
        )
    return values
