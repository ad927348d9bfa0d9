"""The Settings screen driven by keys through Pilot: each edit is a store command whose effect
shows at once, on this screen and on the Overview; refusals show where the edit was made.

The sample (tests/ui/ui_sample.py, today 2026-11-22), default scope auto = 2026: the Hackathon's
open deals are Northwind in conversation 3,000 (50%) and Globex pitched 2,500 (20%), so the
weighted open pipeline is 1,500 + 500 = $2,000.
"""

from __future__ import annotations

from textual.widgets import DataTable, Input, Static

from partners_tui.screens.settings import SettingsScreen
from partners_tui.screens.settings_dialogs import ConfirmDialog, GoalDialog, MergeDialog, SettingDialog, StatusDialog
from partners_tui.store.queries import overview
from partners_tui.store.queries.settings_view import settings_view

SIZE = (140, 45)


async def settle(pilot) -> None:
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_settings(pilot) -> SettingsScreen:
    await pilot.press("5")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, SettingsScreen)
    return screen


async def select_status(pilot, key: str) -> None:
    table = pilot.app.screen.query_one("#statuses", DataTable)
    table.focus()
    table.move_cursor(row=table.get_row_index(key), animate=False)
    await pilot.pause()


async def replace_text(pilot, value: str) -> None:
    """Empty the focused input and type `value`."""
    pilot.app.focused.value = ""
    await pilot.press(*value)


def weighted(app) -> int:
    return overview(app.store, app.scope, app.clock.today()).kpis.weighted_pipeline_cents


def screen_text(app) -> str:
    """Every line the current screen's widgets draw (cards, notes, labels)."""
    parts = []
    for widget in app.screen.query("*"):
        try:
            rendered = widget.render()
        except Exception:  # containers and widgets without a plain render
            continue
        plain = getattr(rendered, "plain", None)
        if isinstance(plain, str):
            parts.append(plain)
    return "\n".join(parts)


def status_row(app, key: str):
    return settings_view(app.store, app.clock.today()).status(key)


def pipeline_message(screen) -> str:
    box = screen.query_one("#pipeline-message", Static)
    return str(box.render()) if box.has_class("-shown") else ""


async def test_a_changed_probability_changes_the_overview(filled_app):
    app = filled_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert weighted(app) == 2000_00
        assert "weighted $2,000" in screen_text(app)
        screen = await open_settings(pilot)
        await select_status(pilot, "in_conversation")
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, StatusDialog)
        assert app.focused.id == "probability"
        await replace_text(pilot, "70")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert status_row(app, "in_conversation").probability == 70
        # the table shows it: row "In Conversation", column Prob.
        table = screen.query_one("#statuses", DataTable)
        assert table.get_cell("in_conversation", "probability").plain == "70%"
        # 3,000 × 70% + 2,500 × 20% = 2,100 + 500
        assert weighted(app) == 2600_00
        await pilot.press("1")
        await settle(pilot)
        assert "weighted $2,600" in screen_text(app)
        # ctrl+z undoes it, and the Overview follows
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert status_row(app, "in_conversation").probability == 50
        assert "weighted $2,000" in screen_text(app)


