"""Helpers for the query-layer tests: a small fixture builder over Store commands.

Rows "created in the past" are written by a Store on the same engine whose clock is fixed at an
earlier local date, so the stale clock (created_at, status_changed_at, last_activity_at) is real.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from partners_tui.store.clock import Clock
from partners_tui.store.commands import Store
from partners_tui.store.queries import Scope, overview
from partners_tui.report import build_report

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

    def report(self, **kw: Any) -> dict:
        kw.setdefault("today", self.today)
        kw.setdefault("year", "auto")
        kw.setdefault("event_id", None)
        kw.setdefault("window", None)
        kw.setdefault("include_archived", False)
        return build_report(self.store, **kw)

    def overview(self, year: str | int = "auto", event_id: str | None = None,
                 window: int | None = None, include_archived: bool = False,
                 today: dt.date | None = None):
        return overview(self.store, Scope.parse(year, event_id, window, include_archived),
                        today or self.today)


def days(n: int, base: dt.date = TODAY) -> str:
    return (base + dt.timedelta(days=n)).isoformat()
