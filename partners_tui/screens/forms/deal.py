"""Create or edit a deal: one partner's involvement in one event.

Choosing a tier preset fills the package tier and the amount; the amount and the next follow-up
date can be cleared (blank). A second deal of the same partner, event and role is allowed but
warned about, in the form, before saving.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult

from partners_tui.screens.forms.base import FormScreen, units_text
from partners_tui.screens.forms.partner_picker import PartnerPickerScreen
from partners_tui.store.follow_up_dates import FollowUpDateError, parse_follow_up_date
from partners_tui.store.queries.details import next_follow_up, record, same_role_deals
from partners_tui.store.queries.lists import (
    EventChoice, contact_choices, event_choices, partner_ref, status_choices,
)
from partners_tui.store.validate import ROLES, InvalidInput, Problem, clean
from partners_tui.widgets.form_fields import (
    ChoiceField, FormField, NotesField, PickField, ReadOnlyField, TextField,
)

FOLLOW_UP_HINT = "YYYY-MM-DD, +2d, +1w, friday, next week; blank for none"


def money_label(cents: int | None, symbol: str) -> str:
    if cents is None:
        return "no amount"
    units, rest = divmod(cents, 100)
    return f"{symbol}{units:,}" if rest == 0 else f"{symbol}{units:,}.{rest:02d}"


class DealForm(FormScreen[str]):
    """Dismissed with the deal's id, or None. Give `partner_id` and/or `event_id` to start a new
    deal from a partner or an event; `deal_id` to edit one."""

    def __init__(
        self, deal_id: str | None = None, *, partner_id: str | None = None,
        event_id: str | None = None,
    ) -> None:
        super().__init__()
        self.deal_id = deal_id
        self.partner_id = partner_id
        self.event_id = event_id
        self.initial: dict[str, Any] = {}
        self.follow_up = None
        self.events: dict[str, EventChoice] = {}
        self.TITLE = "Edit deal" if deal_id else "New deal"

    # --- layout ----------------------------------------------------------------------------

    def compose_fields(self) -> ComposeResult:
        store = self.app.store
        if self.deal_id:
            self.initial = record(store, "deal", self.deal_id) or {}
            self.partner_id = self.initial.get("partner_id")
            self.event_id = self.initial.get("event_id")
            self.follow_up = next_follow_up(store, self.deal_id)
        r = self.initial
        self.symbol = store.get_setting("currency.symbol", "$")
        events = event_choices(store, include_archived=True)
        self.events = {e.id: e for e in events if not e.archived or e.id == self.event_id}
        partner = partner_ref(store, self.partner_id)
        if self.deal_id:
            yield ReadOnlyField("partner", "Partner", partner.name if partner else "?")
        else:
            yield PickField(
                "partner_id", "Partner", partner.id if partner else None,
                partner.name if partner else "", required=True, clearable=False,
                empty="(enter to choose a partner)",
            )
        yield ChoiceField(
            "event_id", "Event", [(e.label, e.id) for e in self.events.values()], self.event_id,
            required=True, prompt="(choose an event)",
        )
        yield ChoiceField(
            "contact_id", "Contact", [(c.label, c.value) for c in contact_choices(store, self.partner_id)],
            r.get("contact_id"),
        )
        statuses = status_choices(store)
        if self.deal_id:
            label = next((s.label for s in statuses if s.value == r.get("status")), r.get("status"))
            yield ReadOnlyField("status", "Status", f"{label}  (s on the deal moves it)")
        else:
            yield ChoiceField(
                "status", "Status", [(s.label, s.value) for s in statuses],
                statuses[0].value if statuses else None, allow_blank=False,
            )
        yield ChoiceField("tier_preset", "Tier preset", self._preset_options(self.event_id), None,
                          prompt="(choose to fill tier and amount)")
        yield TextField("package_tier", "Package tier", r.get("package_tier"))
        yield TextField("role", "Role", r.get("role"), suggestions=ROLES,
                        placeholder="Sponsor, Mentor, Judge… (→ completes)")
        yield TextField("amount", "Amount", units_text(r.get("amount_cents")),
                        placeholder="blank for none")
        yield TextField("expected_close", "Expected close", r.get("expected_close"),
                        placeholder="YYYY-MM-DD")
        yield TextField("probability_override", "Probability %", r.get("probability_override"),
                        placeholder="blank: the status's")
        yield TextField("owner", "Owner", r.get("owner"))
        yield TextField("next_follow_up", "Next follow-up",
                        self.follow_up.due_date if self.follow_up else "", placeholder=FOLLOW_UP_HINT)
        yield TextField("lost_reason", "Lost reason", r.get("lost_reason"))
        yield NotesField("notes", "Notes", r.get("notes"), rows=2)

    def on_mount(self) -> None:  # FormScreen.on_mount runs too (Textual calls each class's)
        self.refresh_warning()

    def _preset_options(self, event_id: str | None) -> list[tuple[str, str]]:
        event = self.events.get(event_id or "")
        if event is None:
            return []
        return [
            (f"{label} — {money_label(cents, self.symbol)}", label)
            for label, cents in event.tier_presets
        ]

    # --- reacting to choices ---------------------------------------------------------------

    def field_changed(self, field: FormField) -> None:
        fields = self.fields
        if field.field == "event_id":
            fields["tier_preset"].set_options(self._preset_options(field.value))
        elif field.field == "partner_id":
            fields["contact_id"].set_options(
                [(c.label, c.value) for c in contact_choices(self.app.store, field.value)]
            )
        elif field.field == "tier_preset" and field.value is not None:
            event = self.events.get(fields["event_id"].value or "")
            presets = dict(event.tier_presets) if event else {}
            if field.value in presets:
                fields["package_tier"].set_value(field.value)
                fields["amount"].set_value(units_text(presets[field.value]))

    def _partner(self, values: dict[str, Any]) -> str | None:
        return self.partner_id if self.deal_id else values.get("partner_id")

    def warning(self, values: dict[str, Any]) -> str:
        partner, event = self._partner(values), values.get("event_id")
        if not partner or not event:
            return ""
        role = (values.get("role") or "").strip() or None
        others = same_role_deals(self.app.store, partner, event, role, exclude=self.deal_id)
        if not others:
            return ""
        what = f"a {role} deal" if role else "a deal with no role"
        event_name = self.events[event].name if event in self.events else "this event"
        return (
            f"⚠ This partner already has {what} for {event_name}"
            f"{f' ({others} of them)' if others > 1 else ''}. Saving adds another one; "
            "check it is not a duplicate."
        )

    # --- checking and saving ---------------------------------------------------------------

    def payload(self, values: dict[str, Any]) -> dict[str, Any]:
        keep = ("event_id", "contact_id", "package_tier", "role", "amount", "expected_close",
                "probability_override", "owner", "lost_reason", "notes")
        data = {k: values[k] for k in keep}
        if not self.deal_id:
            data["partner_id"] = values.get("partner_id")
            data["status"] = values.get("status")
        return data

    def follow_up_date(self, values: dict[str, Any]) -> str | None:
        """The typed next follow-up as YYYY-MM-DD (None when blank); FollowUpDateError if bad."""
        raw = (values.get("next_follow_up") or "").strip()
        if not raw:
            return None
        if self.follow_up is not None and raw == self.follow_up.due_date:
            return raw  # unchanged, even if it is already past
        today = self.app.clock.today()
        first_day = self.app.store.get_setting("week.first_day", "monday")
        return parse_follow_up_date(raw, today, first_day).isoformat()

    def check(self, values: dict[str, Any]) -> list[Problem]:
        problems: list[Problem] = []
        try:
            clean("deal", self.payload(values), partial=bool(self.deal_id))
        except InvalidInput as exc:
            problems.extend(exc.problems)
        try:
            self.follow_up_date(values)
        except FollowUpDateError as exc:
            problems.append(Problem("next_follow_up", str(exc)))
        if not self.deal_id and not values.get("partner_id"):
            if not any(p.field == "partner_id" for p in problems):
                problems.append(Problem("partner_id", "is required"))
        return problems

    def field_for(self, problem_field: str) -> str:
        return {"amount_cents": "amount", "contact_id": "contact_id"}.get(problem_field, problem_field)

    def submit(self, values: dict[str, Any]) -> str:
        store = self.app.store
        data = self.payload(values)
        due = self.follow_up_date(values)
        # The deal and its next follow-up are saved as one command: one write, one undo step.
        if not self.deal_id:
            with store.command("deal.create", "New deal"):
                deal_id = store.create_deal(data)
                if due:
                    store.add_follow_up({"partner_id": data["partner_id"], "deal_id": deal_id, "due_date": due})
            return deal_id
        with store.command("deal.update", "Edit deal"):
            store.update_deal(self.deal_id, data)
            current = self.follow_up
            if due and current is None:
                store.add_follow_up({"partner_id": self.partner_id, "deal_id": self.deal_id, "due_date": due})
            elif due and current is not None and due != current.due_date:
                store.reschedule_follow_up(current.id, due)
            elif not due and current is not None:
                store.archive_follow_up(current.id)  # cleared: the deal has no next step any more
        return self.deal_id

    def saved_message(self, values: dict[str, Any], result: str) -> str:
        return "Updated the deal." if self.deal_id else "Added the deal."

    def pick(self, field: PickField) -> None:
        def chosen(answer: tuple[str, str] | None) -> None:
            if answer is not None:
                field.set_value(*answer)
            field.focus_control()

        self.app.push_screen(PartnerPickerScreen("Choose the partner"), chosen)
