"""Google Sheets sync speed and memory against the fake Sheets v4 server (tests/sync/fake_sheets.py).

    python benchmarks/bench_sync.py [--only small|50k] [--workdir DIR]

Two data sets, generated with the demo generator around 2026-11-22:
  small  the small demo (400 partners, 15 events, 2,000 deals, 10,000 activities)
  50k    12,500 partners, 60 events, 50,000 deals, 100,000 activities

For each, against an empty spreadsheet on a fake server running in its own process (so its
memory is not counted), each step runs in a fresh Python process, which reports wall seconds,
the HTTP calls it made (retries included) and its peak RSS (and the RSS after imports, before
the step, for reference):

  1. push       first push to the empty spreadsheet (creates the tabs)
  2. push       again, nothing changed
  3. pull       nothing changed in the sheet
  4. pull       after people edited 100 cells, typed 10 new Deals rows and deleted 10 rows
  5. sync       pull + push

With the large demo (--large, default /work/bench/large.db, copied first): a push is refused
over the 10-million-cell limit after counting rows in SQL, before any row is built or sent.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FAKE = ROOT / "tests" / "sync" / "fake_sheets.py"
SHEET = "bench-sheet-000001"
TODAY = "2026-11-22"

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[5])
from fake_sheets import LocalSheetsSession
from partners_tui.store.clock import Clock
from partners_tui.store.commands import Store
from partners_tui.sync.service import SheetsSync
from partners_tui.sync.settings import SheetsSettings

step, db, url, sheet = sys.argv[1:5]
base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
store = Store.open(db, clock=Clock.fixed_at(sys.argv[6]))
sync = SheetsSync(store, SheetsSettings(sheet), session=LocalSheetsSession(url))
from partners_tui.sync.errors import SyncError
t = time.perf_counter()
try:
    result = getattr(sync, step)()
    calls, summary = result.api_calls, result.summary()
except SyncError as exc:
    calls, summary = None, f"refused: {exc}"
seconds = time.perf_counter() - t
print(json.dumps({
    "seconds": seconds, "api_calls": calls, "summary": summary,
    "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "base_rss_mb": base_rss,
}))
"""


def generate(db: Path, size: str) -> dict:
    from partners_tui.store import demo
    from partners_tui.store.clock import Clock
    from partners_tui.store.commands import Store

    demo.SIZES.setdefault("bench50k", demo.Size(partners=12_500, events=60, deals=50_000, activities=100_000))
    store = Store.open(db, clock=Clock.fixed_at(TODAY))
    started = time.perf_counter()
    counts = demo.generate(store, size=size, seed=1, today=Clock.fixed_at(TODAY).today())
    store.close()
    return {"seconds": time.perf_counter() - started, **counts}


def run_step(step: str, db: Path, url: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, step, str(db), url, SHEET, str(FAKE.parent), TODAY],
        capture_output=True, text=True, cwd=ROOT,
    )
    if out.returncode != 0:
        raise SystemExit(f"step {step} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def people_edit(url: str) -> None:
    """100 typed cells, 10 typed rows without ids, 10 deleted rows, through the HTTP API."""
    import requests

    base = f"{url}/v4/spreadsheets/{SHEET}"
    meta = requests.get(base).json()
    deals = next(s["properties"] for s in meta["sheets"] if s["properties"]["title"] == "Deals")
    rows = requests.get(f"{base}/values/'Deals'", params={"valueRenderOption": "UNFORMATTED_VALUE"}).json()["values"]
    header = rows[0]
    notes = chr(65 + header.index("notes"))
    data = [{"range": f"'Deals'!{notes}{r}", "values": [[f"typed note {r}"]]} for r in range(2, 202, 2)]
    requests.post(f"{base}/values:batchUpdate", json={"valueInputOption": "USER_ENTERED", "data": data}).raise_for_status()
    first = rows[1]
    n = len(rows)
    requests.post(f"{base}:batchUpdate", json={"requests": [{"updateSheetProperties": {
        "properties": {"sheetId": deals["sheetId"], "gridProperties": {"rowCount": deals["gridProperties"]["rowCount"] + 10}},
        "fields": "gridProperties.rowCount"}}]}).raise_for_status()
    new = [["", first[1], first[2], "", "", "pitched", "", "Mentor", 500 + i] for i in range(10)]
    requests.post(f"{base}/values:batchUpdate", json={"valueInputOption": "USER_ENTERED", "data": [
        {"range": f"'Deals'!A{n + 1}", "values": new}]}).raise_for_status()
    requests.post(f"{base}:batchUpdate", json={"requests": [{"deleteDimension": {"range": {
        "sheetId": deals["sheetId"], "dimension": "ROWS", "startIndex": 300, "endIndex": 310}}}]}).raise_for_status()


def bench(name: str, size: str, workdir: Path) -> None:
    db = workdir / f"{name}.sqlite3"
    if db.exists():
        db.unlink()
    print(f"\n== {name}: generating …", flush=True)
    made = generate(db, size)
    print("   " + ", ".join(f"{k} {v:,}" for k, v in made.items() if k != "seconds") + f" ({made['seconds']:.0f}s)")
    server = subprocess.Popen([sys.executable, str(FAKE), SHEET], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        url = server.stdout.readline().strip()
        steps = [("push", "first push, empty spreadsheet"), ("push", "push again, nothing changed"),
                 ("pull", "pull, nothing changed"), ("pull", "pull after 100 edits, 10 new, 10 deleted rows"),
                 ("sync", "sync (pull + push)")]
        print(f"   {'step':<48} {'seconds':>8} {'API calls':>9} {'peak RSS':>10} {'after imports':>14}")
        for i, (step, label) in enumerate(steps):
            if i == 3:
                people_edit(url)
            r = run_step(step, db, url)
            print(f"   {label:<48} {r['seconds']:>8.2f} {r['api_calls'] or '-':>9} {r['rss_mb']:>8.0f}MB {r['base_rss_mb']:>12.0f}MB")
            print(f"      {r['summary']}")
    finally:
        server.stdin.close()
        server.wait(timeout=10)


def bench_large(source: Path, workdir: Path) -> None:
    """The large demo (1,000,000 activities) is over the cell limit: how fast is the refusal?"""
    import shutil

    db = workdir / "large.sqlite3"
    print(f"\n== large demo ({source}): copying …", flush=True)
    shutil.copy(source, db)
    server = subprocess.Popen([sys.executable, str(FAKE), SHEET], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        url = server.stdout.readline().strip()
        r = run_step("push", db, url)
        print(f"   push refused after counting: {r['seconds']:.2f}s, peak RSS {r['rss_mb']:.0f}MB")
        print(f"      {r['summary']}")
    finally:
        server.stdin.close()
        server.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["small", "50k", "large"])
    parser.add_argument("--large", type=Path, default=Path("/work/bench/large.db"),
                        help="the large demo database for the over-the-limit check (copied first)")
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-sync-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"bench_sync: python {sys.version.split()[0]}, work dir {workdir}")
    if args.only in (None, "small"):
        bench("small demo", "small", workdir)
    if args.only in (None, "50k"):
        bench("50,000 deals", "bench50k", workdir)
    if args.only in (None, "large") and args.large.exists():
        bench_large(args.large, workdir)


if __name__ == "__main__":
    main()
