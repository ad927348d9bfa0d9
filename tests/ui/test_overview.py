"""The Overview screen driven by keys through Pilot: every scope control changes what is shown,
and what is shown is exactly the query layer's numbers for that scope.

The sample (tests/ui/ui_sample.py, today frozen on 2026-11-22) worked by hand, default scope:
- auto year = 2026: BizTech Hackathon 2026 (start 2026-11-28, 6 days away) is the nearest event
  that has not ended; Blueprint 2027 starts 2027-01-23; Data Science Summit 2025 is archived.
- deals of the Hackathon: Acme confirmed 5,000; Northwind in conversation 3,000; Globex pitched
  2,500. Secured $5,000; open $5,500, weighted 3,000 × 50% + 2,500 × 20% = $2,000.
- goal $25,000 (the event's; no annual goal), remaining 25,000 − 5,000 = $20,000.
- pace: outreach 2026-09-01 → end 2026-11-29 is 89 days, 82 of them gone: expected
  25,000 × 82/89 = 23,033.71 (92.13%), actual 5,000/25,000 = 20%: Behind, delta −$18,034.
- action items: Northwind's follow-up due 11-18 (4d overdue) and Globex's due today; the other
  two follow-ups belong to 2027's event. 2 items, 1 overdue.
"""

from __future__ import annotations

import pytest
from textual.command import CommandPalette

from partners_tui import ui_state
from partners_tui.screens.overview import OverviewScreen
from partners_tui.store.queries import EmailHealth, Scope, SheetsHealth, SyncHealth, overview
from partners_tui.widgets.kpi_card import KpiCard
from partners_tui.widgets.money import Money, percent
from partners_tui.widgets.pace_bar import PaceCard
from partners_tui.widgets.pipeline_table import PipelineTable
from partners_tui.widgets.queue_preview import QueuePreview, due_label, item_key
from partners_tui.widgets.scoreboard import MAX_NAME, MIN_NAME, Scoreboard, pace_label

from ui_sample import pid

SIZE = (140, 45)
MONEY = Money()


async def settle(pilot) -> None:
    """Let key presses land and the overview worker finish (a scope change starts another)."""
    app = pilot.app
    for _ in range(20):
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not any(w.group == "overview" and not w.is_finished for w in app.workers):
            return


def screen_of(app) -> OverviewScreen:
    screen = app.screen
    assert isinstance(screen, OverviewScreen)
    return screen


def card_lines(app, key: str) -> list[str]:
    """What the card draws: caption, figure, note."""
    card = screen_of(app).query_one(f"#card-{key}", KpiCard)
    return card.render().plain.split("\n")


def card_figure(app, key: str) -> str:
    return card_lines(app, key)[1]


def expected_overview(app):
    return overview(app.store, app.scope, app.clock.today())


