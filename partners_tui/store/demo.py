"""Deterministic demo data: `partners-tui demo [--size small|large] [--seed S]`.

Everything comes from one `random.Random(seed)` and from `today`: ids, names, amounts, dates and
timestamps. The same seed and the same `today` (in the same time zone) give the same content in
every entity table, and the same change rows apart from the command's own `at`.

The whole demo is one command (one transaction, one undo). Rows are built in chunks and written
with `UnitOfWork.insert_many`, so a million activities never sit in memory at once. The status
history of each deal (its earlier pipeline steps) is written as `change` rows with historical
`at` timestamps, exactly as a status change made in the app would have left them, so velocity
and conversion queries have something to measure.

Safe to call from a thread worker: it touches nothing but the store it is given.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid
from dataclasses import dataclass
from typing import Any, Callable

from sqlalchemy import insert

from partners_tui.store.commands import Store, defaults
from partners_tui.store.models import Change

ProgressFn = Callable[[str], None]

CHUNK = 5_000
DAY_MS = 86_400_000
HOUR_MS = 3_600_000


@dataclass(frozen=True)
class Size:
    partners: int
    events: int
    deals: int
    activities: int


SIZES = {
    "small": Size(partners=400, events=15, deals=2_000, activities=10_000),
    "large": Size(partners=50_000, events=200, deals=200_000, activities=1_000_000),
}

# --- word lists ---------------------------------------------------------------------------------

NAME_FIRST = (
    "Northwind", "Blue Harbor", "Maple", "Summit", "Evergreen", "Cedar", "Pacific", "Granite",
    "Silverline", "Redwood", "Lighthouse", "Aurora", "Polaris", "Ironbridge", "Coastal",
    "Harbourfront", "Meridian", "Brightwater", "Keystone", "Juniper", "Orchard", "Falcon",
    "Horizon", "Riverbend", "Stonegate", "Willow", "Nimbus", "Quantum", "Vertex", "Copperleaf",
    "Bluebird", "Lakeshore", "Fraser", "Kestrel", "Alder", "Beacon", "Crescent", "Driftwood",
    "Elmwood", "Foxglove", "Golden Gate", "Highland", "Indigo", "Jade", "Kingsway", "Lumen",
    "Mosaic", "Northstar", "Oakridge", "Pinecrest", "Quarry", "Rainier", "Sequoia", "Tidewater",
    "Upland", "Vantage", "Westbrook", "Yellowknife", "Zephyr", "Arbutus", "Borealis", "Cobalt",
    "Dogwood", "Emberly", "Fjord", "Glacier", "Halcyon", "Ironwood", "Larch", "Monarch",
    "Nova", "Osprey", "Prairie", "Ravenwood", "Salal", "Tamarack", "Umber", "Vesper",
)
NAME_SECOND = (
    "Analytics", "Capital", "Labs", "Systems", "Health", "Energy", "Robotics", "Software",
    "Partners", "Ventures", "Consulting", "Insurance", "Foods", "Logistics", "Media", "Bank",
    "Credit Union", "Networks", "Biotech", "Studios", "Cloud", "Security", "Dynamics", "Markets",
    "Advisory", "Engineering", "Games", "Pharma", "Retail", "Mobility", "Telecom", "Realty",
    "Digital", "Data", "Financial", "Learning", "Aerospace", "Materials", "Outfitters", "Group",
    "Brewing", "Payments", "Genomics", "Interactive", "Solutions", "Holdings", "Design",
    "Marine", "Power", "Wealth", "Semiconductors", "Foundation", "Collective", "Works",
    "Instruments", "Devices", "Logic", "Motors", "Apparel", "Coffee", "Legal", "Accounting",
    "Hospitality", "Airlines", "Education", "Fintech", "AI", "Quantum", "Research", "Supply",
)
NAME_SUFFIX = (
    "", " Inc.", " Ltd.", " Corp.", " Canada", " Co.", " LLP", " International", " West",
    " North America", " & Co.", " Technologies", " Pacific", " Global",
)
DIVISIONS = (
    "Canada", "Ventures", "Foundation", "Labs", "Asia Pacific", "Toronto", "Vancouver",
    "Research", "Campus Recruiting", "Europe", "Digital", "Studio",
)
INDUSTRIES = (
    "Technology", "Finance", "Consulting", "Healthcare", "Energy", "Retail", "Telecom",
    "Education", "Government", "Nonprofit", "Manufacturing", "Media", "Real Estate",
    "Hospitality", "Transportation", "Legal", "Food & Beverage", "Biotech",
)
TAGS = (
    "returning", "tech", "finance", "local", "national", "startup", "enterprise", "nonprofit",
    "hiring", "swag", "food", "prize", "alumni-run", "in-kind", "warm intro", "big logo",
)
ACCOUNT_TIERS = ("Platinum", "Gold", "Silver", "Bronze")
FIRST_NAMES = (
    "Ava", "Liam", "Maya", "Noah", "Priya", "Ethan", "Chloe", "Arjun", "Sofia", "Lucas",
    "Mei", "Daniel", "Amara", "Oliver", "Hana", "Mateo", "Isla", "Kenji", "Zara", "Samuel",
    "Aisha", "Leo", "Nadia", "Jonah", "Elena", "Ravi", "Grace", "Tomas", "Yuna", "Caleb",
    "Fatima", "Owen", "Ingrid", "Diego", "Leila", "Marcus", "Nora", "Andre", "Sana", "Felix",
    "Jasmine", "Hugo", "Anika", "Victor", "Camila", "Tariq", "Lena", "Kai", "Rosa", "Emil",
)
LAST_NAMES = (
    "Chen", "Patel", "Nguyen", "Smith", "Garcia", "Kim", "Singh", "Martin", "Wong", "Brown",
    "Tremblay", "Roy", "Gagnon", "Wilson", "Lee", "Ali", "Dubois", "Khan", "Sato", "Lopez",
    "Fraser", "Campbell", "Anderson", "Hernandez", "Kowalski", "Okafor", "Ibrahim", "Rossi",
    "Schmidt", "Yamamoto", "Novak", "Haddad", "Larsen", "Silva", "Moreau", "Cohen", "Park",
    "Mehta", "Bergstrom", "Adeyemi", "Ortiz", "Nakamura", "Fischer", "Costa", "Walsh",
)
TITLES = (
    "University Recruiter", "Talent Acquisition Lead", "Marketing Manager", "Head of Community",
    "Partnerships Manager", "Developer Relations", "CTO", "VP Engineering", "Campus Lead",
    "Events Coordinator", "HR Business Partner", "Founder", "Brand Manager", "Sponsorship Lead",
)
INFLUENCES = ("decision_maker", "influencer", "user", "gatekeeper")
OWNERS = ("Ana", "Ben", "Chen", "Dara", "Eli", "Farah", "Gus", "Hiro")

EVENT_BASES = (
    "HelloHacks", "Data&Beyond", "BizTech Summit", "Product Forge", "Blueprint", "Case Clash",
    "TechBash", "Women in Tech Gala", "Startup Slam", "AI Frontiers", "FinTech Forum",
    "Climate Hack", "Career Fair", "Innovation Week", "Code Cup", "Pitch Night",
    "Growth Conference", "Cloud Camp", "Hack the Coast", "Design Jam",
)
EVENT_CITIES = (
    "", "Vancouver", "Toronto", "Montréal", "Calgary", "Ottawa", "Victoria", "Waterloo",
    "Halifax", "Winnipeg", "Edmonton", "Québec", "Kelowna", "Saskatoon", "Regina",
)
# (label, share of the event goal) from the top of the ladder down.
TIER_LADDER = (
    ("Title", 0.25), ("Platinum", 0.15), ("Gold", 0.10), ("Silver", 0.05), ("Bronze", 0.025),
    ("Community", 0.01),
)

CUSTOM_STATUSES = ("Waiting Contract", "Invoice Sent")
DEFAULT_KEYS = (
    "prospecting", "reached_out", "pitched", "shortlist", "in_conversation", "followed_up",
    "confirmed", "paid", "declined", "backed_out",
)
# Pipeline order a deal travels (custom steps included) on its way to being paid.
FORWARD = (
    "prospecting", "reached_out", "pitched", "shortlist", "in_conversation", "followed_up",
    "waiting_contract", "confirmed", "invoice_sent", "paid",
)
KEEP_STEP = {"shortlist": 0.35, "waiting_contract": 0.3, "invoice_sent": 0.4}
# Final status weights by where the event is in its life.
STATUS_WEIGHTS = {
    "past": {
        "paid": 38, "confirmed": 7, "invoice_sent": 4, "declined": 25, "backed_out": 7,
        "followed_up": 5, "in_conversation": 4, "reached_out": 5, "prospecting": 2, "pitched": 3,
    },
    "current": {
        "prospecting": 9, "reached_out": 15, "pitched": 12, "shortlist": 6, "in_conversation": 12,
        "followed_up": 9, "waiting_contract": 5, "confirmed": 12, "invoice_sent": 3, "paid": 7,
        "declined": 8, "backed_out": 2,
    },
    "future": {
        "prospecting": 44, "reached_out": 25, "pitched": 12, "shortlist": 4, "in_conversation": 6,
        "followed_up": 3, "confirmed": 3, "declined": 3,
    },
}
LOST_REASONS = (
    "No budget this year", "Timing: fiscal year ends", "Went with a competing event",
    "No reply after three follow-ups", "Internal reorg", "Sponsoring fewer student events",
    "Budget frozen", "Prefers in-kind only",
)
ROLE_WEIGHTS = (
    ("Sponsor", 70), ("Industry Partner", 8), ("Judge", 6), ("Mentor", 6),
    ("Workshop Speaker", 4), ("Panelist", 3), ("Keynote Speaker", 2), ("Prize Sponsor", 1),
)
CHANNEL_WEIGHTS = (
    ("email", 45), ("call", 14), ("meeting", 12), ("linkedin", 10), ("note", 10),
    ("in-person", 6), ("Slack", 2), ("WhatsApp", 1),
)
SUBJECTS = {
    "email": (
        "Sponsorship package for {event}", "Re: {event} partnership", "Following up on {event}",
        "Invoice for {event}", "Contract draft: {event}", "Intro: {event} team",
        "Logo and booth details for {event}",
    ),
    "call": ("Intro call", "Budget check-in", "Call about {event} tiers", "Quick sync"),
    "meeting": ("Partnership meeting", "{event} planning meeting", "Coffee chat", "Debrief"),
    "linkedin": ("LinkedIn message", "Connected on LinkedIn", "InMail about {event}"),
    "note": ("Internal note", "Reminder", "Context for the team"),
    "in-person": ("Met at career fair", "Booth visit", "Met at {event}"),
}
SUMMARIES = (
    "Interested; wants the deck.", "Asked about audience size and demographics.",
    "Budget decided next quarter.", "Loved last year's event.", "Needs approval from marketing.",
    "Asked for a cheaper tier.", "Will confirm after the board meeting.", "Sent the invoice.",
    "Wants a booth and a workshop slot.", "No reply yet.", "Prefers in-kind (food, swag).",
    None, None, None,
)
FOLLOW_UP_NOTES = (
    "Send the sponsorship deck", "Chase the signed contract", "Send invoice", "Confirm booth size",
    "Ask about logo files", "Check budget decision", "Book a call", "Share attendee numbers",
    "Thank-you note and photos", None,
)
# Names with characters that must survive markup and CSV: the small and large demos both have them.
ODD_PARTNERS = ("O'Hare Logistics", "Fern & Finch Analytics", "Bracket [bold] Labs")
ODD_CONTACTS = ("Siobhán O'Connor", "Mika [bold]Tanaka", "Lee & Park Desk")


def _weighted(pairs) -> tuple[list, list[float]]:
    values = [p[0] for p in pairs]
    total = float(sum(p[1] for p in pairs))
    cum, acc = [], 0.0
    for _, w in pairs:
        acc += w / total
        cum.append(acc)
    cum[-1] = 1.0
    return values, cum


def _slug(name: str) -> str:
    out = "".join(ch if ch.isalnum() else "-" for ch in name.lower())
    while "--" in out:
        out = out.replace("--", "-")
    return out.strip("-") or "x"


def _ascii(name: str) -> str:
    table = str.maketrans("áàâäéèêëíìîïóòôöúùûüçñ", "aaaaeeeeiiiioooouuuucn")
    return "".join(ch for ch in name.lower().translate(table) if ch.isalnum())


class _Times:
    """Epoch milliseconds ↔ the store's UTC stamps, with local days taken from the store's clock."""

    def __init__(self, store: Store, today: dt.date):
        self.clock = store.clock
        self.today = today
        self._midnights: dict[int, int] = {}
        self._prefix: dict[int, str] = {}
        self.today_start = self.midnight(0)
        self.now_cap = self.today_start - 60_000  # historical data ends a minute before today

    def midnight(self, offset: int) -> int:
        """Epoch ms of local midnight on today + offset days."""
        value = self._midnights.get(offset)
        if value is None:
            moment = self.clock.local_midnight(self.today + dt.timedelta(days=offset))
            value = int(moment.timestamp()) * 1000
            self._midnights[offset] = value
        return value

    def day_of(self, ms: int) -> int:
        """The local day offset (relative to today) containing `ms`, approximately (±1h DST)."""
        return (ms - self.today_start) // DAY_MS

    def stamp(self, ms: int) -> str:
        day, rem = divmod(ms, DAY_MS)
        prefix = self._prefix.get(day)
        if prefix is None:
            prefix = (dt.date(1970, 1, 1) + dt.timedelta(days=day)).isoformat() + "T"
            self._prefix[day] = prefix
        sec, milli = divmod(rem, 1000)
        h, sec = divmod(sec, 3600)
        m, s = divmod(sec, 60)
        return f"{prefix}{h:02d}:{m:02d}:{s:02d}.{milli:03d}Z"

    def date(self, offset: int) -> str:
        return (self.today + dt.timedelta(days=offset)).isoformat()


class _Writer:
    """Buffers rows per entity and writes them in chunks through the unit of work."""

    def __init__(self, uow, progress: ProgressFn | None, counts: dict[str, int]):
        self.uow = uow
        self.progress = progress
        self.counts = counts
        self.buffers: dict[str, list[dict[str, Any]]] = {}
        self.bases = {}
        self.targets: dict[str, tuple[str, int]] = {}
        self.reported: dict[str, int] = {}

    def expect(self, entity: str, label: str, total: int) -> None:
        self.targets[entity] = (label, total)

    def add(self, entity: str, values: dict[str, Any]) -> None:
        base = self.bases.get(entity)
        if base is None:
            base = self.bases[entity] = defaults(entity)
        row = base.copy()
        row.update(values)
        buf = self.buffers.setdefault(entity, [])
        buf.append(row)
        if len(buf) >= CHUNK:
            self.flush(entity)

    def flush(self, entity: str | None = None) -> None:
        for name in [entity] if entity else list(self.buffers):
            rows = self.buffers.get(name)
            if not rows:
                continue
            self.uow.insert_many(name, rows)
            done = self.counts.get(name, 0) + len(rows)
            self.counts[name] = done
            self.buffers[name] = []
            label, total = self.targets.get(name, (name, 0))
            step = max(total // 10, 50_000)
            if self.progress and total >= 2 * CHUNK and done - self.reported.get(name, 0) >= step:
                self.reported[name] = done
                self.progress(f"{label} {done:,}/{total:,}")


@dataclass(slots=True)
class _Partner:
    id: str
    name: str
    domain: str
    archived: bool
    contacts: list  # [(contact id, name)], primary first


@dataclass(slots=True)
class _Event:
    id: str
    name: str
    year: int
    outreach: int  # day offsets relative to today
    start: int
    end: int
    phase: str  # past / current / future
    presets: list  # [(label, amount_cents)]
    goal: int | None
    archived: bool


@dataclass(slots=True)
class _Deal:
    id: str
    partner: int
    event: int
    role: str
    status: str
    path: tuple  # status keys from the first to the current one
    steps: list  # epoch ms of each move along `path`
    created: int  # epoch ms
    n_acts: Any  # activity weight during planning, then the number of its activities
    act_max: int  # end of its activity window during planning, then its latest activity (0: none)
    contact: str | None = None


class _Demo:
    def __init__(self, store: Store, size: str, seed: int, today: dt.date, progress: ProgressFn | None):
        if size not in SIZES:
            raise ValueError(f"size must be one of {', '.join(SIZES)}, not {size!r}")
        self.store = store
        self.size_name = size
        self.size = SIZES[size]
        self.seed = seed
        self.rng = random.Random(seed)
        self.t = _Times(store, today)
        self.today = today
        self.progress = progress
        self.counts: dict[str, int] = {}
        self.partners: list[_Partner] = []
        self.events: list[_Event] = []
        self.deals: list[_Deal] = []
        self.history_rows = 0

    # --- small helpers -------------------------------------------------------------------------

    def uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def say(self, message: str) -> None:
        if self.progress:
            self.progress(message)

    def pick(self, values: list, cum: list[float]):
        r = self.rng.random()
        lo, hi = 0, len(cum) - 1
        while lo < hi:
            mid = (lo + hi) // 2
            if cum[mid] < r:
                lo = mid + 1
            else:
                hi = mid
        return values[lo]

    def local_time(self, day_offset: int, lo_hour: int = 8, hi_hour: int = 19) -> int:
        """A random moment in working hours on local day today + day_offset."""
        return self.t.midnight(day_offset) + self.rng.randrange(lo_hour * HOUR_MS, hi_hour * HOUR_MS)

    # --- the run -------------------------------------------------------------------------------

    def run(self) -> dict[str, int]:
        description = f"Demo data ({self.size_name}, seed {self.seed})"
        with self.store.command("demo.generate", description, source="demo") as uow:
            self.uow = uow
            self.w = _Writer(uow, self.progress, self.counts)
            self.make_partners()
            self.make_events()
            self.make_statuses()
            self.make_deals()
            self.make_activities()
            self.make_follow_ups()
        summary = {
            "partners": self.counts.get("partner", 0),
            "contacts": self.counts.get("contact", 0),
            "events": self.counts.get("event", 0),
            "custom statuses": len(CUSTOM_STATUSES),
            "deals": self.counts.get("deal", 0),
            "status changes": self.history_rows,
            "activities": self.counts.get("activity", 0),
            "follow_ups": self.counts.get("follow_up", 0),
            "annual goals": self.counts.get("annual_goal", 0),
        }
        return summary

    # --- partners and contacts -----------------------------------------------------------------

    def partner_names(self, n: int) -> list[str]:
        rng = self.rng
        plain = len(NAME_FIRST) * len(NAME_SECOND)
        space = plain if n <= plain // 2 else plain * len(NAME_SUFFIX)
        names = []
        for code in rng.sample(range(space), n):
            suffix, rest = divmod(code, plain)
            first, second = divmod(rest, len(NAME_SECOND))
            if NAME_FIRST[first] == NAME_SECOND[second]:
                second = (second + 1) % len(NAME_SECOND)
            names.append(f"{NAME_FIRST[first]} {NAME_SECOND[second]}{NAME_SUFFIX[suffix]}")
        return names

    def make_partners(self) -> None:
        rng, t, w = self.rng, self.t, self.w
        n = self.size.partners
        names = self.partner_names(n)
        taken = set(names)
        # Odd characters somewhere early, so the first screen of a small demo shows them.
        for i, odd in zip((5, 11, 17), ODD_PARTNERS):
            if i < n:
                taken.add(odd)
                names[i] = odd
        # Account trees: a chain 0 ← 1 ← 2 (depth 3), and about 3% of the rest are branches.
        parents: list[int | None] = [None] * n
        if n >= 3:
            parents[1], parents[2] = 0, 1
        for i in range(3, n):
            if i not in (5, 11, 17) and rng.random() < 0.03:
                parents[i] = rng.randrange(0, i)
        tiers, tier_cum = _weighted((("Platinum", 5), ("Gold", 15), ("Silver", 25), ("Bronze", 25), (None, 30)))
        w.expect("partner", "partners", n)
        for i in range(n):
            parent = parents[i]
            name = names[i]
            if parent is not None:
                root = parent
                while parents[root] is not None:
                    root = parents[root]
                for _ in range(3):
                    candidate = f"{self.partners[root].name} {rng.choice(DIVISIONS)}"
                    if candidate not in taken:
                        taken.add(candidate)
                        name = candidate
                        break
            pid = self.uid()
            domain = _slug(name.replace("&", "and")) + ".example.com"
            created = t.now_cap - rng.randrange(0, 1100) * DAY_MS - rng.randrange(0, DAY_MS)
            archived = i > 20 and rng.random() < 0.01
            tags = rng.sample(TAGS, rng.choice((0, 0, 1, 1, 2, 3)))
            notes = None
            r = rng.random()
            if r < 0.15:
                notes = rng.choice((
                    "Prefers email over calls.", "Budget approved each spring.",
                    "Ask for the university relations team.", "Sponsored us every year since 2019.",
                    "Interested in hiring co-op students.", "Send invoices to accounts payable.",
                ))
            if i == 17:
                notes = "Stray markup in notes: [/bold] and [link=x]"
            w.add("partner", {
                "id": pid, "name": name, "parent_id": self.partners[parent].id if parent is not None else None,
                "industry": rng.choice(INDUSTRIES), "website": f"https://www.{domain}",
                "linkedin": f"https://www.linkedin.com/company/{_slug(name)}" if rng.random() < 0.6 else None,
                "tier": self.pick(tiers, tier_cum), "tags": ", ".join(tags), "notes": notes,
                "is_alumni": rng.random() < 0.15, "archived": archived,
                "created_at": t.stamp(created),
                "updated_at": t.stamp(created + rng.randrange(0, 200) * DAY_MS if rng.random() < 0.3 else created),
            })
            self.partners.append(_Partner(pid, name, domain, archived, []))
        w.flush("partner")
        self.say(f"partners {n:,}")

        total_contacts = 0
        odd_contacts = list(ODD_CONTACTS)
        w.expect("contact", "contacts", int(n * 1.9))
        for i, partner in enumerate(self.partners):
            k = rng.choice((1, 1, 2, 2, 2, 3))
            used: set[str] = set()
            for j in range(k):
                if i in (3, 9, 15) and j == 0 and odd_contacts:
                    name = odd_contacts.pop(0)
                else:
                    name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
                    if name in used:
                        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}-{rng.choice(LAST_NAMES)}"
                used.add(name)
                first, _, last = name.partition(" ")
                local = f"{_ascii(first)}.{_ascii(last)}" if _ascii(last) else _ascii(first)
                cid = self.uid()
                created = t.now_cap - rng.randrange(0, 900) * DAY_MS - rng.randrange(0, DAY_MS)
                w.add("contact", {
                    "id": cid, "partner_id": partner.id, "name": name,
                    "title": rng.choice(TITLES),
                    "email": f"{local or 'contact'}@{partner.domain}" if rng.random() < 0.93 else None,
                    "phone": f"+1 {rng.choice(('604', '778', '416', '647', '514', '403'))}-555-{rng.randrange(100, 10000):04d}"
                    if rng.random() < 0.6 else None,
                    "linkedin": f"https://www.linkedin.com/in/{_slug(name)}-{rng.randrange(100, 999)}" if rng.random() < 0.5 else None,
                    "strength": rng.randint(1, 10) if rng.random() < 0.8 else None,
                    "influence": rng.choice(INFLUENCES) if rng.random() < 0.7 else None,
                    "is_primary": j == 0,
                    "notes": "Goes by her middle name." if rng.random() < 0.01 else None,
                    "archived": j > 0 and rng.random() < 0.03,
                    "created_at": t.stamp(created), "updated_at": t.stamp(created),
                })
                partner.contacts.append((cid, name))
                total_contacts += 1
        w.flush("contact")
        self.say(f"contacts {total_contacts:,}")

    # --- events and goals ----------------------------------------------------------------------

    def make_events(self) -> None:
        rng, t = self.rng, self.t
        n = self.size.events
        year0 = self.today.year
        years = [year0 - 1, year0, year0 + 1]
        per_year = [n // 3 + (1 if i < n % 3 else 0) for i in range(3)]
        # Distinct (base, city) pairs per year; plain names first, so small demos read naturally.
        combos = [(b, c) for c in range(len(EVENT_CITIES)) for b in range(len(EVENT_BASES))]
        current_done = False
        # The tier ladder fits an event with about 35 deals; with more deals per event, each
        # package is worth less of the goal, so secured totals land near the goals (50-150%).
        tier_scale = min(1.0, 35 / (self.size.deals / max(n, 1)))
        for yi, (year, count) in enumerate(zip(years, per_year)):
            chosen = rng.sample(range(len(EVENT_BASES) if count <= len(EVENT_BASES) else len(combos)), count)
            jan1 = (dt.date(year, 1, 1) - self.today).days
            for k, code in enumerate(chosen):
                base, city = combos[code]
                name = f"{EVENT_BASES[base]}{' ' + EVENT_CITIES[city] if EVENT_CITIES[city] else ''} {year}"
                # Spread start dates over the year: mid-January to mid-December.
                slot = 14 + int((k + rng.random()) * 330 / count)
                start = jan1 + min(slot, 350)
                end = start + rng.choice((0, 1, 1, 2))
                if year == year0 and not current_done and (end >= 0 or k == count - 1):
                    # The nearest not-ended event this year: outreach under way, starting soon.
                    dec31 = (dt.date(year, 12, 31) - self.today).days
                    start = max(0, min(max(start, 12), dec31))
                    end = max(start, min(start + 1, dec31)) if dec31 >= 0 else start + 1
                    current_done = True
                outreach = start - rng.randrange(70, 150)
                phase = "past" if end < 0 else ("current" if outreach <= 0 else "future")
                goal = rng.randrange(3, 25) * 5_000 * 100  # $15k - $120k
                if year == year0 + 1 and k == count - 1:
                    goal = None  # one event still without a goal ("no goal" pace)
                top = rng.choice((0, 1, 1, 2))
                ntiers = rng.randint(3, 5)
                ladder = TIER_LADDER[top : top + ntiers]
                reference = (goal or 50_000 * 100) * tier_scale
                presets = [
                    (label, max(250, round(reference * share / 100 / 250) * 250) * 100)
                    for label, share in ladder
                ]
                archived = year == year0 - 1 and k == 1
                eid = self.uid()
                created = t.midnight(min(outreach, 0) - rng.randrange(10, 60)) + rng.randrange(9 * HOUR_MS, 17 * HOUR_MS)
                self.w.add("event", {
                    "id": eid, "name": name, "year": year,
                    "outreach_start": t.date(outreach), "start_date": t.date(start), "end_date": t.date(end),
                    "goal_cents": goal,
                    "tier_presets": json.dumps([{"label": lb, "amount_cents": c} for lb, c in presets]),
                    "notes": "Cancelled: venue fell through." if archived else (
                        "Run with the engineering society." if rng.random() < 0.2 else None),
                    "archived": archived,
                    "created_at": t.stamp(created), "updated_at": t.stamp(created),
                })
                self.events.append(_Event(eid, name, year, outreach, start, end, phase, presets, goal, archived))
        self.w.flush("event")
        # An explicit annual goal for last year (other years use the sum of their events' goals).
        past_goals = sum(e.goal or 0 for e in self.events if e.year == year0 - 1 and not e.archived)
        if past_goals:
            at = t.stamp(t.midnight((dt.date(year0 - 1, 1, 5) - self.today).days) + 10 * HOUR_MS)
            self.uow.insert_many("annual_goal", [{
                "year": year0 - 1, "goal_cents": int(round(past_goals * 1.1 / 100_000_00) * 100_000_00) or past_goals,
                "updated_at": at,
            }], at=at)
            self.counts["annual_goal"] = 1
        self.say(f"events {len(self.events):,}")

    # --- statuses ------------------------------------------------------------------------------

    def make_statuses(self) -> None:
        self.status_keys = {}
        for label in CUSTOM_STATUSES:
            self.status_keys[label] = self.store.resolve_status(self.uow, label)

    # --- deals and their status history --------------------------------------------------------

    def status_path(self, final: str) -> list[str]:
        rng = self.rng
        start = rng.choice((0, 0, 0, 1, 1, 2))
        if final in FORWARD:
            j = FORWARD.index(final)
            start = min(start, j)
            path = [FORWARD[start]]
            for k in range(start + 1, j):
                step = FORWARD[k]
                if rng.random() < KEEP_STEP.get(step, 0.65):
                    path.append(step)
            if j > start:
                path.append(final)
            return path
        # Lost: an open path up to somewhere, then declined / backed out.
        stop = FORWARD.index("confirmed") if final == "backed_out" and rng.random() < 0.6 else rng.randrange(0, 6)
        start = min(start, stop)
        path = [FORWARD[start]]
        for k in range(start + 1, stop + 1):
            if rng.random() < KEEP_STEP.get(FORWARD[k], 0.6) or k == stop:
                path.append(FORWARD[k])
        path.append(final)
        return path

    def make_deals(self) -> None:
        rng, t = self.rng, self.t
        n = self.size.deals
        n_partners, n_events = len(self.partners), len(self.events)
        role_values, role_cum = _weighted(ROLE_WEIGHTS)
        weights = {ph: _weighted(list(ws.items())) for ph, ws in STATUS_WEIGHTS.items()}
        all_statuses = list(DEFAULT_KEYS) + [self.status_keys[label] for label in CUSTOM_STATUSES]
        # Pass 1: who, when, how far each deal went and when its latest activity is.
        seen: set[int] = set()
        latest: dict[int, int] = {}  # partner * n_events + event → latest activity (epoch ms)
        for i in range(n):
            for _ in range(6):  # normally one deal per partner, event and role
                p = int(n_partners * rng.random() ** 1.5)
                e = rng.randrange(n_events)
                role = self.pick(role_values, role_cum)
                key = (p * n_events + e) * 16 + role_values.index(role)
                if key not in seen:
                    break
            seen.add(key)
            event = self.events[e]
            final = all_statuses[i] if i < len(all_statuses) else self.pick(*weights[event.phase])
            path = tuple(self.status_path(final))
            if event.phase == "future":
                lo, hi = -90, -1
            elif event.phase == "current":
                lo, hi = event.outreach - 20, -1
            else:
                lo, hi = event.outreach - 20, min(event.start - 3, -1)
            created = self.local_time(rng.randint(min(lo, hi), hi))
            end_day = min(event.end + 45, -1) if event.phase == "past" and final not in FORWARD[:7] else -1
            last = max(created + HOUR_MS, min(t.midnight(end_day) + 18 * HOUR_MS, t.now_cap))
            steps = sorted(rng.randrange(created + 1, last) for _ in range(len(path) - 1))
            # Deals that went further saw more touchpoints; scaled to the target below.
            weight = (0.4 + 0.25 * len(path)) * (0.4 + rng.random() * 0.9)
            self.deals.append(_Deal(self.uid(), p, e, role, final, path, steps, created, weight, last))
        del seen
        # How many activities each deal has, and when the latest is: about 88% of all activities
        # are on deals (or on their partner for the event), the rest are general partner notes.
        scale = 0.88 * self.size.activities / sum(d.n_acts for d in self.deals)
        for d in self.deals:
            n_acts = int(scale * d.n_acts + rng.random())
            last = d.act_max
            d.n_acts = n_acts
            d.act_max = d.created + int((last - d.created) * rng.random() ** (1 / n_acts)) if n_acts else 0
            if n_acts:
                pe = d.partner * n_events + d.event
                if d.act_max > latest.get(pe, 0):
                    latest[pe] = d.act_max
        # Pass 2: the rest of each deal, written in chunks with its stale clock already known.
        self.w.expect("deal", "deals", n)
        for d in self.deals:
            event, partner = self.events[d.event], self.partners[d.partner]
            final = d.status
            changed_at = d.steps[-1] if d.steps else d.created
            contact = None
            if partner.contacts and rng.random() < 0.9:
                contact = partner.contacts[0][0] if rng.random() < 0.75 else rng.choice(partner.contacts)[0]
            d.contact = contact
            tier, amount = None, None
            r = rng.random()
            if d.role in ("Sponsor", "Industry Partner", "Prize Sponsor"):
                if r < 0.78 and event.presets:
                    tier, amount = rng.choice(event.presets)
                elif r < 0.86 and event.presets:
                    amount = rng.randrange(2, 20) * event.presets[-1][1] // 2 // 2500 * 2500
                elif r < 0.90:
                    tier, amount = "In-kind", 0
                # else: no amount agreed yet
            elif r < 0.15:
                amount = 0
            is_open = final in FORWARD[:7]
            expected_close = None
            if final not in ("paid", "declined", "backed_out") and rng.random() < 0.6:
                expected_close = t.date(max(event.start - rng.randrange(7, 40), 1) if is_open else event.start)
            value = latest.get(d.partner * len(self.events) + d.event)
            self.w.add("deal", {
                "id": d.id, "partner_id": partner.id, "event_id": event.id, "contact_id": contact,
                "owner": rng.choice(OWNERS) if rng.random() < 0.85 else None,
                "status": final, "package_tier": tier, "role": d.role, "amount_cents": amount,
                "expected_close": expected_close,
                "probability_override": rng.choice((25, 40, 60, 75, 90)) if is_open and rng.random() < 0.05 else None,
                "lost_reason": rng.choice(LOST_REASONS) if final in ("declined", "backed_out") and rng.random() < 0.7 else None,
                "notes": rng.choice((
                    "Wants logo on the hoodie.", "Decision maker is the VP.", "Pays by cheque.",
                    "Multi-year interest.", "Asked for a 20% early-bird discount.",
                )) if rng.random() < 0.08 else None,
                "archived": rng.random() < 0.005,
                "created_at": t.stamp(d.created), "updated_at": t.stamp(changed_at),
                "status_changed_at": t.stamp(changed_at),
                "last_activity_at": t.stamp(value) if value else None,
            })
        self.w.flush("deal")
        self.say(f"deals {n:,}")
        # Pass 3: the status history, as change rows with their historical times. Written after
        # the deal inserts, so undo reverses the moves before it removes the deals.
        change = Change.__table__
        command_id = self.uow.command_id
        rows: list[dict[str, Any]] = []
        for d in self.deals:
            for k, at in enumerate(d.steps):
                rows.append({
                    "command_id": command_id, "entity": "deal", "entity_id": d.id,
                    "op": "update", "field": "status",
                    "old": json.dumps(d.path[k]), "new": json.dumps(d.path[k + 1]), "at": t.stamp(at),
                })
            if len(rows) >= CHUNK:
                self.uow.conn.execute(insert(change), rows)
                self.history_rows += len(rows)
                rows = []
        if rows:
            self.uow.conn.execute(insert(change), rows)
            self.history_rows += len(rows)
        for d in self.deals:
            d.path = d.steps = ()  # no longer needed: free the memory
        self.say(f"status changes {self.history_rows:,}")

    # --- activities ----------------------------------------------------------------------------

    def plan_follow_ups(self) -> None:
        """Decide which deals get follow-ups before activities exist, so a follow-up can point at
        the activity it came from (its deal's latest)."""
        rng = self.rng
        total = max(20, int(self.size.deals * 0.3))
        categories, cat_cum = _weighted((("done", 40), ("overdue", 15), ("today", 5), ("soon", 15), ("later", 25)))
        open_deals = [i for i, d in enumerate(self.deals) if d.status in FORWARD[:8] and not self.events[d.event].archived]
        open_order = rng.sample(open_deals, len(open_deals))
        plan = []
        o = 0
        for k in range(total):
            category = ("done", "overdue", "today", "soon", "later")[k] if k < 5 else self.pick(categories, cat_cum)
            r = rng.random()
            if r < 0.1:
                plan.append((category, None))  # general, about the partner
            elif category == "done" or not open_order:
                plan.append((category, rng.randrange(len(self.deals))))
            else:
                plan.append((category, open_order[o % len(open_order)]))
                o += 1
        self.fu_plan = plan
        self.want_activity = {di: None for _, di in plan if di is not None and self.deals[di].n_acts}

    def make_activities(self) -> None:
        rng, t, w = self.rng, self.t, self.w
        self.plan_follow_ups()
        channels, ch_cum = _weighted(CHANNEL_WEIGHTS)
        total = self.size.activities
        planned = sum(d.n_acts for d in self.deals)
        general = max(total - planned, total // 20)
        w.expect("activity", "activities", planned + general)
        want = self.want_activity

        def one(partner: _Partner, contact: str | None, deal_id, event: _Event | None, at: int) -> str:
            channel = self.pick(channels, ch_cum)
            templates = SUBJECTS.get(channel)
            subject = rng.choice(templates) if templates else f"{channel} message"
            subject = subject.format(event=event.name if event else "our events")
            aid = self.uid()
            w.add("activity", {
                "id": aid, "partner_id": partner.id,
                "contact_id": None if channel == "note" else contact,
                "deal_id": deal_id, "event_id": event.id if event else None,
                "channel": channel,
                "direction": "inbound" if channel != "note" and rng.random() < 0.35 else "outbound",
                "occurred_at": t.stamp(at), "subject": subject, "summary": rng.choice(SUMMARIES),
                "source": "manual", "archived": rng.random() < 0.002,
                "created_at": t.stamp(at), "updated_at": t.stamp(at),
            })
            return aid

        for di, d in enumerate(self.deals):
            if not d.n_acts:
                continue
            partner, event = self.partners[d.partner], self.events[d.event]
            for k in range(d.n_acts):
                at = d.act_max if k == 0 else rng.randrange(d.created, d.act_max + 1)
                r = rng.random()
                contact = d.contact if r < 0.7 else (rng.choice(partner.contacts)[0] if partner.contacts and r < 0.85 else None)
                deal_id = d.id if rng.random() < 0.8 else None  # else: about the partner for this event
                aid = one(partner, contact, deal_id, event, at)
                if k == 0 and di in want:
                    want[di] = aid
        lo = t.midnight(-540)
        self.general_activities: list[tuple[int, str]] = []
        for k in range(general):
            pi = int(len(self.partners) * rng.random() ** 1.3)
            partner = self.partners[pi]
            contact = rng.choice(partner.contacts)[0] if partner.contacts and rng.random() < 0.7 else None
            aid = one(partner, contact, None, None, rng.randrange(lo, t.now_cap))
            if k < 200:
                self.general_activities.append((pi, aid))
        w.flush("activity")
        self.say(f"activities {self.counts.get('activity', 0):,}")

    # --- follow-ups ----------------------------------------------------------------------------

    def make_follow_ups(self) -> None:
        rng, t, w = self.rng, self.t, self.w
        w.expect("follow_up", "follow-ups", len(self.fu_plan))
        for category, di in self.fu_plan:
            if category == "done":
                due = -rng.randint(1, 300)
            elif category == "overdue":
                due = -rng.randint(1, 30)
            elif category == "today":
                due = 0
            elif category == "soon":
                due = rng.randint(1, 7)
            else:
                due = rng.randint(8, 90)
            created = min(t.midnight(min(due, 0) - rng.randint(2, 21)) + rng.randrange(9 * HOUR_MS, 18 * HOUR_MS), t.now_cap)
            done_at = None
            if category == "done":
                done_at = min(max(t.midnight(due + rng.randint(-2, 3)) + rng.randrange(9 * HOUR_MS, 18 * HOUR_MS), created + 1), t.now_cap)
            activity_id = deal_id = event_id = None
            if di is not None:
                d = self.deals[di]
                partner = self.partners[d.partner]
                deal_id, event_id = d.id, self.events[d.event].id
                if rng.random() < 0.6:
                    activity_id = self.want_activity.get(di)
            else:
                if self.general_activities and rng.random() < 0.5:
                    pi, activity_id = rng.choice(self.general_activities)
                    partner = self.partners[pi]
                else:
                    partner = self.partners[int(len(self.partners) * rng.random() ** 1.3)]
            w.add("follow_up", {
                "id": self.uid(), "partner_id": partner.id, "deal_id": deal_id,
                "activity_id": activity_id, "event_id": event_id, "due_date": t.date(due),
                "note": rng.choice(FOLLOW_UP_NOTES), "assignee": rng.choice(OWNERS) if rng.random() < 0.8 else None,
                "done_at": t.stamp(done_at) if done_at else None, "archived": False,
                "created_at": t.stamp(created), "updated_at": t.stamp(done_at or created),
            })
        w.flush("follow_up")
        self.say(f"follow-ups {self.counts.get('follow_up', 0):,}")


def generate(
    store: Store,
    *,
    size: str = "small",
    seed: int = 1,
    today: dt.date,
    progress: ProgressFn | None = None,
) -> dict[str, int]:
    """Fill `store` with demo data of `size` ("small" or "large") built from `seed` around `today`,
    as one undoable command. Returns how many of each thing were written."""
    return _Demo(store, size, seed, today, progress).run()