async def test_bad_input_stays_in_the_dialog_next_to_its_field(filled_app):
    app = filled_app
    async with app.run_test(size=SIZE) as pilot:
        await open_settings(pilot)
        await select_status(pilot, "pitched")
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, StatusDialog) and app.focused.id == "label"
        await replace_text(pilot, "Shortlist")  # another status's name
        app.screen.query_one("#probability", Input).value = "150"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog
        error = dialog.query_one("#probability-error", Static)
        assert error.has_class("-shown") and "between 0 and 100" in str(error.render())
        app.screen.query_one("#probability", Input).value = "40"
        await pilot.press("ctrl+s")
        await pilot.pause()
        # field rules pass; the store refuses the duplicate name, shown under Label
        assert app.screen is dialog
        assert not error.has_class("-shown")
        label_error = dialog.query_one("#label-error", Static)
        assert "already the name of status Shortlist" in str(label_error.render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        assert (status_row(app, "pitched").label, status_row(app, "pitched").probability) == ("Pitched", 20)


async def test_a_guard_rail_refusal_shows_under_the_statuses(filled_app):
    app = filled_app
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_settings(pilot)
        await select_status(pilot, "confirmed")
        await pilot.press("x")  # Paid is still secured: allowed
        await settle(pilot)
        assert status_row(app, "confirmed").archived
        assert pipeline_message(screen) == ""
        await pilot.press("down", "x")  # Paid was the last secured status
        await settle(pilot)
        assert not status_row(app, "paid").archived
        assert pipeline_message(screen) == "Not saved: The pipeline needs at least one secured status"
        assert any("at least one secured status" in str(n.message) for n in app._notifications)
        await pilot.press("up")  # back on Confirmed, which is archived: x restores it
        await pilot.pause()
        assert screen.check_action("restore_status", ()) and not screen.check_action("archive_status", ())
        await pilot.press("x")
        await settle(pilot)
        assert not status_row(app, "confirmed").archived
        assert pipeline_message(screen) == ""


async def test_a_status_in_use_is_merged_after_confirmation_not_deleted(filled_app):
    app = filled_app
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        await select_status(pilot, "pitched")
        await pilot.press("delete")
        await settle(pilot)
        assert status_row(app, "pitched") is not None
        assert "Pitched is used by 1 deal(s); merge it into another status or archive it" in pipeline_message(screen)
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MergeDialog)
        targets = [str(o.id) for o in app.screen.query_one("#targets").options]
        assert "pitched" not in targets and targets[0] == "prospecting"
        await pilot.press("down", "down", "enter")  # prospecting, reached_out, shortlist
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(pilot)
        assert status_row(app, "pitched").deals == 1  # cancelled: nothing moved
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert status_row(app, "pitched") is None
        assert status_row(app, "shortlist").deals == 1
        assert "pitched" not in [str(k.value) for k in screen.query_one("#statuses", DataTable).rows]
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert status_row(app, "pitched").deals == 1 and status_row(app, "shortlist").deals == 0


async def test_add_a_status_and_move_it(filled_app):
    app = filled_app
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, StatusDialog)
        await pilot.press(*"Waiting Contract")
        assert "waiting_contract" in str(app.screen.query_one("#key-line", Static).render())
        await replace_text_in(pilot, "#probability", "70")
        await pilot.press("ctrl+s")
        await settle(pilot)
        row = status_row(app, "waiting_contract")
        assert (row.label, row.probability, row.stale_after_days, row.kind) == ("Waiting Contract", 70, 14, "open")
        table = screen.query_one("#statuses", DataTable)
        assert table.cursor_row == row.position == 6  # after Followed Up, selected
        await pilot.press("shift+up")
        await settle(pilot)
        assert status_row(app, "waiting_contract").position == 5
        assert table.cursor_row == 5  # the cursor follows the status
        await pilot.press("shift+down", "shift+down")
        await settle(pilot)
        assert status_row(app, "waiting_contract").position == 7


async def replace_text_in(pilot, selector: str, value: str) -> None:
    pilot.app.screen.query_one(selector, Input).focus()
    await pilot.pause()
    await replace_text(pilot, value)


async def test_goals_show_the_difference_and_set_and_clear(filled_app):
    app = filled_app
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        await pilot.press("tab")
        await pilot.pause()
        assert app.focused.id == "goals"
        goals = screen.query_one("#goals", DataTable)
        assert [str(k.value) for k in goals.rows] == ["2027", "2026", "2025"]
        goals.move_cursor(row=1)  # 2026: the Hackathon's 25,000
        await pilot.press("g")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, GoalDialog)
        await pilot.press(*"30000")
        # 30,000 − 25,000
        assert "Sum of event goals for 2026: $25,000 (1 event). Difference: +$5,000." in str(
            dialog.query_one("#sum-line", Static).render()
        )
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert goals.get_cell("2026", "annual").plain == "$30,000"
        assert goals.get_cell("2026", "difference").plain == "+$5,000"
        assert overview(app.store, app.scope, app.clock.today()).kpis.goal_cents == 30000_00
        await pilot.press("c")
        await settle(pilot)
        assert goals.get_cell("2026", "annual").plain == "not set"
        assert overview(app.store, app.scope, app.clock.today()).kpis.goal_cents == 25000_00


