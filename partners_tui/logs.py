"""A log file under the user log dir (`partners-tui locate` shows it): what ran and what failed,
for when a user reports a problem. Nothing is printed over the TUI."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler

from partners_tui import config


def setup_logging(level: int = logging.INFO) -> None:
    root = logging.getLogger("partners_tui")
    if any(isinstance(h, RotatingFileHandler) for h in root.handlers):
        return
    try:
        path = config.log_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        return  # a read-only home must not stop the app
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
