"""Where files live and the per-machine config file.

Paths are computed when asked (never at import), so tests can point XDG_* at temporary folders.
Team-wide settings (currency, statuses, goals) live in the database; this file holds what belongs
to one person on one machine: the last Overview scope, the Sheets spreadsheet id. Never secrets.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import platformdirs

APP_NAME = "partners-tui"
DB_ENV = "PARTNERS_TUI_DB"
DB_FILENAME = "partners.sqlite3"


def data_dir() -> Path:
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def config_dir() -> Path:
    return platformdirs.user_config_path(APP_NAME, appauthor=False)


def log_dir() -> Path:
    return platformdirs.user_log_path(APP_NAME, appauthor=False)


def config_path() -> Path:
    return config_dir() / "config.json"


def log_path() -> Path:
    return log_dir() / "partners-tui.log"


def default_db_path() -> Path:
    return data_dir() / DB_FILENAME


def resolve_db_path(cli_value: str | os.PathLike | None = None) -> Path:
    """--db wins, then $PARTNERS_TUI_DB, then the file in the user data dir."""
    if cli_value:
        return Path(cli_value).expanduser()
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env).expanduser()
    return default_db_path()


def load_config() -> dict[str, Any]:
    path = config_path()
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, json.JSONDecodeError):
        return {}  # an unreadable config must not stop the app; it is rewritten on the next save


def save_config(config: dict[str, Any]) -> None:
    """Write atomically: a crash mid-write leaves the old file, never half a file."""
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".config-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(config, f, indent=2, sort_keys=True)
    os.replace(tmp, path)
