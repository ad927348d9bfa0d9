"""Create or edit a contact of a partner: name, title, email, phone, strength, influence."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult

from partners_tui.screens.forms.base import FormScreen
from partners_tui.store.queries.details import record
from partners_tui.store.queries.lists import partner_ref
from partners_tui.store.validate import INFLUENCES, InvalidInput, Problem, clean
from partners_tui.widgets.form_fields import (
    CheckField, ChoiceField, NotesField, ReadOnlyField, TextField,
)


class ContactForm(FormScreen[str]):
    """Dismissed with the contact's id, or None."""

    def __init__(self, partner_id: str | None = None, contact_id: str | None = None) -> None:
        super().__init__()
        self.contact_id = contact_id
        self.partner_id = partner_id
        self.initial: dict[str, Any] = {}
        self.TITLE = "Edit contact" if contact_id else "New contact"

    def compose_fields(self) -> ComposeResult:
        store = self.app.store
        if self.contact_id:
            self.initial = record(store, "contact", self.contact_id) or {}
            self.partner_id = self.initial.get("partner_id", self.partner_id)
        r = self.initial
        partner = partner_ref(store, self.partner_id)
        yield ReadOnlyField("partner", "Partner", partner.name if partner else "?")
        yield TextField("name", "Name", r.get("name"), required=True)
        yield TextField("title", "Title / role", r.get("title"))
        yield TextField("email", "Email", r.get("email"), placeholder="name@example.com")
        yield TextField("phone", "Phone", r.get("phone"))
        yield TextField("linkedin", "LinkedIn", r.get("linkedin"))
        yield TextField("strength", "Strength", r.get("strength"), placeholder="1 (cold) to 10 (close)")
        yield ChoiceField(
            "influence", "Influence",
            [(i.replace("_", " ").capitalize(), i) for i in INFLUENCES], r.get("influence"),
        )
        yield CheckField("is_primary", "Primary", bool(r.get("is_primary")), text="the main contact")
        yield NotesField("notes", "Notes", r.get("notes"), rows=3)

    def payload(self, values: dict[str, Any]) -> dict[str, Any]:
        data = {k: v for k, v in values.items() if k != "partner"}
        if not self.contact_id:
            data["partner_id"] = self.partner_id
        return data

    def check(self, values: dict[str, Any]) -> list[Problem]:
        try:
            clean("contact", self.payload(values), partial=bool(self.contact_id))
        except InvalidInput as exc:
            return list(exc.problems)
        return []

    def submit(self, values: dict[str, Any]) -> str:
        store = self.app.store
        data = self.payload(values)
        if self.contact_id:
            store.update_contact(self.contact_id, data)
            return self.contact_id
        return store.create_contact(data)

    def saved_message(self, values: dict[str, Any], result: str) -> str:
        return f"{'Updated' if self.contact_id else 'Added'} contact {values['name'].strip()}."
