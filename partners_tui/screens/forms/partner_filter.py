"""The Partners list's filters: status, event, tier, tag, alumni and archived, in one dialog."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll

from partners_tui.screens.dialog import Dialog
from partners_tui.store.queries.lists import PartnerFilter, event_choices, partner_filter_choices, status_choices
from partners_tui.widgets.app_footer import AppFooter
from partners_tui.widgets.form_fields import ChoiceField

ALUMNI = [("Alumni only", "yes"), ("Not alumni", "no")]
ARCHIVED = [("Hide archived", "hide"), ("Include archived", "include"), ("Archived only", "only")]


def describe_filter(store: Any, flt: PartnerFilter) -> str:
    """The active filters in words ("status Pitched · tag hiring"), "" when none narrow."""
    parts = []
    if flt.status:
        labels = {c.value: c.label for c in status_choices(store)}
        parts.append(f"status {labels.get(flt.status, flt.status)}")
    if flt.event_id:
        events = {e.id: e.label for e in event_choices(store, include_archived=True)}
        parts.append(f"event {events.get(flt.event_id, '?')}")
    if flt.tier:
        parts.append(f"tier {flt.tier}")
    if flt.tag:
        parts.append(f"tag {flt.tag}")
    if flt.alumni is not None:
        parts.append("alumni" if flt.alumni else "not alumni")
    if flt.archived != "hide":
        parts.append("with archived" if flt.archived == "include" else "archived only")
    return " · ".join(parts)


class PartnerFilterScreen(Dialog[PartnerFilter | None]):
    """Dismissed with the new filter (the search text is kept), or None (esc)."""

    DEFAULT_CSS = """
    PartnerFilterScreen > #dialog {
        width: 72;
        max-width: 100%;
        max-height: 100%;
        padding: 1 1;
    }
    """

    BINDINGS = [
        Binding("ctrl+s", "apply", "Apply", priority=True, tooltip="Apply these filters"),
        Binding("escape", "cancel", "Cancel", tooltip="Keep the filters as they were"),
        Binding("ctrl+r", "reset", "Clear all", tooltip="Clear every filter in this dialog"),
    ]

    def __init__(self, current: PartnerFilter) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        choices = partner_filter_choices(self.app.store)
        f = self.current
        with VerticalScroll(id="dialog") as dialog:
            dialog.border_title = "Filter partners"
            dialog.border_subtitle = "ctrl+s apply · ctrl+r clear all · esc cancel"
            yield ChoiceField("status", "Deal status", [(c.label, c.value) for c in choices.statuses],
                              f.status, prompt="(any)")
            yield ChoiceField("event_id", "Deal event", [(e.label + (" (archived)" if e.archived else ""), e.id)
                                                         for e in choices.events], f.event_id, prompt="(any)")
            yield ChoiceField("tier", "Tier", [(t, t) for t in choices.tiers], f.tier, prompt="(any)")
            yield ChoiceField("tag", "Tag", [(t, t) for t in choices.tags], f.tag, prompt="(any)")
            yield ChoiceField("alumni", "Alumni", ALUMNI,
                              None if f.alumni is None else ("yes" if f.alumni else "no"), prompt="(any)")
            yield ChoiceField("archived", "Archived", ARCHIVED, f.archived, allow_blank=False)
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one(ChoiceField).focus_control()

    def action_apply(self) -> None:
        v = {f.field: f.value for f in self.query(ChoiceField)}
        alumni = None if v["alumni"] is None else v["alumni"] == "yes"
        self.dismiss(PartnerFilter(
            text=self.current.text, status=v["status"], event_id=v["event_id"], tier=v["tier"],
            tag=v["tag"], alumni=alumni, archived=v["archived"] or "hide",
        ))

    def action_reset(self) -> None:
        for field in self.query(ChoiceField):
            field.set_value("hide" if field.field == "archived" else None)

    def action_cancel(self) -> None:
        self.dismiss(None)
