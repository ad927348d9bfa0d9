"""Two processes on one file do not corrupt it; SIGKILL in the middle of writes loses at most the
write under way."""

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

WRITER = textwrap.dedent(
    """
    import sys
    from partners_tui.store.commands import Store
    store = Store.open(sys.argv[1], who=sys.argv[2])
    event = store.create_event({"name": "E " + sys.argv[2], "year": 2026})
    for i in range(int(sys.argv[3])):
        p = store.create_partner({"name": f"{sys.argv[2]}-{i}"})
        store.create_deal({"partner_id": p, "event_id": event, "amount": i})
        print(i, flush=True)
    """
)


def spawn(db, who, n):
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db), who, str(n)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def check_consistent(db):
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    # every command that committed has its change rows, and every row its command
    assert conn.execute(
        "SELECT count(*) FROM command c WHERE c.name = 'partner.create' AND NOT EXISTS "
        "(SELECT 1 FROM change x WHERE x.command_id = c.id)"
    ).fetchone()[0] == 0
    partners = conn.execute("SELECT count(*) FROM partner").fetchone()[0]
    logged = conn.execute("SELECT count(*) FROM change WHERE entity='partner' AND op='insert'").fetchone()[0]
    assert partners == logged
    deals = conn.execute("SELECT count(*) FROM deal").fetchone()[0]
    conn.close()
    return partners, deals


def test_two_processes_writing_one_file_lose_nothing(db_path):
    from partners_tui.store.commands import Store

    Store.open(db_path).close()  # create and migrate first, as the app would
    procs = [spawn(db_path, who, 60) for who in ("ana", "ben")]
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert out.split()[-1] == "59"
    assert check_consistent(db_path) == (120, 120)


def test_sigkill_mid_write_loses_at_most_the_write_under_way(db_path):
    from partners_tui.store.commands import Store

    Store.open(db_path).close()
    for round_ in range(3):
        proc = spawn(db_path, f"w{round_}", 100_000)
        done = -1
        deadline = time.monotonic() + 60
        while done < 40 + 17 * round_ and time.monotonic() < deadline:
            done = int(proc.stdout.readline())
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        conn = sqlite3.connect(db_path)
        mine = conn.execute("SELECT count(*) FROM partner WHERE name LIKE ?", (f"w{round_}-%",)).fetchone()[0]
        mine_deals = conn.execute(
            "SELECT count(*) FROM deal d JOIN partner p ON p.id = d.partner_id WHERE p.name LIKE ?",
            (f"w{round_}-%",),
        ).fetchone()[0]
        conn.close()
        # `done` was printed after its deal committed, so done+1 partners and deals are durable
        # (the writer may be further ahead than what we read from the pipe).
        assert mine >= done + 1 and mine_deals >= done + 1
        # each partner is followed by its deal: the kill can only fall between the two commands
        assert mine_deals in (mine, mine - 1)
        check_consistent(db_path)
    # the file still opens and takes writes
    store = Store.open(db_path)
    store.create_partner({"name": "after the crash"})
    store.close()
    check_consistent(db_path)