async def test_edit_a_setting_with_inline_validation(filled_app):
    app = filled_app
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        money = screen.query_one("#settings-money-and-dates", DataTable)
        money.focus()
        money.move_cursor(row=1)  # Currency symbol
        await pilot.press("enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, SettingDialog) and dialog.key == "currency.symbol"
        await replace_text(pilot, "TOOLONG")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog
        assert "must be 1 to 4 characters" in str(dialog.query_one("#currency_symbol-error", Static).render())
        app.focused.value = "€"  # (Pilot types ASCII key names only)
        await pilot.press("enter")  # enter in the field saves too
        await settle(pilot)
        assert app.store.get_setting("currency.symbol") == "€"
        assert money.get_cell("currency.symbol", "value").plain == "€"
        assert screen.query_one("#goals", DataTable).get_cell("2026", "events_sum").plain == "€25,000"


async def test_keys_follow_the_focused_section(filled_app):
    app = filled_app
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        assert app.focused.id == "statuses"
        assert screen.check_action("add_status", ()) and not screen.check_action("set_goal", ())
        await pilot.press("tab")
        await pilot.pause()
        assert app.focused.id == "goals"
        assert not screen.check_action("add_status", ()) and screen.check_action("set_goal", ())
        await pilot.press("a")  # not a key here: nothing opens
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("tab")
        await pilot.pause()
        assert app.focused.id == "settings-money-and-dates"


async def test_labels_are_shown_literally(filled_app):
    app = filled_app
    app.store.add_status({"label": "[bold]Hot[/] lead", "probability": 60})
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        table = screen.query_one("#statuses", DataTable)
        assert table.get_cell("bold_hot_lead", "label").plain == "[bold]Hot[/] lead"
        await select_status(pilot, "bold_hot_lead")
        await pilot.press("e")
        await pilot.pause()
        assert app.screen.query_one("#label", Input).value == "[bold]Hot[/] lead"
        assert app.screen.query_one("#dialog").border_title == r"Status \[bold]Hot\[/] lead"
        await replace_text(pilot, "[/b]oops")  # a stray closing tag must not crash anything
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert table.get_cell("bold_hot_lead", "label").plain == "[/b]oops"
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "[/b]oops" in app.screen.query_one("#dialog").border_title
        await pilot.press("y")
        await settle(pilot)
        assert status_row(app, "bold_hot_lead") is None


async def test_narrow_terminal_shows_fewer_columns(filled_app):
    app = filled_app
    async with app.run_test(size=(80, 30)) as pilot:
        screen = await open_settings(pilot)
        table = screen.query_one("#statuses", DataTable)
        assert [str(c.label) for c in table.columns.values()] == ["Label", "Key", "Prob.", "Kind", "Stale", "Deals", ""]
        assert table.get_cell("paid", "kind").plain == "won"
        await pilot.resize_terminal(140, 45)
        await settle(pilot)
        assert "Secured" in [str(c.label) for c in table.columns.values()]


async def test_every_key_is_in_the_help_and_the_palette(filled_app):
    import io

    from rich.console import Console

    from partners_tui.screens.help import HelpScreen

    app = filled_app
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        titles = {c.title for c in app.get_system_commands(screen)}
        assert {"Edit", "Add status", "Probability", "Move up", "Move down", "Merge into…", "Archive",
                "Restore", "Delete", "Set goal", "Use event sum"} <= titles
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        console = Console(width=200, record=True, file=io.StringIO())
        for _, table in app.screen.sections():
            console.print(table)
        text = console.export_text()
        for description in ("Add a custom pipeline status", "Move every deal of the selected status",
                            "Set the selected year's annual goal", "Delete the selected status if no deal uses it"):
            assert description in text


async def test_an_empty_database_offers_this_years_goal(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")  # the welcome dialog: start empty
        screen = await open_settings(pilot)
        goals = screen.query_one("#goals", DataTable)
        assert [str(k.value) for k in goals.rows] == ["2026"]
        assert goals.get_cell("2026", "events_sum").plain == "$0"
        assert screen.query_one("#statuses", DataTable).row_count == 10
