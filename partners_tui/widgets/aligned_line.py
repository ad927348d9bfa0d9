"""Several columns of a table drawn as one `Text` line, spaced as DataTable spaces its cells.

A DataTable draws each cell through Rich's generic layout (padding, styling, cropping), about
0.25 ms a cell on these machines: the Overview's scoreboard, 12 columns by up to 18 visible
lines, took 50–60 ms to draw after every scope change. Drawn as one cell per line holding
the whole row, built here, it takes a tenth of that and looks the same: each column's text cut
(with its own overflow, "…" for names) and justified to its width, columns two spaces apart,
which is the cell padding (1) on both sides of DataTable's cells.
"""

from __future__ import annotations

from typing import Sequence

from rich.cells import cell_len
from rich.text import Span, Text

GAP = 2
LINE_KEY = "line"
"""The key of the one DataTable column that holds each row's aligned line."""


def aligned_line(cells: Sequence[Text], widths: Sequence[int]) -> Text:
    """`cells` cut and justified to `widths` (right when a cell's justify is "right", else
    left), `GAP` spaces apart. As in a DataTable, a right- or left-justified cell's base style
    covers its padding, and an unjustified cell's padding is unstyled."""
    parts: list[str] = []
    spans: list[Span] = []
    at = 0
    for i, (cell, width) in enumerate(zip(cells, widths, strict=True)):
        if i:
            parts.append(" " * GAP)
            at += GAP
        spare = width - cell_len(cell.plain)
        if spare < 0:  # too long: cut as the cell's overflow says ("…" for names)
            cell = cell.copy()
            cell.truncate(width, overflow=cell.overflow or "fold")
            spare = width - cell_len(cell.plain)
        plain, style = cell.plain, cell.style
        # The padding takes the cell's base style when it is justified, as in a DataTable.
        padded = style if cell.justify in ("left", "right") else ""
        if cell.justify == "right" and spare:
            parts.append(" " * spare)
            if padded:
                spans.append(Span(at, at + spare, padded))
            at += spare
            spare = 0
        parts.append(plain)
        end = at + len(plain)
        if style:
            spans.append(Span(at, end, style))
        spans.extend(Span(at + s.start, at + s.end, s.style) for s in cell.spans)
        at = end
        if spare:
            parts.append(" " * spare)
            if padded:
                spans.append(Span(at, at + spare, padded))
            at += spare
    return Text("".join(parts), no_wrap=True, end="", spans=spans)


def line_width(widths: Sequence[int]) -> int:
    """How many cells `aligned_line` takes for these column widths."""
    return sum(widths) + GAP * max(len(widths) - 1, 0)


def column_texts(line: Text | str, widths: Sequence[int]) -> list[str]:
    """Each column's text as a line from `aligned_line` shows it, padding stripped: what a
    reader (or a test) sees in each column. Counts terminal cells, so wide characters too."""
    plain = line.plain if isinstance(line, Text) else line
    out, chars = [], iter(plain)
    for i, width in enumerate(widths):
        column, used = [], 0
        for char in chars:
            column.append(char)
            used += cell_len(char)
            if used >= width:
                break
        out.append("".join(column).strip())
        if i < len(widths) - 1:
            for _ in range(GAP):
                next(chars, None)
    return out


class AlignedColumns:
    """For a DataTable drawing several columns as one line per row (`add_aligned`): the
    columns' widths, and what each column shows, read back from the drawn lines."""

    column_widths: dict[str, int]
    """key → width in cells of each column of the aligned form; empty in any other form."""

    def add_aligned(self, headers: dict[str, Text], rows, widths: dict[str, int]) -> None:
        """One column holding the header line, then one row per (row key, {column key: Text})
        in `rows`, each drawn by `aligned_line` to `widths` (same keys, same order)."""
        self.column_widths = dict(widths)
        sizes = list(widths.values())
        self.add_column(aligned_line([headers[k] for k in widths], sizes), key=LINE_KEY,
                        width=line_width(sizes))
        for key, cells in rows:
            self.add_row(aligned_line([cells[k] for k in widths], sizes), key=key)

    def shown_columns(self, row_key: str) -> list[str]:
        """The texts one row shows in each column (in any other form, its one cell)."""
        line = self.get_row(row_key)[0]
        if not self.column_widths:
            return [line.plain]
        return column_texts(line, list(self.column_widths.values()))

    def shown_headers(self) -> list[str]:
        """The column headers as shown (none in any other form)."""
        if not self.column_widths:
            return []
        return column_texts(self.columns[LINE_KEY].label, list(self.column_widths.values()))
