"""Demo generation and import speed, at both demo sizes: seconds, rows per second, peak memory.

    python benchmarks/bench_demo_import.py [--size small|large|both] [--workdir DIR]

Each measurement runs in a fresh subprocess (so peak RSS is that step's own), on a new database:
1. `partners-tui demo --size S --seed 1`: every row written (partners, contacts, events, deals,
   status-history rows, activities, follow-ups).
2. The demo written out in the reference CRM's formats (not timed), then imported into an empty
   database: `import csv` (one row per person and link) and `import biztech` (partners, links,
   events and communications: every activity of the demo as a communication).
3. The same file imported again (nothing changes; the idempotence check's cost).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TODAY = "2026-11-22"
REUSE = False  # --reuse-demo: keep a demo database already in --workdir


CHILD = """
import resource, sys
from partners_tui.cli import main
try:
    main.main(args=sys.argv[1:], prog_name="partners-tui")
finally:
    sys.stderr.write("\\nMAXRSS %d\\n" % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def run_step(args: list[str]) -> tuple[float, float, str]:
    """Run `partners-tui ARGS` in a fresh child: wall seconds (start-up included) and that
    child's own peak RSS in MB."""
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", CHILD, *args], capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{proc.stderr}")
    peak_kb = int(proc.stderr.rsplit("MAXRSS", 1)[1].split()[0])
    return seconds, peak_kb / 1024, proc.stdout + proc.stderr


def count_rows(db: Path) -> dict[str, int]:
    con = sqlite3.connect(db)
    try:
        out = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
               for t in ("partner", "contact", "event", "deal", "activity", "follow_up")}
        out["status history"] = con.execute(
            "SELECT count(*) FROM change WHERE entity='deal' AND field='status' AND op='update'"
        ).fetchone()[0]
        return out
    finally:
        con.close()


def ms(stamp: str | None) -> int | None:
    if not stamp:
        return None
    import datetime as dt

    return int(dt.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.timezone.utc).timestamp() * 1000)


def write_biztech(db: Path, path: Path) -> int:
    """The demo database in the reference's JSON shape (streamed, never all in memory)."""
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        fh.write('{"events": [')
        for i, e in enumerate(con.execute("SELECT * FROM event")):
            tiers = [{"id": f"t{k}", "label": t["label"], "amount": t["amount_cents"] / 100}
                     for k, t in enumerate(json.loads(e["tier_presets"] or "[]"))]
            rec = {"id": e["id"], "name": e["name"], "year": e["year"],
                   "outreachStartDate": e["outreach_start"], "startDate": e["start_date"],
                   "endDate": e["end_date"], "tierConfigs": tiers, "notes": e["notes"],
                   "sponsorshipGoal": None if e["goal_cents"] is None else e["goal_cents"] / 100,
                   "archived": bool(e["archived"])}
            fh.write(("," if i else "") + json.dumps(rec)); n += 1
        fh.write('],\n"partners": [')
        q = """SELECT c.*, p.name AS company, p.tier AS ptier, p.tags AS ptags, p.is_alumni AS alumni
               FROM contact c JOIN partner p ON p.id = c.partner_id"""
        for i, c in enumerate(con.execute(q)):
            rec = {"id": c["id"], "company": c["company"], "contactName": c["name"], "email": c["email"],
                   "phone": c["phone"], "contactRole": c["title"], "tier": c["ptier"], "notes": c["notes"],
                   "tags": [t.strip() for t in (c["ptags"] or "").split(",") if t.strip()],
                   "isAlumni": bool(c["alumni"]), "archived": bool(c["archived"]),
                   "createdAt": ms(c["created_at"]), "updatedAt": ms(c["updated_at"])}
            fh.write(("," if i else "") + json.dumps(rec)); n += 1
        fh.write('],\n"links": [')
        q = """SELECT d.*, e.year AS eyear, nf.due AS fu
               FROM deal d JOIN event e ON e.id = d.event_id
               LEFT JOIN (SELECT deal_id, min(due_date) AS due FROM follow_up
                          WHERE deal_id IS NOT NULL AND done_at IS NULL GROUP BY deal_id) nf
                      ON nf.deal_id = d.id
               WHERE d.contact_id IS NOT NULL"""
        for i, d in enumerate(con.execute(q)):
            rec = {"id": d["id"], "partnerId": d["contact_id"], "eventId": d["event_id"], "eventYear": d["eyear"],
                   "status": d["status"], "packageTier": d["package_tier"], "role": d["role"], "notes": d["notes"],
                   "amount": None if d["amount_cents"] is None else d["amount_cents"] / 100,
                   "followUpDate": d["fu"], "createdAt": ms(d["created_at"]), "updatedAt": ms(d["updated_at"])}
            fh.write(("," if i else "") + json.dumps(rec)); n += 1
        fh.write('],\n"communications": [')
        q = """SELECT a.*, e.year AS eyear FROM activity a LEFT JOIN event e ON e.id = a.event_id
               WHERE a.contact_id IS NOT NULL"""
        for i, a in enumerate(con.execute(q)):
            rec = {"id": a["id"], "partnerId": a["contact_id"], "subject": a["subject"], "summary": a["summary"],
                   "channel": a["channel"], "direction": a["direction"], "occurredAt": ms(a["occurred_at"]),
                   "eventId": a["event_id"], "eventYear": a["eyear"],
                   "createdAt": ms(a["created_at"]), "updatedAt": ms(a["updated_at"])}
            fh.write(("," if i else "") + json.dumps(rec)); n += 1
        fh.write("]}\n")
    con.close()
    return n


