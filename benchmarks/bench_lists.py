"""Events and Partners screens on the large demo: query times, the time the running app takes to
open each main screen the first time, and to update the Partners list after each search keystroke.

    python benchmarks/bench_lists.py [--db COPY.db] [--source /work/bench/di/demo-large.sqlite3]
        [--runs 5] [--open-runs 3] [--idle 2] [--screens 3245] [--skip-queries] [--no-gc-freeze]

The database is a copy (made from --source when --db does not exist yet), since opening it runs
any pending migration (the partner search table is built once, and that time is printed too).
Query times are the median of --runs repetitions (min / max alongside), in milliseconds.

The app is run headless at 140x45 with Textual's test driver, each opening in a fresh process
(`--open-runs` of them per case, median shown): start the app, wait for the Overview's first
frame with its numbers, then either press the screen's key at once (the app has had no idle moment
to build the screen ahead, so Textual builds it on the key press), or first look at the Overview
for `--idle` seconds, as a user would (the app builds the other main screens in that time,
`PartnersApp.prebuild_mode`). Three times are printed from the key press: the first frame of the
new screen, the first frame with rows in its list (on a screen built ahead, rows read when it was
built), and the first frame whose rows come from the read made on opening (what a write made
since would show in). A keystroke's time runs from the key press to the frame showing the new
search's rows (the query runs in a thread worker). Once every screen is built the app calls
`gc.freeze()` (`--no-gc-freeze` to compare without it); the collections while typing are counted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from partners_tui.store.clock import Clock  # noqa: E402
from partners_tui.store.commands import Store  # noqa: E402
from partners_tui.store.db import APP_CACHE_KIB  # noqa: E402
from partners_tui.store.queries.details import event_deals, event_detail, partner_detail  # noqa: E402
from partners_tui.store.queries.lists import (  # noqa: E402
    PartnerFilter, count_partners, event_list, partner_filter_choices, search_partners,
)

TODAY = "2026-11-22"
SEARCH = "brightwater"
BUDGET_MS = 150


def timed(fn, runs: int) -> tuple[float, float, float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times), max(times), result


def line(label: str, stats: tuple[float, float, float], extra: str = "") -> None:
    median, lo, hi = stats
    print(f"  {label:<52} {median:8.1f} ms   (min {lo:6.1f}, max {hi:6.1f}){extra}")


def query_times(store: Store, runs: int) -> None:
    today = store.clock.today()
    print("Query layer (median of runs):")
    with sqlite3.connect(store.engine.url.database) as db:
        big_event = db.execute(
            "SELECT event_id FROM deal GROUP BY event_id ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
        busy_partner = db.execute(
            "SELECT partner_id FROM activity GROUP BY partner_id ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
        status, event = db.execute(
            "SELECT status, event_id FROM deal GROUP BY status, event_id ORDER BY count(*) DESC LIMIT 1").fetchone()
    page = 60  # the screen's first page at 45 lines
    partner_cases = [
        ("no filter", PartnerFilter()),
        ("'a' (matches nearly all)", PartnerFilter(text="a")),
        (f"'{SEARCH}'", PartnerFilter(text=SEARCH)),
        ("'zzzz' (no match: a full scan)", PartnerFilter(text="zzzz")),
        ("contact email '@brightwater-payments'", PartnerFilter(text="@brightwater-payments")),
        ("status + event", PartnerFilter(status=status, event_id=event)),
        ("tier Gold (partner or deal tier)", PartnerFilter(tier="Gold")),
        ("tier Gold + 'north'", PartnerFilter(tier="Gold", text="north")),
        ("tag 'hiring' + alumni", PartnerFilter(tag="hiring", alumni=True)),
    ]
    print(f"  Partners: a page of {page} (what a keystroke waits for), then the count of every "
          "match (run after the page shows)")
    for label, flt in partner_cases:
        p = timed(lambda: search_partners(store, flt, limit=page, with_total=None), runs)
        c = timed(lambda: count_partners(store, flt), runs)
        print(f"    {label:<40} page {p[0]:7.1f} ms   count {c[0]:7.1f} ms   {c[3]:,} match")
    cases = [
        ("partners: filter choices (tiers, tags, events)", lambda: partner_filter_choices(store)),
        ("events: list, all years", lambda: event_list(store, today)),
        ("event detail: tiles, mix, pressure (largest event)", lambda: event_detail(store, big_event, today)),
        ("event detail: first 200 deals by partner", lambda: event_deals(store, big_event)),
        ("event detail: first 200 deals by follow-up", lambda: event_deals(store, big_event, sort="follow_up")),
        ("partner detail: busiest partner", lambda: partner_detail(store, busy_partner, today)),
    ]
    for label, fn in cases:
        median, lo, hi, result = timed(fn, runs)
        extra = ""
        total = getattr(result, "total", None)
        if total is not None:
            extra = f"   {total:,} rows"
        elif hasattr(result, "rows"):
            extra = f"   {len(result.rows):,} rows"
        line(label, (median, lo, hi), extra)


SCREEN_KEYS = {"3": "Partners", "2": "Events", "4": "Action Queue", "5": "Settings"}


def rows_in_list(screen) -> int:
    """Rows the screen's main list holds right now."""
    from textual.widgets import DataTable

    from partners_tui.screens.action_list import ActionList
    from partners_tui.screens.action_queue import ActionQueueScreen
    from partners_tui.screens.events import EventsScreen
    from partners_tui.screens.partners import PartnersScreen
    from partners_tui.widgets.record_list import RecordList

    if isinstance(screen, PartnersScreen):
        return screen.query_one("#partners", RecordList).row_count
    if isinstance(screen, EventsScreen):
        return screen.query_one("#events", DataTable).row_count
    if isinstance(screen, ActionQueueScreen):
        return len(screen.query_one(ActionList).items)
    return screen.query_one("#statuses", DataTable).row_count


