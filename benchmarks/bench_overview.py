"""Overview speed on a large database: start-up to the first complete paint, and scope changes.

    python benchmarks/bench_overview.py [--db /work/bench/large.db] [--runs 3] [--workdir DIR]

The database is copied first (opening it may migrate it) and the app runs headless at 140×45
with today frozen on 2026-11-22 and a fresh config dir (no remembered scope).

1. Start-up: the time from launching a fresh Python process to the first screen refresh after
   every Overview widget holds its numbers (imports, opening the database, the overview read in
   its worker, filling the widgets, the paint). Repeated `--runs` times, each a new process.
2. Scope changes, in one running app: from `app.set_scope(...)` to the refresh after the widgets
   hold the new scope's numbers, 0.3 s apart. The six changes are made `--rounds` times: the
   first round (each scope read for the first time since start-up, SQLite's page cache colder)
   is printed apart from the median, min and max of the later ones. No result is cached.
3. The Overview's read alone (`screens.overview_data.read_overview`, what its worker runs) for
   each scope, for comparison: the part of a repaint that is the query layer's.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from machine_speed import reference_loop

TODAY = "2026-11-22"
SIZE = (140, 45)

CHILD = r"""
import json, sys, time
T0 = float(sys.argv[1])
from partners_tui import gc_pause
gc_pause.hold(gc_pause.START_UP)  # as `partners-tui` (cli.main) does before importing the app
import asyncio
from partners_tui.app import make_app
from partners_tui.screens.overview import OverviewScreen
from partners_tui.store.clock import Clock
from partners_tui.store.commands import Store
from partners_tui.store.db import APP_CACHE_KIB
from partners_tui.store.queries import Scope
from partners_tui.screens.overview_data import read_overview

db, mode = sys.argv[2], sys.argv[3]
clock = Clock.fixed_at(sys.argv[4])
rounds = int(sys.argv[5])
store = Store.open(db, clock=clock, cache_kib=APP_CACHE_KIB)  # as run_app does
app = make_app(store, clock=clock)
results = {}
painted = asyncio.Event()
original_show = OverviewScreen._show

fill_times = []

def show(self, loaded):
    started = time.perf_counter()
    original_show(self, loaded)
    fill_times.append(time.perf_counter() - started)
    if loaded.overview is not None:
        self.app.call_after_refresh(painted.set)

OverviewScreen._show = show

async def wait_paint(label, started):
    await painted.wait()
    results.setdefault(label, []).append(time.perf_counter() - started)
    results.setdefault("fill: " + label, []).append(fill_times[-1])
    painted.clear()

async def scenario():
    await painted.wait()
    results["first_paint_since_process_start"] = time.time() - T0
    painted.clear()
    if mode == "startup":
        app.exit()
        return
    screen = app.screen
    assert isinstance(screen, OverviewScreen)
    # Like someone reading the Overview for a moment: the other main screens get built in that
    # idle time (PartnersApp.prebuild_modes); a scope change is then timed on its own.
    started = time.perf_counter()
    while not all(app.is_mode_built(m) for m in app.prebuild_modes) and time.perf_counter() - started < 30:
        await asyncio.sleep(0.1)
    results["screens built ahead after"] = time.perf_counter() - started
    await asyncio.sleep(0.3)
    event = screen.loaded.choices.events_of(None, False)[0]
    steps = [
        ("year all", Scope("all")),
        ("year 2025", Scope("year", 2025)),
        ("window 90 days", Scope("year", 2025, window_days=90)),
        ("include archived", Scope("year", 2025, window_days=90, include_archived=True)),
        ("one event", Scope("all", event_id=event.id)),
        ("back to auto", Scope()),
    ]
    for _round in range(rounds):
        for label, scope in steps:
            await asyncio.sleep(0.3)  # like a person between two changes
            started = time.perf_counter()
            app.set_scope(scope)
            await wait_paint(label, started)
            t = time.perf_counter()
            read_overview(store, scope, clock.today())
            results.setdefault("query only: " + label, []).append(time.perf_counter() - t)
    app.exit()