def report(label: str, seconds: float, rows: int, peak_mb: float) -> None:
    print(f"  {label:<34} {seconds:8.2f} s  {rows:>10,} rows  {rows / seconds:>10,.0f} rows/s  peak {peak_mb:7.1f} MB", flush=True)


def bench(size: str, work: Path) -> None:
    print(f"\n== {size} ==", flush=True)
    demo_db = work / f"demo-{size}.sqlite3"
    if REUSE and demo_db.exists():
        rows = count_rows(demo_db)
        print(f"  (reusing {demo_db}: demo generation not timed)", flush=True)
    else:
        for p in work.glob(f"*-{size}.*"):
            p.unlink()
        seconds, peak, _ = run_step(["--db", str(demo_db), "demo", "--size", size, "--seed", "1", "--today", TODAY])
        rows = count_rows(demo_db)
        report("demo generate", seconds, sum(rows.values()), peak)
    print("    " + ", ".join(f"{k} {v:,}" for k, v in rows.items()), flush=True)

    csv_path = work / f"ref-{size}.csv"
    run_step(["--db", str(demo_db), "export", "csv", str(csv_path)])
    json_path = work / f"ref-{size}.json"
    n_json = write_biztech(demo_db, json_path)
    n_csv = sum(1 for _ in csv_path.open()) - 1
    print(f"    reference files: CSV {n_csv:,} rows ({csv_path.stat().st_size / 1e6:.1f} MB), "
          f"JSON {n_json:,} records ({json_path.stat().st_size / 1e6:.1f} MB)", flush=True)

    for kind, path, n in (("csv", csv_path, n_csv), ("biztech", json_path, n_json)):
        db = work / f"import-{kind}-{size}.sqlite3"
        seconds, peak, _ = run_step(["--db", str(db), "import", kind, str(path)])
        report(f"import {kind} (new database)", seconds, n, peak)
        seconds, peak, out = run_step(["--db", str(db), "import", kind, str(path)])
        assert "Nothing changed" in out, out
        report(f"import {kind} again (no change)", seconds, n, peak)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=("small", "large", "both"), default="both")
    parser.add_argument("--workdir", type=Path, default=None, help="keep the databases and files here")
    parser.add_argument("--reuse-demo", action="store_true",
                        help="with --workdir: time only the imports, on the demo already there")
    args = parser.parse_args()
    global REUSE
    REUSE = args.reuse_demo
    sizes = ("small", "large") if args.size == "both" else (args.size,)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; each step a fresh process (start-up included); peak = its max RSS")
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
        for size in sizes:
            bench(size, args.workdir)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            for size in sizes:
                bench(size, Path(tmp))


if __name__ == "__main__":
    main()
