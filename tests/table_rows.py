"""Reading whole tables in tests, keyed by primary key, for before/after comparisons."""

from __future__ import annotations

from sqlalchemy import select

from partners_tui.store.changelog import table


def rows(store, entity: str) -> dict[str, dict]:
    t = table(entity)
    key = t.primary_key.columns.values()[0].name
    with store.read() as conn:
        return {r[key]: dict(r) for r in conn.execute(select(t)).mappings()}
