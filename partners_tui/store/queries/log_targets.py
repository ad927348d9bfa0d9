"""What a logged activity can attach to: one partner's deals and open follow-ups.

`partners-tui log` uses it to pick the deal an activity is on (by event, or the partner's only
open deal) and the follow-up it answers, the same way the Action Queue does from a selected item.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from partners_tui.store.queries.common import reading, rows


@dataclass(frozen=True)
class DealTarget:
    id: str
    event_id: str
    event: str
    event_archived: bool
    status: str
    status_label: str
    closed: bool
    role: str | None
    contact_id: str | None
    created_at: str


@dataclass(frozen=True)
class FollowUpTarget:
    id: str
    deal_id: str | None
    event_id: str | None
    due_date: str


@dataclass(frozen=True)
class LogTargets:
    partner_id: str
    deals: tuple[DealTarget, ...]
    """Not archived, newest event first."""
    follow_ups: tuple[FollowUpTarget, ...]
    """Open (not done, not archived), earliest due first."""

    @property
    def open_deals(self) -> tuple[DealTarget, ...]:
        return tuple(d for d in self.deals if not d.closed and not d.event_archived)

    def deals_for_event(self, event_id: str) -> tuple[DealTarget, ...]:
        return tuple(d for d in self.deals if d.event_id == event_id)

    def follow_ups_for(self, deal_id: str | None) -> tuple[FollowUpTarget, ...]:
        """Open follow-ups of the deal, or the partner's follow-ups on no deal when None."""
        return tuple(f for f in self.follow_ups if f.deal_id == deal_id)


def log_targets(source: Any, partner_id: str) -> LogTargets:
    with reading(source) as (conn, _clock):
        deals = rows(
            conn,
            """
            SELECT d.id, d.event_id, e.name AS event, e.archived AS event_archived, d.status,
                   s.label AS status_label, s.closed, d.role, d.contact_id, d.created_at
            FROM deal d JOIN event e ON e.id = d.event_id JOIN status s ON s.key = d.status
            WHERE d.partner_id = :p AND d.archived = 0
            ORDER BY e.year DESC, e.start_date IS NULL, e.start_date DESC, e.name, d.created_at, d.id
            """,
            {"p": partner_id},
        )
        follow_ups = rows(
            conn,
            """
            SELECT id, deal_id, event_id, due_date FROM follow_up
            WHERE partner_id = :p AND done_at IS NULL AND archived = 0
            ORDER BY due_date, id
            """,
            {"p": partner_id},
        )
    return LogTargets(
        partner_id,
        tuple(
            DealTarget(d.id, d.event_id, d.event, bool(d.event_archived), d.status,
                       d.status_label, bool(d.closed), d.role, d.contact_id, d.created_at)
            for d in deals
        ),
        tuple(FollowUpTarget(f.id, f.deal_id, f.event_id, f.due_date) for f in follow_ups),
    )
