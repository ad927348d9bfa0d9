"""`settings`, `status` and `goal` subcommands: the numbers' knobs, for scripting.

The same store commands (and so the same validation and messages) as the Settings screen.
"""

from __future__ import annotations

import json

import click

from partners_tui.store.settings import SETTINGS
from partners_tui.store.validate import InvalidInput


def _fail(exc: InvalidInput) -> None:
    raise click.ClickException(str(exc))


@click.group("settings")
def settings_group() -> None:
    """Show or change team settings (currency, time zone, follow-up defaults)."""


@settings_group.command("show")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def settings_show(obj, as_json: bool) -> None:
    store = obj.store()
    values = store.settings()
    if as_json:
        click.echo(json.dumps(values, indent=2))
        return
    for key, value in values.items():
        shown = ", ".join(value) if isinstance(value, list) else (value if value != "" else "(this machine's)")
        click.echo(f"{key:<26} {shown!s:<28} {SETTINGS[key].help}")


@settings_group.command("set")
@click.argument("key", type=click.Choice(list(SETTINGS)), metavar="KEY")
@click.argument("value")
@click.pass_obj
def settings_set(obj, key: str, value: str) -> None:
    """Set KEY to VALUE (see `settings show` for the keys)."""
    store = obj.store()
    try:
        store.set_setting(key, value)
    except InvalidInput as exc:
        _fail(exc)
    click.echo(f"{key} = {store.get_setting(key)}")


@click.group("status")
def status_group() -> None:
    """List and edit the pipeline statuses."""


def _yes(flag: bool) -> str:
    return "yes" if flag else ""


@status_group.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def status_list(obj, as_json: bool) -> None:
    from partners_tui.store.pipeline import list_statuses

    rows = list_statuses(obj.store())
    if as_json:
        keys = ("key", "label", "position", "probability", "secured", "closed", "stale_after_days", "archived", "deals")
        click.echo(json.dumps([{k: r[k] for k in keys} for r in rows], indent=2))
        return
    click.echo(f"{'#':>2} {'key':<18} {'label':<20} {'prob':>4} {'secured':<7} {'closed':<6} {'stale':>5} {'deals':>6}")
    for r in rows:
        stale = "" if r["stale_after_days"] is None else f"{r['stale_after_days']}d"
        label = r["label"] + (" (archived)" if r["archived"] else "")
        click.echo(
            f"{r['position']:>2} {r['key']:<18} {label:<20} {r['probability']:>3}% {_yes(r['secured']):<7} "
            f"{_yes(r['closed']):<6} {stale:>5} {r['deals']:>6}"
        )


def _status_fields(label, probability, secured, closed, stale_after, position) -> dict:
    fields = {"label": label, "probability": probability, "secured": secured, "closed": closed, "position": position}
    fields = {k: v for k, v in fields.items() if v is not None}
    if stale_after is not None:
        fields["stale_after_days"] = None if stale_after.lower() in ("never", "") else stale_after
    return fields


STATUS_OPTIONS = [
    click.option("--probability", type=int, help="Win probability 0-100."),
    click.option("--secured/--not-secured", default=None, help="Counts as secured revenue."),
    click.option("--closed/--not-closed", default=None, help="No further work expected."),
    click.option("--stale-after", help="Days without activity before a deal is stale, or 'never'."),
    click.option("--position", type=int, help="Place in the pipeline (0 = first)."),
]


def _with_status_options(fn):
    for option in reversed(STATUS_OPTIONS):
        fn = option(fn)
    return fn


@status_group.command("add")
@click.argument("label")
@_with_status_options
@click.pass_obj
def status_add(obj, label, probability, secured, closed, stale_after, position) -> None:
    """Add a custom status called LABEL (its key is the label's slug, fixed forever)."""
    fields = _status_fields(label, probability if probability is not None else 10, secured, closed, stale_after, position)
    try:
        key = obj.store().add_status(fields)
    except InvalidInput as exc:
        _fail(exc)
    click.echo(f"Added status {key}")


@status_group.command("update")
@click.argument("key")
@click.option("--label", help="New label (the key stays).")
@_with_status_options
@click.option("--archive", is_flag=True, help="Hide it from pickers (deals keep it).")
@click.option("--restore", is_flag=True)
@click.pass_obj
def status_update(obj, key, label, probability, secured, closed, stale_after, position, archive, restore) -> None:
    """Change status KEY."""
    store = obj.store()
    try:
        fields = _status_fields(label, probability, secured, closed, stale_after, position)
        if fields:
            store.update_status(key, fields)
        if archive:
            store.archive_status(key)
        if restore:
            store.restore_status(key)
    except InvalidInput as exc:
        _fail(exc)
    click.echo(f"Updated status {key}")


@status_group.command("merge")
@click.argument("source")
@click.argument("target")
@click.pass_obj
def status_merge(obj, source, target) -> None:
    """Move every deal of SOURCE to TARGET and remove SOURCE."""
    try:
        moved = obj.store().merge_status(source, target)
    except InvalidInput as exc:
        _fail(exc)
    click.echo(f"Merged {source} into {target}: {moved} deal(s) moved")


@status_group.command("delete")
@click.argument("key")
@click.pass_obj
def status_delete(obj, key) -> None:
    """Remove status KEY if no deal uses it (otherwise merge or archive it)."""
    try:
        obj.store().delete_status(key)
    except InvalidInput as exc:
        _fail(exc)
    click.echo(f"Deleted status {key}")


@click.group("goal")
def goal_group() -> None:
    """Set or clear a year's explicit annual goal."""


@goal_group.command("set", context_settings={"ignore_unknown_options": True})
@click.argument("year", type=int)
@click.argument("amount")
@click.pass_obj
def goal_set(obj, year: int, amount: str) -> None:
    """YEAR's goal is AMOUNT (in currency units), or `clear` for the sum of event goals."""
    store = obj.store()
    try:
        store.set_annual_goal(year, None if amount.lower() == "clear" else amount)
    except InvalidInput as exc:
        _fail(exc)
    click.echo(f"{year}: " + ("sum of event goals" if amount.lower() == "clear" else f"goal {amount}"))


@goal_group.command("clear")
@click.argument("year", type=int)
@click.pass_obj
def goal_clear(obj, year: int) -> None:
    """Use the sum of YEAR's event goals again."""
    try:
        obj.store().set_annual_goal(year, None)
    except InvalidInput as exc:
        _fail(exc)
    click.echo(f"{year}: sum of event goals")
