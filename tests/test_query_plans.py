"""Which index SQLite reads for the action queue's stale candidates (migration 10): counting
them and ranking the head read only the narrow `ix_queue_deal_rank`, never the wide rows of
`queue_deal`; the report, which lists names, reads the table itself."""

from __future__ import annotations

from partners_tui.store.queries import Scope
from partners_tui.store.queries.queue_sql import CandidateSql
from partners_tui.store.queries.scope import resolve_scope
from partners_tui.store.queries.totals import load_statuses
from test_query_support import World


def plan(conn, sql: str, params: dict) -> str:
    raw = conn.connection.driver_connection
    return " / ".join(r[3] for r in raw.execute("EXPLAIN QUERY PLAN " + sql, params))


def test_the_stale_candidates_are_counted_and_ranked_from_the_narrow_index(store):
    w = World(store)
    w.deal(w.partner("Acme"), w.event("Summit", 2026), "100", "pitched")
    with store.read() as conn:
        scope = resolve_scope(conn, Scope.parse("all"), w.today)
        sql = CandidateSql(conn, scope, load_statuses(conn), store.clock)
        params = {**sql.params, "largest": 1}
        reads = {
            "counting": plan(conn, sql.counts(("stale",)), params),
            "ranking the overdue": plan(conn, sql.keyed(overdue_only=True), params),
            "ranking all": plan(conn, sql.keyed(), params),
            "listing": plan(conn, sql.rows(), params),
        }
    stale_statuses = len(sql.stale)  # one part of each statement per status that goes stale
    assert stale_statuses > 1
    for what, found in reads.items():
        searches = [line for line in found.split(" / ") if line.startswith("SEARCH d ")]
        assert len(searches) == stale_statuses, (what, found)
        expected = ("SEARCH d USING PRIMARY KEY" if what == "listing"
                    else "SEARCH d USING COVERING INDEX ix_queue_deal_rank")
        assert all(line.startswith(expected) for line in searches), (what, found)


def test_a_few_ids_or_partners_are_sought_by_their_own_index_alone(store):
    """With follow-up or deal ids (the Overview's head) or a few partners, the event list is only
    checked: sought as well, SQLite would seek the id index once per (id, event)."""
    from partners_tui.store.queries.action_queue import follow_up_where, stale_where

    w = World(store)
    w.deal(w.partner("Acme"), w.event("Summit", 2026), "100", "pitched")
    w.event("Gala", 2026)
    with store.read() as conn:
        scope = resolve_scope(conn, Scope.parse("all"), w.today)
        statuses = load_statuses(conn)
        for kw, follow_up_index, deal_index in (
            ({"ids": ["x", "y"]}, "ix_queue_follow_up_id (id=?)", "ix_queue_deal_id (id=?)"),
            ({"partner_ids": ["p"]}, "ix_queue_follow_up_partner (partner_id=?)",
             "ix_queue_deal_partner (partner_id=?)"),
        ):
            where, params = follow_up_where(scope, statuses, **kw)
            found = plan(conn, f"SELECT * FROM queue_follow_up f WHERE {where}", params)
            assert found == f"SEARCH f USING INDEX {follow_up_index}", (kw, found)
            where, params = stale_where(scope, statuses, store.clock, **kw)
            found = plan(conn, f"SELECT * FROM queue_deal d WHERE {where}", params)
            assert found == f"SEARCH d USING INDEX {deal_index}", (kw, found)
