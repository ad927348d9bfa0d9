"""The `partners-tui` command: no argument opens the TUI; subcommands are for scripting.

Each subcommand opens the store, calls one store command or query, prints plain text (or JSON) and
exits non-zero with a one-line message on bad input. No traceback reaches a user for input errors.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from partners_tui import config
from partners_tui.store.clock import Clock
from partners_tui.store.validate import InvalidInput


BULK_CACHE_KIB = 64 * 1024
"""Page cache per connection (KiB) for `demo` and `import`, which write hundreds of thousands of
rows: each row also updates the indexes and the trigger-kept tables, and with SQLite's 2 MiB
default most of those pages are read from the file again and again."""


class Context:
    def __init__(self, db: str | None):
        self.db_path = config.resolve_db_path(db)
        self._store = None

    def store(self, clock: Clock | None = None, cache_kib: int | None = None):
        from partners_tui.store.commands import Store
        from partners_tui.store.migrations import MigrationError, upgrade_notice

        def upgrading(current: int, target: int) -> None:
            click.echo(upgrade_notice(self.db_path, current, target), err=True)

        try:
            return Store.open(self.db_path, clock=clock, on_upgrade=upgrading, cache_kib=cache_kib)
        except MigrationError as exc:
            raise click.ClickException(str(exc)) from None


def _today(value: str | None) -> Clock:
    if not value:
        return Clock()
    try:
        return Clock.fixed_at(dt.date.fromisoformat(value))
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a real date (use YYYY-MM-DD)", param_hint="--today") from None


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db", type=click.Path(dir_okay=False), help="Database file (default: $PARTNERS_TUI_DB, else the user data dir).")
@click.version_option(package_name="partners-tui")
@click.pass_context
def main(ctx: click.Context, db: str | None) -> None:
    """A keyboard-driven terminal CRM for teams that fund events through partners.

    With no command, opens the app.
    """
    from partners_tui.logs import setup_logging

    setup_logging()
    ctx.obj = Context(db)
    if ctx.invoked_subcommand is None:
        from partners_tui import gc_pause

        # Start-up makes ~200,000 objects; collecting meanwhile took ~200 ms of the large demo's
        # time to the first paint. The app lets the collector run once that paint is done.
        gc_pause.hold(gc_pause.START_UP)
        try:
            from partners_tui.app import run_app

            run_app(ctx.obj.db_path)
        finally:
            gc_pause.release(gc_pause.START_UP)


@main.command()
@click.pass_obj
def locate(obj: Context) -> None:
    """Print where the database, config and log files are."""
    click.echo(f"database: {obj.db_path}")
    click.echo(f"config:   {config.config_path()}")
    click.echo(f"log:      {config.log_path()}")


@main.command()
@click.option("--size", type=click.Choice(["small", "large"]), default="small", show_default=True)
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same data.")
@click.option("--today", help="Date the data is built around (YYYY-MM-DD; default today).")
@click.option("--force", is_flag=True, help="Add demo data even if the database is not empty.")
@click.pass_obj
def demo(obj: Context, size: str, seed: int, today: str | None, force: bool) -> None:
    """Fill the database with realistic, deterministic demo data."""
    clock = _today(today)
    from partners_tui.store.demo import generate

    store = obj.store(clock, cache_kib=BULK_CACHE_KIB)
    if not store.is_empty() and not force:
        raise click.ClickException(
            f"{obj.db_path} already holds data; use --force to add demo data anyway, "
            "or --db to choose another file"
        )
    started = dt.datetime.now()

    def progress(message: str) -> None:
        click.echo(f"  {message}", err=True)

    summary = generate(store, size=size, seed=seed, today=clock.today(), progress=progress)
    seconds = (dt.datetime.now() - started).total_seconds()
    click.echo(f"Demo data ({size}, seed {seed}) written to {obj.db_path} in {seconds:.1f}s:")
    for name, count in summary.items():
        click.echo(f"  {name}: {count:,}")


@main.group(name="import")
def import_group() -> None:
    """Import data from the reference Partnerships CRM."""


def _run_import(obj: Context, kind: str, path: str, skip_bad: bool) -> None:
    from partners_tui.store.importers import ImportFailed, run_import

    store = obj.store(cache_kib=BULK_CACHE_KIB)
    try:
        result = run_import(store, kind, Path(path), skip_bad=skip_bad)
    except ImportFailed as exc:
        click.echo(f"Nothing was imported: {len(exc.problems)} problem(s) in {path}:", err=True)
        for problem in exc.problems:
            click.echo(f"  {problem}", err=True)
        click.echo("Fix them, or use --skip-bad to import the valid records only.", err=True)
        sys.exit(1)
    click.echo(result.summary())
    for problem in result.skipped:
        click.echo(f"  skipped: {problem}", err=True)


@import_group.command("biztech")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--skip-bad", is_flag=True, help="Import the valid records and list the skipped ones.")
@click.pass_obj
def import_biztech(obj: Context, file: str, skip_bad: bool) -> None:
    """Import the reference CRM's JSON export (partners, links, events, communications)."""
    _run_import(obj, "biztech", file, skip_bad)


