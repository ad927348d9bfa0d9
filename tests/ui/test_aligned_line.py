"""`aligned_line` draws a row's columns in one DataTable cell exactly as a DataTable draws them
in one cell each: same characters, same style in every terminal cell, for every kind of cell the
Overview's tables use (justified or not, cut with "…", styled, with styled parts, wide
characters)."""

from __future__ import annotations

import pytest
from rich.text import Text
from textual.app import App
from textual.widgets import DataTable

from partners_tui.widgets.aligned_line import AlignedColumns, aligned_line, column_texts


def cell(text: str, **kw) -> Text:
    return Text(text, no_wrap=True, **kw)


def archived(name: str) -> Text:
    out = cell(name, overflow="ellipsis")
    out.append(" (archived)", style="dim")
    return out


ROWS = [
    # (cells, widths)
    ([cell("Hackathon", overflow="ellipsis"), cell("2026"), cell("$25,000", justify="right")],
     [12, 4, 9]),
    ([cell("A Rather Long Conference Name", overflow="ellipsis"), cell("x", justify="left"),
      cell("12", justify="right", style="red")], [16, 3, 5]),
    ([archived("Gala"), cell("Behind", style="bold green"), cell("1", justify="right")],
     [20, 8, 3]),
    ([archived("Spring Fair 2026"), cell("[bold]x[/]"), cell("0", justify="right", style="red")],
     [14, 10, 7]),
    ([cell("会議 東京", overflow="ellipsis"), cell("¥1,000", justify="right"), cell("🎉 party")],
     [6, 8, 4]),
    ([cell("cut me", overflow="crop", justify="left", style="italic"), cell(""),
      cell("Due today", style="yellow")], [3, 2, 12]),
    # Names may hold line breaks and tabs (imports, a sheet cell typed with Alt+Enter).
    ([cell("Gala\nDinner", overflow="ellipsis"), cell("Tab\tCo"), cell("1\t2", justify="right")],
     [12, 12, 10]),
    ([archived("Two\nlines\n"), cell("\tlead"), cell("x\n", justify="right", style="red")],
     [16, 9, 3]),
]


class Tables(App):
    def compose(self):
        yield DataTable(id="cells", cursor_type="row", zebra_stripes=True)
        yield Aligned(id="line", cursor_type="row", zebra_stripes=True)


class Aligned(AlignedColumns, DataTable):
    column_widths: dict[str, int] = {}


def styled_cells(table: DataTable, y: int) -> list[tuple[str, str]]:
    """(character, style) of every terminal cell of one drawn line, cursor and all. (Not the
    style's meta, which tells a mouse click the cell's column: one line is one column.)"""
    out = []
    for segment in table.render_line(y):
        for char in segment.text:
            out.append((char, str(segment.style)))
    return out


@pytest.mark.parametrize("cursor_row", [0, 1])
async def test_one_line_per_row_looks_like_a_cell_per_column(cursor_row):
    app = Tables()
    async with app.run_test(size=(100, 20)) as pilot:
        per_cell, per_line = app.query_one("#cells", DataTable), app.query_one("#line", Aligned)
        for table in (per_cell, per_line):
            table.styles.height = len(ROWS) + 1
        n = len(ROWS[0][0])
        widths = [max(w) for w in zip(*(w for _, w in ROWS))]  # one width per column
        headers = [cell(f"Col {i}", justify="right" if i == n - 1 else "left") for i in range(n)]
        for i, header in enumerate(headers):
            per_cell.add_column(header, key=str(i), width=widths[i])
        for r, (cells, _) in enumerate(ROWS):
            per_cell.add_row(*cells, key=str(r))
        keys = [str(i) for i in range(n)]
        per_line.add_aligned(
            dict(zip(keys, headers)),
            ((str(r), dict(zip(keys, cells))) for r, (cells, _) in enumerate(ROWS)),
            dict(zip(keys, widths)),
        )
        for table in (per_cell, per_line):
            table.move_cursor(row=cursor_row)
        app.set_focus(None)  # both drawn unfocused
        await pilot.pause()
        for y in range(len(ROWS) + 1):  # the header, then every row
            assert styled_cells(per_line, y) == styled_cells(per_cell, y), f"line {y}"


def test_what_each_column_shows_reads_back():
    cells = [archived("A Rather Long Conference Name"), cell("会議", justify="right"),
             cell("$5,000", justify="right"), cell("Behind")]
    widths = [16, 6, 9, 8]
    line = aligned_line(cells, widths)
    assert line.cell_len == sum(widths) + 2 * 3
    assert column_texts(line, widths) == ["A Rather Long C…", "会議", "$5,000", "Behind"]


def test_combining_marks_stay_with_their_column():
    cells = [cell("cafe\u0301"), cell("ok", justify="right")]
    assert column_texts(aligned_line(cells, [4, 3]), [4, 3]) == ["cafe\u0301", "ok"]


def test_a_cut_cell_keeps_its_styled_parts():
    line = aligned_line([archived("Gala Dinner"), cell("1", justify="right")], [15, 3])
    assert line.plain == "Gala Dinner (a…    1"
    dim = [s for s in line.spans if s.style == "dim"]
    assert [line.plain[s.start:s.end] for s in dim] == [" (a…"]


async def test_a_row_is_built_when_drawn_or_read_not_before():
    """200 rows in a 10-line table: only the rows in view are built (their cells made and
    lined up); a row out of view is built when something reads it."""
    app = Tables()
    made: list[int] = []

    def cells_of(i: int):
        def make():
            made.append(i)
            return {"name": cell(f"Event {i}"), "n": cell(str(i), justify="right")}
        return make

    async with app.run_test(size=(60, 20)) as pilot:
        table = app.query_one("#line", Aligned)
        table.styles.height = 10
        table.add_aligned({"name": cell("Name"), "n": cell("N", justify="right")},
                          ((str(i), cells_of(i)) for i in range(200)), {"name": 12, "n": 4})
        await pilot.pause()
        assert made and set(made) == set(range(len(made))) and len(made) < 12  # in view only
        assert table.shown_columns("150") == ["Event 150", "150"]
        assert made[-1] == 150
        assert table.virtual_size.height == 201  # every row counts for scrolling, built or not
