"""Several columns of a table drawn as one `Text` line, spaced as DataTable spaces its cells.

A DataTable draws each cell through Rich's generic layout (padding, styling, cropping), about
0.25 ms a cell on these machines: the Overview's scoreboard, 12 columns by up to 18 visible
lines, took 50–60 ms to draw after every scope change. Drawn as one cell per line holding
the whole row, built here, it takes a tenth of that and looks the same: each column's text cut
(with its own overflow, "…" for names) and justified to its width, columns two spaces apart,
which is the cell padding (1) on both sides of DataTable's cells.

A row's line is built when it is first drawn or read (`AlignedRow`): a DataTable measures every
new row's cells, and draws only the rows in view, so a scoreboard of 200 events builds the 18
lines it shows, not 200 (about 10 ms of a year change on the large demo).
"""

from __future__ import annotations

from typing import Callable, Mapping, Sequence, Union

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Span, Text

GAP = 2
TAB_SIZE = 8
"""Rich's console default, which a DataTable cell's tabs expand to."""
LINE_KEY = "line"
"""The key of the one DataTable column that holds each row's aligned line."""


def aligned_line(cells: Sequence[Text], widths: Sequence[int], gap: int = GAP) -> Text:
    """`cells` cut and justified to `widths` (right when a cell's justify is "right", else
    left), `gap` spaces apart. As in a DataTable, a right- or left-justified cell's base style
    covers its padding, and an unjustified cell's padding is unstyled."""
    parts: list[str] = []
    spans: list[Span] = []
    at = 0
    for i, (cell, width) in enumerate(zip(cells, widths, strict=True)):
        if i:
            parts.append(" " * gap)
            at += gap
        if "\n" in cell.plain or "\t" in cell.plain:  # a name typed with Alt+Enter, say
            cell = _one_line(cell)
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


def _one_line(cell: Text) -> Text:
    """What a one-line DataTable cell shows of a text with line breaks or tabs: its first line,
    tabs expanded from the cell's start."""
    line = cell.split("\n", allow_blank=True)[0] if "\n" in cell.plain else cell.copy()
    line.expand_tabs(cell.tab_size or TAB_SIZE)
    return line


class AlignedRow:
    """One row's `aligned_line`, built from its cells the first time it is drawn or read
    (`text`, `plain`); measured without building, as the line's width (all it can be)."""

    __slots__ = ("_cells", "_widths", "_gap", "_text")

    def __init__(self, cells: Callable[[], Sequence[Text]], widths: Sequence[int], gap: int):
        self._cells, self._widths, self._gap = cells, widths, gap
        self._text: Text | None = None

    @property
    def text(self) -> Text:
        if self._text is None:
            self._text = aligned_line(self._cells(), self._widths, self._gap)
            self._cells = None  # type: ignore[assignment]  # built: the cells can go
        return self._text

    @property
    def plain(self) -> str:
        return self.text.plain

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.text

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        width = line_width(self._widths, self._gap)
        return Measurement(width, width)


RowCells = Union[Mapping[str, Text], Callable[[], Mapping[str, Text]]]
"""A row's cells by column key, or what makes them (called only when the row is drawn)."""


def line_width(widths: Sequence[int], gap: int = GAP) -> int:
    """How many cells `aligned_line` takes for these column widths."""
    return sum(widths) + gap * max(len(widths) - 1, 0)


def column_texts(line: Text | AlignedRow | str, widths: Sequence[int], gap: int = GAP) -> list[str]:
    """Each column's text as a line from `aligned_line` shows it, padding stripped: what a
    reader (or a test) sees in each column. Counts terminal cells, so wide characters (two
    cells) and combining marks (none) too."""
    plain = line if isinstance(line, str) else line.plain
    out, at = [], 0
    for width in widths:
        start = at
        used = 0
        while at < len(plain) and (used < width or cell_len(plain[at]) == 0):
            used += cell_len(plain[at])
            at += 1
        out.append(plain[start:at].strip())
        at += gap
    return out


class AlignedColumns:
    """For a DataTable drawing several columns as one line per row (`add_aligned`): the
    columns' widths, and what each column shows, read back from the drawn lines."""

    column_widths: dict[str, int]
    """key → width in cells of each column of the aligned form; empty in any other form."""

    def add_aligned(self, headers: dict[str, Text], rows, widths: dict[str, int]) -> None:
        """One column holding the header line, then one row per (row key, `RowCells`) in
        `rows`, each drawn by `aligned_line` to `widths` (same keys, same order) when it is
        first drawn (`AlignedRow`)."""
        self.column_widths = dict(widths)
        sizes, gap = list(widths.values()), self._gap()
        self.add_column(aligned_line([headers[k] for k in widths], sizes, gap), key=LINE_KEY,
                        width=line_width(sizes, gap))
        for key, cells in rows:
            self.add_row(AlignedRow(_in_order(cells, list(widths)), sizes, gap), key=key)

    def _gap(self) -> int:
        return 2 * self.cell_padding  # a DataTable pads each side of every cell

    def shown_columns(self, row_key: str) -> list[str]:
        """The texts one row shows in each column (in any other form, its one cell)."""
        line = self.get_row(row_key)[0]
        if not self.column_widths:
            return [line.plain]
        return column_texts(line, list(self.column_widths.values()), self._gap())

    def shown_headers(self) -> list[str]:
        """The column headers as shown (none in any other form)."""
        if not self.column_widths:
            return []
        return column_texts(self.columns[LINE_KEY].label, list(self.column_widths.values()),
                            self._gap())


def _in_order(cells: RowCells, keys: list[str]) -> Callable[[], list[Text]]:
    def make() -> list[Text]:
        found = cells() if callable(cells) else cells
        return [found[k] for k in keys]

    return make