def assert_screen_matches_queries(app) -> None:
    """Every card, the pace card, the pipeline, the scoreboard and the queue preview show the
    query layer's numbers for the app's current scope."""
    ov = expected_overview(app)
    screen = screen_of(app)
    k = ov.kpis
    assert card_figure(app, "active_partners") == f"{k.active_partners:,}"
    assert card_figure(app, "events") == f"{k.events_in_scope:,}"
    assert card_figure(app, "archived_events") == f"{k.archived_events:,}"
    assert card_figure(app, "secured") == MONEY.full(k.revenue_secured_cents)
    if k.goal_cents:
        assert card_figure(app, "goal_remaining") == MONEY.full(k.goal_remaining_cents)
    else:
        assert card_figure(app, "goal_remaining") == "No goal"
    assert card_figure(app, "open_pipeline") == MONEY.full(k.open_pipeline_cents)
    assert card_lines(app, "open_pipeline")[2] == f"weighted {MONEY.full(k.weighted_pipeline_cents)}"
    assert card_figure(app, "action_items") == f"{k.action_items:,}"
    assert card_lines(app, "action_items")[2] == f"{k.overdue_items:,} overdue"

    pace = screen.query_one(PaceCard).render().plain
    g = ov.goal_pace
    if g.goal_cents:
        assert f"Secured {percent(g.actual_pct)}" in pace
        assert f"Expected by today {percent(g.expected_pct)}" in pace
        assert MONEY.full(g.goal_cents) in pace
    else:
        assert "No goal set" in pace

    pipeline = screen.query_one(PipelineTable).render().plain
    for row in ov.pipeline.rows:
        line = next(l for l in pipeline.splitlines() if f" {row.label} " in l)
        assert f" {row.count:,} " in line and MONEY.full(row.amount_cents) in line
        assert percent(row.share_amount_pct) in line
    total = next(l for l in pipeline.splitlines() if "Total" in l)
    assert MONEY.full(ov.pipeline.total_amount_cents) in total
    assert f" {ov.pipeline.total_count:,} " in total

    board = screen.query_one(Scoreboard)
    shown_ids = [key.value for key in board.rows]
    assert shown_ids == [e.id for e in ov.events] or (not ov.events and shown_ids == ["none"])
    for event in ov.events:
        cells = board.shown_columns(event.id)
        assert cells[0].startswith(event.name)
        assert cells[2:] == [
            MONEY.full(event.goal_cents), MONEY.full(event.secured_cents),
            percent(event.actual_pct), percent(event.expected_pct), pace_label(event.pace),
            MONEY.full(event.open_pipeline_cents), MONEY.full(event.committed_cents),
            f"{event.deals:,}", f"{event.follow_ups_due:,}", f"{event.follow_ups_overdue:,}",
        ]

    queue = screen.query_one(QueuePreview)
    top = ov.action_queue.items[:6]
    if top:
        assert [key.value for key in queue.rows] == [item_key(i) for i in top]
        for item in top:
            cells = queue.shown_columns(item_key(item))
            assert cells[0] == due_label(item)
            assert cells[1] == str(item.score)
            assert cells[2] == item.partner
            assert cells[5] == MONEY.full(item.amount_cents)


async def test_default_scope_shows_the_hand_computed_sample(filled_app):
    async with filled_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app = filled_app
        assert card_figure(app, "active_partners") == "3"
        assert card_figure(app, "events") == "1"
        assert card_lines(app, "events")[2] == "2026 (auto)"
        assert card_figure(app, "archived_events") == "0"
        assert card_figure(app, "secured") == "$5,000"
        assert card_lines(app, "secured")[2] == "20% of goal"
        assert card_figure(app, "goal_remaining") == "$20,000"
        assert card_figure(app, "open_pipeline") == "$5,500"
        assert card_lines(app, "open_pipeline")[2] == "weighted $2,000"
        assert card_figure(app, "action_items") == "2"
        assert card_lines(app, "action_items")[2] == "1 overdue"
        pace = screen_of(app).query_one(PaceCard).render().plain
        assert "Behind pace" in pace and "-$18,034 vs. expected" in pace
        assert "Secured 20%" in pace and "Expected by today 92.13%" in pace
        queue = screen_of(app).query_one(QueuePreview)
        assert queue.shown_columns(f"follow_up:{pid(301)}")[:3] == [
            "4d overdue", queue.items[0].score.__str__(), "Northwind Ventures"]
        assert queue.shown_columns(f"follow_up:{pid(302)}")[0] == "Due today"
        assert_screen_matches_queries(app)


