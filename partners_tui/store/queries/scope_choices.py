"""What the scope controls offer: the years that have events, and the events of each year.

The Overview's year and event pickers list only choices that lead somewhere. Archived events are
included (flagged) so a picker can offer them when "include archived" is on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from partners_tui.store.queries.common import reading, rows


@dataclass(frozen=True)
class EventChoice:
    id: str
    name: str
    year: int
    archived: bool


@dataclass(frozen=True)
class ScopeChoices:
    """`events` in scoreboard order (year desc, start date desc with undated last, name)."""

    events: tuple[EventChoice, ...]

    def years(self, include_archived: bool) -> tuple[int, ...]:
        """Years with at least one (visible) event, newest first."""
        return tuple(sorted(
            {e.year for e in self.events if include_archived or not e.archived}, reverse=True
        ))

    def events_of(self, year: int | None, include_archived: bool) -> tuple[EventChoice, ...]:
        """Events of `year` (every year when None), archived ones only if included."""
        return tuple(
            e for e in self.events
            if (year is None or e.year == year) and (include_archived or not e.archived)
        )

    def find(self, event_id: str | None) -> EventChoice | None:
        return next((e for e in self.events if e.id == event_id), None)


def scope_choices(source: Any) -> ScopeChoices:
    """Every event's id, name, year and archived flag (a Store or a Connection)."""
    with reading(source) as (conn, _clock):
        found = rows(
            conn,
            "SELECT id, name, year, archived FROM event "
            "ORDER BY year DESC, start_date IS NULL, start_date DESC, name, id",
        )
    return ScopeChoices(tuple(EventChoice(r.id, r.name, r.year, bool(r.archived)) for r in found))
