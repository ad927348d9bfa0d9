"""The log form: record a call or an email the moment it happens, and plan what comes next.

Opened from an action item, it is prefilled with the partner, contact, deal and the current time;
the channel is one key (e c m i p n), the next follow-up one key (1-9 for the team's shortcuts) or a
typed date, and ctrl+s saves everything in one store command (`Store.log_activity`: the activity,
the follow-up it answers marked done, the next one scheduled and the deal's new status), which one
undo reverses. Bad input is shown in the form next to what was typed, so nothing is lost.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Sequence
from zoneinfo import ZoneInfo

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Static

from partners_tui.screens.pickers import Choice, ChoiceBar, OptionPicker, status_options
from partners_tui.store.clock import stamp
from partners_tui.store.follow_up_dates import FollowUpDateError, Shortcut, parse_follow_up_date
from partners_tui.store.queries import ActionItem
from partners_tui.store.validate import InvalidInput
from partners_tui.screens.dialog import Dialog

if TYPE_CHECKING:
    from partners_tui.app import PartnersApp

CHANNELS = (
    Choice("email", "Email", "e"),
    Choice("call", "Call", "c"),
    Choice("meeting", "Meeting", "m"),
    Choice("linkedin", "LinkedIn", "i"),
    Choice("in-person", "In person", "p"),
    Choice("note", "Note", "n"),
)
DIRECTIONS = (Choice("outbound", "Outbound", "o"), Choice("inbound", "Inbound", "i"))
NO_NEXT = ""
WHEN_FORMAT = "%Y-%m-%d %H:%M"


@dataclass(frozen=True)
class LogTarget:
    """What the activity is about: taken from the selected action item."""

    partner_id: str
    partner: str
    contact_id: str | None = None
    contact: str | None = None
    deal_id: str | None = None
    event_id: str | None = None
    event: str | None = None
    status: str | None = None
    status_label: str | None = None
    follow_up_id: str | None = None
    follow_up_due: str | None = None

    @classmethod
    def from_item(cls, item: ActionItem) -> "LogTarget":
        return cls(
            item.partner_id, item.partner, item.contact_id, item.contact, item.deal_id,
            item.event_id, item.event, item.status, item.status_label, item.follow_up_id,
            item.due_date if item.kind == "follow_up" else None,
        )


@dataclass(frozen=True)
class LogSaved:
    activity_id: str
    description: str
    completed: bool
    next_due: str | None
    status: str | None


class PickField(Widget, can_focus=True):
    """A value chosen in a dialog: enter or space opens it, backspace clears it."""

    DEFAULT_CSS = """
    PickField {
        height: 1;
        width: 1fr;
        padding: 0 1;
        background: $boost;
    }
    PickField:focus {
        background: $block-hover-background;
    }
    """

    def __init__(self, text: Content, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.text = text

    def render(self) -> Content:
        return self.text

    def show(self, text: Content) -> None:
        self.text = text
        self.refresh()


class LogActivityForm(Dialog[LogSaved | None]):
    """Compact form over the queue; dismisses with what was saved, or None when cancelled."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    DEFAULT_CSS = """
    LogActivityForm > #dialog {
        width: 100;
        max-width: 100%;
        max-height: 100%;
    }
    LogActivityForm #context {
        color: $text-muted;
        margin-bottom: 1;
    }
    LogActivityForm .row {
        height: auto;
        margin-bottom: 0;
    }
    LogActivityForm .row > Label {
        width: 11;
        padding: 0 1 0 0;
        color: $text-muted;
    }
    LogActivityForm Input {
        width: 1fr;
        height: 1;
        border: none;
        padding: 0 1;
    }
    LogActivityForm Input:focus {
        border: none;
        background: $block-hover-background;
    }
    LogActivityForm #when {
        width: 20;
    }
    LogActivityForm #next-date {
        width: 40;
    }
    LogActivityForm #next-preview {
        width: 1fr;
        padding: 0 1;
        color: $text-muted;
    }
    LogActivityForm Checkbox {
        border: none;
        padding: 0 1;
        height: 1;
        background: $boost;
        width: 1fr;
    }
    LogActivityForm Checkbox:focus {
        background: $block-hover-background;
    }
    LogActivityForm #direction-label {
        width: 11;
        padding: 0 1 0 0;
        color: $text-muted;
    }
    LogActivityForm #when-label {
        width: 6;
        padding: 0 1;
        color: $text-muted;
    }
    LogActivityForm #errors {
        color: $text-error;
        height: auto;
        margin-top: 1;
        display: none;
    }
    LogActivityForm #errors.-shown {
        display: block;
    }
    LogActivityForm #hint {
        color: $text-muted;
        margin-top: 1;
    }
    """

    app: "PartnersApp"

    def __init__(
        self, target: LogTarget, *, shortcuts: Sequence[Shortcut], statuses: Sequence[dict[str, Any]],
        first_day: str = "monday",
    ) -> None:
        super().__init__()
        self.target = target
        self.shortcuts = list(shortcuts)[:9]
        self.statuses = list(statuses)
        self.first_day = first_day
        self.new_status: str | None = None
        self._now_text = ""

    # --- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        t = self.target
        clock = self.app.clock
        self._now_text = clock.to_local(clock.now()).strftime(WHEN_FORMAT)
        with Vertical(id="dialog") as dialog:
            dialog.border_title = Content.assemble("Log activity · ", Content(t.partner))
            dialog.border_subtitle = "ctrl+s save · esc cancel"
            yield Static(self._context_line(), id="context")
            with Horizontal(classes="row"):
                yield Label("Channel")
                yield ChoiceBar(CHANNELS, "call", advance=True, id="channel")
            with Horizontal(classes="row"):
                yield Label("Subject")
                yield Input(placeholder="what it was about", id="subject")
            with Horizontal(classes="row"):
                yield Label("Summary")
                yield Input(placeholder="what was said, what was agreed", id="summary")
            with Horizontal(classes="row"):
                yield Label("Next")
                yield ChoiceBar(
                    [Choice(NO_NEXT, "None", "0")]
                    + [Choice(s.choice, s.label, str(n)) for n, s in enumerate(self.shortcuts, 1)],
                    NO_NEXT, id="next",
                )
            with Horizontal(classes="row"):
                yield Label("")
                yield Input(placeholder="or a date: +3d, friday, 2026-12-01", id="next-date")
                yield Static("", id="next-preview")
            if t.follow_up_id:
                with Horizontal(classes="row"):
                    yield Label("Follow-up")
                    yield Checkbox(
                        Content(f"Mark the follow-up due {t.follow_up_due} done"), True, id="complete"
                    )
            with Horizontal(classes="row"):
                yield Label("Status")
                yield PickField(self._status_text(), id="status")
            with Horizontal(classes="row"):
                yield Label("Direction", id="direction-label")
                yield ChoiceBar(DIRECTIONS, "outbound", id="direction")
                yield Label("When", id="when-label")
                yield Input(self._now_text, id="when")
            yield Static("", id="errors")
            yield Static(
                "Channel, next follow-up and direction: one key each · tab moves on · "
                "enter on Status picks one",
                id="hint",
            )

    def _context_line(self) -> Content:
        t = self.target
        parts = []
        if t.contact:
            parts.append(Content.assemble("Contact ", Content.styled(t.contact, "bold")))
        if t.event:
            parts.append(Content.assemble("Event ", Content.styled(t.event, "bold")))
        if t.deal_id and t.status_label:
            parts.append(Content.assemble("Status ", Content.styled(t.status_label, "bold")))
        if t.follow_up_due:
            parts.append(Content(f"Follow-up due {t.follow_up_due}"))
        elif t.deal_id:
            parts.append(Content("No open follow-up"))
        if not t.deal_id:
            parts.append(Content("Not on a deal"))
        return Content("  ·  ").join(parts)

    def _status_text(self) -> Content:
        if not self.target.deal_id:
            return Content.styled("no deal: status cannot change here", "dim")
        if self.new_status is None:
            current = self.target.status_label or self.target.status or "?"
            return Content.assemble(Content(current), Content.styled("  (no change; enter to pick)", "dim"))
        label = next((s["label"] for s in self.statuses if s["key"] == self.new_status), self.new_status)
        return Content.assemble(
            Content(self.target.status_label or ""), " → ", Content.styled(label, "bold"),
            Content.styled("  (backspace: no change)", "dim"),
        )

    def on_mount(self) -> None:
        self.query_one("#channel", ChoiceBar).focus()

    # --- field behaviour -------------------------------------------------------------------

    @on(ChoiceBar.Changed, "#channel")
    def _channel_picked(self, event: ChoiceBar.Changed) -> None:
        event.stop()

    def on_key(self, event: events.Key) -> None:
        focused = self.focused
        if isinstance(focused, PickField) and focused.id == "status":
            if event.key in ("enter", "space"):
                event.stop()
                self._pick_status()
            elif event.key in ("backspace", "delete"):
                event.stop()
                self.new_status = None
                focused.show(self._status_text())

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        """Enter in a text field moves on, like tab (ctrl+s saves from anywhere)."""
        event.stop()
        self.focus_next()

    @on(ChoiceBar.Changed, "#next")
    def _next_picked(self, event: ChoiceBar.Changed) -> None:
        event.stop()
        if event.value != NO_NEXT:
            self.query_one("#next-date", Input).value = ""
        self._preview_next()

    @on(Input.Changed, "#next-date")
    def _next_typed(self, event: Input.Changed) -> None:
        event.stop()
        if event.value.strip():
            self.query_one("#next", ChoiceBar).set_reactive(ChoiceBar.value, NO_NEXT)
            self.query_one("#next", ChoiceBar).refresh()
        self._preview_next()

    def _preview_next(self) -> None:
        preview = self.query_one("#next-preview", Static)
        try:
            day = self._next_due()
        except FollowUpDateError as exc:
            preview.update(Content.styled(str(exc), "italic"))
            return
        preview.update(Content(f"→ {day:%a} {day.day} {day:%b %Y}") if day else Content(""))

    def _pick_status(self) -> None:
        if not self.target.deal_id:
            self.notify("This item is not on a deal, so it has no status to change.", markup=False)
            return
        current = self.new_status or self.target.status

        def picked(key: str | None) -> None:
            if key is None:
                return
            self.new_status = None if key == self.target.status else key
            self.query_one("#status", PickField).show(self._status_text())

        self.app.push_screen(
            OptionPicker("Change status to", status_options(self.statuses), current), picked
        )

    # --- saving ----------------------------------------------------------------------------

    def _next_due(self) -> dt.date | None:
        typed = self.query_one("#next-date", Input).value.strip()
        if typed:
            return parse_follow_up_date(typed, self.app.clock.today(), self.first_day)
        chosen = self.query_one("#next", ChoiceBar).value
        return next((s.day for s in self.shortcuts if s.choice == chosen), None)

    def _occurred_at(self) -> str:
        typed = self.query_one("#when", Input).value.strip()
        if typed == self._now_text:
            return self.app.clock.stamp()
        try:
            naive = dt.datetime.strptime(typed, WHEN_FORMAT)
        except ValueError:
            try:
                naive = dt.datetime.combine(dt.date.fromisoformat(typed), dt.time(12))
            except ValueError:
                raise ValueError(f"{typed!r} is not a time such as {self._now_text}") from None
        tz = self.app.clock.tz
        moment = naive.replace(tzinfo=ZoneInfo(tz)) if tz else naive.astimezone()
        if moment > self.app.clock.now() + dt.timedelta(minutes=5):
            raise ValueError("is in the future")
        return stamp(moment)

    def _show_errors(self, lines: list[str]) -> None:
        errors = self.query_one("#errors", Static)
        errors.update(Content("\n".join(lines)))
        errors.set_class(bool(lines), "-shown")

    def action_save(self) -> None:
        t = self.target
        errors: list[str] = []
        try:
            occurred = self._occurred_at()
        except ValueError as exc:
            errors.append(f"When: {exc}")
            occurred = None
        try:
            next_day = self._next_due()
        except FollowUpDateError as exc:
            errors.append(f"Next follow-up: {exc}")
            next_day = None
        if errors:
            self._show_errors(errors)
            return
        complete = bool(t.follow_up_id) and self.query_one("#complete", Checkbox).value
        data = {
            "partner_id": t.partner_id,
            "contact_id": t.contact_id,
            "deal_id": t.deal_id,
            "event_id": t.event_id,
            "channel": self.query_one("#channel", ChoiceBar).value,
            "direction": self.query_one("#direction", ChoiceBar).value,
            "occurred_at": occurred,
            "subject": self.query_one("#subject", Input).value,
            "summary": self.query_one("#summary", Input).value,
        }
        next_due = next_day.isoformat() if next_day else None
        try:
            activity_id = self.app.store.log_activity(
                data,
                next_follow_up=next_due,
                complete_follow_up=t.follow_up_id if complete else None,
                status=self.new_status,
            )
        except InvalidInput as exc:
            self._show_errors([f"{p.field}: {p.message}" for p in exc.problems])
            return
        except Exception as exc:  # a locked or broken database: say so, keep the form
            self._show_errors([f"Could not save: {exc}"])
            return
        channel = next(c.label for c in CHANNELS if c.value == data["channel"])
        parts = [f"{channel} with {t.partner} logged"]
        if complete:
            parts.append("follow-up done")
        if next_day:
            parts.append(f"next follow-up {next_day:%a} {next_day.day} {next_day:%b}")
        if self.new_status:
            label = next((s["label"] for s in self.statuses if s["key"] == self.new_status), self.new_status)
            parts.append(f"status {label}")
        self.dismiss(LogSaved(activity_id, "; ".join(parts), complete, next_due, self.new_status))

    def action_cancel(self) -> None:
        self.dismiss(None)
