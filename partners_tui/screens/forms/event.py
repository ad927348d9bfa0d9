"""Create or edit an event: name, year, outreach start, dates, goal and its tier presets.

Tier presets are typed one a line, `Gold = 5000`: a label and its default amount (≤ 12). Choosing
a preset on a deal fills the deal's amount.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult

from partners_tui.screens.forms.base import FormScreen, units_text
from partners_tui.store.queries.details import record
from partners_tui.store.queries.lists import presets_of
from partners_tui.store.validate import (
    InvalidInput, MAX_TIER_PRESETS, Problem, check_event_dates, clean,
)
from partners_tui.widgets.form_fields import NotesField, TextField

DATE_HINT = "YYYY-MM-DD"


def presets_text(raw: str | None) -> str:
    """The stored presets as the form shows them: `Gold = 5000` lines."""
    return "\n".join(
        f"{label} = {units_text(cents)}" if cents is not None else label
        for label, cents in presets_of(raw)
    )


def parse_presets_text(text: str) -> list[dict[str, Any]]:
    """`Gold = 5000` (or `Gold: 5000`) lines to [{label, amount}]; a line without an amount is a
    label alone. The amounts are judged by the store's rules (`parse_tier_presets`)."""
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        for sep in ("=", ":"):
            if sep in line:
                label, amount = line.rsplit(sep, 1)
                out.append({"label": label.strip(), "amount": amount.strip()})
                break
        else:
            out.append({"label": line, "amount": None})
    return out


class EventForm(FormScreen[str]):
    """Dismissed with the event's id, or None."""

    def __init__(self, event_id: str | None = None, *, year: int | None = None) -> None:
        super().__init__()
        self.event_id = event_id
        self.default_year = year
        self.initial: dict[str, Any] = {}
        self.TITLE = "Edit event" if event_id else "New event"

    def compose_fields(self) -> ComposeResult:
        if self.event_id:
            self.initial = record(self.app.store, "event", self.event_id) or {}
        r = self.initial
        year = r.get("year") or self.default_year or self.app.clock.today().year
        yield TextField("name", "Name", r.get("name"), required=True)
        yield TextField("year", "Year", year, required=True, placeholder="2000 to 2100")
        yield TextField("outreach_start", "Outreach starts", r.get("outreach_start"), placeholder=DATE_HINT)
        yield TextField("start_date", "Starts", r.get("start_date"), placeholder=DATE_HINT)
        yield TextField("end_date", "Ends", r.get("end_date"), placeholder=DATE_HINT)
        yield TextField("goal", "Goal", units_text(r.get("goal_cents")), placeholder="amount, e.g. 25000")
        yield NotesField(
            "tier_presets", "Tier presets", presets_text(r.get("tier_presets")), rows=4,
            hint=f"One a line, label = amount (Gold = 5000); at most {MAX_TIER_PRESETS}.",
        )
        yield NotesField("notes", "Notes", r.get("notes"), rows=2)

    def payload(self, values: dict[str, Any]) -> dict[str, Any]:
        data = dict(values)
        data["tier_presets"] = parse_presets_text(values["tier_presets"])
        return data

    def check(self, values: dict[str, Any]) -> list[Problem]:
        try:
            cleaned = clean("event", self.payload(values), partial=bool(self.event_id))
        except InvalidInput as exc:
            return list(exc.problems)
        try:
            check_event_dates(cleaned)
        except InvalidInput as exc:
            return list(exc.problems)
        return []

    def field_for(self, problem_field: str) -> str:
        return {"goal_cents": "goal"}.get(problem_field, problem_field)

    def submit(self, values: dict[str, Any]) -> str:
        store = self.app.store
        data = self.payload(values)
        if self.event_id:
            store.update_event(self.event_id, data)
            return self.event_id
        return store.create_event(data)

    def saved_message(self, values: dict[str, Any], result: str) -> str:
        return f"{'Updated' if self.event_id else 'Added'} event {values['name'].strip()}."
