"""`sheets` subcommands: connect, disconnect, push, pull, sync, status, conflicts."""

from __future__ import annotations

import click


@click.group("sheets")
def sheets_group() -> None:
    """Keep the team's Google Sheet in step with this database."""
