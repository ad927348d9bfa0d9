"""The scope controls along the top of the Overview: year, event, follow-up window, archived.

The bar only turns choices into a `Scope` and posts `ScopeBar.Changed`; whoever owns the scope
(the app) stores it and tells the bar back through `sync()`, which never posts `Changed`, so a
scope set elsewhere (the Action Queue, the command palette) cannot echo back as a user change.
"""

from __future__ import annotations

from dataclasses import replace

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.events import Resize
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Checkbox, Label, Select
from textual.widgets._select import SelectCurrent

from partners_tui.store.queries import Scope
from partners_tui.store.queries.scope_choices import ScopeChoices

WINDOWS = (7, 14, 21, 30, 45, 60, 90)
ALL_EVENTS = "all"


def year_value(scope: Scope) -> str:
    return str(scope.year) if scope.year_mode == "year" else scope.year_mode


def with_year(scope: Scope, value: str, choices: ScopeChoices) -> Scope:
    """`scope` with the year picker's value; the chosen event stays only if it still fits."""
    if value in ("auto", "all"):
        mode, year = value, None
    else:
        mode, year = "year", int(value)
    event = choices.find(scope.event_id)
    keep = event is not None and (mode == "all" or (mode == "year" and event.year == year))
    return replace(scope, year_mode=mode, year=year, event_id=scope.event_id if keep else None)


def with_event(scope: Scope, event_id: str | None) -> Scope:
    return replace(scope, event_id=event_id)


def with_window(scope: Scope, days: int) -> Scope:
    return replace(scope, window_days=days)


def with_archived(scope: Scope, include: bool, choices: ScopeChoices) -> Scope:
    """Hiding archived events also lets go of a chosen event that is archived."""
    event = choices.find(scope.event_id)
    keep = include or event is None or not event.archived
    return replace(scope, include_archived=include, event_id=scope.event_id if keep else None)


def _key_label(key: str, word: str) -> Content:
    return Content.assemble((key, "bold $accent"), f" {word}" if word else "")


def _set_select(select: Select, options: list[tuple[Content, object]], value: object) -> None:
    """Replace a picker's options (only if they changed: a list of 200 events is not free) and
    its value. Textual redraws the shown choice only when the value changes, so a relabelled
    current choice ("Auto (2026)") is drawn here."""
    shown = [(prompt.plain, v) for prompt, v in options]
    if getattr(select, "_scope_options", None) != shown:
        select.set_options(options)
        select._scope_options = shown  # type: ignore[attr-defined]
    select.value = value
    label = next(prompt for prompt, v in options if v == value)
    select.query_one(SelectCurrent).update(label)