def read_since(screen, reloaded: bool) -> bool:
    """Whether the rows are known current: `reload()` has run since the key press (`reloaded`)
    and either found nothing written since the rows were read, or its read has been shown."""
    from partners_tui.screens.action_queue import ActionQueueScreen
    from partners_tui.screens.events import EventsScreen
    from partners_tui.screens.partners import PartnersScreen

    if not reloaded:
        return False
    if isinstance(screen, (PartnersScreen, EventsScreen)):
        return screen.shown_generation == screen.generation
    if isinstance(screen, ActionQueueScreen):
        return not screen.reading and screen.loaded is not None
    return True  # Settings reads inline in reload()


class Frames:
    """Wraps the app's `_display` to note each frame drawn: when, and (for the screen being
    opened) how many rows its list showed and whether they were known current."""

    def __init__(self, app) -> None:
        self.app = app
        self.times: list[float] = []
        self.target = None
        self.reloaded_at: float | None = None
        self.marks: list[tuple[float, int, bool]] = []
        self.current_at: float | None = None
        """When the screen first showed rows known current: the frame with the rows of the read
        made on opening, or, when that read was skipped (nothing written since the rows shown
        were read), the moment `reload()` found so, if a frame with rows was already drawn."""
        original = app._display

        def display(screen, update):
            original(screen, update)
            now = time.perf_counter()
            self.times.append(now)
            if self.target is not None and isinstance(screen, self.target):
                rows = rows_in_list(screen)
                current = read_since(screen, self.reloaded_at is not None)
                self.marks.append((now, rows, current))
                if rows and current and self.current_at is None:
                    self.current_at = now

        app._display = display

    def reloaded(self, screen) -> None:
        self.reloaded_at = time.perf_counter()
        drawn_rows = any(rows for _, rows, _ in self.marks)
        if self.current_at is None and drawn_rows and read_since(screen, True):
            self.current_at = self.reloaded_at


def watch_reloads(frames: Frames) -> list:
    """Note when a main screen's `reload()` runs after the key press (returns undo info)."""
    from partners_tui.app import MAIN_SCREENS

    undo = []
    for cls in MAIN_SCREENS:
        if "reload" not in cls.__dict__:
            continue
        original = cls.__dict__["reload"]

        def reload(self, _original=original):
            _original(self)
            if frames.target is not None and isinstance(self, frames.target) and self.is_current:
                frames.reloaded(self)

        cls.reload = reload
        undo.append((cls, original))
    return undo


async def wait_for_overview(app, frames: Frames) -> float:
    """Wait for the first frame drawn after the Overview holds its numbers; returns its time."""
    from partners_tui.screens.overview import OverviewScreen

    start = time.perf_counter()
    while not (isinstance(app.screen, OverviewScreen) and app.screen.loaded is not None):
        if time.perf_counter() - start > 60:
            raise TimeoutError("the Overview never showed its numbers")
        await asyncio.sleep(0.001)
    filled = time.perf_counter()
    while not (frames.times and frames.times[-1] > filled):
        await asyncio.sleep(0.001)
    return frames.times[-1]


