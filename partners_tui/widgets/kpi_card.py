"""A KPI card: one figure, a short note under it, and what it counts.

The card is focusable so a keyboard user can ask what a number means: its explanation and the
full, unabbreviated value are its tooltip and `describe()` (the Overview shows that on a line
under the cards). When the card is too narrow for the full figure it shows the short form
("$1.04M") instead; the full one is never lost.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content
from textual.widget import Widget

PENDING = "…"


# A narrow tile says "Secured" rather than "Revenue sec…"; the full caption is in the tooltip.
SHORT_CAPTIONS = {
    "Active partners": "Partners", "Events in scope": "Events", "Archived events": "Archived",
    "Revenue secured": "Secured", "Goal remaining": "Goal left", "Open pipeline": "Pipeline",
    "Action items": "Actions",
}


@dataclass(frozen=True)
class CardValue:
    """What a card shows. `short` / `note_short` are used only when the full text does not fit.
    `tone` is a theme colour name ("error", "success", "warning") for the figure, or ""."""

    text: str
    short: str | None = None
    note: str = ""
    note_short: str | None = None
    tone: str = ""
    note_tone: str = ""
    detail: str = ""
    """A sentence with the full figures, for the focus line and tooltip."""


def _fit(full: str, short: str | None, width: int) -> str:
    if len(full) <= width or not short:
        return full
    return short


class KpiCard(Widget, can_focus=True):
    """One KPI as a tile: caption, the figure, a dim note (three lines)."""

    DEFAULT_CSS = """
    KpiCard {
        height: 3;
        background: $boost;
        padding: 0 1;
        text-align: center;
        &:focus {
            background: $accent 25%;
        }
    }
    """

    def __init__(
        self, caption: str, explanation: str, *, id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.caption = caption
        self.explanation = explanation
        self.value: CardValue | None = None
        self.tooltip = explanation

    def show(self, value: CardValue | None) -> None:
        self.value = value
        tip = self.explanation if value is None or not value.detail else (
            f"{value.detail}\n\n{self.explanation}"
        )
        self.tooltip = Content(tip)
        self.refresh()

    @property
    def shown_text(self) -> str:
        """The figure as drawn now (full or short), for tests and the focus line."""
        if self.value is None:
            return PENDING
        return _fit(self.value.text, self.value.short, max(self.content_size.width, 1))

    def describe(self) -> str:
        """"Caption: full figures. What it counts." for the focus line."""
        detail = self.value.detail if self.value and self.value.detail else (
            self.value.text if self.value else PENDING
        )
        return f"{self.caption}: {detail}. {self.explanation}"

    def render(self) -> Content:
        width = max(self.content_size.width, 1)
        text = _fit(self.caption, SHORT_CAPTIONS.get(self.caption), width)
        caption = Content.styled(text, "$text-muted").truncate(width, ellipsis=True)
        if self.value is None:
            return Content.assemble(caption, "\n", Content.styled(PENDING, "dim"))
        v = self.value
        figure = Content.styled(
            _fit(v.text, v.short, width), f"bold ${v.tone}" if v.tone else "bold"
        ).truncate(width, ellipsis=True)
        note_style = f"${v.note_tone}" if v.note_tone else "$text-muted"
        note = Content.styled(_fit(v.note, v.note_short, width), note_style)
        return Content("\n").join([caption, figure, note.truncate(width, ellipsis=True)])
