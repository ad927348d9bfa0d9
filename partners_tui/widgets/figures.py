"""Numbers as table cells: money, a progress bar with its expected-by-today marker, pace words.

Rich `Text` out (never markup), so names and amounts render literally in any table.
"""

from __future__ import annotations

from fractions import Fraction

from rich.text import Text

PACE_WORDS = {
    "ahead": ("Ahead", "bold green"),
    "on_track": ("On track", "green"),
    "behind": ("Behind", "bold red"),
    "not_started": ("Not started", "dim"),
    "no_goal": ("No goal", "dim"),
}
FILL, EMPTY, MARKER = "█", "░", "┃"


def money(cents: int | None, symbol: str = "$", *, none: str = "—") -> str:
    """Whole units when the cents are 0: "$5,000", "$1,234.50", "—" for no amount."""
    if cents is None:
        return none
    sign = "-" if cents < 0 else ""
    units, rest = divmod(abs(cents), 100)
    return f"{sign}{symbol}{units:,}" if rest == 0 else f"{sign}{symbol}{units:,}.{rest:02d}"


def short_money(cents: int | None, symbol: str = "$", *, none: str = "—") -> str:
    """At most 3 significant digits: "$950", "$12.3k", "$4.56M" (for narrow columns)."""
    if cents is None:
        return none
    units = abs(cents) / 100
    sign = "-" if cents < 0 else ""
    for size, suffix in ((10**9, "B"), (10**6, "M"), (10**3, "k")):
        if units >= size * 0.9995:
            value = units / size
            text = f"{value:.2f}" if value < 9.995 else f"{value:.1f}" if value < 99.95 else f"{value:.0f}"
            if "." in text:
                text = text.rstrip("0").rstrip(".")
            return f"{sign}{symbol}{text}{suffix}"
    return money(cents, symbol, none=none)


def percent(value: float | None, *, none: str = "—") -> str:
    if value is None:
        return none
    text = f"{value:,.1f}".rstrip("0").rstrip(".")
    return f"{text}%"


def progress_bar(actual: Fraction | None, expected: Fraction | None, width: int = 10) -> Text:
    """`████░░┃░░░` filled to `actual` (a ratio, capped at the bar) with `┃` where `expected`
    sits. No goal (actual None): an empty dim bar."""
    if actual is None:
        return Text(EMPTY * width, style="dim", no_wrap=True)
    filled = 0 if actual <= 0 else max(1, min(width, round(float(actual) * width)))
    bar = Text(no_wrap=True)
    marker = None
    if expected is not None:
        marker = min(width - 1, max(0, round(float(min(expected, Fraction(1))) * width) - 1))
    behind = expected is not None and actual < expected
    for i in range(width):
        if i == marker:
            bar.append(MARKER, style="bold yellow")
        elif i < filled:
            bar.append(FILL, style="red" if behind else "green")
        else:
            bar.append(EMPTY, style="dim")
    return bar


def pace_text(status: str) -> Text:
    word, style = PACE_WORDS.get(status, (status, ""))
    return Text(word, style=style, no_wrap=True)


def badge(text: str, style: str = "reverse") -> Text:
    return Text(f" {text} ", style=style, no_wrap=True) if text else Text("")
