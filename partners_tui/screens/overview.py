"""Overview: the team's daily question, "how are we doing?". For now, what the database holds."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Grid
from textual.widgets import Static

from partners_tui.screens.base import MainScreen
from partners_tui.store.counts import counts
from partners_tui.widgets import CountCard

CARDS = (
    ("partners", "Partners"),
    ("contacts", "Contacts"),
    ("events", "Events"),
    ("deals", "Deals"),
    ("activities", "Activities"),
    ("open_follow_ups", "Open follow-ups"),
)


class OverviewScreen(MainScreen):
    MODE = "overview"
    KEY = "1"
    LABEL = "Overview"
    PURPOSE = (
        "How much is secured against the goal, whether you are on pace, where value is stuck "
        "and what needs doing next."
    )

    def compose_body(self) -> ComposeResult:
        yield Static(id="today", classes="screen-intro")
        with Grid(id="cards", classes="cards"):
            for field, caption in CARDS:
                yield CountCard(caption, id=f"card-{field}")
        yield Static(
            "Coming next on this screen: revenue secured against the goal, goal pace, open and "
            "weighted pipeline, the pipeline by status, the event scoreboard and the number of "
            "action items, for the year or event you choose.\n\n"
            "Keys: [b]1[/]–[b]4[/] switch screens, [b]?[/] lists every key, "
            "[b]ctrl+p[/] searches every command.",
            classes="placeholder",
        )

    def reload(self) -> None:
        today = self.app.clock.today()
        self.query_one("#today", Static).update(
            f"Today is [b]{today:%A} {today.day} {today:%B %Y}[/b]. Everything in the database:"
        )
        numbers = counts(self.app.store)
        for field, _ in CARDS:
            self.query_one(f"#card-{field}", CountCard).value = getattr(numbers, field)
