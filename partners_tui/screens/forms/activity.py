"""Log or edit an activity: a call, an email, a meeting… with a partner, when it happened.

The date and time are local (the team's zone) and stored as a UTC timestamp. A new activity can
schedule the next follow-up in the same save (one command, one undo).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from textual.app import ComposeResult

from partners_tui.screens.forms.base import FormScreen
from partners_tui.screens.forms.deal import FOLLOW_UP_HINT
from partners_tui.screens.forms.partner_picker import PartnerPickerScreen
from partners_tui.store.clock import stamp
from partners_tui.store.follow_up_dates import FollowUpDateError, parse_follow_up_date
from partners_tui.store.queries.details import record
from partners_tui.store.queries.lists import contact_choices, deal_choices, partner_ref
from partners_tui.store.validate import (
    CHANNELS, DIRECTIONS, InvalidInput, Problem, clean, parse_date,
)
from partners_tui.widgets.form_fields import (
    ChoiceField, FormField, NotesField, PickField, ReadOnlyField, TextField,
)

TIME_RE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class ActivityForm(FormScreen[str]):
    """Dismissed with the activity's id, or None."""

    def __init__(
        self, activity_id: str | None = None, *, partner_id: str | None = None,
        deal_id: str | None = None,
    ) -> None:
        super().__init__()
        self.activity_id = activity_id
        self.partner_id = partner_id
        self.deal_id = deal_id
        self.initial: dict[str, Any] = {}
        self.TITLE = "Edit activity" if activity_id else "Log activity"

    def compose_fields(self) -> ComposeResult:
        store, clock = self.app.store, self.app.clock
        if self.activity_id:
            self.initial = record(store, "activity", self.activity_id) or {}
            self.partner_id = self.initial.get("partner_id")
            self.deal_id = self.initial.get("deal_id")
        r = self.initial
        if self.deal_id and not self.partner_id:
            self.partner_id = (record(store, "deal", self.deal_id) or {}).get("partner_id")
        when = clock.to_local(
            dt.datetime.fromisoformat(r["occurred_at"].replace("Z", "+00:00"))
            if r.get("occurred_at") else clock.now()
        )
        partner = partner_ref(store, self.partner_id)
        if self.partner_id and (self.activity_id or self.deal_id):
            yield ReadOnlyField("partner", "Partner", partner.name if partner else "?")
        else:
            yield PickField(
                "partner_id", "Partner", partner.id if partner else None,
                partner.name if partner else "", required=True, clearable=False,
                empty="(enter to choose a partner)",
            )
        yield ChoiceField(
            "channel", "Channel", [(c.capitalize(), c) for c in CHANNELS] + self._extra_channel(r),
            r.get("channel") or "email", allow_blank=False,
        )
        yield ChoiceField(
            "direction", "Direction", [(d.capitalize(), d) for d in DIRECTIONS],
            r.get("direction") or "outbound", allow_blank=False,
        )
        yield TextField("date", "Date", when.date().isoformat(), required=True, placeholder="YYYY-MM-DD")
        yield TextField("time", "Time", when.strftime("%H:%M"), placeholder="HH:MM (24 h)")
        yield ChoiceField(
            "contact_id", "Contact",
            [(c.label, c.value) for c in contact_choices(store, self.partner_id)], r.get("contact_id"),
        )
        yield ChoiceField(
            "deal_id", "Deal", [(c.label, c.value) for c in deal_choices(store, self.partner_id)],
            self.deal_id,
        )
        yield TextField("subject", "Subject", r.get("subject"))
        yield NotesField("summary", "Summary", r.get("summary"), rows=3)
        if not self.activity_id:
            yield TextField("next_follow_up", "Next follow-up", "", placeholder=FOLLOW_UP_HINT)

    @staticmethod
    def _extra_channel(r: dict[str, Any]) -> list[tuple[str, str]]:
        channel = r.get("channel")
        return [(channel, channel)] if channel and channel not in CHANNELS else []

    def field_changed(self, field: FormField) -> None:
        if field.field == "partner_id":
            store = self.app.store
            self.fields["contact_id"].set_options(
                [(c.label, c.value) for c in contact_choices(store, field.value)]
            )
            self.fields["deal_id"].set_options(
                [(c.label, c.value) for c in deal_choices(store, field.value)]
            )

    # --- checking and saving ---------------------------------------------------------------

    def occurred_at(self, values: dict[str, Any]) -> str:
        """The local date and time as a UTC stamp (ValueError naming the bad part)."""
        try:
            day = parse_date(values["date"])
        except ValueError as exc:
            raise ValueError(f"date: {exc}") from None
        if day is None:
            raise ValueError("date: is required")
        raw = (values.get("time") or "").strip() or "12:00"
        match = TIME_RE.match(raw)
        if not match:
            raise ValueError(f"time: {raw!r} is not a time (use HH:MM, 24 hours)")
        clock = self.app.clock
        local = clock.local_midnight(dt.date.fromisoformat(day)) + dt.timedelta(
            hours=int(match.group(1)), minutes=int(match.group(2))
        )
        return stamp(local)

    def payload(self, values: dict[str, Any]) -> dict[str, Any]:
        data = {k: values.get(k) for k in ("channel", "direction", "contact_id", "deal_id", "subject", "summary")}
        data["partner_id"] = self.partner_id if "partner" in values else values.get("partner_id")
        if data["deal_id"]:
            deal = record(self.app.store, "deal", data["deal_id"]) or {}
            data["event_id"] = deal.get("event_id")
        elif self.activity_id:
            data["event_id"] = self.initial.get("event_id") if not self.initial.get("deal_id") else None
        return data

    def check(self, values: dict[str, Any]) -> list[Problem]:
        problems: list[Problem] = []
        data = self.payload(values)
        try:
            data["occurred_at"] = self.occurred_at(values)
        except ValueError as exc:
            field, _, message = str(exc).partition(": ")
            problems.append(Problem(field, message))
            data["occurred_at"] = "pending"
        try:
            clean("activity", data)
        except InvalidInput as exc:
            problems.extend(exc.problems)
        if values.get("next_follow_up"):
            try:
                self._next(values)
            except FollowUpDateError as exc:
                problems.append(Problem("next_follow_up", str(exc)))
        return problems

    def _next(self, values: dict[str, Any]) -> str | None:
        raw = (values.get("next_follow_up") or "").strip()
        if not raw:
            return None
        first_day = self.app.store.get_setting("week.first_day", "monday")
        return parse_follow_up_date(raw, self.app.clock.today(), first_day).isoformat()

    def submit(self, values: dict[str, Any]) -> str:
        store = self.app.store
        data = self.payload(values)
        data["occurred_at"] = self.occurred_at(values)
        if self.activity_id:
            data.pop("partner_id")
            store.update_activity(self.activity_id, data)
            return self.activity_id
        if not data.get("event_id"):
            data.pop("event_id", None)
        return store.log_activity(data, next_follow_up=self._next(values))

    def saved_message(self, values: dict[str, Any], result: str) -> str:
        return "Updated the activity." if self.activity_id else f"Logged the {values['channel']}."

    def pick(self, field: PickField) -> None:
        def chosen(answer: tuple[str, str] | None) -> None:
            if answer is not None:
                field.set_value(*answer)
            field.focus_control()

        self.app.push_screen(PartnerPickerScreen("Who was it with?"), chosen)
