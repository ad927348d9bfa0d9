"""Store commands: every write the app, CLI, importers and sync make, each one transaction.

A command validates its input (`validate.clean`), checks references, writes through a
`UnitOfWork` (so it lands in the change log) and returns the id it made. Bad input raises
`InvalidInput` naming the field, before anything is written.
"""

from __future__ import annotations

import getpass
import json
import threading
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

from sqlalchemy import Connection, Engine, func, or_, select

from partners_tui.store.changelog import (
    UnitOfWork, Undone, run_command, table, table_models, undo_last,
)
from partners_tui.store.clock import Clock
from partners_tui.store.db import open_database
from partners_tui.store.pipeline import PipelineCommands
from partners_tui.store.settings import SETTINGS, parse_setting
from partners_tui.store.statuses import (
    CUSTOM_PROBABILITY,
    CUSTOM_STALE_AFTER,
    DEFAULT_STATUSES,
    status_key_for,
)
from partners_tui.store.validate import InvalidInput, Problem, check_event_dates, clean

LABELS = {
    "partner": "partner", "contact": "contact", "event": "event", "deal": "deal",
    "activity": "activity", "follow_up": "follow-up", "status": "status",
}


def new_id() -> str:
    return str(uuid.uuid4())


def defaults(entity: str) -> dict[str, Any]:
    """Column defaults of a table model, so bulk writers fill every column."""
    model = table_models().TABLES[entity]
    out = {}
    for name, info in model.model_fields.items():
        if not info.is_required():
            out[name] = info.get_default(call_default_factory=True)
    return out


def new_row(entity: str, values: dict[str, Any], at: str, id: str | None = None) -> dict[str, Any]:
    row = defaults(entity)
    row.update(values)
    if "id" in table_models().TABLES[entity].model_fields and not row.get("id"):
        row["id"] = id or new_id()
    row.setdefault("created_at", at)
    if row.get("created_at") is None:
        row["created_at"] = at
    row.setdefault("updated_at", row["created_at"])
    if row.get("updated_at") is None:
        row["updated_at"] = row["created_at"]
    return row


