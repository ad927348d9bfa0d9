"""`gc_pause`: holds of the garbage collector, counted per holder and across threads."""

from __future__ import annotations

import gc
import threading

from partners_tui import gc_pause
from partners_tui.store.queries.common import no_gc


def test_held_until_the_holder_lets_go():
    assert gc.isenabled()
    gc_pause.hold("a")
    assert not gc.isenabled()
    gc_pause.hold("a")  # again: still one hold
    assert gc_pause.holders() == {"a"}
    gc_pause.release("a")
    assert gc.isenabled() and not gc_pause.holders()


def test_runs_again_only_when_the_last_holder_lets_go():
    gc_pause.hold("a")
    gc_pause.hold("b")
    gc_pause.release("a")
    assert not gc.isenabled()
    gc_pause.release("b")
    assert gc.isenabled()


def test_letting_go_of_nothing_changes_nothing():
    gc_pause.release("nobody")
    assert gc.isenabled()
    gc_pause.hold("a")
    gc_pause.release("nobody")
    assert not gc.isenabled()
    gc_pause.release("a")
    assert gc.isenabled()


def test_a_collector_already_off_stays_off():
    gc.disable()
    try:
        gc_pause.hold("a")
        gc_pause.release("a")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_no_gc_inside_a_hold_does_not_end_it():
    """The query layer's `no_gc` (a worker thread's) within the app's hold (the UI thread's):
    before `gc_pause`, its exit re-enabled the collector under the app's feet."""
    gc_pause.hold("app")
    with no_gc():
        assert not gc.isenabled()
    assert not gc.isenabled()
    gc_pause.release("app")
    assert gc.isenabled()


def test_holds_from_two_threads():
    inside, done = threading.Event(), threading.Event()

    def worker():
        with no_gc():
            inside.set()
            done.wait(5)

    thread = threading.Thread(target=worker)
    thread.start()
    assert inside.wait(5)
    gc_pause.hold("app")
    gc_pause.release("app")
    assert not gc.isenabled()  # the worker still holds
    done.set()
    thread.join(5)
    assert gc.isenabled()


def test_partners_tui_holds_the_collector_from_launch_to_the_app(db_path, monkeypatch):
    """`partners-tui` with no command: held before the app's modules load (the app lets go once
    it has painted; tests/ui/test_gc_holds.py), and let go if the app ends without doing so."""
    from click.testing import CliRunner

    from partners_tui import app as app_module
    from partners_tui.cli import main

    seen = []
    monkeypatch.setattr(app_module, "run_app",
                        lambda path: seen.append((gc.isenabled(), gc_pause.holders())))
    result = CliRunner().invoke(main, ["--db", str(db_path)])
    assert result.exit_code == 0, result.output
    assert seen == [(False, frozenset({gc_pause.START_UP}))]
    assert gc.isenabled() and not gc_pause.holders()
