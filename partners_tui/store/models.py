"""SQLModel tables: the shape of the database after every migration has run.

The DDL that creates and evolves the file lives in `migrations.py`; a test checks the two agree.
Table models do not validate (SQLModel skips it for `table=True`): input goes through
`validate.py` before it reaches a command. Money is integer cents, dates `YYYY-MM-DD` text,
timestamps UTC text `YYYY-MM-DDTHH:MM:SS.fffZ` (fixed width, so text order is time order).
"""

from typing import Optional

from sqlmodel import Field, SQLModel


class Partner(SQLModel, table=True):
    __tablename__ = "partner"
    id: str = Field(primary_key=True)
    name: str
    parent_id: Optional[str] = Field(default=None, foreign_key="partner.id")
    industry: Optional[str] = None
    website: Optional[str] = None
    linkedin: Optional[str] = None
    tier: Optional[str] = None
    tags: str = ""  # comma-separated, as typed
    notes: Optional[str] = None
    is_alumni: bool = False
    archived: bool = False
    created_at: str
    updated_at: str


class Contact(SQLModel, table=True):
    __tablename__ = "contact"
    id: str = Field(primary_key=True)
    partner_id: str = Field(foreign_key="partner.id")
    name: str
    title: Optional[str] = None
    email: Optional[str] = None
    phone: Optional[str] = None
    linkedin: Optional[str] = None
    strength: Optional[int] = None  # relationship strength 1-10
    influence: Optional[str] = None  # decision_maker / influencer / user / gatekeeper
    is_primary: bool = False
    notes: Optional[str] = None
    archived: bool = False
    created_at: str
    updated_at: str


class Event(SQLModel, table=True):
    __tablename__ = "event"
    id: str = Field(primary_key=True)
    name: str
    year: int
    outreach_start: Optional[str] = None
    start_date: Optional[str] = None
    end_date: Optional[str] = None
    goal_cents: Optional[int] = None
    tier_presets: str = "[]"  # JSON list of {"label", "amount_cents"}, at most 12
    notes: Optional[str] = None
    archived: bool = False
    created_at: str
    updated_at: str


class Status(SQLModel, table=True):
    __tablename__ = "status"
    key: str = Field(primary_key=True)
    label: str
    position: int
    probability: int
    secured: bool = False
    closed: bool = False
    stale_after_days: Optional[int] = None
    archived: bool = False
    created_at: str
    updated_at: str


class Deal(SQLModel, table=True):
    __tablename__ = "deal"
    id: str = Field(primary_key=True)
    partner_id: str = Field(foreign_key="partner.id")
    event_id: str = Field(foreign_key="event.id")
    contact_id: Optional[str] = Field(default=None, foreign_key="contact.id")
    owner: Optional[str] = None
    status: str = Field(foreign_key="status.key")
    package_tier: Optional[str] = None
    role: Optional[str] = None
    amount_cents: Optional[int] = None
    expected_close: Optional[str] = None
    probability_override: Optional[int] = None
    lost_reason: Optional[str] = None
    notes: Optional[str] = None
    archived: bool = False
    created_at: str
    updated_at: str
    status_changed_at: Optional[str] = None
    # Latest activity logged on this deal or on its partner for its event (the stale clock).
    last_activity_at: Optional[str] = None


class Activity(SQLModel, table=True):
    __tablename__ = "activity"
    id: str = Field(primary_key=True)
    partner_id: str = Field(foreign_key="partner.id")
    contact_id: Optional[str] = Field(default=None, foreign_key="contact.id")
    deal_id: Optional[str] = Field(default=None, foreign_key="deal.id")
    event_id: Optional[str] = Field(default=None, foreign_key="event.id")
    channel: str
    direction: str = "outbound"
    occurred_at: str
    subject: Optional[str] = None
    summary: Optional[str] = None
    source: str = "manual"
    archived: bool = False
    created_at: str
    updated_at: str


class FollowUp(SQLModel, table=True):
    __tablename__ = "follow_up"
    id: str = Field(primary_key=True)
    partner_id: str = Field(foreign_key="partner.id")
    deal_id: Optional[str] = Field(default=None, foreign_key="deal.id")
    activity_id: Optional[str] = Field(default=None, foreign_key="activity.id")
    # The deal's event, else the activity's event, else none (a general follow-up).
    event_id: Optional[str] = Field(default=None, foreign_key="event.id")
    due_date: str
    note: Optional[str] = None
    assignee: Optional[str] = None
    done_at: Optional[str] = None
    archived: bool = False
    created_at: str
    updated_at: str


class AnnualGoal(SQLModel, table=True):
    __tablename__ = "annual_goal"
    year: int = Field(primary_key=True)
    goal_cents: int
    updated_at: str


class Setting(SQLModel, table=True):
    __tablename__ = "setting"
    key: str = Field(primary_key=True)
    value: str  # JSON
    updated_at: str


class Command(SQLModel, table=True):
    """One user-visible write (one transaction); the unit of undo."""

    __tablename__ = "command"
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str  # machine name, e.g. "deal.change_status"
    description: str  # what a person reads, e.g. "Acme: Pitched → Confirmed"
    at: str
    who: str
    source: str = "manual"  # manual / import / demo / sync / undo
    undone_by: Optional[int] = None  # id of the undo command that reversed this one


class Change(SQLModel, table=True):
    """One row inserted, one field updated, or one row deleted by a command."""

    __tablename__ = "change"
    id: Optional[int] = Field(default=None, primary_key=True)
    command_id: int = Field(foreign_key="command.id")
    entity: str  # table name
    entity_id: str
    op: str  # insert / update / delete
    field: Optional[str] = None  # for update
    old: Optional[str] = None  # JSON: the old value (update) or the whole row (delete)
    new: Optional[str] = None  # JSON: the new value (update); inserts keep no copy
    at: str  # when the change took effect (historical for imported status history)


class SyncRow(SQLModel, table=True):
    """The values of one record as last seen in both the sheet and here: the merge base."""

    __tablename__ = "sync_row"
    entity: str = Field(primary_key=True)
    entity_id: str = Field(primary_key=True)
    sheet_values: str  # JSON array: the row's cells (id, fields, updated_at) as last synced


class SyncState(SQLModel, table=True):
    """Sheets sync status (last push, last pull, errors, push watermark), one JSON value a key."""

    __tablename__ = "sync_state"
    key: str = Field(primary_key=True)
    value: str  # JSON
    updated_at: str


class SyncConflict(SQLModel, table=True):
    """A field changed both here and in the sheet since the last sync, and which side was kept."""

    __tablename__ = "sync_conflict"
    id: Optional[int] = Field(default=None, primary_key=True)
    at: str
    entity: str
    entity_id: str
    label: str = ""
    field: str
    local_value: Optional[str] = None  # JSON
    sheet_value: Optional[str] = None  # JSON
    kept: str  # local / sheet
    local_updated_at: Optional[str] = None
    sheet_updated_at: Optional[str] = None
    reviewed: bool = False


TABLES = {
    m.__tablename__: m
    for m in (Partner, Contact, Event, Status, Deal, Activity, FollowUp, AnnualGoal, Setting)
}
"""Entity tables a command may write, by name."""
