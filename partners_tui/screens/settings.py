"""Settings: the pipeline statuses, annual goals, money and dates, follow-up rules."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from partners_tui.screens.base import MainScreen


class SettingsScreen(MainScreen):
    MODE = "settings"
    KEY = "5"
    LABEL = "Settings"
    PURPOSE = (
        "Everything the numbers depend on: pipeline statuses and their probabilities, annual "
        "goals, currency, time zone, first day of week and follow-up rules."
    )

    def compose_body(self) -> ComposeResult:
        yield Static(
            "Settings are editable from the command line for now: partners-tui settings show.",
            classes="placeholder",
        )