class ScopeBar(Widget):
    """Year, event and window pickers and the include-archived box: one line when there is
    room (`WRAP_WIDTH` columns), else two rows of two."""

    WRAP_WIDTH = 104

    DEFAULT_CSS = """
    ScopeBar {
        layout: horizontal;
        height: 1;
        width: 1fr;
        &.-wrap {
            layout: grid;
            grid-size: 2;
            grid-columns: auto 1fr;
            grid-gutter: 0 2;
            grid-rows: 1;
            height: 2;
        }
        & > Horizontal {
            height: 1;
            width: auto;
            margin: 0 2 0 0;
        }
        &.-wrap > Horizontal { margin: 0; }
        & > #group-event { width: 1fr; max-width: 52; }
        &.-wrap > #group-event { max-width: 100%; }
        & Label {
            margin: 0 1 0 0;
            color: $text-muted;
        }
        & #scope-year { width: 16; }
        & #scope-event { width: 1fr; }
        & #scope-window { width: 12; }
        & Checkbox { width: auto; margin: 0; }
    }
    """

    class Changed(Message):
        """The person changed the scope with a control."""

        def __init__(self, scope: Scope) -> None:
            super().__init__()
            self.scope = scope

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.scope = Scope()
        self.choices = ScopeChoices(())
        self.window_days = 21
        self.auto_year: int | None = None
        self.synced = False
        """False until the first `sync()`: the pickers' own start-up values are not choices."""

    def compose(self) -> ComposeResult:
        with Horizontal(id="group-year"):
            yield Label(_key_label("y", "Year"))
            yield Select([(Content("Auto"), "auto")], id="scope-year", allow_blank=False,
                         compact=True, value="auto", tooltip="Which year's events (y)")
        with Horizontal(id="group-event"):
            yield Label(_key_label("e", "Event"))
            yield Select([(Content("All events"), ALL_EVENTS)], id="scope-event",
                         allow_blank=False, compact=True, value=ALL_EVENTS,
                         tooltip="One event, or all of them (e)")
        with Horizontal(id="group-window"):
            yield Label(_key_label("w", "Window"))
            yield Select([(Content(f"{d} days"), d) for d in WINDOWS], id="scope-window",
                         allow_blank=False, compact=True, value=21,
                         tooltip="Follow-ups due within this many days count as action items (w)")
        with Horizontal(id="group-archived"):
            yield Label(_key_label("a", ""))
            yield Checkbox("Include archived", id="scope-archived", compact=True,
                           tooltip="Count archived events and partners too (a)")

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < self.WRAP_WIDTH, "-wrap")

    # --- from the app to the controls -------------------------------------------------------

    def sync(
        self, scope: Scope, choices: ScopeChoices, *, resolved_year: int | None,
        window_days: int, auto_year: int | None,
    ) -> None:
        """Show `scope` (resolved to `resolved_year` and `window_days`) without posting Changed."""
        self.scope, self.choices = scope, choices
        self.window_days, self.auto_year = window_days, auto_year
        self.synced = True
        year = self.query_one("#scope-year", Select)
        event = self.query_one("#scope-event", Select)
        window = self.query_one("#scope-window", Select)
        archived = self.query_one("#scope-archived", Checkbox)
        with year.prevent(Select.Changed):
            years = choices.years(scope.include_archived)
            if scope.year_mode == "year" and scope.year not in years:
                years = tuple(sorted({*years, scope.year}, reverse=True))
            auto_label = f"Auto ({auto_year})" if auto_year else "Auto"
            _set_select(
                year,
                [(Content(auto_label), "auto"), (Content("All years"), "all")]
                + [(Content(str(y)), str(y)) for y in years],
                year_value(scope),
            )
        with event.prevent(Select.Changed):
            listed = choices.events_of(
                None if scope.year_mode == "all" else resolved_year, scope.include_archived
            )
            chosen = choices.find(scope.event_id)
            if chosen is not None and chosen not in listed:
                listed = (chosen, *listed)
            options = [(Content("All events"), ALL_EVENTS)]
            for e in listed:
                label = e.name if scope.year_mode != "all" else f"{e.name} ({e.year})"
                options.append((Content(label + (" (archived)" if e.archived else "")), e.id))
            _set_select(event, options, scope.event_id if chosen is not None else ALL_EVENTS)
        with window.prevent(Select.Changed):
            days = sorted({*WINDOWS, window_days})  # the team default may be off the presets
            _set_select(window, [(Content(f"{d} days"), d) for d in days], window_days)
        with archived.prevent(Checkbox.Changed):
            archived.value = scope.include_archived

    # --- from the controls to the app -------------------------------------------------------

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if event.value is Select.NULL or not self.synced:
            return
        scope = self.scope
        if event.select.id == "scope-year":
            if str(event.value) == year_value(scope):
                return
            new = with_year(scope, str(event.value), self.choices)
        elif event.select.id == "scope-event":
            event_id = None if event.value == ALL_EVENTS else str(event.value)
            if event_id == scope.event_id:
                return
            new = with_event(scope, event_id)
        elif event.select.id == "scope-window":
            if event.value == self.window_days:
                return
            new = with_window(scope, int(event.value))  # type: ignore[arg-type]
        else:
            return
        if new != self.scope:
            self.post_message(self.Changed(new))

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        if not self.synced or event.value == self.scope.include_archived:
            return
        new = with_archived(self.scope, event.value, self.choices)
        if new != self.scope:
            self.post_message(self.Changed(new))

    def open_picker(self, which: str) -> None:
        """Focus one picker ("year", "event", "window") and drop its list open."""
        select = self.query_one(f"#scope-{which}", Select)
        select.focus()
        select.action_show_overlay()


class ScopeKeys:
    """The scope keys the Overview and the Action Queue share (y / e / w open a picker, a toggles
    archived records, 0 resets), for a screen with a `ScopeBar` and a `loaded` read (or None)
    that carries the scope's `choices`."""

    def _scope_choices(self) -> ScopeChoices:
        loaded = getattr(self, "loaded", None)
        return loaded.choices if loaded else ScopeChoices(())

    def action_pick(self, which: str) -> None:
        self.query_one(ScopeBar).open_picker(which)  # type: ignore[attr-defined]

    def action_toggle_archived(self) -> None:
        scope = self.app.scope  # type: ignore[attr-defined]
        self.app.set_scope(  # type: ignore[attr-defined]
            with_archived(scope, not scope.include_archived, self._scope_choices())
        )

    def action_reset_scope(self) -> None:
        self.app.set_scope(Scope())  # type: ignore[attr-defined]

