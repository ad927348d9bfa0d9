"""Settings speed on a large database: the Settings screen's read, and each kind of settings write.

    python benchmarks/bench_settings.py [--db /work/bench/large.db] [--runs 5] [--workdir DIR]

The database is copied first (opening it may migrate it; the writes change it). Today is frozen
on 2026-11-22. Printed, in milliseconds:
1. `settings_view` (statuses with deal counts, goals per year, settings): median and max of
   `--runs` reads. This is what the Settings screen reads after every change.
2. One of each write: a probability change, a move, an annual goal, a setting. Each is one store
   command; the screen runs it on the UI thread, so it must stay well under a frame budget.
3. Merging the open status with the most deals into another open one (every deal moved and
   change-logged), which the screen runs in a worker, and undoing it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import tempfile
import time
from pathlib import Path

TODAY = dt.date(2026, 11, 22)


def ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="/work/bench/large.db")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workdir", default=None)
    args = parser.parse_args()

    from partners_tui.store.clock import Clock
    from partners_tui.store.commands import Store
    from partners_tui.store.queries.settings_view import settings_view

    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="bench-settings-"))
    workdir.mkdir(parents=True, exist_ok=True)
    copy = workdir / "settings.db"
    started = time.perf_counter()
    shutil.copy(args.db, copy)
    for suffix in ("-wal", "-shm"):
        if Path(args.db + suffix).exists():
            shutil.copy(args.db + suffix, str(copy) + suffix)
    print(f"copied {args.db} in {ms(started):,.0f} ms")

    started = time.perf_counter()
    store = Store.open(copy, clock=Clock.fixed_at(TODAY))
    print(f"open (with any migration): {ms(started):,.0f} ms")

    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        view = settings_view(store, TODAY)
        times.append(ms(started))
    deals = sum(s.deals for s in view.statuses)
    print(
        f"settings_view: median {statistics.median(times)} ms, max {max(times)} ms "
        f"({len(view.statuses)} statuses, {deals:,} deals, {len(view.goals)} years)"
    )

    open_statuses = [s for s in view.statuses if s.kind == "open"]
    first = open_statuses[0]
    for label, command in (
        ("update_status (probability)", lambda: store.update_status(first.key, {"probability": 33})),
        ("move_status", lambda: store.move_status(first.key, 1)),
        ("set_annual_goal", lambda: store.set_annual_goal(TODAY.year, 123456)),
        ("set_setting", lambda: store.set_setting("currency.symbol", "CA$")),
        ("undo (the setting)", store.undo),
    ):
        started = time.perf_counter()
        command()
        print(f"{label}: {ms(started)} ms")

    biggest = max(open_statuses, key=lambda s: s.deals)
    target = next(s for s in open_statuses if s.key != biggest.key)
    started = time.perf_counter()
    moved = store.merge_status(biggest.key, target.key)
    print(f"merge_status {biggest.key} -> {target.key}: {moved:,} deals in {ms(started):,.0f} ms")
    started = time.perf_counter()
    store.undo()
    print(f"undo the merge: {ms(started):,.0f} ms")
    store.close()
    if not args.workdir:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
