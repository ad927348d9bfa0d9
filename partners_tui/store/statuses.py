"""The default pipeline (DESIGN 2.1) and how a typed or imported status name finds its key."""

from __future__ import annotations

from dataclasses import dataclass

from partners_tui.store.validate import slugify


@dataclass(frozen=True)
class StatusSeed:
    key: str
    label: str
    probability: int
    secured: bool
    closed: bool
    stale_after_days: int | None


DEFAULT_STATUSES = (
    StatusSeed("prospecting", "Prospecting", 5, False, False, 14),
    StatusSeed("reached_out", "Reached Out", 10, False, False, 14),
    StatusSeed("pitched", "Pitched", 20, False, False, 14),
    StatusSeed("shortlist", "Shortlist", 30, False, False, 14),
    StatusSeed("in_conversation", "In Conversation", 50, False, False, 14),
    StatusSeed("followed_up", "Followed Up", 50, False, False, 14),
    StatusSeed("confirmed", "Confirmed", 100, True, False, 30),
    StatusSeed("paid", "Paid", 100, True, True, None),
    StatusSeed("declined", "Declined", 0, False, True, None),
    StatusSeed("backed_out", "Backed Out", 0, False, True, None),
)

# A custom status met on import or entry (DESIGN 2.1): open, 10 %, stale after 14 days.
CUSTOM_PROBABILITY = 10
CUSTOM_STALE_AFTER = 14

# Names the reference CRM (and people) use for the default statuses, by slug.
ALIASES = {
    "prospect": "prospecting",
    "new": "prospecting",
    "contacted": "reached_out",
    "reachedout": "reached_out",
    "outreach": "reached_out",
    "pitch": "pitched",
    "short_list": "shortlist",
    "shortlisted": "shortlist",
    "in_talks": "in_conversation",
    "talking": "in_conversation",
    "negotiating": "in_conversation",
    "in_progress": "in_conversation",
    "follow_up": "followed_up",
    "followup": "followed_up",
    "followedup": "followed_up",
    "committed": "confirmed",
    "won": "confirmed",
    "signed": "confirmed",
    "invoiced": "confirmed",
    "rejected": "declined",
    "lost": "declined",
    "no": "declined",
    "withdrawn": "backed_out",
    "backedout": "backed_out",
    "cancelled": "backed_out",
    "canceled": "backed_out",
}


def status_key_for(name: str) -> str:
    """The key a status name refers to: "Reached out" → reached_out, "Waiting Contract" →
    waiting_contract (which may not exist yet: the caller creates it as a custom status)."""
    slug = slugify(name)
    return ALIASES.get(slug, slug)
