"""Pipeline breakdown: deals and money per status, with an inline bar, secured and lost set apart.

Drawn as text to the width it gets (no cursor: nothing here opens anything). Amounts are always
shown in full; when space runs short the bar goes first, then the "% deals" column. Status
labels come from the team's settings, so they are drawn as plain text, never markup.
"""

from __future__ import annotations

from textual.content import Content

from partners_tui.store.queries import Pipeline, PipelineRow
from partners_tui.widgets.money import Money, percent
from partners_tui.widgets.panel import Panel
from partners_tui.widgets.width_render import RendersToWidth

SECURED_MARK, LOST_MARK, OPEN_MARK = "✓", "✗", "·"
GAP = 2
MIN_BAR = 6
MAX_LABEL = 20


def row_kind(row: PipelineRow) -> str:
    """"secured", "lost" or "open" (DESIGN 2.1)."""
    if row.secured:
        return "secured"
    if row.closed:
        return "lost"
    return "open"


KIND_STYLE = {
    "secured": ("$success", SECURED_MARK, "$success"),
    "lost": ("$text-muted", LOST_MARK, "$error 60%"),
    "open": ("", OPEN_MARK, "$primary"),
}


class PipelineTable(RendersToWidth, Panel):
    """Bordered block; `show(pipeline, money)` fills it."""

    DEFAULT_CSS = """
    PipelineTable {
        height: auto;
        padding: 0 1;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.border_title = "Pipeline by status"
        self.pipeline: Pipeline | None = None
        self.money = Money()
        self.tooltip = (
            "Deals in scope by status, in pipeline order. ✓ secured, ✗ lost (closed without "
            "being secured), · open. Shares are of the scope's totals; the bar compares each "
            "status's amount with the largest."
        )

    def show(self, pipeline: Pipeline | None, money: Money) -> None:
        self.pipeline = pipeline
        self.money = money
        if pipeline is not None and pipeline.rows:
            self.border_subtitle = "✓ secured  ✗ lost  · open"
        else:
            self.border_subtitle = ""
        self.redraw()

    def row_texts(self) -> list[tuple[str, str, str, str, str]]:
        """(label, count, amount, % deals, % amount) per row and the totals row, as shown."""
        assert self.pipeline is not None
        p, m = self.pipeline, self.money
        out = [
            (r.label, f"{r.count:,}", m.full(r.amount_cents), percent(r.share_count_pct),
             percent(r.share_amount_pct))
            for r in p.rows
        ]
        out.append((
            "Total", f"{p.total_count:,}", m.full(p.total_amount_cents),
            percent(100.0 if p.total_count else 0.0),
            percent(100.0 if p.total_amount_cents else 0.0),
        ))
        return out

    def render_width(self, width: int) -> Content:
        if self.pipeline is None:
            return Content.styled("…", "dim")
        if not self.pipeline.rows:
            return Content.styled("No deals in this scope.", "$text-muted")
        width = max(width, 20)
        texts = self.row_texts()
        headers = ("Status", "Deals", "Amount", "% deals", "% amount")
        widths = [
            max(len(headers[i]), *(len(t[i]) for t in texts)) for i in range(5)
        ]
        widths[0] = min(widths[0], MAX_LABEL) + 2  # room for the ✓/✗ mark
        show_count_share = True

        def used(with_count_share: bool) -> int:
            cols = widths if with_count_share else widths[:3] + widths[4:]
            return sum(cols) + GAP * (len(cols) - 1)

        bar_width = width - used(True) - GAP
        if bar_width < MIN_BAR:  # figures before decoration: the bar goes first
            bar_width = 0
            show_count_share = width >= used(True)
            if width < used(False):  # still too wide: the labels give way (ellipsis)
                widths[0] = max(6, widths[0] - (used(False) - width))
        spare = width - used(show_count_share) - (bar_width + GAP if bar_width else 0)
        if spare > 0:  # give leftover room to the label column, up to the longest label
            longest = max(len(t[0]) for t in texts) + 2
            widths[0] += max(0, min(spare, longest - widths[0]))

        def line(cells: list[tuple[str, str]], bar: Content | None) -> Content:
            parts: list[Content] = []
            for i, (text, style) in enumerate(cells):
                if i == 3 and not show_count_share:
                    continue
                w = widths[i]
                cell = Content(text).truncate(w, ellipsis=True)
                cell = cell.pad_right(w - cell.cell_length) if i == 0 else cell.pad_left(
                    w - cell.cell_length
                )
                parts.append(cell.stylize(style) if style else cell)
            if bar is not None:
                parts.append(bar)
            return Content(" " * GAP).join(parts)

        header_cells = [(h, "bold $text-muted") for h in headers]
        out = [line(header_cells, Content.styled("", "") if bar_width else None)]
        largest = max((r.amount_cents for r in self.pipeline.rows), default=0)
        for row, text in zip(self.pipeline.rows, texts):
            kind = row_kind(row)
            style, mark, bar_style = KIND_STYLE[kind]
            cells = [(f"{mark} {text[0]}", style)] + [(t, style) for t in text[1:]]
            bar = None
            if bar_width:
                cells_filled = (
                    max(1, round(bar_width * row.amount_cents / largest))
                    if largest and row.amount_cents > 0 else 0
                )
                bar = Content.styled("█" * cells_filled, bar_style)
            out.append(line(cells, bar))
        total = texts[-1]
        out.append(line([(f"  {total[0]}", "bold underline")] + [(t, "bold") for t in total[1:]],
                        Content("") if bar_width else None))
        return Content("\n").join(out)
