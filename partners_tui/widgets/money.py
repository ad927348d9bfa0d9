"""Money as people read it: integer cents shown in the team's currency, in full or abbreviated.

Amounts are stored as integer cents; screens show them with the configured symbol (settings
`currency.symbol`, `currency.code`). The full form drops ".00" ("$1,234", "$1,234.50"); the short
form ("$12.3k", "$4.56M") is only for places too narrow for the full one, so every screen that
abbreviates must also offer the full value (on focus or in a tooltip). Pure functions: no Textual.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

MINUS = "-"
UNITS = ((10**12, "T"), (10**9, "B"), (10**6, "M"), (10**3, "k"))


@dataclass(frozen=True)
class Money:
    """A formatter for one currency. `Money.from_settings(store.settings())` reads the team's."""

    symbol: str = "$"
    code: str = "CAD"

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> "Money":
        symbol = str(settings.get("currency.symbol") or "$")
        code = str(settings.get("currency.code") or "CAD")
        return cls(symbol=symbol, code=code)

    def _sign(self, cents: int, signed: bool) -> str:
        if cents < 0:
            return MINUS
        return "+" if signed and cents > 0 else ""

    def full(
        self, cents: int | None, *, signed: bool = False, whole: bool = False, none: str = "—"
    ) -> str:
        """Every digit: "$1,234", "$1,234.50", "-$20"; `signed` adds "+" to positive amounts;
        `whole` rounds to currency units (for computed figures such as an expected amount)."""
        if cents is None:
            return none
        if whole:
            cents = (abs(cents) + 50) // 100 * 100 * (1 if cents >= 0 else -1)
        units, rest = divmod(abs(cents), 100)
        number = f"{units:,}" if rest == 0 else f"{units:,}.{rest:02d}"
        return f"{self._sign(cents, signed)}{self.symbol}{number}"

    def short(self, cents: int | None, *, signed: bool = False, none: str = "—") -> str:
        """At most 3 significant digits and a unit: "$950", "$12.3k", "$123k", "$4.56M"."""
        if cents is None:
            return none
        units = abs(cents) / 100
        sign = self._sign(cents, signed)
        for size, suffix in UNITS:
            if units >= size * 0.9995:  # 999,950 shows as "1M", not "1000k"
                value = units / size
                text = f"{value:.2f}" if value < 9.995 else f"{value:.1f}" if value < 99.95 else f"{value:.0f}"
                text = text.rstrip("0").rstrip(".") if "." in text else text
                return f"{sign}{self.symbol}{text}{suffix}"
        return self.full(cents, signed=signed)

    def fit(self, cents: int | None, width: int, *, signed: bool = False, none: str = "—") -> str:
        """The full form if it fits in `width` characters, else the short one."""
        text = self.full(cents, signed=signed, none=none)
        return text if len(text) <= width else self.short(cents, signed=signed, none=none)

    def is_abbreviated(self, cents: int | None, width: int) -> bool:
        return len(self.full(cents)) > width


def percent(value: float | None, *, none: str = "—") -> str:
    """A percentage from the query layer (already rounded to 2 decimals): "43.5%", "100%"."""
    if value is None:
        return none
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{text}%"
