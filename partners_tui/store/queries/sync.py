"""Sync health (DESIGN 4.7): Google Sheets from the persisted sync status; email not built yet.

Sheets states: `not_configured` (no spreadsheet connected on this machine), `configured`
(connected, never synced from this database), `connected` (the last attempt reached the sheet),
`unreachable` (the last attempt failed: offline, permission, not found, credentials — the
reason is in `last_error`). Pending changes: records changed here since the last push's snapshot,
so the count grows while offline and drops when a sync catches up.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, select, text

SYNCED_ENTITIES = ("partner", "contact", "event", "deal", "activity", "follow_up")


@dataclass(frozen=True)
class SheetsHealth:
    configured: bool = False
    state: str = "not_configured"  # not_configured / configured / connected / unreachable
    last_push: str | None = None  # when (UTC stamp) the last push was attempted
    last_pull: str | None = None
    pending_changes: int | None = None
    last_error: str | None = None  # plain words, for people
    # Added with the sync itself (DESIGN 4.7: time, result, rows of the last push and pull):
    spreadsheet_id: str | None = None
    spreadsheet_title: str | None = None
    last_push_result: str | None = None  # ok / failed / cancelled
    last_push_rows: int | None = None
    last_pull_result: str | None = None
    last_pull_rows: int | None = None
    last_error_kind: str | None = None  # unreachable / permission_denied / not_found / credentials / ...
    open_conflicts: int = 0
    pull_problems: int = 0  # bad rows skipped by the last pull


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


def sync_health(conn: Connection | None = None, settings: Any = None) -> SyncHealth:
    """`settings`: the Sheets connection (default: this machine's config file)."""
    sheets = sheets_health(conn, settings) if conn is not None else SheetsHealth()
    return SyncHealth(sheets, EmailHealth())


def sheets_health(conn: Connection, settings: Any = None) -> SheetsHealth:
    if settings is None:
        from partners_tui.sync.settings import load_settings

        settings = load_settings()
    if settings is None:
        return SheetsHealth()
    status = _state(conn)
    push = status.get("push") or {}
    pull = status.get("pull") or {}
    error = status.get("last_error") or {}
    same_sheet = status.get("spreadsheet_id") == settings.spreadsheet_id
    connection = status.get("connection")
    if not same_sheet and not push and not pull:
        connection = None
    watermark = int(status.get("push_watermark") or 0) if same_sheet else 0
    return SheetsHealth(
        configured=True,
        state=connection if connection in ("connected", "unreachable") else "configured",
        last_push=push.get("at"),
        last_pull=pull.get("at"),
        pending_changes=pending_changes(conn, watermark),
        last_error=error.get("message"),
        spreadsheet_id=settings.spreadsheet_id,
        spreadsheet_title=settings.title or None,
        last_push_result=push.get("result"),
        last_push_rows=push.get("rows"),
        last_pull_result=pull.get("result"),
        last_pull_rows=pull.get("rows"),
        last_error_kind=error.get("kind"),
        open_conflicts=_open_conflicts(conn),
        pull_problems=int(pull.get("problem_count") or 0),
    )


def pending_changes(conn: Connection, watermark: int) -> int:
    """Records changed here (not by a pull) after the last push's snapshot; before any push,
    every record is waiting."""
    if watermark <= 0:
        return sum(
            conn.execute(text(f"SELECT count(*) FROM {entity}")).scalar() or 0 for entity in SYNCED_ENTITIES
        )
    names = ", ".join(f"'{e}'" for e in SYNCED_ENTITIES)
    return conn.execute(
        text(
            "SELECT count(*) FROM (SELECT DISTINCT c.entity, c.entity_id FROM change c "
            "JOIN command m ON m.id = c.command_id "
            f"WHERE c.command_id > :w AND m.source NOT IN ('sync', 'seed') AND c.entity IN ({names}))"
        ),
        {"w": watermark},
    ).scalar() or 0


def _state(conn: Connection) -> dict[str, Any]:
    from partners_tui.store.models import SyncState

    t = SyncState.__table__
    return {k: json.loads(v) for k, v in conn.execute(select(t.c.key, t.c.value)).all()}


def _open_conflicts(conn: Connection) -> int:
    from partners_tui.store.models import SyncConflict

    t = SyncConflict.__table__
    return conn.execute(select(func.count()).select_from(t).where(t.c.reviewed.is_(False))).scalar() or 0