async def test_year_picker_changes_every_number_and_is_remembered(filled_app):
    async with filled_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("y")  # opens the year list: Auto (2026), All years, 2027, 2026
        await pilot.pause()
        await pilot.press("down", "enter")  # All years
        await settle(pilot)
        assert filled_app.scope.year_mode == "all"
        # all years, archived hidden: the Hackathon and Blueprint 2027
        assert card_figure(filled_app, "events") == "2"
        assert_screen_matches_queries(filled_app)
        await pilot.press("y")
        await pilot.pause()
        await pilot.press("down", "enter")  # 2027
        await settle(pilot)
        assert filled_app.scope == Scope("year", 2027)
        # 2027: Acme reached out 8,000 and Initech prospecting (no amount)
        assert card_figure(filled_app, "open_pipeline") == "$8,000"
        assert_screen_matches_queries(filled_app)
        assert ui_state.load_scope() == Scope("year", 2027)


async def test_event_picker_scopes_to_one_event_and_back(filled_app):
    async with filled_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("y")
        await pilot.pause()
        await pilot.press("down", "enter")  # All years: the event list holds every event
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("down", "enter")  # the first event: Blueprint 2027 (newest first)
        await settle(pilot)
        assert filled_app.scope.event_id == pid(102)
        assert card_figure(filled_app, "events") == "1"
        # Blueprint's own goal: 40,000 with nothing secured
        assert card_figure(filled_app, "goal_remaining") == "$40,000"
        assert_screen_matches_queries(filled_app)
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("home", "enter")  # All events
        await settle(pilot)
        assert filled_app.scope.event_id is None
        assert_screen_matches_queries(filled_app)


async def test_window_picker_widens_the_action_items(filled_app):
    async with filled_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        filled_app.set_scope(Scope("year", 2027))
        await settle(pilot)
        # 2027 with 21 days: only Acme's follow-up due 12-01 (the one due 2027-01-10 is 49 days out)
        assert card_figure(filled_app, "action_items") == "1"
        await pilot.press("w")
        await pilot.pause()
        await pilot.press("end", "enter")  # 90 days
        await settle(pilot)
        assert filled_app.scope.window_days == 90
        assert card_figure(filled_app, "action_items") == "2"
        assert_screen_matches_queries(filled_app)


async def test_archived_toggle_counts_archived_events(filled_app):
    async with filled_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        filled_app.set_scope(Scope("all"))
        await settle(pilot)
        assert card_figure(filled_app, "archived_events") == "1"
        assert card_figure(filled_app, "events") == "2"
        await pilot.press("a")
        await settle(pilot)
        assert filled_app.scope.include_archived is True
        # the archived 2025 summit joins: 3 events, and its paid 4,000 is secured too
        assert card_figure(filled_app, "events") == "3"
        assert card_figure(filled_app, "secured") == "$9,000"
        assert_screen_matches_queries(filled_app)
        await pilot.press("a")
        await settle(pilot)
        assert filled_app.scope.include_archived is False
        assert_screen_matches_queries(filled_app)


async def test_palette_sets_the_scope(filled_app):
    async with filled_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(filled_app.screen, CommandPalette)
        await pilot.press(*"Overview: year 2027")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert filled_app.scope == Scope("year", 2027)
        assert_screen_matches_queries(filled_app)
        titles = [t for t, _, _ in screen_of(filled_app).scope_commands()]
        for expected in ("Overview: all years", "Overview: window 45 days",
                         "Overview: include archived", "Overview: reset scope",
                         "Overview: event BizTech Hackathon 2026 (2026)"):
            assert expected in titles


async def test_scope_set_elsewhere_is_shown(filled_app):
    """The Action Queue shares the scope: a change made there shows here."""
    async with filled_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await pilot.pause()
        filled_app.set_scope(Scope("all", window_days=90, include_archived=True))
        await pilot.press("1")
        await settle(pilot)
        assert card_figure(filled_app, "events") == "3"
        assert_screen_matches_queries(filled_app)


async def test_enter_on_scoreboard_opens_the_event(filled_app, monkeypatch):
    opened = []
    monkeypatch.setattr(filled_app, "open_event", opened.append)
    async with filled_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert filled_app.focused is screen_of(filled_app).query_one(Scoreboard)
        await pilot.press("enter")
        await pilot.pause()
        assert opened == [pid(101)]


