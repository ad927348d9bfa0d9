"""The first thing a new user sees: what this is, and demo data or a clean start.

Shown when the database has no partners and no events. It dismisses with "demo" once demo data
has loaded, or "empty" when the user starts empty. Loading runs in the app's worker; this dialog
only shows its progress, so the same load can also start from the command palette.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, LoadingIndicator, Static

if TYPE_CHECKING:
    from partners_tui.app import PartnersApp

INTRO = """\
A keyboard-driven CRM for teams that fund events through partners: who you talk to, \
what each deal is worth, how much is secured against each event's goal, and who to \
follow up with next. Everything lives in one local file; it works offline.

This database is empty. Try it with a small set of made-up demo data (a few events, \
partners, deals and follow-ups, built around today), or start with nothing."""

LATER = """\
To bring your own data: [b]partners-tui import biztech FILE.json[/b] or \
[b]partners-tui import csv FILE.csv[/b] (the reference CRM's exports). \
Demo data can be loaded later too, from the command palette ([b]ctrl+p[/b])."""


class WelcomeScreen(ModalScreen[str]):
    """Dismisses with "demo" or "empty"."""

    BINDINGS = [
        Binding("d", "demo", "Load demo data", tooltip="Fill this database with made-up demo data"),
        Binding("e", "empty", "Start empty", tooltip="Close this and start with an empty database"),
        Binding("escape", "empty", "Start empty", show=False),
    ]

    app: "PartnersApp"

    def __init__(self, db_name: str) -> None:
        super().__init__()
        self.db_name = db_name

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = "Welcome to partners-tui"
            yield Static(INTRO, markup=False, id="intro")
            with Horizontal(id="choices"):
                yield Button("[b]d[/b]  Load demo data", id="demo", variant="primary")
                yield Button("[b]e[/b]  Start empty", id="empty")
            with Vertical(id="progress"):
                yield LoadingIndicator()
                yield Static(id="progress-text")
            yield Static(LATER, id="later")
            yield Static(
                Content.assemble("Database file: ", (self.db_name, "bold")), id="db-name"
            )

    def on_mount(self) -> None:
        self.watch(self.app, "loading_demo", self._loading_changed)
        self.watch(self.app, "demo_progress", self._progress_changed)

    def _loading_changed(self, loading: bool) -> None:
        self.set_class(loading, "-loading")
        if not loading:
            self.query_one("#demo", Button).focus()

    def _progress_changed(self, message: str) -> None:
        # Progress text comes from the demo generator: shown as plain text, never as markup.
        self.query_one("#progress-text", Static).update(
            Content(message or "Loading demo data…")
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While the load runs there is nothing to choose; Esc must not hide it half-way.
        if action in ("demo", "empty") and self.app.loading_demo:
            return False
        return True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.run_action(event.button.id or "empty")

    def action_demo(self) -> None:
        self.app.action_load_demo()

    def action_empty(self) -> None:
        self.dismiss("empty")
