"""Helpers for the query-layer tests: a small fixture builder over Store commands.

Rows "created in the past" are written by a Store on the same engine whose clock is fixed at an
earlier local date, so the stale clock (created_at, status_changed_at, last_activity_at) is real.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from partners_tui.store.clock import Clock
from partners_tui.store.commands import Store
from partners_tui.store.queries import QueueCounts, Scope, overview
from partners_tui.store.queries.queue_rows import QUEUE_ROW_FIELDS
from partners_tui.store.queries.queue_summary import sql_scores
from partners_tui.report import build_report, report_dict

TODAY = dt.date(2026, 11, 22)
TZ = "America/Vancouver"


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


class World:
    """Builds fixtures; `at(day)` returns a Store acting on that local day."""

    def __init__(self, store: Store, today: dt.date = TODAY):
        self.store = store
        self.today = today

    def at(self, day: str | dt.date | None = None) -> Store:
        if day is None:
            return self.store
        return Store(self.store.engine, clock=Clock.fixed_at(day, tz=TZ), who="tester")

    def at_time(self, moment: str) -> Store:
        """A Store acting at local wall time `moment` ("2026-11-08 23:30") in Vancouver."""
        local = dt.datetime.fromisoformat(moment).replace(tzinfo=ZoneInfo(TZ))
        return Store(self.store.engine, clock=Clock(tz=TZ, fixed=local), who="tester")

    def event(self, name: str = "Event", year: int = 2026, goal: Any = None, **dates: Any) -> str:
        data = {"name": name, "year": year, **dates}
        if goal is not None:
            data["goal"] = goal
        return self.store.create_event(data)

    def partner(self, name: str = "Acme", **extra: Any) -> str:
        return self.store.create_partner({"name": name, **extra})

    def contact(self, partner_id: str, name: str = "Pat") -> str:
        return self.store.create_contact({"partner_id": partner_id, "name": name})

    def deal(self, partner_id: str, event_id: str, amount: Any = None, status: str = "prospecting",
             on: str | dt.date | None = None, **extra: Any) -> str:
        data = {"partner_id": partner_id, "event_id": event_id, "status": status, **extra}
        if amount is not None:
            data["amount"] = amount
        return self.at(on).create_deal(data)

    def follow_up(self, partner_id: str, due: str | dt.date, deal_id: str | None = None,
                  on: str | dt.date | None = None, **extra: Any) -> str:
        data = {"partner_id": partner_id, "due_date": str(due), **extra}
        if deal_id:
            data["deal_id"] = deal_id
        return self.at(on).add_follow_up(data)

    def activity(self, partner_id: str, on: str | dt.date | None = None,
                 **extra: Any) -> str:
        data = {"partner_id": partner_id, "channel": "email", **extra}
        return self.at(on).log_activity(data)

    def queue(self, **kw: Any):
        """The action queue items of `overview(**kw)`.

        Every call also checks the Overview's shorter read (`queue_top`: counts in SQL, only
        the first items built) against this whole queue, for every head length, so each
        hand-made case below tests both paths."""
        whole = self.overview(**kw)
        items = whole.action_queue.items
        assert whole.action_queue.counts == QueueCounts.of(items)  # counted while built
        with self.store.read() as conn:  # the scores SQL ranks by, item by item
            scores = {(i.kind, i.follow_up_id or i.deal_id): (i.overdue, i.score) for i in items}
            assert sql_scores(conn, whole.scope, self.store.clock) == scores
            assert sql_scores(conn, whole.scope, self.store.clock, overdue_only=True) == {
                key: value for key, value in scores.items() if value[0]}
        as_rows = self.overview(**kw, queue_as_rows=True)  # the report's read
        assert as_rows.action_queue.rows == item_rows(items)
        assert as_rows.action_queue.counts == whole.action_queue.counts
        assert report_dict(as_rows) == report_dict(whole)
        for top in range(1, len(items) + 2):
            head = self.overview(**kw, queue_top=top)
            assert head.action_queue.items == items[:top], f"first {top} items differ"
            assert head.action_queue.counts == whole.action_queue.counts
            assert head.events == whole.events and head.kpis == whole.kpis
        return items

    def report(self, **kw: Any) -> dict:
        kw.setdefault("today", self.today)
        kw.setdefault("year", "auto")
        kw.setdefault("event_id", None)
        kw.setdefault("window", None)
        kw.setdefault("include_archived", False)
        return build_report(self.store, **kw)

    def overview(self, year: str | int = "auto", event_id: str | None = None,
                 window: int | None = None, include_archived: bool = False,
                 today: dt.date | None = None, queue_top: int | None = None,
                 queue_as_rows: bool = False):
        return overview(self.store, Scope.parse(year, event_id, window, include_archived),
                        today or self.today, queue_top=queue_top, queue_as_rows=queue_as_rows)


def item_rows(items) -> list[tuple]:
    """What `queue_rows` should give for these items: QUEUE_ROW_FIELDS (overdue as 0 or 1),
    then the follow-up's or deal's id."""
    return [
        (*(int(v) if f == "overdue" else v for f, v in ((f, getattr(i, f)) for f in QUEUE_ROW_FIELDS)),
         i.follow_up_id or i.deal_id)
        for i in items
    ]


def days(n: int, base: dt.date = TODAY) -> str:
    return (base + dt.timedelta(days=n)).isoformat()


class Ledger:
    """A small hand-made world used by the KPI, pipeline and scoreboard tests.

    Events (2026): A (goal 10,000, 2026-11-01 → 2026-11-30), B (no goal, no dates),
    C (no goal, 2026-12-05, no deals), Aa (no goal, no dates, no deals).
    Deals (amount, status):
      P1/A 3,000 paid · P1/B 2,000 pitched · P2/A 1,500 confirmed · P2/A 999 declined
      P3/A 500 declined (P3 has only a lost deal) · P4/A 700 confirmed (P4 is archived)
      P5/B no amount, prospecting · P5/A 1,000 in conversation with probability override 30 %
      P1/A 10,000 paid, archived (never counts)
    """

    def __init__(self, w: World):
        self.w = w
        self.a = w.event("A", 2026, goal="10000", start_date="2026-11-01", end_date="2026-11-30")
        self.b = w.event("B", 2026)
        self.c = w.event("C", 2026, start_date="2026-12-05")
        self.aa = w.event("Aa", 2026)
        self.p = {n: w.partner(n) for n in ("P1", "P2", "P3", "P4", "P5")}
        p, a, b = self.p, self.a, self.b
        w.deal(p["P1"], a, "3000", "paid")
        w.deal(p["P1"], b, "2000", "pitched")
        w.deal(p["P2"], a, "1500", "confirmed")
        w.deal(p["P2"], a, "999", "declined")
        w.deal(p["P3"], a, "500", "declined")
        w.deal(p["P4"], a, "700", "confirmed")
        w.deal(p["P5"], b, None, "prospecting")
        w.deal(p["P5"], a, "1000", "in_conversation", probability_override=30)
        w.store.archive_deal(w.deal(p["P1"], a, "10000", "paid"))
        w.store.archive_partner(p["P4"])
