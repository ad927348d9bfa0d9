"""Every key, generated from the live bindings so the list cannot go stale.

The screen beneath is inspected the way Textual resolves a key press: the focused widget and its
containers, then the screen, then the app. A key bound at several levels is listed where it wins.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

if TYPE_CHECKING:
    from partners_tui.app import PartnersApp

# Bindings Textual adds itself, which come without a description.
FALLBACK_DESCRIPTIONS = {
    "help_quit": "Say how to quit",
    "command_palette": "Open the command palette",
}


FRIENDLY = {"DataTable": "table", "VerticalScroll": "scrolling area", "Button": "button"}


def describe(binding: Binding) -> str:
    if binding.action in FALLBACK_DESCRIPTIONS and not binding.tooltip:
        return FALLBACK_DESCRIPTIONS[binding.action]
    text = binding.tooltip or binding.description
    return text or binding.action.replace("_", " ").capitalize()


class HelpScreen(ModalScreen[None]):
    """Keys of the app and of the screen it was opened from, plus what each screen is for."""

    BINDINGS = [
        Binding("escape", "close", "Close help"),
        Binding("question_mark,f1,q", "close", "Close help", show=False),
    ]

    app: "PartnersApp"

    def __init__(self, beneath: Screen) -> None:
        super().__init__()
        self.beneath = beneath

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog") as dialog:
            dialog.border_title = "Help"
            dialog.border_subtitle = "esc closes"
            for title, table in self.sections():
                yield Static(Text(title, style="bold"), classes="help-title")
                yield Static(table, classes="help-table")

    def _bindings_table(self, bindings: list[Binding], shadowed: set[str]) -> Table | None:
        """One row per action, with all its keys ("? / f1")."""
        by_action: dict[tuple[str, str], list[Binding]] = defaultdict(list)
        for binding in bindings:
            if binding.key in shadowed and not binding.priority:
                continue
            by_action[(binding.action, describe(binding))].append(binding)
        if not by_action:
            return None
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True, min_width=12)
        table.add_column()
        for (_, description), group in by_action.items():
            keys = " / ".join(dict.fromkeys(self.app.get_key_display(b) for b in group))
            table.add_row(Text(keys), Text(description))
        return table

    def sections(self) -> list[tuple[str, Table]]:
        # Resolve shadowing the way a key press does (focused widget first, app last; priority
        # bindings win from anywhere), then list the levels top-down: app, screen, widget.
        chain = self.beneath._binding_chain
        seen: set[str] = set()
        levels: list[tuple[str, Table]] = []
        for node, bindings_map in chain:
            bindings = [b for _, b in bindings_map]
            table = self._bindings_table(bindings, seen)
            seen.update(b.key for b in bindings if not b.priority)
            if table is not None:
                levels.append((self._level_title(node), table))
        out = list(reversed(levels))
        screens = Table.grid(padding=(0, 2))
        screens.add_column(style="bold", no_wrap=True, min_width=12)
        screens.add_column()
        for cls in self.app.main_screens:
            screens.add_row(
                Text(f"{cls.KEY}  {cls.LABEL}"), Text(cls.PURPOSE)
            )
        extra = getattr(self.beneath, "help_sections", None)
        if callable(extra):  # a screen may explain its own numbers (the Overview does)
            out.extend(extra())
        out.append(("Screens", screens))
        palette = Table.grid(padding=(0, 2))
        palette.add_column()
        palette.add_row(
            Text(
                f"{self.app.get_key_display(Binding(self.app.COMMAND_PALETTE_BINDING, ''))} opens "
                "the command palette: every action above, searchable by name, plus loading demo "
                "data and changing the theme."
            )
        )
        out.append(("Command palette", palette))
        return out

    def _level_title(self, node) -> str:
        if node is self.app:
            return "Everywhere"
        if node is self.beneath:
            return f"On the {getattr(node, 'LABEL', '') or type(node).__name__} screen"
        if node is self.beneath.focused:
            return f"In the focused {FRIENDLY.get(type(node).__name__, type(node).__name__)}"
        return f"In the {FRIENDLY.get(type(node).__name__, type(node).__name__)}"

    def action_close(self) -> None:
        self.dismiss(None)
