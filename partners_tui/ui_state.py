"""What one person last looked at, kept between runs: the Overview / Action Queue scope.

Lives in the per-machine config file (config.json, key "scope"), never in the team's database:
two teammates can look at different years of the same data. An unreadable or out-of-range value
falls back to the default scope rather than stopping the app.
"""

from __future__ import annotations

from typing import Any

from partners_tui import config
from partners_tui.store.queries import MAX_WINDOW, MIN_WINDOW, Scope

SCOPE_KEY = "scope"


def scope_to_dict(scope: Scope) -> dict[str, Any]:
    return {
        "year_mode": scope.year_mode,
        "year": scope.year,
        "event_id": scope.event_id,
        "window_days": scope.window_days,
        "include_archived": scope.include_archived,
    }


def scope_from_dict(raw: Any) -> Scope:
    if not isinstance(raw, dict):
        return Scope()
    mode = raw.get("year_mode")
    year = raw.get("year")
    window = raw.get("window_days")
    event_id = raw.get("event_id")
    if mode not in ("auto", "all", "year"):
        mode = "auto"
    if mode == "year" and not (isinstance(year, int) and 2000 <= year <= 2100):
        mode, year = "auto", None
    if not (isinstance(window, int) and MIN_WINDOW <= window <= MAX_WINDOW):
        window = None
    return Scope(
        year_mode=mode,
        year=year if mode == "year" else None,
        event_id=event_id if isinstance(event_id, str) and event_id else None,
        window_days=window,
        include_archived=bool(raw.get("include_archived", False)),
    )


def load_scope() -> Scope:
    return scope_from_dict(config.load_config().get(SCOPE_KEY))


def save_scope(scope: Scope) -> None:
    try:
        data = config.load_config()
        data[SCOPE_KEY] = scope_to_dict(scope)
        config.save_config(data)
    except OSError:
        pass  # a read-only config dir costs only the memory of the scope, never the session