def send_key(app, char: str) -> None:
    """Straight to the app's driver (Pilot's `press` also waits for the whole process to go
    idle, which is not what a person waits for)."""
    from textual import events

    name = {"/": "slash"}.get(char, char)
    app._driver.send_message(events.Key(name, char if len(char) == 1 else None))


async def open_first_time(db: str, key: str, idle: float, typing_runs: int, freeze: bool) -> dict:
    """One fresh app: the Overview paints, `idle` seconds pass, `key` is pressed; then (for
    Partners with typing_runs) the opening again and the search keystrokes."""
    import gc

    from partners_tui.app import MAIN_SCREENS, PartnersApp, make_app

    cls = next(c for c in MAIN_SCREENS if c.KEY == key)
    store = Store.open(db, clock=Clock.fixed_at(TODAY), cache_kib=APP_CACHE_KIB)  # as run_app
    app = make_app(store)
    app.freeze_after_prebuild = freeze
    built: dict[str, tuple[float, float]] = {}
    original_prebuild = PartnersApp.prebuild_mode

    async def prebuild_mode(self, mode):
        started = time.perf_counter()
        await original_prebuild(self, mode)
        built.setdefault(mode, (started, time.perf_counter()))

    PartnersApp.prebuild_mode = prebuild_mode
    frames = Frames(app)
    undo = watch_reloads(frames)
    result: dict = {}
    try:
        async with app.run_test(size=(140, 45)) as pilot:
            painted = await wait_for_overview(app, frames)
            if idle:
                await asyncio.sleep(idle)
            result["built_ahead"] = app.is_mode_built(cls.MODE)
            result["reading_at_key"] = any(w.is_running for w in app.workers)
            result["builds"] = {m: [(a - painted) * 1000, (b - a) * 1000] for m, (a, b) in built.items()}
            frames.target = cls
            press = time.perf_counter()
            send_key(app, key)
            while frames.current_at is None:
                if time.perf_counter() - press > 60:
                    raise TimeoutError(f"{cls.__name__} never showed fresh rows")
                await asyncio.sleep(0.0005)
            marks = frames.marks
            result["first_frame"] = (marks[0][0] - press) * 1000
            with_rows = [t for t, rows, _ in marks if rows]
            result["first_rows"] = (with_rows[0] - press) * 1000 if with_rows else None
            result["fresh_rows"] = (frames.current_at - press) * 1000
            result["rows"] = rows_in_list(app.screen)
            if typing_runs:
                await pilot.pause(0.5)
                result["gc_frozen"] = gc.get_freeze_count()
                result.update(await again_and_typing(app, pilot, frames, typing_runs))
    finally:
        PartnersApp.prebuild_mode = original_prebuild
        for klass, original in undo:
            klass.reload = original
        store.close()
    return result


