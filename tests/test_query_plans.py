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
