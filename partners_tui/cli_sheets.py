"""`sheets` subcommands: connect, disconnect, push, pull, sync, status, conflicts.

The same `sync.service` the TUI's sync block runs in a worker. Failures print one plain-language
line and exit 1; nothing local is changed by a failed push, pull or sync.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from partners_tui.store.clock import parse_stamp


def _service(obj, store=None):
    from partners_tui.sync.errors import NotConfigured
    from partners_tui.sync.service import SheetsSync

    try:
        return SheetsSync.from_config(store or obj.store())
    except NotConfigured as exc:
        raise click.ClickException(exc.message) from None


def _progress(update) -> None:
    click.echo(f"  [{update.step}/{update.steps}] {update.message}", err=True)


def _when(store, stamp: str | None) -> str:
    if not stamp:
        return "never"
    return store.clock.to_local(parse_stamp(stamp)).strftime("%Y-%m-%d %H:%M")


def _run(obj, action: str, **kwargs) -> None:
    from partners_tui.sync.errors import SyncError

    store = obj.store()
    service = _service(obj, store)
    try:
        result = getattr(service, action)(progress=_progress, **kwargs)
    except SyncError as exc:
        raise click.ClickException(exc.message) from None
    except KeyboardInterrupt:
        click.echo("Cancelled; nothing was changed here.", err=True)
        sys.exit(130)
    click.echo(f"{action.capitalize()} done: {result.summary()}.")
    if result.pull is not None:
        if result.pull.missing_tabs and result.push is None:
            click.echo("  tabs not in the spreadsheet (a push creates them): " + ", ".join(result.pull.missing_tabs), err=True)
        for problem in result.pull.problems:
            click.echo(f"  skipped: {problem}", err=True)
        if result.pull.conflicts:
            click.echo(f"  {result.pull.conflicts} conflict(s): see `partners-tui sheets conflicts`.", err=True)


@click.group("sheets")
def sheets_group() -> None:
    """Keep the team's Google Sheet in step with this database."""


@sheets_group.command("connect")
@click.option("--spreadsheet", required=True, help="The spreadsheet's URL or id.")
@click.option("--service-account", "key_file", type=click.Path(exists=True, dir_okay=False),
              help="A service-account key JSON (share the sheet with its client_email).")
@click.option("--oauth", "oauth_file", type=click.Path(exists=True, dir_okay=False),
              help="An OAuth client JSON (opens a browser to sign in) or a saved user token.")
@click.option("--store-secret-in-file", is_flag=True,
              help="No keyring here: keep the credential in a file only you can read (mode 0600).")
@click.pass_obj
def connect_cmd(obj, spreadsheet: str, key_file: str | None, oauth_file: str | None,
                store_secret_in_file: bool) -> None:
    """Check access to the spreadsheet, create its tabs, and keep the credential in the keyring."""
    from partners_tui.sync.errors import SyncError
    from partners_tui.sync.secrets import oauth_sign_in, secret_from_file
    from partners_tui.sync.service import connect

    if bool(key_file) == bool(oauth_file):
        raise click.UsageError("give exactly one of --service-account KEY.json or --oauth CLIENT.json")
    store = obj.store()
    try:
        secret = secret_from_file(Path(key_file), "service_account") if key_file else oauth_sign_in(Path(oauth_file))
        result = connect(store, spreadsheet, secret, store_secret_in_file=store_secret_in_file)
    except SyncError as exc:
        raise click.ClickException(exc.message) from None
    where = "the system keyring" if result.secret_store == "keyring" else "a private file (mode 0600)"
    click.echo(f"Connected to \"{result.title}\" ({result.spreadsheet_id}) as {result.account}.")
    click.echo(f"The credential is kept in {where}; the config file holds only the spreadsheet id.")
    if result.tabs_created:
        click.echo("Created tabs: " + ", ".join(result.tabs_created))
    click.echo("Next: `partners-tui sheets sync`.")


@sheets_group.command("disconnect")
def disconnect_cmd() -> None:
    """Remove the stored credential and forget the spreadsheet (the sheet itself is untouched)."""
    from partners_tui.sync.service import disconnect

    secret, link = disconnect()
    if not secret and not link:
        click.echo("Google Sheets was not connected.")
        return
    click.echo("Disconnected: the credential was removed" + (" and the spreadsheet forgotten." if link else "."))


def _activities_option(f):
    f = click.option("--all-activities", is_flag=True, help="Push every activity (forget --activities-days).")(f)
    return click.option("--activities-days", type=click.IntRange(min=1), default=None,
                        help="Push only the last N days of activities (remembered).")(f)


def _remember_days(activities_days: int | None, all_activities: bool) -> int | None:
    """Apply and remember the Activities narrowing; returns what to pass to the service."""
    from partners_tui.sync.settings import load_settings, save_settings

    if activities_days is None and not all_activities:
        return None
    settings = load_settings()
    if settings is not None:
        save_settings(settings.with_(activities_days=None if all_activities else activities_days))
    return 0 if all_activities else activities_days


