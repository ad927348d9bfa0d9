"""The whole report (DESIGN 4: KPIs, goal pace, pipeline, scoreboard, action queue, sync block)
on the small and the large demo database: warm in-process time, end to end, peak memory.

    python benchmarks/bench_report.py [--size small|large|both] [--db PATH ...] [--runs N]
                                      [--year auto] [--workdir DIR]

Databases: each `--db` given (copied first: opening a file may migrate it), else the demo of
each `--size` generated with `partners-tui demo --size S --seed 1 --today 2026-11-22` into a
cache dir (~/.cache/partners-tui-bench, or `--workdir`) and reused on the next run; the large one
takes a few minutes to generate.

For each database it prints:
1. warm: `build_report()` (the Overview's read with the queue as plain rows, then the JSON
   shaping) in one process with the database already open, after one warm-up run, each run's
   report freed within its run: median, min and max over `--runs` runs (targets: small
   < 20 ms, large < 150 ms), then the same split into the read (`read_report`), the rest of
   the call (`report_dict`) and the freeing of the report;
2. end to end: `partners-tui report --json` in a fresh process (start-up, imports, opening and
   the report, JSON written to a pipe), median of 3 (target < 2 s);
3. peak memory: the largest RSS of those processes (target < 300 MB), and the Python heap peak of
   one warm run (tracemalloc).
The machine's load average and the CPU time of each measurement are printed too: on a shared
machine wall times move with the load, CPU times much less.
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
import tracemalloc
from pathlib import Path

from machine_speed import reference_loop

TODAY = "2026-11-22"
TARGETS_MS = {"small": 20, "large": 150}
END_TO_END_S = 2.0
PEAK_MB = 300


def cache_dir(workdir: str | None) -> Path:
    base = Path(workdir) if workdir else Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    path = base / "partners-tui-bench"
    path.mkdir(parents=True, exist_ok=True)
    return path


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "partners_tui", *args]


def demo_db(size: str, workdir: str | None) -> Path:
    """The demo of `size` (seed 1, today 2026-11-22), generated once and cached."""
    path = cache_dir(workdir) / f"demo-{size}-seed1.sqlite3"
    if not path.exists():
        print(f"generating the {size} demo into {path} ...", flush=True)
        partial = path.with_suffix(".partial")
        for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
            leftover.unlink(missing_ok=True)
        subprocess.run(cli("--db", str(partial), "demo", "--size", size, "--seed", "1",
                           "--today", TODAY), check=True, stdout=subprocess.DEVNULL)
        partial.rename(path)
    return path


def copy_db(source: Path, into: Path) -> Path:
    target = into / source.name
    shutil.copyfile(source, target)
    for suffix in ("-wal", "-shm"):
        if Path(f"{source}{suffix}").exists():
            shutil.copyfile(f"{source}{suffix}", f"{target}{suffix}")
    return target


def warm(db: Path, runs: int, year: str) -> dict[str, list[float]]:
    """Seconds per run of `build_report()` in this process, after one warm-up, each run's report
    freed within its run (a warm process makes a report and lets it go): the read
    (`read_report`) and the rest (`report_dict`) timed inside it."""
    from partners_tui import report as report_module
    from partners_tui.store.clock import Clock
    from partners_tui.store.commands import Store

    store = Store.open(db, clock=Clock.fixed_at(TODAY))
    today = store.clock.today()
    out: dict[str, list[float]] = {"whole": [], "overview": [], "report_dict": [], "cpu": [],
                                   "free": []}
    read_report, read_ended = report_module.read_report, []

    def timed_read(*args, **kwargs):
        try:
            return read_report(*args, **kwargs)
        finally:
            read_ended.append(time.perf_counter())

    report_module.read_report = timed_read  # what build_report calls
    try:
        first = time.perf_counter()
        report_module.build_report(store, year=year, today=today)
        out["first"] = [time.perf_counter() - first]
        for _ in range(runs):
            c0, t0 = time.process_time(), time.perf_counter()
            data = report_module.build_report(store, year=year, today=today)
            t2 = time.perf_counter()
            out["items"], out["events"] = [len(data["action_items"])], [len(data["events"])]
            t3 = time.perf_counter()
            del data
            t4 = time.perf_counter()
            out["cpu"].append(time.process_time() - c0)
            out["whole"].append((t2 - t0) + (t4 - t3))
            out["overview"].append(read_ended[-1] - t0)
            out["report_dict"].append(t2 - read_ended[-1])
            out["free"].append(t4 - t3)
        tracemalloc.start()
        report_module.build_report(store, year=year, today=today)
        out["heap_mb"] = [tracemalloc.get_traced_memory()[1] / 2**20]
        tracemalloc.stop()
    finally:
        store.close()
    return out


def end_to_end(db: Path, year: str, times: int = 3) -> tuple[list[float], list[float], int, list[float]]:
    """Wall seconds and peak RSS (MB, read through os.wait4: that child's own) of
    `partners-tui report --json` in fresh processes, the JSON's size in bytes, and each child's
    CPU seconds (user + system)."""
    seconds, peaks, size = [], [], 0
    cpu: list[float] = []
    for _ in range(times):
        with tempfile.TemporaryFile() as sink:
            t0 = time.perf_counter()
            proc = subprocess.Popen(
                cli("--db", str(db), "report", "--json", "--today", TODAY, "--year", year),
                stdout=sink, stderr=subprocess.DEVNULL,
            )
            _, status, usage = os.wait4(proc.pid, 0)
            seconds.append(time.perf_counter() - t0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            if proc.returncode != 0:
                raise SystemExit(f"partners-tui report failed on {db} (exit {proc.returncode})")
            peaks.append(usage.ru_maxrss / 1024)  # KB on Linux
            cpu.append(usage.ru_utime + usage.ru_stime)
            size = sink.seek(0, os.SEEK_END)
    return seconds, peaks, size, cpu


def warm_in_child(db: Path, runs: int, year: str) -> dict[str, list[float]]:
    """`warm` in a child process: this one stays small, since a child's peak RSS as wait4
    reports it counts the pages it shared with its parent when forked."""
    out = subprocess.run(
        [sys.executable, __file__, "--warm-child", str(db), str(runs), year],
        check=True, capture_output=True, text=True,
    ).stdout
    return json.loads(out.splitlines()[-1])


def migrate_copy(db: Path) -> None:
    """Bring the copy to the latest schema in a child process (an older file is upgraded on
    first open; that one-off is not the report's time, nor this process's memory)."""
    subprocess.run(cli("--db", str(db), "report", "--json", "--today", TODAY), check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def ms(values: list[float]) -> str:
    v = sorted(x * 1000 for x in values)
    return f"median {statistics.median(v):8.1f} ms   min {v[0]:8.1f}   max {v[-1]:8.1f}   (n={len(v)})"


def verdict(ok: bool) -> str:
    return "ok" if ok else "OVER TARGET"


def bench(label: str, db: Path, runs: int, year: str, target_ms: float | None) -> None:
    print(f"\n== {label}: {db.name} ({db.stat().st_size / 2**20:,.0f} MB), year {year}")
    migrate_copy(db)
    seconds, peaks, size, cpu = end_to_end(db, year)
    w = warm_in_child(db, runs, year)
    print(f"  {int(w['events'][0]):,} events in scope, {int(w['items'][0]):,} action items")
    print(f"  first run after opening       {w['first'][0] * 1000:8.1f} ms")
    whole_median = statistics.median(w["whole"]) * 1000
    line = f"  warm build_report()          {ms(w['whole'])}"
    if target_ms:
        line += f"   target < {target_ms} ms: {verdict(whole_median < target_ms)}"
    print(line)
    print(f"    CPU time of those runs      {ms(w['cpu'])}")
    print(f"    of which read_report()      {ms(w['overview'])}")
    print(f"    of which the rest           {ms(w['report_dict'])}")
    print(f"    of which freeing the report {ms(w['free'])}")
    print(f"  Python heap peak (tracemalloc) {w['heap_mb'][0]:7.1f} MB")
    e2e = statistics.median(seconds)
    print(f"  end to end `report --json`    median {e2e:6.2f} s   (runs: "
          + ", ".join(f"{s:.2f}" for s in seconds) + f")   target < {END_TO_END_S} s: "
          + verdict(e2e < END_TO_END_S))
    print(f"    CPU time (user + system)    median {statistics.median(cpu):6.2f} s")
    print(f"  peak RSS of those processes   {max(peaks):7.1f} MB   target < {PEAK_MB} MB: "
          + verdict(max(peaks) < PEAK_MB) + f"   (JSON {size / 1024:,.0f} KB)")


def main() -> None:
    if sys.argv[1:2] == ["--warm-child"]:
        _, _, db, runs, year = sys.argv
        print(json.dumps(warm(Path(db), int(runs), year)))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=["small", "large", "both"], default="both")
    parser.add_argument("--db", action="append", default=[],
                        help="an existing database (repeatable); replaces --size")
    parser.add_argument("--runs", type=int, default=None, help="warm runs (default 30 small, 10 large)")
    parser.add_argument("--year", default="auto")
    parser.add_argument("--workdir", help="where generated demos are cached")
    args = parser.parse_args()
    try:
        load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = "unknown"
    print(f"partners-tui report benchmark, today {TODAY}; load average {load} on {os.cpu_count()} CPUs")
    print(f"reference loop (3M additions in Python): {reference_loop() * 1000:.0f} ms CPU")
    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
        if args.db:
            for raw in args.db:
                db = copy_db(Path(raw), Path(tmp))
                size = "large" if db.stat().st_size > 200 * 2**20 else "small"
                bench(raw, db, args.runs or (10 if size == "large" else 30), args.year,
                      TARGETS_MS[size])
                db.unlink()
            return
        for size in (["small", "large"] if args.size == "both" else [args.size]):
            db = copy_db(demo_db(size, args.workdir), Path(tmp))
            bench(f"{size} demo", db, args.runs or (10 if size == "large" else 30), args.year,
                  TARGETS_MS[size])
            db.unlink()


if __name__ == "__main__":
    main()
