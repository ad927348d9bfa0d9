"""Table cells that never read markup, and refilling a table without losing the selected row."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable


def cell(value: object, *, justify: str = "left", dim: bool = False) -> Text:
    """A table cell that never interprets markup: names like `[bold]x[/]` show as typed."""
    text = "" if value is None else str(value)
    return Text(text, justify=justify, style="dim" if dim else "", no_wrap=True, overflow="ellipsis")


def fill(table: DataTable, rows: list[tuple[str, list[Text]]]) -> None:
    """Replace the rows, keeping the cursor on the same record when it is still there."""
    selected = None
    if table.row_count and table.cursor_row is not None:
        try:
            selected = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        except Exception:  # the cursor sat on a row that no longer exists
            selected = None
    table.clear()
    for key, cells in rows:
        table.add_row(*cells, key=key)
    if selected is not None:
        try:
            table.move_cursor(row=table.get_row_index(selected), animate=False)
        except Exception:  # the record is gone (undo removed it): stay at the top
            pass