@import_group.command("csv")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--skip-bad", is_flag=True, help="Import the valid rows and list the skipped ones.")
@click.pass_obj
def import_csv(obj: Context, file: str, skip_bad: bool) -> None:
    """Import the reference CRM's CSV export (one row per partner and link)."""
    _run_import(obj, "csv", file, skip_bad)


@main.command()
@click.argument("fmt", metavar="json|csv", type=click.Choice(["json", "csv"]))
@click.argument("path", type=click.Path(dir_okay=False))
@click.pass_obj
def export(obj: Context, fmt: str, path: str) -> None:
    """Write everything out: JSON (every table) or CSV (the reference CRM's layout)."""
    from partners_tui.store.exporters import export_csv, export_json

    store = obj.store()
    counts = (export_json if fmt == "json" else export_csv)(store, Path(path))
    click.echo(f"Wrote {path}: " + ", ".join(f"{n:,} {name}" for name, n in counts.items()))


@main.command()
@click.pass_obj
def undo(obj: Context) -> None:
    """Reverse the last change (repeat to go further back)."""
    from partners_tui.store.changelog import NothingToUndo, UndoConflict

    store = obj.store()
    try:
        undone = store.undo()
    except NothingToUndo:
        raise click.ClickException("nothing to undo") from None
    except UndoConflict as exc:
        raise click.ClickException(f"cannot undo: {exc}") from None
    click.echo(f"Undone: {undone.description}")


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output (DESIGN 4.8).")
@click.option("--year", default="auto", show_default=True, help="auto, all, or a year such as 2026.")
@click.option("--event", "event_id", help="One event's id.")
@click.option("--window", type=int, default=None, help="Follow-up window in days (7-90; default 21).")
@click.option("--include-archived", is_flag=True, help="Count archived events and partners too.")
@click.option("--today", help="Report as of this date (YYYY-MM-DD; default today).")
@click.pass_obj
def report(obj: Context, as_json: bool, year: str, event_id: str | None, window: int | None,
           include_archived: bool, today: str | None) -> None:
    """The Overview's numbers without the TUI."""
    from partners_tui.report import ReportError, build_report, dumps, render_text

    fixed = _today(today) if today else None  # a bad --today fails before the file is opened
    store = obj.store()  # no clock given: "today" is the local date in the team's time zone
    if fixed is not None:
        store.clock = Clock.fixed_at(fixed.today(), tz=store.clock.tz)
    try:
        data = build_report(
            store, year=year, event_id=event_id, window=window,
            include_archived=include_archived, today=store.clock.today(),
        )
    except (ReportError, InvalidInput) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(dumps(data) if as_json else render_text(data))


def run() -> None:  # pragma: no cover - console entry alias
    main()


from partners_tui.cli_settings import goal_group, settings_group, status_group  # noqa: E402

main.add_command(settings_group)
main.add_command(status_group)
main.add_command(goal_group)

from partners_tui.cli_sheets import sheets_group  # noqa: E402
from partners_tui.cli_queue import QUEUE_COMMANDS  # noqa: E402

main.add_command(sheets_group)
for _command in QUEUE_COMMANDS:
    main.add_command(_command)
