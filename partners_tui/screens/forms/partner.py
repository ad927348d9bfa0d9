"""Create or edit a partner: name, parent, industry, links, tier, tags, alumni, notes."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult

from partners_tui.screens.forms.base import FormScreen
from partners_tui.screens.forms.partner_picker import PartnerPickerScreen
from partners_tui.store.queries.details import record
from partners_tui.store.queries.lists import partner_ref
from partners_tui.store.validate import InvalidInput, Problem, clean
from partners_tui.widgets.form_fields import CheckField, NotesField, PickField, TextField

FIELDS = ("name", "parent_id", "industry", "website", "linkedin", "tier", "tags", "is_alumni", "notes")


class PartnerForm(FormScreen[str]):
    """Dismissed with the partner's id (new or edited), or None."""

    def __init__(self, partner_id: str | None = None, *, parent_id: str | None = None) -> None:
        super().__init__()
        self.partner_id = partner_id
        self.initial: dict[str, Any] = {}
        self.default_parent = parent_id
        self.TITLE = "Edit partner" if partner_id else "New partner"

    def compose_fields(self) -> ComposeResult:
        store = self.app.store
        if self.partner_id:
            self.initial = record(store, "partner", self.partner_id) or {}
        r = self.initial
        parent = partner_ref(store, r.get("parent_id") or self.default_parent)
        yield TextField("name", "Name", r.get("name"), required=True)
        yield PickField(
            "parent_id", "Parent", parent.id if parent else None, parent.name if parent else "",
            hint="",
        )
        yield TextField("industry", "Industry", r.get("industry"))
        yield TextField("website", "Website", r.get("website"), placeholder="https://…")
        yield TextField("linkedin", "LinkedIn", r.get("linkedin"))
        yield TextField("tier", "Tier", r.get("tier"), placeholder="Gold, Silver…")
        yield TextField("tags", "Tags", r.get("tags"), placeholder="comma, separated")
        yield CheckField("is_alumni", "Alumni", bool(r.get("is_alumni")), text="an alumni partner")
        yield NotesField("notes", "Notes", r.get("notes"), rows=3)

    def check(self, values: dict[str, Any]) -> list[Problem]:
        try:
            clean("partner", values, partial=bool(self.partner_id))
        except InvalidInput as exc:
            return list(exc.problems)
        return []

    def submit(self, values: dict[str, Any]) -> str:
        store = self.app.store
        if self.partner_id:
            store.update_partner(self.partner_id, values)
            return self.partner_id
        return store.create_partner(values)

    def saved_message(self, values: dict[str, Any], result: str) -> str:
        return f"{'Updated' if self.partner_id else 'Added'} partner {values['name'].strip()}."

    def pick(self, field: PickField) -> None:
        exclude = (self.partner_id,) if self.partner_id else ()

        def chosen(answer: tuple[str, str] | None) -> None:
            if answer is not None:
                field.set_value(*answer)
            field.focus_control()

        self.app.push_screen(PartnerPickerScreen("Choose the parent partner", exclude=exclude), chosen)
