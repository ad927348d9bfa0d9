"""Sync health (DESIGN 4.7): Google Sheets and email, in plain words.

Never claims "healthy" for something that has not run: not configured and never synced are said
as such, with how to set them up. Error text comes from outside (APIs, the network), so it is
drawn as plain text.
"""

from __future__ import annotations

from typing import Callable

from textual.content import Content

from partners_tui.store.queries import EmailHealth, SheetsHealth, SyncHealth
from partners_tui.widgets.panel import Panel
from partners_tui.widgets.width_render import RendersToWidth

CONNECT_COMMAND = "partners-tui sheets connect --spreadsheet URL --service-account KEY.json"

SHEETS_STATES = {
    "not_configured": ("not configured", "warning"),
    "configured": ("connected, never synced", "warning"),
    "unreachable": ("unreachable", "error"),
    "connected": ("connected", "success"),
}
EMAIL_STATES = {
    "not_configured": ("not configured", "text-muted"),
    "never_synced": ("never synced", "warning"),
    "ok": ("synced", "success"),
    "stale": ("stale (over 72 hours)", "warning"),
}
RESULT_TONES = {"ok": "success", "failed": "error", "cancelled": "warning"}

When = Callable[[str], str]
"""Turns a stored UTC stamp into local words ("22 Nov 10:31")."""


def connect_lines(width: int) -> list[str]:
    """The connect command on one line, or broken before its options when the block is narrow."""
    if len(CONNECT_COMMAND) + 2 <= width:
        return [f"  {CONNECT_COMMAND}"]
    head, _, options = CONNECT_COMMAND.partition(" --")
    first, _, second = ("--" + options).partition(" --")
    return [f"  {head}", f"    {first}", f"    --{second}"]


def _last(label: str, at: str | None, result: str | None, rows: int | None, when: When) -> Content:
    if not at:
        return Content.assemble((label, "$text-muted"), "never")
    parts: list[tuple[str, str] | str] = [(label, "$text-muted"), when(at)]
    if result:
        tone = RESULT_TONES.get(result, "")
        parts += [" · ", (result, f"${tone}" if tone else "")]
    if rows is not None:
        parts.append(f" · {rows:,} rows")
    return Content.assemble(*parts)


def sheets_lines(s: SheetsHealth, width: int = 80, when: When = str) -> list[Content]:
    label, tone = SHEETS_STATES.get(s.state, (s.state.replace("_", " "), ""))
    head = [("Google Sheets  ", "bold"), (label, f"${tone}" if tone else "")]
    title = getattr(s, "spreadsheet_title", None)
    if title:
        head.append(f" · {title}")  # a plain string: the sheet's title is never markup
    out = [Content.assemble(*head)]
    if not s.configured:
        out.append(Content.styled("Connect the team's sheet from a terminal:", "$text-muted"))
        out.extend(Content.styled(line, "$text-muted") for line in connect_lines(width))
        return out
    out.append(_last("Last push  ", s.last_push, getattr(s, "last_push_result", None),
                     getattr(s, "last_push_rows", None), when))
    out.append(_last("Last pull  ", s.last_pull, getattr(s, "last_pull_result", None),
                     getattr(s, "last_pull_rows", None), when))
    if s.pending_changes is not None:
        out.append(Content.assemble(
            ("Waiting to push  ", "$text-muted"),
            f"{s.pending_changes:,} local change{'' if s.pending_changes == 1 else 's'}",
        ))
    conflicts = getattr(s, "open_conflicts", 0) or 0
    if conflicts:
        out.append(Content.assemble(
            ("Conflicts  ", "$warning"), f"{conflicts:,} to review: press c"
        ))
    problems = getattr(s, "pull_problems", 0) or 0
    if problems:
        out.append(Content.assemble(
            ("Bad rows  ", "$warning"), f"{problems:,} skipped by the last pull: "
            "partners-tui sheets status"
        ))
    if s.last_error:
        out.append(Content.assemble(("Last error  ", "$error"), s.last_error))
    return out


def email_lines(e: EmailHealth, when: When = str) -> list[Content]:
    state = "stale" if e.stale and e.state == "ok" else e.state
    label, tone = EMAIL_STATES.get(state, (state.replace("_", " "), ""))
    out = [Content.assemble(("Email  ", "bold"), (label, f"${tone}" if tone else ""))]
    if e.last_sync:
        counts = [
            f"{n:,} {what}" for n, what in (
                (e.imported, "imported"), (e.duplicates, "duplicates"), (e.unmatched, "unmatched")
            ) if n is not None
        ]
        out.append(Content.assemble(
            ("Last sync ", "$text-muted"), when(e.last_sync), (" · " + ", ".join(counts)) if counts else ""
        ))
    return out


class SyncBlock(RendersToWidth, Panel):
    """Bordered block; `show(SyncHealth)` fills it."""

    DEFAULT_CSS = """
    SyncBlock {
        height: auto;
        padding: 0 1;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.border_title = "Sync"
        self.health: SyncHealth | None = None
        self.when: When = str
        self.running: str | None = None
        self.tooltip = (
            "Google Sheets: whether the team sheet is connected, the last push and pull, local "
            "changes waiting to be pushed and the last error. Email: the last import."
        )

    def show(self, health: SyncHealth | None, keys: str = "", when: When = str) -> None:
        self.health = health
        self.when = when
        self.border_subtitle = keys
        self.redraw()

    def show_running(self, message: str | None) -> None:
        """A push or pull under way ("Pushing: step 2 of 3, writing values"), or None."""
        self.running = message
        self.redraw()

    def render_width(self, width: int) -> Content:
        if self.health is None:
            return Content.styled("…", "dim")
        width = max(width, 20)
        lines = sheets_lines(self.health.sheets, width, self.when)
        if self.running:
            lines.insert(1, Content.styled(self.running, "$accent"))
        lines += email_lines(self.health.email, self.when)
        return Content("\n").join(lines)
