"""The three-way field merge of one record: last-synced values (base), local values, sheet values.

For each field: changed only in the sheet → take the sheet's; changed only here → keep ours (the
push sends it); changed on both sides to different values → a conflict, won by the side with the
later `updated_at` and recorded for a person to review. A blank cell is just a value here, so it
clears a field only when the sheet changed it to blank (base had a value, the sheet has none).

Timestamps: a teammate's push writes the record's `updated_at` into the sheet; a person typing in
the sheet leaves it as it was. So a sheet edit without a newer `updated_at` counts as made at the
last sync, and a later local edit wins the conflict (both are listed). A sheet row whose
`updated_at` is *older* than the base's was overwritten by an older copy (a teammate's stale
push): then the base cannot be trusted for it and each differing field goes to the later side.
Pure functions, no database: easy to test exhaustively.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable


@dataclass(frozen=True)
class FieldConflict:
    entity: str
    entity_id: str
    field: str
    local: Any
    sheet: Any
    kept: str  # "local" / "sheet"
    local_updated_at: str | None
    sheet_updated_at: str | None


@dataclass
class RowMerge:
    """What to do locally for one record present in both places."""

    entity: str
    entity_id: str
    apply: dict[str, Any] = field(default_factory=dict)  # fields to set here
    expect: dict[str, Any] = field(default_factory=dict)  # local values the decision assumed
    updated_at: str | None = None  # a later updated_at to take from the sheet
    sheet_updated_at: str | None = None  # the sheet's time for what is applied (teammate's edit)
    conflicts: list[FieldConflict] = field(default_factory=list)

    @property
    def changes(self) -> bool:
        return bool(self.apply)


def merge_row(
    entity: str,
    entity_id: str,
    fields: Iterable[str],
    base: dict[str, Any] | None,
    local: dict[str, Any],
    sheet: dict[str, Any],
    *,
    local_updated_at: str | None,
    sheet_updated_at: str | None,
) -> RowMerge:
    """Merge one record. `sheet` holds only the fields whose column the sheet has; a missing
    column counts as unchanged. `base` None: never synced (or untrustworthy), so any difference
    is a conflict won by the later `updated_at`."""
    base_at = base.get("updated_at") if base else None
    if base is not None and sheet_updated_at and base_at and sheet_updated_at < base_at:
        base = None  # the sheet holds an older copy than the one we last synced
    # The sheet's time: its updated_at if a teammate's push moved it, else the last sync's.
    sheet_at = sheet_updated_at if (sheet_updated_at and (base_at is None or sheet_updated_at > base_at)) else base_at
    sheet_newer = bool(sheet_at) and sheet_at > (local_updated_at or "")
    out = RowMerge(entity, entity_id)
    for name in fields:
        if name not in sheet:
            continue
        s, l = sheet[name], local.get(name)
        if s == l:
            continue
        if base is not None and name in base:
            b = base[name]
            if s == b:
                continue  # only we changed it: the push sends it
            if l == b:
                out.apply[name] = s  # only the sheet changed it
                out.expect[name] = l
                continue
        kept = "sheet" if sheet_newer else "local"
        out.conflicts.append(
            FieldConflict(entity, entity_id, name, l, s, kept, local_updated_at, sheet_at)
        )
        if kept == "sheet":
            out.apply[name] = s
            out.expect[name] = l
    if out.apply:
        out.sheet_updated_at = sheet_at
        if sheet_at and sheet_at > (local_updated_at or ""):
            out.updated_at = sheet_at
    return out
