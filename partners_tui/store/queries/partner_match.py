"""Find the partner someone means from what they typed: `acme`, `north wind`, `Initech`, an id.

For `partners-tui log PARTNER ...`: a script or a hurried person types part of a name. One clear
best match is used; several equally good ones are an ambiguity the caller reports (listing the
candidates) without writing anything. Tiers, best first: the id; the whole name (ignoring case,
spacing and punctuation); the start of the name; the start of every word typed; anywhere in the
name; then close spellings. Archived partners are considered only when no visible one matches.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from partners_tui.store.queries.common import reading, rows

TIER_ID, TIER_EXACT, TIER_PREFIX, TIER_WORDS, TIER_SUBSTRING, TIER_CLOSE = range(6)
CLOSE_CUTOFF = 0.75
MAX_CANDIDATES = 10


@dataclass(frozen=True)
class PartnerCandidate:
    id: str
    name: str
    archived: bool
    tier: int


@dataclass(frozen=True)
class PartnerMatch:
    """`partner` is the one match, or None; `candidates` are the best equally good matches
    (several when ambiguous, none when nothing matched)."""

    query: str
    partner: PartnerCandidate | None
    candidates: tuple[PartnerCandidate, ...]
    total: int = 0
    """How many equally good matches there were (`candidates` holds at most `limit`)."""

    @property
    def ambiguous(self) -> bool:
        return self.partner is None and len(self.candidates) > 1

    def problem(self) -> str | None:
        """A one-paragraph explanation when there is no single match, else None."""
        if self.partner is not None:
            return None
        if not self.candidates:
            return f"no partner matches {self.query!r}"
        total = max(self.total, len(self.candidates))
        lines = [f"{self.query!r} matches {total} partners; be more specific or use an id:"]
        for c in self.candidates:
            lines.append(f"  {c.name}{' (archived)' if c.archived else ''}  {c.id}")
        if total > len(self.candidates):
            lines.append(f"  … and {total - len(self.candidates)} more")
        return "\n".join(lines)


def normalize(name: str) -> str:
    """Case-, accent-, spacing- and punctuation-blind form: "Fern & Finch, Inc." → "fern & finch inc"."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    plain = re.sub(r"[^\w&]+", " ", plain)
    return " ".join(plain.split())


def _tier(query: str, words: list[str], name: str) -> int | None:
    if name == query:
        return TIER_EXACT
    if name.startswith(query):
        return TIER_PREFIX
    name_words = name.split()
    if words and all(any(w.startswith(q) for w in name_words) for q in words):
        return TIER_WORDS
    if query in name:
        return TIER_SUBSTRING
    return None


def _best(query: str, partners: list[Any], limit: int) -> list[PartnerCandidate]:
    words = query.split()
    found: list[PartnerCandidate] = []
    normalized = [(p, normalize(p.name)) for p in partners]
    for p, name in normalized:
        tier = _tier(query, words, name)
        if tier is not None:
            found.append(PartnerCandidate(p.id, p.name, bool(p.archived), tier))
    if not found:
        names = {}
        for p, name in normalized:
            names.setdefault(name, []).append(p)
        for name in difflib.get_close_matches(query, list(names), n=limit, cutoff=CLOSE_CUTOFF):
            found += [PartnerCandidate(p.id, p.name, bool(p.archived), TIER_CLOSE) for p in names[name]]
    if not found:
        return []
    best = min(c.tier for c in found)
    top = [c for c in found if c.tier == best]
    top.sort(key=lambda c: (len(c.name), c.name.casefold(), c.id))
    return top


def match_partner(source: Any, query: str, *, limit: int = MAX_CANDIDATES) -> PartnerMatch:
    """The partner `query` means (`source`: a Store or a Connection)."""
    text = (query or "").strip()
    with reading(source) as (conn, _clock):
        if text:
            by_id = rows(conn, "SELECT id, name, archived FROM partner WHERE id = :id", {"id": text})
            if by_id:
                p = by_id[0]
                hit = PartnerCandidate(p.id, p.name, bool(p.archived), TIER_ID)
                return PartnerMatch(text, hit, (hit,), 1)
        wanted = normalize(text)
        if not wanted:
            return PartnerMatch(text, None, ())
        everyone = rows(conn, "SELECT id, name, archived FROM partner")
    visible = [p for p in everyone if not p.archived]
    top = _best(wanted, visible, limit) or _best(wanted, [p for p in everyone if p.archived], limit)
    if len(top) == 1:
        return PartnerMatch(text, top[0], tuple(top), 1)
    return PartnerMatch(text, None, tuple(top[:limit]), len(top))
