"""Sync health (DESIGN 4.7): a placeholder until the sync issue fills it in."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection


@dataclass(frozen=True)
class SheetsHealth:
    configured: bool = False
    state: str = "not_configured"  # not_configured / unreachable / connected
    last_push: str | None = None
    last_pull: str | None = None
    pending_changes: int | None = None
    last_error: str | None = None


@dataclass(frozen=True)
class EmailHealth:
    configured: bool = False
    state: str = "not_configured"  # not_configured / never_synced / ok / stale
    last_sync: str | None = None
    imported: int | None = None
    duplicates: int | None = None
    unmatched: int | None = None
    stale: bool = False


@dataclass(frozen=True)
class SyncHealth:
    sheets: SheetsHealth
    email: EmailHealth


def sync_health(conn: Connection | None = None) -> SyncHealth:
    """Neither Sheets nor email sync exists yet: both report "not configured" (never "healthy")."""
    return SyncHealth(SheetsHealth(), EmailHealth())
