"""Push, pull and sync with the team's spreadsheet: the API the CLI and the TUI call.

    sync = SheetsSync.from_config(store)            # NotConfigured if `sheets connect` never ran
    result = sync.sync(progress=show, cancelled=lambda: worker.is_cancelled)
    result.summary()                                 # one line for a person

No Textual here: a TUI runs these in a thread worker and passes a `progress` callback (called
from that thread: hop to the UI with `call_from_thread`) and a `cancelled` check (polled between
steps and during retry waits). Every outcome, failures included, is recorded in the database's
sync status (`sheets status`, the Overview's sync block, `report --json`). A failed or cancelled
operation leaves local data as it was: a pull writes in one transaction, after every network read.

API calls: push = metadata + (tab creation/sizing, only when needed) + one values write (≤ 3);
pull = metadata + one batch read (+ one write of new rows' ids, only when there are such rows);
sync = pull then push sharing the metadata (≤ 5).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass
from typing import Any, Callable

import requests
from sqlalchemy import select

from partners_tui.store.commands import Store
from partners_tui.sync import state
from partners_tui.sync.errors import (
    NoKeyring, NotConfigured, PermissionDenied, SheetTooLarge, SyncCancelled, SyncError,
    WouldOverwrite,
)
from partners_tui.sync.gateway import SheetInfo, SheetsGateway, quote_title, tab_requests
from partners_tui.sync.pull_plan import PullPlan, RowProblem, plan_pull
from partners_tui.sync.push_plan import (
    build_push, count_cells, plan_shapes, planned_shapes, too_many_cells_message,
)
from partners_tui.sync.retry import RetryPolicy
from partners_tui.sync.secrets import Secret, keyring_available, load_secret, no_keyring_message, save_secret
from partners_tui.sync.settings import (
    DEFAULT_TABS, ENTITY_TABS, SheetsSettings, load_settings, parse_spreadsheet_id, save_settings,
)
from partners_tui.sync.tabs import column_letter, headers

log = logging.getLogger(__name__)

PROBLEMS_KEPT = 200  # bad rows remembered for `sheets status` after a pull
AFTER_CHANGE_SECONDS = 30  # with auto-sync on, the app syncs this long after the last local change


def auto_sync_due(
    settings: SheetsSettings | None,
    *,
    now: float,
    last_attempt: float | None,
    last_local_change: float | None,
) -> bool:
    """Whether the app should start a sync now (times are `time.monotonic()` seconds).

    Auto-sync is off unless `sheets auto-sync MINUTES` set an interval. Then: every MINUTES,
    and AFTER_CHANGE_SECONDS after a local change made since the last attempt (so a burst of
    edits is pushed once, shortly after it ends)."""
    if settings is None or not settings.auto_sync_minutes:
        return False
    if last_attempt is None:
        return True
    if now - last_attempt >= settings.auto_sync_minutes * 60:
        return True
    return (
        last_local_change is not None and last_local_change > last_attempt
        and now - last_local_change >= AFTER_CHANGE_SECONDS
    )


@dataclass(frozen=True)
class SyncProgress:
    """Where a running push/pull/sync is: `step` of `steps`, and what it is doing."""

    action: str
    step: int
    steps: int
    message: str

    @property
    def fraction(self) -> float:
        return min(self.step / self.steps, 1.0) if self.steps else 0.0


ProgressFn = Callable[[SyncProgress], None]
CancelledFn = Callable[[], bool]


@dataclass(frozen=True)
class PushSummary:
    rows: dict[str, int]  # tab title → data rows written
    cells: int
    tabs_created: tuple[str, ...] = ()

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


@dataclass(frozen=True)
class PullSummary:
    rows: int  # data rows read from the entity tabs
    created: int = 0
    updated: int = 0
    archived: int = 0
    conflicts: int = 0
    ids_written: int = 0
    problems: tuple[RowProblem, ...] = ()
    missing_tabs: tuple[str, ...] = ()  # not in the spreadsheet (a push creates them)


@dataclass(frozen=True)
class SyncResult:
    action: str  # push / pull / sync
    push: PushSummary | None = None
    pull: PullSummary | None = None
    api_calls: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        parts = []
        if self.pull is not None:
            p = self.pull
            parts.append(
                f"pulled {p.rows:,} rows: {p.created:,} new, {p.updated:,} changed, "
                f"{p.archived:,} archived, {p.conflicts:,} conflicts"
                + (f", {len(p.problems):,} bad rows skipped" if p.problems else "")
            )
        if self.push is not None:
            parts.append(f"pushed {self.push.total_rows:,} rows ({self.push.cells:,} cells)")
        return "; ".join(parts) + f" in {self.api_calls} API calls"


@dataclass(frozen=True)
class ConnectResult:
    spreadsheet_id: str
    title: str
    account: str
    secret_store: str  # keyring / file
    tabs_created: tuple[str, ...]


class _Steps:
    def __init__(self, action: str, steps: int, progress: ProgressFn | None, cancelled: CancelledFn):
        self.action, self.steps, self.progress, self.cancelled = action, steps, progress, cancelled
        self.step = 0
        self.pulled: PullSummary | None = None  # set once a sync's pull part is saved

    def __call__(self, message: str, last: bool = False) -> None:
        if self.cancelled():
            raise SyncCancelled()
        self.step = self.steps if last else min(self.step + 1, self.steps - 1)
        if self.progress is not None:
            self.progress(SyncProgress(self.action, self.step, self.steps, message))


class SheetsSync:
    """One store + one spreadsheet. Cheap to make; each operation opens its own connection."""

    def __init__(
        self,
        store: Store,
        settings: SheetsSettings,
        *,
        secret: Secret | None = None,
        session: requests.Session | None = None,
        policy: RetryPolicy | None = None,
    ):
        self.store = store
        self.settings = settings
        self._secret = secret
        self._session = session
        self._policy = policy

    @classmethod
    def from_config(cls, store: Store, **kwargs: Any) -> "SheetsSync":
        settings = load_settings()
        if settings is None:
            raise NotConfigured()
        return cls(store, settings, **kwargs)

    # --- the operations -------------------------------------------------------------------

    def push(self, *, activities_days: int | None = None, force: bool = False,
             progress: ProgressFn | None = None, cancelled: CancelledFn | None = None) -> SyncResult:
        """Write every tab from this database (the sheet's unpulled edits are replaced: use
        `sync` to merge them first). `activities_days`: only that many days of activities
        (default: the connection's setting; 0 = all). A database that never synced with this
        sheet will not replace rows already in it unless `force` (WouldOverwrite)."""
        return self._run("push", 6, progress, cancelled,
                         lambda gw, steps: self._push_body(gw, steps, None, None, activities_days, force))

    def pull(self, *, progress: ProgressFn | None = None, cancelled: CancelledFn | None = None) -> SyncResult:
        """Merge the sheet's edits into this database (one transaction)."""
        return self._run("pull", 5, progress, cancelled, lambda gw, steps: self._pull_body(gw, steps))

    def sync(self, *, activities_days: int | None = None, progress: ProgressFn | None = None,
             cancelled: CancelledFn | None = None) -> SyncResult:
        """Pull (merge the sheet's edits here), then push the merged result."""

        def body(gw: SheetsGateway, steps: _Steps) -> tuple[PushSummary | None, PullSummary | None]:
            _, pull, info, plan = self._pull_body(gw, steps, keep_info=True)
            push, _ = self._push_body(gw, steps, info, plan, activities_days)
            return push, pull

        return self._run("sync", 9, progress, cancelled, body)

    # --- reading the status ---------------------------------------------------------------

    def status(self):
        from partners_tui.store.queries.sync import sheets_health

        with self.store.read() as conn:
            return sheets_health(conn, self.settings)

    def conflicts(self, include_reviewed: bool = False, limit: int | None = None) -> list[state.ConflictRecord]:
        with self.store.read() as conn:
            return state.list_conflicts(conn, include_reviewed, limit)

    def mark_conflicts_reviewed(self, ids: list[int] | None = None) -> int:
        with state.write_tx(self.store.engine) as conn:
            return state.mark_reviewed(conn, ids)

    def last_problems(self) -> list[str]:
        with self.store.read() as conn:
            pull = state.get_state(conn, "pull") or {}
        return list(pull.get("problems") or [])

    # --- internals ------------------------------------------------------------------------

    def _gateway(self, cancelled: CancelledFn) -> SheetsGateway:
        secret = self._secret
        from partners_tui.sync import gateway as gateway_module

        if secret is None and self._session is None and gateway_module.session_factory is None:
            secret = load_secret(self.settings.secret_store)
            if secret is None:
                raise NotConfigured(
                    "The Google credential is missing (disconnected, or the keyring was reset). "
                    "Run `partners-tui sheets connect` again."
                )
        gw = SheetsGateway.open(self.settings.spreadsheet_id, secret, session=self._session, policy=self._policy)
        gw.set_cancel_check(cancelled)
        return gw

    def _run(self, action: str, steps: int, progress: ProgressFn | None, cancelled: CancelledFn | None,
             body: Callable[[SheetsGateway, _Steps], Any]) -> SyncResult:
        cancelled = cancelled or (lambda: False)
        started = time.monotonic()
        gw: SheetsGateway | None = None
        tracker = _Steps(action, steps, progress, cancelled)
        try:
            self._adopt_spreadsheet()
            gw = self._gateway(cancelled)
            out = body(gw, tracker)
        except SyncCancelled as exc:
            self._record_failure(action, exc, tracker)
            raise
        except PermissionDenied as exc:
            who = self.settings.account or "the connected account"
            err = PermissionDenied(
                f"Permission denied: {who} cannot edit this spreadsheet. Share it with {who} as an "
                "Editor, then sync again. Your changes are kept here."
            )
            self._record_failure(action, err, tracker)
            raise err from exc
        except SyncError as exc:
            self._record_failure(action, exc, tracker)
            raise
        except Exception as exc:
            log.exception("sheets %s failed", action)
            err = SyncError(f"The {action} failed unexpectedly ({type(exc).__name__}: {exc}); nothing was changed here.")
            self._record_failure(action, err, tracker)
            raise err from exc
        if action == "push":
            push, pull = out[0], None
        elif action == "pull":
            push, pull = None, out[1]
        else:
            push, pull = out
        result = SyncResult(action, push, pull, gw.calls.count, time.monotonic() - started)
        self._record_success(result)
        return result

    def _adopt_spreadsheet(self) -> None:
        """The merge base belongs to one spreadsheet: another one starts from an empty base."""
        with state.write_tx(self.store.engine) as conn:
            current = state.get_state(conn, "spreadsheet_id")
            if current != self.settings.spreadsheet_id:
                state.clear_base(conn)
                state.clear_conflicts(conn)
                state.set_state(conn, "spreadsheet_id", self.settings.spreadsheet_id, self.store.clock.stamp())
                state.set_state(conn, "push_watermark", 0, self.store.clock.stamp())

    def _tables(self, info: SheetInfo) -> list[tuple[str, str, bool]]:
        return [(e, self.settings.tab(e), self.settings.tab(e) in info.tabs) for e in ENTITY_TABS]

    def _pull_body(self, gw: SheetsGateway, steps: _Steps, keep_info: bool = False):
        steps("Reading the spreadsheet's tabs")
        info = gw.metadata()
        tabs = self._tables(info)
        steps("Reading every tab")
        data = gw.read([title for _, title, present in tabs if present])
        tables = {e: (title, data.pop(title, []) if present else None) for e, title, present in tabs}
        del data
        at = self.store.clock.stamp()
        steps("Merging the sheet's edits")
        with self.store.read() as conn:
            plan = plan_pull(conn, tables, self.store.clock, at)
        if steps.cancelled():
            raise SyncCancelled()
        ids_written = self._write_back_ids(gw, plan)
        from partners_tui.store.sync_apply import apply_pull

        counts = apply_pull(self.store, plan, cancelled=steps.cancelled)
        summary = PullSummary(
            rows=sum(p.rows for p in plan.entities.values()),
            created=counts["created"], updated=counts["updated"], archived=counts["archived"],
            conflicts=counts["conflicts"], ids_written=ids_written, problems=tuple(plan.problems),
            missing_tabs=tuple(plan.missing_tabs),
        )
        steps.pulled = summary
        steps("Pulled", last=steps.action == "pull")
        return None, summary, info, plan

    def _write_back_ids(self, gw: SheetsGateway, plan: PullPlan) -> int:
        """Give rows typed into the sheet their new ids before anything is saved here, so a
        failure in between can never make the next pull add them twice."""
        blocks = []
        for ep in plan.entities.values():
            for row, key in ep.writeback:
                blocks.append((f"{quote_title(ep.title)}!{column_letter(ep.id_column + 1)}{row}", [[key]]))
                if ep.updated_column is not None:
                    blocks.append(
                        (f"{quote_title(ep.title)}!{column_letter(ep.updated_column + 1)}{row}", [[plan.at]])
                    )
        if blocks:
            gw.write(blocks)
        return sum(len(ep.writeback) for ep in plan.entities.values())

    def _push_body(self, gw: SheetsGateway, steps: _Steps, info: SheetInfo | None,
                   pulled: PullPlan | None, activities_days: int | None, force: bool = True):
        if info is None:
            steps("Reading the spreadsheet's tabs")
            info = gw.metadata()
        if not force:
            self._refuse_blind_overwrite(info)
        days = self.settings.activities_days if activities_days is None else (activities_days or None)
        since = self.store.clock.today() - dt.timedelta(days=days) if days else None
        steps("Counting cells")
        keep = pulled.entities if pulled else None
        with self.store.read() as conn:
            count = count_cells(planned_shapes(conn, self.settings, self.store.clock, since=since, keep=keep),
                                info, since)
            if not count.fits:
                raise SheetTooLarge(too_many_cells_message(conn, count, self.store.clock))
            steps("Reading the rows to push")
            plan = build_push(conn, self.settings, self.store.clock, since=since, keep=keep)
            count = count_cells(plan_shapes(plan), info, since)
        requests_: list[dict[str, Any]] = []
        created = []
        next_id = info.next_sheet_id()
        for tab in plan.tabs:
            if tab.title not in info.tabs:
                created.append(tab.title)
                requests_ += tab_requests(info, tab.title, tab.grid_rows, tab.width, sheet_id=next_id)
                next_id += 1
            else:
                requests_ += tab_requests(info, tab.title, tab.grid_rows, tab.width)
        if requests_:
            steps("Preparing tabs")
            gw.structure(requests_)
        steps(f"Writing {plan.rows():,} rows")
        gw.write([(f"{quote_title(t.title)}!A1", t.block()) for t in plan.tabs])
        with state.write_tx(self.store.engine) as conn:
            for tab in plan.tabs:
                if tab.base is not None:
                    state.replace_base(conn, tab.key, tab.base)
            state.set_state(conn, "push_watermark", plan.watermark, self.store.clock.stamp())
        steps("Pushed", last=True)
        return PushSummary({t.title: len(t.rows) for t in plan.tabs}, count.total, tuple(created)), None

    def _refuse_blind_overwrite(self, info: SheetInfo) -> None:
        """A teammate's rows must not vanish because someone pushed a database that never met
        them (a new laptop, the wrong --db): that push would replace them all."""
        with self.store.read() as conn:
            synced_before = conn.execute(select(state.ROW.c.entity_id).limit(1)).first() is not None
        if synced_before:
            return
        filled = [t for e in ENTITY_TABS if (t := info.tabs.get(self.settings.tab(e))) and t.rows > 2]
        if filled:
            raise WouldOverwrite(
                "This database has never synced with this spreadsheet, and the spreadsheet already "
                f"holds rows ({', '.join(t.title for t in filled)}). A push would replace them. Run "
                "`partners-tui sheets sync` to merge both, or push with --force to replace the sheet."
            )

    # --- status records -------------------------------------------------------------------

    def _record_success(self, result: SyncResult) -> None:
        at = self.store.clock.stamp()
        with state.write_tx(self.store.engine) as conn:
            if result.push is not None:
                state.set_state(conn, "push", {
                    "at": at, "result": "ok", "rows": result.push.total_rows,
                    "cells": result.push.cells, "message": result.summary(),
                }, at)
            if result.pull is not None:
                p = result.pull
                state.set_state(conn, "pull", {
                    "at": at, "result": "ok", "rows": p.rows, "created": p.created,
                    "updated": p.updated, "archived": p.archived, "conflicts": p.conflicts,
                    "problems": [str(x) for x in p.problems[:PROBLEMS_KEPT]],
                    "problem_count": len(p.problems), "message": result.summary(),
                }, at)
            state.set_state(conn, "connection", "connected", at)
            state.set_state(conn, "last_error", None, at)

    def _record_failure(self, action: str, exc: SyncError, tracker: _Steps) -> None:
        at = self.store.clock.stamp()
        result = "cancelled" if isinstance(exc, SyncCancelled) else "failed"
        parts: tuple[str, ...] = ("push", "pull") if action == "sync" else (action,)
        if action == "sync" and tracker.pulled is not None:  # the pull half was saved
            self._record_success(SyncResult("pull", None, tracker.pulled))
            parts = ("push",)
        try:
            with state.write_tx(self.store.engine) as conn:
                for part in parts:
                    previous = state.get_state(conn, part) or {}
                    state.set_state(conn, part, {
                        **{k: v for k, v in previous.items() if k in ("problems", "problem_count")},
                        "at": at, "result": result, "rows": None, "message": exc.message,
                        "kind": exc.kind,
                    }, at)
                if isinstance(exc, (SheetTooLarge, WouldOverwrite)):
                    state.set_state(conn, "connection", "connected", at)
                elif not isinstance(exc, SyncCancelled):
                    state.set_state(conn, "connection", "unreachable", at)
                if not isinstance(exc, SyncCancelled):
                    state.set_state(conn, "last_error", {"at": at, "kind": exc.kind, "message": exc.message}, at)
        except Exception:  # the status is a courtesy: never hide the real error behind it
            log.exception("could not record the sync status")


# --- connecting ----------------------------------------------------------------------------


def connect(
    store: Store,
    spreadsheet: str,
    secret: Secret,
    *,
    store_secret_in_file: bool = False,
    session: requests.Session | None = None,
    policy: RetryPolicy | None = None,
) -> ConnectResult:
    """Check access, create missing tabs with their headers, then keep the secret and settings."""
    try:
        spreadsheet_id = parse_spreadsheet_id(spreadsheet)
    except ValueError as exc:
        raise SyncError(str(exc)) from None
    if not store_secret_in_file and not keyring_available():
        raise NoKeyring(no_keyring_message())  # before touching the sheet: nothing half-done
    gw = SheetsGateway.open(spreadsheet_id, secret, session=session, policy=policy)
    try:
        info = gw.metadata()
    except PermissionDenied:
        raise PermissionDenied(
            f"Permission denied: {secret.account} cannot open this spreadsheet. Share it with "
            f"{secret.account} as an Editor, then run connect again."
        ) from None
    missing = [key for key in DEFAULT_TABS if DEFAULT_TABS[key] not in info.tabs]
    if missing:
        from partners_tui.sync.tabs import PIPELINE_HEADERS

        requests_: list[dict[str, Any]] = []
        blocks = []
        next_id = info.next_sheet_id()
        for key in missing:
            title = DEFAULT_TABS[key]
            header = list(PIPELINE_HEADERS) if key == "pipeline" else headers(key)
            requests_ += tab_requests(info, title, 2, len(header), sheet_id=next_id)
            next_id += 1
            blocks.append((f"{quote_title(title)}!A1", [header]))
        gw.structure(requests_)
        gw.write(blocks)
    where = save_secret(secret, in_file=store_secret_in_file)
    settings = SheetsSettings(
        spreadsheet_id=spreadsheet_id, secret_store=where, auth_kind=secret.kind,
        account=secret.account, title=info.title,
    )
    previous = load_settings()
    if previous is not None and previous.spreadsheet_id == spreadsheet_id:
        settings = settings.with_(tabs=previous.tabs, auto_sync_minutes=previous.auto_sync_minutes,
                                  activities_days=previous.activities_days)
    save_settings(settings)
    at = store.clock.stamp()
    with state.write_tx(store.engine) as conn:
        state.set_state(conn, "connection", "connected", at)
        state.set_state(conn, "last_error", None, at)
    return ConnectResult(spreadsheet_id, info.title, secret.account, where,
                         tuple(DEFAULT_TABS[k] for k in missing))


def disconnect() -> tuple[bool, bool]:
    """Forget the credential and the spreadsheet link. Returns (secret removed, link removed).
    The database keeps its merge base, so reconnecting to the same sheet carries on."""
    from partners_tui.sync.secrets import delete_secret
    from partners_tui.sync.settings import clear_settings

    return delete_secret(), clear_settings()