async def again_and_typing(app, pilot, frames: Frames, runs: int) -> dict:
    """Partners opened again (from Events) and the search keystrokes, on the open screen."""
    import gc

    from partners_tui.screens.partners import PartnersScreen

    screen = app.screen
    assert isinstance(screen, PartnersScreen)
    shown: list[float] = []
    original_show = PartnersScreen._show_page

    def show_page(self, *args):
        original_show(self, *args)
        shown.append(time.perf_counter())

    PartnersScreen._show_page = show_page
    to_rows: list[float] = []
    pauses: list[tuple[int, float]] = []
    gc_started: list[float] = []

    def note_gc(phase, info):
        if phase == "start":
            gc_started.append(time.perf_counter())
        elif gc_started:
            pauses.append((info["generation"], (time.perf_counter() - gc_started.pop()) * 1000))

    async def settle(generation: int, start: float) -> float:
        """Wait for `generation` to be shown and a frame to be drawn after it."""
        drawn = frames.times
        while True:
            if screen.shown_generation >= generation and shown and drawn and drawn[-1] > shown[-1]:
                to_rows.append((shown[-1] - start) * 1000)
                return (drawn[-1] - start) * 1000
            if time.perf_counter() - start > 30:
                raise TimeoutError(f"generation {generation} not shown")
            await asyncio.sleep(0.0005)

    async def come_back(write: bool) -> tuple[float, float]:
        """From Events back to Partners (after a partner is added there, if `write`): key press
        to the first frame, and to the rows known current."""
        send_key(app, "2")
        await pilot.pause(0.3)
        if write:
            ok, _ = app.write(lambda: app.store.create_partner({"name": "Bench Partner"}))
            assert ok
        while any(w.is_running for w in app.workers):  # the Events list's own read
            await asyncio.sleep(0.01)
        frames.marks, frames.reloaded_at, frames.current_at = [], None, None
        frames.target = PartnersScreen
        start = time.perf_counter()
        send_key(app, "3")
        while frames.current_at is None:
            if time.perf_counter() - start > 30:
                raise TimeoutError("Partners never showed current rows again")
            await asyncio.sleep(0.0005)
        frames.target = None
        return (frames.marks[0][0] - start) * 1000, (frames.current_at - start) * 1000

    frames.target = None
    again: dict[str, list[tuple[float, float]]] = {"unchanged": [], "written": []}
    keystrokes: dict[int, list[float]] = {i: [] for i in range(len(SEARCH))}
    writes = 0
    try:
        for _ in range(max(1, runs - 1)):
            again["unchanged"].append(await come_back(write=False))
            again["written"].append(await come_back(write=True))
            writes += 1
        await pilot.pause(0.3)
        gc.callbacks.append(note_gc)
        for _ in range(runs):
            send_key(app, "/")
            await pilot.pause(0.2)
            for i, char in enumerate(SEARCH):
                generation = screen.generation + 1
                start = time.perf_counter()
                send_key(app, char)
                keystrokes[i].append(await settle(generation, start))
                await asyncio.sleep(0.05)  # a fast typist: ~20 keys a second
            rows = screen.query_one("#partners").row_count
            send_key(app, "escape")  # clears the search
            await pilot.pause(0.3)
    finally:
        PartnersScreen._show_page = original_show
        if note_gc in gc.callbacks:
            gc.callbacks.remove(note_gc)
        for _ in range(writes):  # the copy stays as it was
            app.store.undo()
    return {"again": again, "keystrokes": keystrokes, "typed_rows": rows,
            "typed_to_rows": to_rows[len(again):], "gc_pauses": pauses}


