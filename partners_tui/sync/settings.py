"""Which spreadsheet this machine syncs with, and its tab names: the "sheets" key of config.json.

Per machine, never secret (the credential itself lives in the keyring, see `secrets.py`). An
unreadable entry reads as "not connected" rather than stopping the app.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from partners_tui import config

CONFIG_KEY = "sheets"

# Entity tabs in the order they are read and applied (parents before children), then the
# push-only Pipeline tab.
ENTITY_TABS = ("partner", "contact", "event", "deal", "activity", "follow_up")
DEFAULT_TABS = {
    "partner": "Partners", "contact": "Contacts", "event": "Events", "deal": "Deals",
    "activity": "Activities", "follow_up": "Follow-ups", "pipeline": "Pipeline",
}

_URL_ID = re.compile(r"/spreadsheets/d/([A-Za-z0-9_-]+)")
_BARE_ID = re.compile(r"^[A-Za-z0-9_-]{10,}$")


def parse_spreadsheet_id(value: str) -> str:
    """The id from a spreadsheet URL (…/spreadsheets/d/ID/edit) or a bare id."""
    value = (value or "").strip()
    match = _URL_ID.search(value)
    if match:
        return match.group(1)
    if _BARE_ID.match(value):
        return value
    raise ValueError(
        f"{value!r} is not a spreadsheet URL or id (expected "
        "https://docs.google.com/spreadsheets/d/ID/edit or the ID itself)"
    )


@dataclass(frozen=True)
class SheetsSettings:
    spreadsheet_id: str
    secret_store: str = "keyring"  # keyring / file
    auth_kind: str = "service_account"  # service_account / oauth
    account: str = ""  # the Google account the sheet must be shared with, for messages
    tabs: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_TABS))
    title: str = ""
    auto_sync_minutes: int | None = None  # the TUI syncs this often (None: only on request)
    activities_days: int | None = None  # push only the last N days of activities (None: all)

    def tab(self, key: str) -> str:
        return self.tabs.get(key) or DEFAULT_TABS[key]

    def to_dict(self) -> dict[str, Any]:
        return {
            "spreadsheet_id": self.spreadsheet_id, "secret_store": self.secret_store,
            "auth_kind": self.auth_kind, "account": self.account, "tabs": dict(self.tabs),
            "title": self.title, "auto_sync_minutes": self.auto_sync_minutes,
            "activities_days": self.activities_days,
        }

    @classmethod
    def from_dict(cls, raw: Any) -> "SheetsSettings | None":
        if not isinstance(raw, dict) or not isinstance(raw.get("spreadsheet_id"), str):
            return None
        tabs = dict(DEFAULT_TABS)
        if isinstance(raw.get("tabs"), dict):
            tabs.update({k: v for k, v in raw["tabs"].items() if k in DEFAULT_TABS and isinstance(v, str) and v.strip()})
        minutes = raw.get("auto_sync_minutes")
        days = raw.get("activities_days")
        return cls(
            spreadsheet_id=raw["spreadsheet_id"],
            secret_store="file" if raw.get("secret_store") == "file" else "keyring",
            auth_kind="oauth" if raw.get("auth_kind") == "oauth" else "service_account",
            account=str(raw.get("account") or ""),
            tabs=tabs,
            title=str(raw.get("title") or ""),
            auto_sync_minutes=minutes if isinstance(minutes, int) and minutes > 0 else None,
            activities_days=days if isinstance(days, int) and days > 0 else None,
        )

    def with_(self, **changes: Any) -> "SheetsSettings":
        return replace(self, **changes)


def load_settings() -> SheetsSettings | None:
    return SheetsSettings.from_dict(config.load_config().get(CONFIG_KEY))


def save_settings(settings: SheetsSettings) -> None:
    data = config.load_config()
    data[CONFIG_KEY] = settings.to_dict()
    config.save_config(data)


def clear_settings() -> bool:
    data = config.load_config()
    if CONFIG_KEY not in data:
        return False
    del data[CONFIG_KEY]
    config.save_config(data)
    return True