async def test_enter_on_queue_preview_opens_the_item(filled_app, monkeypatch):
    opened = []
    monkeypatch.setattr(filled_app, "open_action_item", opened.append)
    async with filled_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen_of(filled_app).query_one(QueuePreview).focus()
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        # overdue first: Northwind (4d overdue), then Globex (due today)
        assert opened == [f"follow_up:{pid(302)}"]


async def test_markup_in_names_renders_literally(filled_store, clock):
    from partners_tui.app import make_app

    partner = filled_store.create_partner({"name": "[bold]x[/]"})
    event = filled_store.create_event(
        {"name": "[red]Gala[/", "year": 2026, "start_date": "2026-12-01", "goal": 1000}
    )
    deal = filled_store.create_deal(
        {"partner_id": partner, "event_id": event, "status": "pitched", "amount": 500}
    )
    filled_store.add_follow_up({"partner_id": partner, "deal_id": deal, "due_date": "2026-11-01"})
    app = make_app(filled_store, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        queue = screen_of(app).query_one(QueuePreview)
        rows = [queue.shown_columns(key.value) for key in queue.rows]
        assert any(r[2] == "[bold]x[/]" and r[3] == "[red]Gala[/" for r in rows)
        board = screen_of(app).query_one(Scoreboard)
        assert board.shown_columns(event)[0] == "[red]Gala[/"
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await pilot.press(*"Gala")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert app.scope.event_id == event
        assert card_lines(app, "events")[2] == "[red]Gala[/"
        assert_screen_matches_queries(app)


async def test_saved_scope_with_a_deleted_event_falls_back(filled_app, monkeypatch):
    ui_state.save_scope(Scope("auto", event_id="00000000-dead-4000-8000-000000000000"))
    filled_app.scope = ui_state.load_scope()
    said = []  # every notification, whether or not it has timed out by the end (a busy CI)
    real_notify = filled_app.notify
    monkeypatch.setattr(filled_app, "notify", lambda message, **kw: said.append(message)
                        or real_notify(message, **kw))
    async with filled_app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert filled_app.scope.event_id is None
        assert any("saved scope" in message for message in said)
        assert card_figure(filled_app, "events") == "1"
        assert_screen_matches_queries(filled_app)


async def test_push_and_pull_explain_how_to_connect_sheets(filled_app):
    async with filled_app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        sync = screen_of(filled_app).query_one("#sync-side").render().plain
        assert "Google Sheets  not configured" in sync
        assert "partners-tui sheets connect" in sync
        await pilot.press("u")
        await pilot.press("d")
        await pilot.pause()
        messages = [n.message for n in filled_app._notifications]
        assert len(messages) == 2
        assert all("--spreadsheet URL --service-account KEY.json" in m for m in messages)
        assert "nothing to push" in messages[0] and "nothing to pull" in messages[1]


async def test_money_uses_the_configured_currency(filled_store, clock):
    from partners_tui.app import make_app

    filled_store.set_setting("currency.symbol", "€")
    filled_store.set_setting("currency.code", "EUR")
    app = make_app(filled_store, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert card_figure(app, "secured") == "€5,000"
        assert "amounts in EUR" in screen_of(app).query_one("#scope-line").render().plain


async def test_focused_card_explains_itself_with_the_full_value(filled_app):
    async with filled_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen_of(filled_app).query_one("#card-open_pipeline", KpiCard).focus()
        await pilot.pause()
        line = screen_of(filled_app).query_one("#focus-line").render().plain
        assert line.startswith("Open pipeline: $5,500, weighted by win probability $2,000.")
        assert "neither secured nor closed" in line


async def test_no_goal_says_how_to_set_one(filled_store, clock):
    from partners_tui.app import make_app

    filled_store.update_event(pid(101), {"goal": None})
    app = make_app(filled_store, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        pace = screen_of(app).query_one(PaceCard).render().plain
        assert "No goal set" in pace
        assert "partners-tui goal set 2026 AMOUNT" in pace
        assert "Settings screen (5)" in pace
        assert card_figure(app, "goal_remaining") == "No goal"


async def test_empty_database_explains_how_to_start(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("e")  # the welcome dialog: start empty
        await settle(pilot)
        screen = screen_of(app)
        assert screen.has_class("-empty")
        welcome = screen.query_one("#welcome")
        assert welcome.display
        text = welcome.render().plain
        assert "Load demo data" in text and "Events screen" in text and "Partners screen" in text
        assert not screen.query_one("#content").display


@pytest.mark.parametrize("size", [(80, 30), (64, 30)])
async def test_narrow_terminals_show_the_same_values_stacked(filled_app, size):
    async with filled_app.run_test(size=size) as pilot:
        await settle(pilot)
        board = screen_of(filled_app).query_one(Scoreboard)
        assert board.narrow
        ov = expected_overview(filled_app)
        block = board.get_row(pid(101))[0].plain
        e = ov.events[0]
        for text in (MONEY.full(e.goal_cents), MONEY.full(e.secured_cents),
                     percent(e.actual_pct), percent(e.expected_pct),
                     MONEY.full(e.open_pipeline_cents), MONEY.full(e.committed_cents),
                     # the Hackathon: 3 deals, 1 follow-up due (Globex, today), 1 overdue
                     "3 deals", "1 follow-up due",
                     f"{e.follow_ups_overdue} overdue"):
            assert text in block
        assert card_figure(filled_app, "secured") == "$5,000"
        # every control is still reachable by key
        await pilot.press("a")
        await settle(pilot)
        assert filled_app.scope.include_archived


async def test_a_slow_read_does_not_block_keys(filled_store, clock, monkeypatch):
    """The read runs off the UI thread (the first one starts as the app is made, see
    `EarlyRead`): while it is held up, keys still switch screens."""
    import threading

    from partners_tui.app import make_app
    from partners_tui.screens import overview as module, overview_data

    gate = threading.Event()
    real = module.read_overview

    def slow(*args, **kwargs):
        gate.wait(5)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, "read_overview", slow)
    monkeypatch.setattr(overview_data, "read_overview", slow)
    filled_app = make_app(filled_store, clock=clock)
    async with filled_app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert card_figure(filled_app, "secured") == "…"
        await pilot.press("2")
        await pilot.pause()
        assert filled_app.current_mode == "events"
        await pilot.press("1")
        gate.set()
        await settle(pilot)
        assert card_figure(filled_app, "secured") == "$5,000"


async def test_showing_the_screen_again_reads_again_only_after_a_change(filled_app):
    async with filled_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = screen_of(filled_app)
        first = screen.loaded
        await pilot.press("2")
        await pilot.press("1")
        await settle(pilot)
        assert screen.loaded is first  # nothing changed: no second read
        await pilot.press("2")
        await pilot.pause()
        filled_app.write(lambda: filled_app.store.create_deal(
            {"partner_id": pid(4), "event_id": pid(101), "status": "confirmed", "amount": 1000}
        ))
        await pilot.press("1")
        await settle(pilot)
        assert screen.loaded is not first
        # secured 5,000 + Initech's new confirmed 1,000
        assert card_figure(filled_app, "secured") == "$6,000"
        assert_screen_matches_queries(filled_app)
        await pilot.press("r")  # reload always reads
        await settle(pilot)
        assert screen.loaded is not first


async def test_a_burst_of_scope_keys_ends_on_the_last_scope(filled_app):
    async with filled_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a", "a", "a")
        await settle(pilot)
        assert filled_app.scope.include_archived is True
        assert card_figure(filled_app, "archived_events") == "0"
        assert card_lines(filled_app, "archived_events")[2] == "included"
        assert_screen_matches_queries(filled_app)


CONNECTED = SheetsHealth(
    configured=True, state="connected", last_push="2026-11-22T18:31:00.000Z",
    last_pull=None, pending_changes=3, spreadsheet_title="[b]Team[/b] sheet",
    last_push_result="ok", last_push_rows=1234, open_conflicts=2,
)


@pytest.fixture
def sheets_connected(monkeypatch):
    """The overview reports a connected sheet (the sync itself is faked per test)."""
    import importlib

    overview_module = importlib.import_module("partners_tui.store.queries.overview")
    monkeypatch.setattr(overview_module, "sync_health",
                        lambda conn=None, settings=None: SyncHealth(CONNECTED, EmailHealth()))


async def test_sync_block_shows_a_connected_sheet_in_local_time(filled_app, sheets_connected):
    async with filled_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_of(filled_app).query_one("#sync-side").render().plain
        # 18:31 UTC on 22 Nov is 10:31 in Vancouver (UTC−8)
        assert "Google Sheets  connected · [b]Team[/b] sheet" in text
        assert "Last push  22 Nov 10:31 · ok · 1,234 rows" in text
        assert "Last pull  never" in text
        assert "Waiting to push  3 local changes" in text
        assert "Conflicts  2 to review" in text


async def test_push_key_runs_the_sheets_push_in_a_worker(filled_app, sheets_connected, monkeypatch):
    import threading

    from partners_tui.sync import service
    from partners_tui.sync.errors import Unreachable

    calls = []

    class FakeSync:
        def push(self, *, progress=None, cancelled=None):
            calls.append(("push", threading.current_thread() is threading.main_thread()))
            progress(service.SyncProgress("push", 1, 3, "reading the sheet"))
            return service.SyncResult("push", push=service.PushSummary({"Deals": 6}, 42),
                                      api_calls=2)

        def pull(self, *, progress=None, cancelled=None):
            raise Unreachable("The sheet could not be reached: [offline]")

    monkeypatch.setattr(service.SheetsSync, "from_config", classmethod(lambda cls, store: FakeSync()))
    async with filled_app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert calls == [("push", False)]  # off the UI thread
        messages = [n.message for n in filled_app._notifications]
        assert "Pushed 6 rows (42 cells) in 2 API calls" in messages
        await pilot.press("d")
        await settle(pilot)
        assert "The sheet could not be reached: [offline]" in [
            n.message for n in filled_app._notifications]
        assert screen_of(filled_app).query_one("#sync-side").running is None


async def test_loading_demo_data_replaces_the_welcome_with_numbers(app):
    import ui_sample

    def fake_demo(store, **kwargs):
        ui_sample.fill(store)
        return {"partners": 5, "events": 3}

    app.generate_demo = fake_demo
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("e")  # the welcome dialog: start empty
        await settle(pilot)
        assert screen_of(app).has_class("-empty")
        app.action_load_demo()
        await settle(pilot)
        assert not screen_of(app).has_class("-empty")
        assert card_figure(app, "secured") == "$5,000"
        assert_screen_matches_queries(app)


@pytest.mark.parametrize("width", [140, 112])
async def test_scoreboard_numbers_are_never_clipped_when_the_rows_scroll(filled_store, clock, width):
    """Many events bring the scoreboard a scrollbar: the columns then fit the narrower inside
    (amounts and three headers shorten, then long names give way with "…"), so the last column
    (overdue) is never cut off."""
    from partners_tui.app import make_app

    for i in range(30):
        filled_store.create_event({"name": f"A Rather Long Conference Name Number {i:02d}",
                                   "year": 2026, "start_date": "2026-12-01", "goal": 1000})
    app = make_app(filled_store, clock=clock)
    async with app.run_test(size=(width, 45)) as pilot:
        await settle(pilot)
        board = screen_of(app).query_one(Scoreboard)
        assert board.show_vertical_scrollbar
        needed = sum(column.get_render_width(board) for column in board.columns.values())
        assert needed <= board.scrollable_content_region.width
        if width == 140:  # one line per event, every column whole
            assert board.show_header and len(board.column_widths) == 12
            assert board.shown_headers()[-1] == "Overdue"
            assert MIN_NAME <= board.column_widths["event"] <= MAX_NAME
            first = next(iter(board.rows)).value
            assert board.shown_columns(first)[-3:] == ["0", "0", "0"]  # deals, due, overdue
        else:  # 12 columns cannot fit beside the scrollbar: one block per event instead
            assert not board.show_header and not board.column_widths
            assert len(board.columns) == 1
            assert "overdue" in board.get_row(next(iter(board.rows)).value)[0].plain


async def test_the_first_read_starts_with_the_app_and_is_used_once(filled_store, clock, monkeypatch):
    """The app starts the Overview's first read as it is made; the screen shows that result
    instead of reading again, and every later read (a scope change) is a fresh one."""
    from partners_tui.app import make_app
    from partners_tui.screens import overview as module

    calls = []
    real = module.read_overview
    monkeypatch.setattr(module, "read_overview", lambda *a, **k: calls.append(a[1]) or real(*a, **k))
    app = make_app(filled_store, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert calls == []  # shown from the early read
        assert_screen_matches_queries(app)
        await pilot.press("y", "down", "enter")  # year: all
        await settle(pilot)
        assert len(calls) == 1 and app.scope.year_mode == "all"
        assert_screen_matches_queries(app)


async def test_an_early_read_for_another_scope_or_that_failed_is_not_used(filled_store, clock):
    from partners_tui.screens.overview_data import EarlyRead
    from partners_tui.store.queries import Scope

    early = EarlyRead(filled_store, Scope(), clock.today())
    assert early.take(Scope("all"), clock.today()) is None  # another scope: read afresh
    loaded = early.take(Scope(), clock.today())
    assert loaded is not None and loaded.scope == Scope() and loaded.overview is not None
    assert early.take(Scope(), clock.today()) is None  # used once

    class Broken:
        def settings(self):
            raise RuntimeError("disk on fire")

    assert EarlyRead(Broken(), Scope(), clock.today()).take(Scope(), clock.today()) is None


async def test_a_read_that_takes_a_while_says_updating_and_a_quick_one_does_not(
        filled_app, monkeypatch):
    """The scope line says "updating…" only once a read has run for `UPDATING_AFTER`: sooner,
    it would flash (and cost a repaint) on every quick scope change. No timing is assumed:
    the quick read gets a long delay, the slow one is held until the note has shown."""
    import threading

    from partners_tui.screens import overview as module

    async with filled_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = screen_of(filled_app)
        line = screen.query_one("#scope-line")
        seen: list[str] = []
        real_update = line.update
        monkeypatch.setattr(line, "update", lambda content: (
            seen.append(content.plain), real_update(content))[1])

        monkeypatch.setattr(module, "UPDATING_AFTER", 30.0)
        filled_app.set_scope(Scope("year", 2025))  # a read that ends before its note is due
        await settle(pilot)
        assert seen and not any("updating" in text for text in seen)
        screen._say_updating(screen._generation)  # the note's timer, had it fired late
        assert not any("updating" in text for text in seen)  # the read was shown: nothing

        monkeypatch.setattr(module, "UPDATING_AFTER", 0.05)
        gate = threading.Event()
        real = module.read_overview
        monkeypatch.setattr(module, "read_overview",
                            lambda *a, **k: gate.wait(5) and real(*a, **k))
        seen.clear()
        filled_app.set_scope(Scope())
        for _ in range(100):  # held until the note shows (at most 5 s)
            await pilot.pause(0.05)
            if "updating…" in line.render().plain:
                break
        assert "updating…" in line.render().plain  # still reading: it says so
        gate.set()
        await settle(pilot)
        assert "updating" not in line.render().plain
        assert any("updating…" in text for text in seen)
