"""`log` and `queue` subcommands: the Action Queue's work, for scripting."""

from __future__ import annotations

QUEUE_COMMANDS: list = []
"""Click commands registered on the main group (filled in by the Action Queue issue)."""
