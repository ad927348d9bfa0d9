"""Action Queue: who to follow up with next. For now, open follow-ups by when they are due."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Grid
from textual.widgets import Static

from partners_tui.screens.base import MainScreen
from partners_tui.store.counts import follow_up_counts
from partners_tui.widgets import CountCard

WINDOW_DAYS = 21
CARDS = (
    ("overdue", "Overdue"),
    ("due_today", "Due today"),
    ("upcoming", f"Next {WINDOW_DAYS} days"),
    ("later", "Later"),
)


class ActionQueueScreen(MainScreen):
    MODE = "action_queue"
    KEY = "4"
    LABEL = "Action Queue"
    PURPOSE = (
        "Every follow-up that is due and every deal gone quiet, most urgent and most valuable "
        "first; work each item without leaving the list."
    )

    def compose_body(self) -> ComposeResult:
        yield Static(id="intro", classes="screen-intro")
        with Grid(classes="cards cards-4"):
            for field, caption in CARDS:
                yield CountCard(caption, id=f"card-{field}")
        yield Static(
            "Coming next on this screen: one ranked list of open follow-ups and stale deals "
            "(overdue first, then by a 0–100 priority score of urgency and deal value), each "
            "with its partner, contact, event, status and amount. From the list you will log "
            "a call or email, complete or reschedule the follow-up and move the deal, and the "
            "queue updates at once.",
            classes="placeholder",
        )

    def reload(self) -> None:
        today = self.app.clock.today()
        self.query_one("#intro", Static).update(
            f"Open follow-ups as of [b]{today.isoformat()}[/b], by due date:"
        )
        numbers = follow_up_counts(self.app.store, today, WINDOW_DAYS)
        for field, _ in CARDS:
            self.query_one(f"#card-{field}", CountCard).value = getattr(numbers, field)
