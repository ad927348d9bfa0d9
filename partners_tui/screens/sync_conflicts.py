"""Sheets conflicts (DESIGN 5): fields edited both here and in the team's sheet since the last
sync. The later edit was kept automatically; this list says which, so a person can check it.

Labels and values come from the sheet (anyone can type into it), so every cell is plain text.
Reads and writes go through `SheetsSync` (`conflicts()`, `mark_conflicts_reviewed()`).
"""

from __future__ import annotations

import json
from typing import Any, Callable, Protocol

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

CONFLICTS_SHOWN = 500
NOT_CONNECTED = (
    "Google Sheets is not connected, so there are no conflicts to review. Connect the team's "
    "sheet from a terminal: partners-tui sheets connect --spreadsheet URL --service-account KEY.json"
)
NONE_TO_REVIEW = (
    "No conflicts to review. When the same field is edited here and in the sheet between two "
    "syncs, the later edit is kept and listed here."
)


class ConflictSource(Protocol):
    def conflicts(self, include_reviewed: bool = False, limit: int | None = None) -> list[Any]: ...

    def mark_conflicts_reviewed(self, ids: list[int] | None = None) -> int: ...


def show_value(value: Any) -> str:
    """A stored field value in words: blank, or as JSON (so "12" and 12 look different)."""
    return "(blank)" if value in (None, "") else json.dumps(value, ensure_ascii=False)


class SyncConflictsScreen(ModalScreen[int]):
    """The open conflicts, newest first; `m` marks them all reviewed. Returns how many were marked."""

    BINDINGS = [
        Binding("escape", "close", "Close", tooltip="Close the conflicts list"),
        Binding("m", "mark_reviewed", "Mark all reviewed",
                tooltip="Mark every listed conflict as reviewed (the kept values stay)"),
    ]

    DEFAULT_CSS = """
    SyncConflictsScreen { align: center middle; }
    SyncConflictsScreen > #dialog {
        width: 90%;
        max-width: 150;
        height: auto;
        max-height: 85%;
        border: round $accent;
        border-title-style: bold;
        background: $surface;
        padding: 0 1;
    }
    SyncConflictsScreen #conflicts-intro { height: auto; color: $text-muted; margin: 0 0 1 0; }
    SyncConflictsScreen #conflicts-empty { height: auto; padding: 1 0; }
    SyncConflictsScreen #conflicts-table { height: auto; max-height: 30; }
    SyncConflictsScreen #conflicts-keys { height: 1; color: $text-muted; }
    """

    def __init__(self, source: ConflictSource | None, when: Callable[[str], str] = str) -> None:
        super().__init__()
        self.source = source
        self.when = when
        self.marked = 0
        self.rows: list[Any] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = "Sheets conflicts"
            yield Static(
                "Fields edited both here and in the team's sheet. The later edit was kept "
                "(a value typed into the sheet has no time, so this database's value wins).",
                id="conflicts-intro", markup=False,
            )
            yield Static("", id="conflicts-empty", markup=False)
            yield DataTable(id="conflicts-table", cursor_type="row", zebra_stripes=True)
            yield Static("m mark all reviewed · esc close", id="conflicts-keys", markup=False)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Tab", "Record", "Field", "Here", "Sheet", "Kept", "When")
        self.load()

    def load(self) -> None:
        """Read the open conflicts (a small bookkeeping table: milliseconds)."""
        self.rows = self.source.conflicts(limit=CONFLICTS_SHOWN) if self.source is not None else []
        table = self.query_one(DataTable)
        table.clear()
        for r in self.rows:
            kept = "sheet" if r.kept == "sheet" else "here"
            table.add_row(
                Text(r.entity), Text(r.label or r.entity_id), Text(r.field),
                Text(show_value(r.local_value)), Text(show_value(r.sheet_value)),
                Text(kept, style="bold"), Text(self.when(r.at)),
                key=str(r.id),
            )
        empty = self.query_one("#conflicts-empty", Static)
        empty.update(NOT_CONNECTED if self.source is None else NONE_TO_REVIEW)
        empty.display = not self.rows
        table.display = bool(self.rows)
        if self.rows:
            table.focus()

    def action_mark_reviewed(self) -> None:
        if self.source is None or not self.rows:
            self.notify("Nothing to mark.", markup=False)
            return
        try:
            n = self.source.mark_conflicts_reviewed([r.id for r in self.rows])
        except Exception as exc:  # a locked database: say so, keep the list
            self.notify(f"Could not mark them reviewed: {exc}", severity="error", markup=False)
            return
        self.marked += n
        self.notify(f"Marked {n:,} conflict{'' if n == 1 else 's'} as reviewed.", markup=False)
        self.load()

    def action_close(self) -> None:
        self.dismiss(self.marked)