class Store(PipelineCommands):
    """The database file opened for reading and writing. One per app instance."""

    def __init__(self, engine: Engine, clock: Clock | None = None, who: str | None = None):
        self.engine = engine
        self.clock = clock or Clock()
        self.who = who or _whoami()
        self._active = threading.local()  # the command running in this thread, if any

    @classmethod
    def open(
        cls, path: Path | str, clock: Clock | None = None, who: str | None = None,
        on_upgrade: Callable[[int, int], None] | None = None, cache_kib: int | None = None,
    ) -> "Store":
        """Open (creating and migrating) the database at `path`; `on_upgrade(from, to)` is told
        before an existing database is upgraded to a newer schema; `cache_kib` sets each
        connection's page cache (the app's is larger, see db.APP_CACHE_KIB)."""
        store = cls(open_database(path, on_upgrade, cache_kib), clock=clock, who=who)
        store.seed()
        if clock is None:  # "today" is the team's local date: the configured zone, if any
            store.clock = Clock(tz=store.get_setting("time_zone") or None)
        return store

    def close(self) -> None:
        self.engine.dispose()

    # --- plumbing --------------------------------------------------------------------------

    @contextmanager
    def command(self, name: str, description: str, source: str = "manual") -> Iterator[UnitOfWork]:
        """One transaction and one undo step. A command started inside another (in the same
        thread) joins it, so a form that saves a deal and its next follow-up with two store
        calls inside `with store.command(...)` is still one write and one ctrl+z."""
        outer = getattr(self._active, "uow", None)
        if outer is not None:
            outer.nested += 1
            try:
                yield outer
            finally:
                outer.nested -= 1
            return
        with run_command(
            self.engine, name=name, description=description, at=self.clock.stamp(),
            who=self.who, source=source,
        ) as uow:
            self._active.uow = uow
            try:
                yield uow
            finally:
                self._active.uow = None

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A consistent snapshot for a group of reads."""
        with self.engine.connect() as conn, conn.begin():
            yield conn

    def seed(self) -> None:
        """Insert the default pipeline into a database that has no statuses (idempotent)."""
        with self.read() as conn:  # plain SQL: opening a seeded file needs no table models
            if conn.exec_driver_sql("SELECT EXISTS (SELECT 1 FROM status)").scalar():
                return
        with self.command("seed", "Default pipeline statuses", source="seed") as uow:
            if uow.conn.execute(select(func.count()).select_from(table("status"))).scalar():
                return
            uow.insert_many(
                "status",
                [
                    new_row(
                        "status",
                        {
                            "key": s.key, "label": s.label, "position": i,
                            "probability": s.probability, "secured": s.secured,
                            "closed": s.closed, "stale_after_days": s.stale_after_days,
                        },
                        uow.at,
                    )
                    for i, s in enumerate(DEFAULT_STATUSES)
                ],
            )

    def undo(self) -> Undone:
        return undo_last(self.engine, at=self.clock.stamp(), who=self.who)

    # --- helpers shared by commands ---------------------------------------------------------

    @staticmethod
    def _require(uow: UnitOfWork, entity: str, key: Any, field: str) -> dict[str, Any]:
        row = uow.get(entity, key) if key else None
        if row is None:
            raise InvalidInput(Problem(field, f"no {LABELS[entity]} with id {key!r}"))
        return row

    def resolve_status(self, uow: UnitOfWork, name: str, *, create: bool = True) -> str:
        """The key for a status name, creating an unknown one as a custom open status."""
        key = status_key_for(name)
        if uow.get("status", key) is not None:
            return key
        by_label = uow.conn.execute(
            select(table("status").c.key).where(func.lower(table("status").c.label) == name.strip().lower())
        ).scalar()
        if by_label:
            return by_label
        if not create:
            raise InvalidInput(Problem("status", f"no status {name!r}"))
        position = uow.conn.execute(select(func.max(table("status").c.position))).scalar() or 0
        # Custom statuses sit after the open ones and before the secured/closed ones.
        first_done = uow.conn.execute(
            select(func.min(table("status").c.position)).where(
                or_(table("status").c.secured, table("status").c.closed)
            )
        ).scalar()
        if first_done is not None:
            st = table("status")
            for row in uow.conn.execute(select(st.c.key, st.c.position).where(st.c.position >= first_done)).all():
                uow.update("status", row.key, {"position": row.position + 1}, touch=False)
            position = first_done
        else:
            position += 1
        label = name.strip() if name.strip() and name.strip() != key else key.replace("_", " ").title()
        uow.insert(
            "status",
            new_row(
                "status",
                {
                    "key": key, "label": label, "position": position,
                    "probability": CUSTOM_PROBABILITY, "secured": False, "closed": False,
                    "stale_after_days": CUSTOM_STALE_AFTER,
                },
                uow.at,
            ),
        )
        return key

    def _create(self, uow: UnitOfWork, entity: str, values: dict[str, Any], id: str | None = None) -> str:
        row = new_row(entity, values, uow.at, id=id)
        uow.insert(entity, row)
        return row["id"]

    def _update(self, entity: str, key: str, changes: dict[str, Any], verb: str = "Edit") -> dict:
        values = clean(entity, changes, partial=True)
        with self.command(f"{entity}.update", f"{verb} {LABELS[entity]}") as uow:
            current = self._require(uow, entity, key, "id")
            self._check_refs(uow, entity, {**current, **values}, values)
            diff = uow.update(entity, key, values)
            uow.describe(f"{verb} {LABELS[entity]} {_name_of(uow, entity, current)}")
            return diff

    def _check_refs(self, uow: UnitOfWork, entity: str, merged: dict, changed: dict) -> None:
        refs = {
            "contact": (("partner_id", "partner"),),
            "deal": (("partner_id", "partner"), ("event_id", "event"), ("contact_id", "contact")),
            "activity": (
                ("partner_id", "partner"), ("contact_id", "contact"), ("deal_id", "deal"),
                ("event_id", "event"),
            ),
            "follow_up": (
                ("partner_id", "partner"), ("deal_id", "deal"), ("activity_id", "activity"),
                ("event_id", "event"),
            ),
            "partner": (("parent_id", "partner"),),
        }.get(entity, ())
        for field, target in refs:
            if field in changed and changed[field]:
                self._require(uow, target, changed[field], field)
        if entity == "event":
            check_event_dates(merged)
        if entity == "deal" and "status" in changed:
            self._require(uow, "status", changed["status"], "status")
        if entity == "partner" and changed.get("parent_id"):
            self._check_no_cycle(uow, merged["id"], changed["parent_id"])
        if entity in ("deal", "activity", "follow_up") and merged.get("contact_id") and (
            "contact_id" in changed or "partner_id" in changed
        ):
            contact = uow.get("contact", merged["contact_id"])
            if contact and contact["partner_id"] != merged["partner_id"]:
                raise InvalidInput(Problem("contact_id", "that contact works at another partner"))

    @staticmethod
    def _check_no_cycle(uow: UnitOfWork, partner_id: str | None, parent_id: str) -> None:
        seen, cursor = set(), parent_id
        while cursor:
            if cursor == partner_id or cursor in seen:
                raise InvalidInput(Problem("parent_id", "a partner cannot be its own ancestor"))
            seen.add(cursor)
            row = uow.get("partner", cursor)
            cursor = row["parent_id"] if row else None

    def _set_archived(self, entity: str, key: str, archived: bool) -> bool:
        verb = "Archive" if archived else "Restore"
        with self.command(f"{entity}.{verb.lower()}", f"{verb} {LABELS[entity]}") as uow:
            current = self._require(uow, entity, key, "id")
            uow.describe(f"{verb} {LABELS[entity]} {_name_of(uow, entity, current)}")
            return bool(uow.update(entity, key, {"archived": archived}))

    # --- partners and contacts --------------------------------------------------------------

    def create_partner(self, data: dict[str, Any], id: str | None = None) -> str:
        values = clean("partner", data)
        with self.command("partner.create", f"New partner {values['name']}") as uow:
            if values.get("parent_id"):
                self._require(uow, "partner", values["parent_id"], "parent_id")
            return self._create(uow, "partner", values, id)

    def update_partner(self, key: str, changes: dict[str, Any]) -> dict:
        return self._update("partner", key, changes)

    def archive_partner(self, key: str) -> bool:
        return self._set_archived("partner", key, True)

    def restore_partner(self, key: str) -> bool:
        return self._set_archived("partner", key, False)

    def create_contact(self, data: dict[str, Any], id: str | None = None) -> str:
        values = clean("contact", data)
        with self.command("contact.create", f"New contact {values['name']}") as uow:
            self._check_refs(uow, "contact", values, values)
            return self._create(uow, "contact", values, id)

    def update_contact(self, key: str, changes: dict[str, Any]) -> dict:
        return self._update("contact", key, changes)

    def archive_contact(self, key: str) -> bool:
        return self._set_archived("contact", key, True)

    def restore_contact(self, key: str) -> bool:
        return self._set_archived("contact", key, False)

    # --- events -----------------------------------------------------------------------------

    def create_event(self, data: dict[str, Any], id: str | None = None) -> str:
        values = clean("event", data)
        check_event_dates(values)
        with self.command("event.create", f"New event {values['name']}") as uow:
            return self._create(uow, "event", values, id)

    def update_event(self, key: str, changes: dict[str, Any]) -> dict:
        return self._update("event", key, changes)

    def archive_event(self, key: str) -> bool:
        return self._set_archived("event", key, True)

    def restore_event(self, key: str) -> bool:
        return self._set_archived("event", key, False)

    # --- deals ------------------------------------------------------------------------------

    def create_deal(self, data: dict[str, Any], id: str | None = None) -> str:
        data = dict(data)
        data.setdefault("status", "prospecting")
        values = clean("deal", data)
        with self.command("deal.create", "New deal") as uow:
            values["status"] = self.resolve_status(uow, values["status"])
            self._check_refs(uow, "deal", values, values)
            values.setdefault("status_changed_at", uow.at)
            deal_id = self._create(uow, "deal", values, id)
            uow.describe(f"New deal {_name_of(uow, 'deal', uow.get('deal', deal_id))}")
            return deal_id

    def update_deal(self, key: str, changes: dict[str, Any]) -> dict:
        if "status" in changes:
            raise InvalidInput(Problem("status", "use change_deal_status to move a deal"))
        return self._update("deal", key, changes)

    def change_deal_status(self, key: str, status: str) -> dict:
        """Move a deal to another pipeline step; the move enters the status history."""
        with self.command("deal.change_status", "Change status") as uow:
            deal = self._require(uow, "deal", key, "id")
            new_key = self.resolve_status(uow, status, create=False)
            if new_key == deal["status"]:
                return {}
            old_label = uow.get("status", deal["status"])["label"]
            new_label = uow.get("status", new_key)["label"]
            diff = uow.update("deal", key, {"status": new_key, "status_changed_at": uow.at})
            uow.describe(f"{_name_of(uow, 'deal', deal)}: {old_label} → {new_label}")
            return diff

    def archive_deal(self, key: str) -> bool:
        return self._set_archived("deal", key, True)

    def restore_deal(self, key: str) -> bool:
        return self._set_archived("deal", key, False)

    def delete_deal(self, key: str) -> None:
        """Remove a deal entered by mistake (its follow-ups go too; activities stay). Undoable."""
        with self.command("deal.delete", "Delete deal") as uow:
            deal = self._require(uow, "deal", key, "id")
            uow.describe(f"Delete deal {_name_of(uow, 'deal', deal)}")
            fu, act = table("follow_up"), table("activity")
            for fid in uow.conn.execute(select(fu.c.id).where(fu.c.deal_id == key)).scalars().all():
                uow.delete("follow_up", fid)
            for aid in uow.conn.execute(select(act.c.id).where(act.c.deal_id == key)).scalars().all():
                uow.update("activity", aid, {"deal_id": None}, touch=False)
            uow.delete("deal", key)

    # --- activities and follow-ups ----------------------------------------------------------

    def log_activity(
        self,
        data: dict[str, Any],
        *,
        next_follow_up: str | None = None,
        complete_follow_up: str | None = None,
        status: str | None = None,
        id: str | None = None,
    ) -> str:
        """Log a touchpoint; optionally, in the same command, complete the follow-up it answers,
        schedule the next one and move the deal. One save, one undo."""
        data = dict(data)
        data.setdefault("occurred_at", self.clock.stamp())
        data.setdefault("direction", "outbound")
        values = clean("activity", data)
        next_due = clean("follow_up", {"due_date": next_follow_up}, partial=True).get("due_date") if next_follow_up else None
        with self.command("activity.log", "Log activity") as uow:
            self._check_refs(uow, "activity", values, values)
            if values.get("deal_id") and not values.get("event_id"):
                values["event_id"] = uow.get("deal", values["deal_id"])["event_id"]
            if values.get("deal_id"):
                deal = uow.get("deal", values["deal_id"])
                if deal["partner_id"] != values["partner_id"]:
                    raise InvalidInput(Problem("deal_id", "that deal belongs to another partner"))
            activity_id = self._create(uow, "activity", values, id)
            self._touch_deals(uow, values)
            partner = uow.get("partner", values["partner_id"])
            parts = [f"Log {values['channel']} with {partner['name']}"]
            if complete_follow_up:
                self._complete(uow, complete_follow_up)
                parts.append("follow-up done")
            if next_due:
                self._add_follow_up(
                    uow,
                    {
                        "partner_id": values["partner_id"], "deal_id": values.get("deal_id"),
                        "activity_id": activity_id, "event_id": values.get("event_id"),
                        "due_date": next_due,
                    },
                )
                parts.append(f"next {next_due}")
            if status:
                if not values.get("deal_id"):
                    raise InvalidInput(Problem("status", "choose a deal to change its status"))
                new_key = self.resolve_status(uow, status, create=False)
                deal = uow.get("deal", values["deal_id"])
                if new_key != deal["status"]:
                    uow.update("deal", deal["id"], {"status": new_key, "status_changed_at": uow.at})
                    parts.append(f"status {uow.get('status', new_key)['label']}")
            uow.describe("; ".join(parts))
            return activity_id

    @staticmethod
    def _touch_deals(uow: UnitOfWork, activity: dict[str, Any]) -> None:
        """Restart the stale clock of the deal the activity is on, or its partner's event deals."""
        d = table("deal")
        conditions = []
        if activity.get("deal_id"):
            conditions.append(d.c.id == activity["deal_id"])
        if activity.get("event_id"):
            conditions.append((d.c.partner_id == activity["partner_id"]) & (d.c.event_id == activity["event_id"]))
        if not conditions:
            return
        when = activity["occurred_at"]
        for row in uow.conn.execute(select(d.c.id, d.c.last_activity_at).where(or_(*conditions))).all():
            if row.last_activity_at is None or row.last_activity_at < when:
                uow.update("deal", row.id, {"last_activity_at": when}, touch=False)

    def update_activity(self, key: str, changes: dict[str, Any]) -> dict:
        return self._update("activity", key, changes)

    def delete_activity(self, key: str) -> None:
        """Remove an activity logged by mistake; its deals' stale clocks are recomputed. Undoable."""
        with self.command("activity.delete", "Delete activity") as uow:
            activity = self._require(uow, "activity", key, "id")
            fu, d, a = table("follow_up"), table("deal"), table("activity")
            for fid in uow.conn.execute(select(fu.c.id).where(fu.c.activity_id == key)).scalars().all():
                uow.update("follow_up", fid, {"activity_id": None}, touch=False)
            uow.delete("activity", key)
            conditions = []
            if activity.get("deal_id"):
                conditions.append(d.c.id == activity["deal_id"])
            if activity.get("event_id"):
                conditions.append((d.c.partner_id == activity["partner_id"]) & (d.c.event_id == activity["event_id"]))
            for deal in uow.conn.execute(select(d).where(or_(*conditions))).mappings().all() if conditions else []:
                latest = uow.conn.execute(
                    select(func.max(a.c.occurred_at)).where(
                        or_(a.c.deal_id == deal["id"], (a.c.partner_id == deal["partner_id"]) & (a.c.event_id == deal["event_id"]))
                    )
                ).scalar()
                uow.update("deal", deal["id"], {"last_activity_at": latest}, touch=False)
            partner = uow.get("partner", activity["partner_id"])
            uow.describe(f"Delete {activity['channel']} with {partner['name']}")

    def _add_follow_up(self, uow: UnitOfWork, values: dict[str, Any], id: str | None = None) -> str:
        self._check_refs(uow, "follow_up", values, values)
        if values.get("deal_id"):
            deal = uow.get("deal", values["deal_id"])
            values["event_id"] = deal["event_id"]
        elif values.get("activity_id") and not values.get("event_id"):
            values["event_id"] = uow.get("activity", values["activity_id"])["event_id"]
        return self._create(uow, "follow_up", values, id)

    def add_follow_up(self, data: dict[str, Any], id: str | None = None) -> str:
        values = clean("follow_up", data)
        with self.command("follow_up.add", "Add follow-up") as uow:
            fid = self._add_follow_up(uow, values, id)
            partner = uow.get("partner", values["partner_id"])
            uow.describe(f"Follow up with {partner['name']} on {values['due_date']}")
            return fid

    def _complete(self, uow: UnitOfWork, key: str) -> None:
        follow_up = self._require(uow, "follow_up", key, "follow_up")
        if follow_up["done_at"] is None:
            uow.update("follow_up", key, {"done_at": uow.at})

    def complete_follow_up(self, key: str) -> None:
        with self.command("follow_up.complete", "Complete follow-up") as uow:
            self._complete(uow, key)
            follow_up = uow.get("follow_up", key)
            partner = uow.get("partner", follow_up["partner_id"])
            uow.describe(f"Follow-up with {partner['name']} done")

    def reschedule_follow_up(self, key: str, due_date: str) -> None:
        values = clean("follow_up", {"due_date": due_date}, partial=True)
        if not values.get("due_date"):
            raise InvalidInput(Problem("due_date", "is required"))
        with self.command("follow_up.reschedule", "Reschedule follow-up") as uow:
            follow_up = self._require(uow, "follow_up", key, "follow_up")
            uow.update("follow_up", key, {"due_date": values["due_date"], "done_at": None})
            partner = uow.get("partner", follow_up["partner_id"])
            uow.describe(f"Follow-up with {partner['name']} moved to {values['due_date']}")

    def archive_follow_up(self, key: str) -> bool:
        return self._set_archived("follow_up", key, True)

    def archive_activity(self, key: str) -> bool:
        return self._set_archived("activity", key, True)

    # --- goals and settings -----------------------------------------------------------------

    def set_annual_goal(self, year: int, goal: Any) -> None:
        """An explicit goal for a year (currency units), or None to use the sum of event goals."""
        values = clean("event", {"year": year, "goal": goal}, partial=True)
        with self.command("goal.set", f"Annual goal {year}") as uow:
            current = uow.get("annual_goal", values["year"])
            cents = values.get("goal_cents")
            if cents is None:
                if current:
                    uow.delete("annual_goal", values["year"])
                uow.describe(f"Annual goal {year}: sum of event goals")
            else:
                if current:
                    uow.update("annual_goal", values["year"], {"goal_cents": cents})
                else:
                    uow.insert("annual_goal", {"year": values["year"], "goal_cents": cents, "updated_at": uow.at})
                uow.describe(f"Annual goal {year}: {cents // 100:,}.{cents % 100:02d}")

    def set_setting(self, key: str, value: Any) -> None:
        """Set a team setting; unknown keys and bad values are refused (`settings.SETTINGS`)."""
        value = parse_setting(key, value)
        encoded = json.dumps(value)
        with self.command("setting.set", f"Setting {key} = {value}") as uow:
            if uow.get("setting", key):
                uow.update("setting", key, {"value": encoded})
            else:
                uow.insert("setting", {"key": key, "value": encoded, "updated_at": uow.at})

    def get_setting(self, key: str, default: Any = None) -> Any:
        if default is None and key in SETTINGS:
            default = SETTINGS[key].default
        with self.read() as conn:  # reads in plain SQL need no table models (see table_models)
            raw = conn.exec_driver_sql("SELECT value FROM setting WHERE key = ?", (key,)).scalar()
        return default if raw is None else json.loads(raw)

    def settings(self) -> dict[str, Any]:
        """Every known setting with its current value (the default where none is stored)."""
        with self.read() as conn:
            stored = {k: json.loads(v)
                      for k, v in conn.exec_driver_sql("SELECT key, value FROM setting").all()}
        return {key: stored.get(key, spec.default) for key, spec in SETTINGS.items()}

    def is_empty(self) -> bool:
        """No partners and no events: the app offers demo data or a fresh start."""
        with self.read() as conn:
            return not conn.exec_driver_sql(
                "SELECT EXISTS (SELECT 1 FROM partner) OR EXISTS (SELECT 1 FROM event)"
            ).scalar()


def _name_of(uow: UnitOfWork, entity: str, row: dict[str, Any]) -> str:
    if entity == "deal":
        partner = uow.get("partner", row["partner_id"])
        event = uow.get("event", row["event_id"])
        return f"{partner['name'] if partner else '?'} / {event['name'] if event else '?'}"
    if entity == "follow_up":
        partner = uow.get("partner", row["partner_id"])
        return f"with {partner['name'] if partner else '?'} due {row['due_date']}"
    if entity == "activity":
        partner = uow.get("partner", row["partner_id"])
        return f"{row['channel']} with {partner['name'] if partner else '?'}"
    return str(row.get("name") or row.get("label") or row.get("id"))


def _whoami() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in a container: still record something
        return "unknown"