def run_child(db: Path, key: str, idle: float, typing_runs: int, freeze: bool) -> dict:
    """`open_first_time` in a fresh Python process (nothing warmed up by an earlier run)."""
    command = [sys.executable, __file__, "--child", key, "--db", str(db), "--idle", str(idle),
               "--runs", str(typing_runs)] + ([] if freeze else ["--no-gc-freeze"])
    proc = subprocess.run(command, capture_output=True, text=True, timeout=900)
    line = next((l for l in proc.stdout.splitlines() if l.startswith("RESULT ")), None)
    if proc.returncode != 0 or line is None:
        raise SystemExit(f"benchmark child failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
    return json.loads(line[len("RESULT "):])


def spread(values: list[float]) -> tuple[float, float, float]:
    return statistics.median(values), min(values), max(values)


def app_times(db: Path, args) -> float:
    print(f"\nApp at 140x45: opening a main screen the first time, key press to (ms; median of "
          f"{args.open_runs} fresh processes, min / max; budget {BUDGET_MS} ms)")
    print(f"  {'':<49}{'first frame':<22}{'rows in list':<22}{'rows known current'}")
    worst = 0.0
    typing: dict | None = None
    for key in args.screens:
        name = SCREEN_KEYS[key]
        for label, idle in ((f"after {args.idle:g} s on the Overview", args.idle),
                            ("at once (built on the key press)", 0.0)):
            results = []
            for i in range(args.open_runs):
                typing_runs = args.runs if key == "3" and idle and i == 0 else 0
                results.append(run_child(db, key, idle, typing_runs, not args.no_gc_freeze))
                if typing_runs:
                    typing = results[-1]
            cells = []
            for field in ("first_frame", "first_rows", "fresh_rows"):
                values = [r[field] for r in results if r[field] is not None]
                m, lo, hi = spread(values)
                cells.append(f"{m:7.1f} ({lo:5.0f}-{hi:5.0f})")
            built = sum(r["built_ahead"] for r in results)
            reading = sum(r["reading_at_key"] for r in results)
            print(f"  {name + ' (' + key + ')':<17}{label:<32}" + "  ".join(cells)
                  + f"   built ahead {built}/{len(results)}, a read under way at the key "
                  f"{reading}/{len(results)}, {results[0]['rows']:,} rows")
            if idle:
                worst = max(worst, spread([r["first_rows"] for r in results])[0])
    if args.idle:
        print("  (a screen built ahead shows the rows read when it was built in its first frame; on")
        print("   showing it checks whether anything was written since, and reads again if so)")
        builds = typing["builds"] if typing else {}
        if builds:
            print("  Built ahead in the first run (s after the Overview's first frame: build ms): "
                  + ", ".join(f"{m} {at / 1000:.1f} s: {took:.0f} ms" for m, (at, took) in builds.items()))
    if typing:
        print("\nPartners opened again from Events, key press to (ms): first frame, rows known current")
        for case, label in (("unchanged", "nothing written meanwhile (rows kept)"),
                            ("written", "a partner added on Events (read again)")):
            pairs = typing["again"][case]
            first, current = [a for a, _ in pairs], [b for _, b in pairs]
            print(f"  {label:<44} {spread(first)[0]:7.1f} ms   {spread(current)[0]:7.1f} ms"
                  f"   (max {max(first):.0f} / {max(current):.0f}; {len(pairs)} times)")
        print(f"\nSearch keystrokes on the Partners screen (after {args.idle:g} s idle; median of "
              f"{args.runs}; budget {BUDGET_MS} ms):")
        medians = []
        for i in range(len(SEARCH)):
            t = typing["keystrokes"][str(i)]
            medians.append(statistics.median(t))
            line(f"keystroke {i + 1:2d}: '{SEARCH[: i + 1]}'", spread(t))
        every = [t for ts in typing["keystrokes"].values() for t in ts]
        line("every keystroke", spread(every), f"   p90 {sorted(every)[int(len(every) * 0.9)]:.1f}")
        line("  of which: key press to the rows in the table", spread(typing["typed_to_rows"]))
        print(f"  ('{SEARCH}' leaves {typing['typed_rows']} rows in the table)")
        pauses = typing["gc_pauses"]
        full = [ms for gen, ms in pauses if gen == 2]
        print(f"  garbage collections while typing: {len(pauses)}, {len(full)} full"
              + (f" (longest {max(full):.0f} ms)" if full else "")
              + (f", longest of any {max(ms for _, ms in pauses):.1f} ms" if pauses else "")
              + (f"; {typing['gc_frozen']:,} objects frozen by the app (gc.freeze)"
                 if typing["gc_frozen"] else "; nothing frozen (gc.freeze not called)"))
        worst = max(worst, *medians)
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="/tmp/bench_lists.db")
    parser.add_argument("--source", default="/work/bench/di/demo-large.sqlite3")
    parser.add_argument("--runs", type=int, default=5, help="query repetitions, search rounds")
    parser.add_argument("--open-runs", type=int, default=3, help="fresh processes per opening")
    parser.add_argument("--idle", type=float, default=2.0,
                        help="seconds on the Overview before the key (0: only at once)")
    parser.add_argument("--screens", default="3245", help="keys of the screens to open")
    parser.add_argument("--skip-queries", action="store_true")
    parser.add_argument("--no-gc-freeze", action="store_true",
                        help="the app does not gc.freeze() after building the screens ahead")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    db = Path(args.db)
    if args.child:
        result = asyncio.run(open_first_time(str(db), args.child, args.idle, args.runs,
                                             not args.no_gc_freeze))
        print("RESULT " + json.dumps(result))
        return
    if not db.exists():
        print(f"Copying {args.source} to {db} …")
        shutil.copy(args.source, db)
    start = time.perf_counter()
    store = Store.open(db, clock=Clock.fixed_at(TODAY))
    print(f"Opened {db} in {(time.perf_counter() - start) * 1000:.0f} ms (includes pending migrations)")
    with sqlite3.connect(db) as raw:
        counts = {t: raw.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("partner", "contact", "event", "deal", "activity")}
    print("Data: " + ", ".join(f"{n:,} {t}s" for t, n in counts.items()))
    try:
        if not args.skip_queries:
            query_times(store, args.runs)
    finally:
        store.close()
    worst = app_times(db, args)
    print(f"\nSlowest median (opening after the idle wait: first frame with rows; keystrokes): "
          f"{worst:.1f} ms ({'within' if worst < BUDGET_MS else 'OVER'} the {BUDGET_MS} ms budget)")


if __name__ == "__main__":
    main()
