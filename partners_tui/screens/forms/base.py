"""What every record form shares: a dialog of fields, ctrl+s to save, esc to cancel, and each
problem shown next to the field it concerns.

A form checks its input with the store's own rules (`validate.clean` and friends) as each field
is left and again on save, then runs the store command; a problem the command still finds (a
reference, a cycle) comes back as `InvalidInput` and lands next to its field the same way. A
field is only judged once it has been visited, so an empty form does not open covered in red.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Checkbox, Input, Select, Static, TextArea

from partners_tui.store.validate import InvalidInput, Problem
from partners_tui.widgets.app_footer import AppFooter
from partners_tui.widgets.form_fields import FormField, PickField
from partners_tui.screens.dialog import Dialog

if TYPE_CHECKING:
    from partners_tui.app import PartnersApp

T = TypeVar("T")


def units_text(cents: int | None) -> str:
    """Cents as an amount to edit: 500000 → "5000", 123456 → "1234.56", None → ""."""
    if cents is None:
        return ""
    units, rest = divmod(cents, 100)
    return f"{units}" if rest == 0 else f"{units}.{rest:02d}"


def problems_of(exc: InvalidInput) -> list[Problem]:
    return list(exc.problems)


class FormScreen(Dialog[T], Generic[T]):
    """Subclasses set TITLE, compose `compose_fields()`, and implement `check(values)` (the
    problems, as `Problem`s named like the fields) and `submit(values)` (the store commands;
    returns what the form is dismissed with)."""

    DEFAULT_CSS = """
    FormScreen > #dialog {
        width: 84;
        max-width: 100%;
        max-height: 100%;
    }
    FormScreen #form-warning {
        display: none;
        color: $text-warning;
        margin-top: 1;
    }
    FormScreen #form-warning.-shown {
        display: block;
    }
    FormScreen #form-error {
        display: none;
        color: $text-error;
        margin-top: 1;
    }
    FormScreen #form-error.-shown {
        display: block;
    }
    FormScreen .form-intro {
        color: $text-muted;
        margin-bottom: 1;
    }
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True, tooltip="Save this form"),
        Binding("escape", "cancel", "Cancel", tooltip="Close the form without saving"),
        Binding("ctrl+z", "block_undo", "Undo", show=False,
                tooltip="Undo is for saved changes: close the form first"),
    ]

    TITLE = "Record"
    INTRO = ""

    app: "PartnersApp"

    def __init__(self) -> None:
        super().__init__()
        self.visited: set[str] = set()
        self.saving = False

    # --- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog") as dialog:
            dialog.border_title = self.TITLE
            dialog.border_subtitle = "ctrl+s save · esc cancel"
            if self.INTRO:
                yield Static(self.INTRO, classes="form-intro", markup=False)
            yield from self.compose_fields()
            yield Static("", id="form-warning", markup=False)
            yield Static("", id="form-error", markup=False)
        yield AppFooter()

    def compose_fields(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        first = next((f for f in self.query(FormField) if f.control.can_focus), None)
        if first is not None:
            first.focus_control()

    # --- values and problems ---------------------------------------------------------------

    @property
    def fields(self) -> dict[str, FormField]:
        return {f.field: f for f in self.query(FormField)}

    def values(self) -> dict[str, Any]:
        return {name: field.value for name, field in self.fields.items()}

    def check(self, values: dict[str, Any]) -> list[Problem]:
        """Every problem with `values` (empty when they can be saved)."""
        return []

    def submit(self, values: dict[str, Any]) -> T:
        raise NotImplementedError

    def warning(self, values: dict[str, Any]) -> str:
        """Something worth saying that does not stop a save (e.g. a likely duplicate)."""
        return ""

    def show_problems(self, problems: list[Problem], *, only_visited: bool = False) -> None:
        fields = self.fields
        by_field: dict[str, str] = {}
        general: list[str] = []
        for problem in problems:
            name = self.field_for(problem.field)
            if name in fields:
                by_field.setdefault(name, problem.message)
            else:
                general.append(str(problem))
        for name, field in fields.items():
            if only_visited and name not in self.visited:
                continue
            field.set_message(by_field.get(name))
        error = self.query_one("#form-error", Static)
        shown = "" if only_visited else "\n".join(general)
        error.update(shown)
        error.set_class(bool(shown), "-shown")

    def field_for(self, problem_field: str) -> str:
        """The form field a problem names (subclasses map store names such as `amount_cents`)."""
        return problem_field

    def refresh_warning(self) -> None:
        text = self.warning(self.values())
        label = self.query_one("#form-warning", Static)
        label.update(text)
        label.set_class(bool(text), "-shown")

    def field_changed(self, field: FormField) -> None:
        """Hook: a field's value changed (pick up dependent fields, refresh the warning)."""

    # --- events ----------------------------------------------------------------------------

    def _field_of(self, widget) -> FormField | None:
        for node in widget.ancestors_with_self:
            if isinstance(node, FormField):
                return node
        return None

    def _recheck(self) -> None:
        self.show_problems(self.check(self.values()), only_visited=True)

    @on(Input.Blurred)
    def _left_input(self, event: Input.Blurred) -> None:
        field = self._field_of(event.input)
        if field is not None and self.is_attached and not self.saving:
            self.visited.add(field.field)
            self._recheck()

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    @on(TextArea.Changed)
    @on(PickField.Picked)
    def _changed(self, event) -> None:
        widget = getattr(event, "control", None) or getattr(event, "field", None)
        field = self._field_of(widget) if widget is not None else None
        if field is None:
            return
        if field.field in self.visited and not isinstance(event, (Input.Changed, TextArea.Changed)):
            self._recheck()
        elif field.has_class("-error") and isinstance(event, (Input.Changed, TextArea.Changed)):
            field.set_message(None)  # typing answers the message; judged again on leaving
        self.field_changed(field)
        self.refresh_warning()

    @on(PickField.PickRequested)
    def _pick(self, event: PickField.PickRequested) -> None:
        self.pick(event.field)

    def pick(self, field: PickField) -> None:
        """Open the picker for `field` (subclasses that have pick fields)."""

    # --- actions ---------------------------------------------------------------------------

    def action_save(self) -> None:
        if self.saving:
            return
        values = self.values()
        self.visited.update(self.fields)
        problems = self.check(values)
        if problems:
            self.show_problems(problems)
            self._focus_first_problem()
            return
        self.saving = True
        try:
            result = self.submit(values)
        except InvalidInput as exc:
            self.saving = False
            self.show_problems(problems_of(exc))
            self._focus_first_problem()
            return
        except Exception as exc:  # a locked or broken database: say so, keep the form open
            self.saving = False
            self.app.log.error("form save failed", exc)
            self.show_problems([Problem("database", f"could not save: {exc}")])
            return
        self.app.data_changed()
        message = self.saved_message(values, result)
        if message:
            self.app.notify(message, title="Saved", markup=False)
        self.dismiss(result)

    def saved_message(self, values: dict[str, Any], result: T) -> str:
        return ""

    def _focus_first_problem(self) -> None:
        for field in self.fields.values():
            if field.has_class("-error"):
                field.focus_control()
                self.query_one("#dialog").scroll_to_widget(field)
                return

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_block_undo(self) -> None:
        self.app.notify("Save or cancel this form first, then ctrl+z undoes.", markup=False)