async def auto_pilot(pilot):
    await scenario()

app.run(headless=True, size=(140, 45), auto_pilot=auto_pilot)
store.close()
print("RESULTS " + json.dumps(results))
"""


def run_child(db: Path, mode: str, config_home: Path, rounds: int = 1) -> dict:
    env = {**os.environ, "XDG_CONFIG_HOME": str(config_home), "XDG_DATA_HOME": str(config_home)}
    started = time.time()
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, repr(started), str(db), mode, TODAY, str(rounds)],
        capture_output=True, text=True, env=env, timeout=600,
    )
    line = next((l for l in proc.stdout.splitlines() if l.startswith("RESULTS ")), None)
    if proc.returncode != 0 or line is None:
        raise SystemExit(f"benchmark child failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
    return json.loads(line[len("RESULTS "):])


def counts(db: Path) -> str:
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        parts = [
            f"{conn.execute(f'SELECT count(*) FROM {t}').fetchone()[0]:,} {t}"
            for t in ("partner", "event", "deal", "activity", "follow_up")
        ]
    finally:
        conn.close()
    return ", ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="/work/bench/large.db")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=5,
                        help="rounds of the six scope changes (the first is reported apart)")
    parser.add_argument("--workdir", default=None)
    args = parser.parse_args()
    source = Path(args.db)
    if not source.exists():
        raise SystemExit(f"{source} not found: generate it with "
                         f"`partners-tui --db {source} demo --size large --seed 1 --today {TODAY}`")
    work = Path(args.workdir or tempfile.mkdtemp(prefix="bench-overview-"))
    work.mkdir(parents=True, exist_ok=True)
    db = work / "overview.db"
    for suffix in ("", "-wal", "-shm"):
        src = Path(str(source) + suffix)
        if src.exists():
            shutil.copyfile(src, Path(str(db) + suffix))
    print(f"database: copy of {source} ({counts(db)})")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, headless {SIZE[0]}x{SIZE[1]}, "
          f"today {TODAY}")
    print(f"reference loop (3M additions in Python): {reference_loop() * 1000:.0f} ms CPU "
          "(this machine's speed varies: compare runs by it)")

    config = work / "config"
    run_child(db, "startup", config)  # warm-up: migrations (if any) and the OS file cache
    print("\nstart-up to first complete paint of the Overview (fresh process each; target < 1.5 s)")
    for i in range(args.runs):
        shutil.rmtree(config, ignore_errors=True)
        result = run_child(db, "startup", config)
        print(f"  run {i + 1}: {result['first_paint_since_process_start']:.3f} s")

    shutil.rmtree(config, ignore_errors=True)
    result = run_child(db, "scopes", config, args.rounds)
    print(f"\nother main screens built ahead {result['screens built ahead after']:.2f} s after the first paint")
    print(f"\nscope change to repainted (target < 200 ms), {args.rounds} rounds of the six changes in "
          "one app;\nthe first round reads each scope for the first time (colder caches)")
    print(f"  {'':<18} {'first':>7} {'median':>7} {'min':>6} {'max':>6}   filling widgets   "
          "query alone (median)")
    for label, seconds in result.items():
        if label.startswith(("query only", "first_paint", "fill", "screens built")):
            continue
        ms = [x * 1000 for x in seconds]
        later = ms[1:] or ms
        query = statistics.median(result["query only: " + label]) * 1000
        fill = statistics.median(result["fill: " + label]) * 1000
        print(f"  {label:<18} {ms[0]:7.0f} {statistics.median(later):7.0f} {min(later):6.0f} "
              f"{max(later):6.0f}   {fill:12.0f} ms   {query:14.0f} ms")
    print(f"\nreference loop at the end: {reference_loop() * 1000:.0f} ms CPU")
    shutil.rmtree(work, ignore_errors=True) if args.workdir is None else None


if __name__ == "__main__":
    main()