@sheets_group.command("push")
@_activities_option
@click.option("--force", is_flag=True, help="Replace a sheet this database never synced with.")
@click.pass_obj
def push_cmd(obj, activities_days: int | None, all_activities: bool, force: bool) -> None:
    """Write every tab from this database (replaces the sheet's unpulled edits; `sync` merges)."""
    _run(obj, "push", activities_days=_remember_days(activities_days, all_activities), force=force)


@sheets_group.command("pull")
@click.pass_obj
def pull_cmd(obj) -> None:
    """Merge the sheet's edits into this database (one transaction, undoable)."""
    _run(obj, "pull")


@sheets_group.command("sync")
@_activities_option
@click.pass_obj
def sync_cmd(obj, activities_days: int | None, all_activities: bool) -> None:
    """Pull the sheet's edits, then push the merged result."""
    _run(obj, "sync", activities_days=_remember_days(activities_days, all_activities))


@sheets_group.command("auto-sync")
@click.argument("minutes", metavar="MINUTES|off")
def auto_sync_cmd(minutes: str) -> None:
    """Let the app sync by itself every MINUTES minutes (and shortly after local changes)."""
    from partners_tui.sync.settings import load_settings, save_settings

    settings = load_settings()
    if settings is None:
        raise click.ClickException("Google Sheets is not connected: run `partners-tui sheets connect` first.")
    if minutes.lower() in ("off", "0", "no"):
        save_settings(settings.with_(auto_sync_minutes=None))
        click.echo("Auto-sync off: the app syncs only when asked.")
        return
    try:
        value = int(minutes)
        if not 1 <= value <= 1440:
            raise ValueError
    except ValueError:
        raise click.BadParameter("a number of minutes from 1 to 1440, or off", param_hint="MINUTES") from None
    save_settings(settings.with_(auto_sync_minutes=value))
    click.echo(f"Auto-sync every {value} minutes while the app is open.")


@sheets_group.command("status")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def status_cmd(obj, as_json: bool) -> None:
    """Connection, last push and pull, changes waiting, last error, bad rows of the last pull."""
    from dataclasses import asdict

    from partners_tui.store.queries.sync import sheets_health
    from partners_tui.sync.state import get_state

    store = obj.store()
    with store.read() as conn:
        health = sheets_health(conn)
        problems = (get_state(conn, "pull") or {}).get("problems") or []
    if as_json:
        click.echo(json.dumps({**asdict(health), "pull_problem_rows": problems}, indent=2, ensure_ascii=False))
        return
    if not health.configured:
        click.echo("Google Sheets: not connected (run `partners-tui sheets connect`).")
        return
    name = f"\"{health.spreadsheet_title}\" " if health.spreadsheet_title else ""
    click.echo(f"Google Sheets: {health.state.replace('_', ' ')} — {name}({health.spreadsheet_id})")
    for label, at, result, rows in (
        ("last push", health.last_push, health.last_push_result, health.last_push_rows),
        ("last pull", health.last_pull, health.last_pull_result, health.last_pull_rows),
    ):
        detail = f" ({result}" + (f", {rows:,} rows" if rows is not None else "") + ")" if result else ""
        click.echo(f"  {label}: {_when(store, at)}{detail}")
    click.echo(f"  changes waiting to be pushed: {health.pending_changes or 0:,}")
    if health.open_conflicts:
        click.echo(f"  conflicts to review: {health.open_conflicts} (`partners-tui sheets conflicts`)")
    if health.last_error:
        click.echo(f"  last error: {health.last_error}")
    if problems:
        click.echo(f"  bad rows skipped by the last pull ({health.pull_problems}):")
        for line in problems[:20]:
            click.echo(f"    {line}")


@sheets_group.command("conflicts")
@click.option("--all", "include_reviewed", is_flag=True, help="Include conflicts already reviewed.")
@click.option("--mark-reviewed", is_flag=True, help="Mark the listed conflicts as reviewed.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def conflicts_cmd(obj, include_reviewed: bool, mark_reviewed: bool, as_json: bool) -> None:
    """Fields edited both here and in the sheet, and which side was kept (the later edit)."""
    from dataclasses import asdict

    from partners_tui.sync import state

    store = obj.store()
    with store.read() as conn:
        rows = state.list_conflicts(conn, include_reviewed)
    if as_json:
        click.echo(json.dumps([asdict(r) for r in rows], indent=2, ensure_ascii=False))
    elif not rows:
        click.echo("No conflicts to review.")
    else:
        for r in rows:
            kept = "sheet's value" if r.kept == "sheet" else "this database's value"
            click.echo(
                f"{_when(store, r.at)}  {r.entity} {r.label}: {r.field}: here {_show(r.local_value)}, "
                f"sheet {_show(r.sheet_value)} → kept the {kept}" + ("  (reviewed)" if r.reviewed else "")
            )
    if mark_reviewed and rows:
        with state.write_tx(store.engine) as conn:
            n = state.mark_reviewed(conn, [r.id for r in rows])
        click.echo(f"Marked {n} conflict(s) as reviewed.", err=True)


def _show(value) -> str:
    return "(blank)" if value in (None, "") else json.dumps(value, ensure_ascii=False)
