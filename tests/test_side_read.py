"""The Overview's totals (and the stale half of its queue's counts) read beside its queue, in a
second connection: the numbers still come from one state of the data, even when a write lands
between the two snapshots."""

from __future__ import annotations

import threading

from sqlalchemy import text

from partners_tui.store.queries.side_read import SideRead


def partner_names(conn) -> list[str]:
    return [r[0] for r in conn.execute(text("SELECT name FROM partner ORDER BY name"))]


def test_side_read_runs_in_another_thread_and_gives_its_value(store):
    store.create_partner({"name": "Acme"})
    threads = []

    def read(conn):
        threads.append(threading.current_thread())
        return partner_names(conn)

    with store.read() as conn:
        assert SideRead(store, read).result(conn) == ["Acme"]
    assert threads and threads[0] is not threading.current_thread()


def test_a_write_between_the_two_snapshots_is_not_mixed_in(store):
    store.create_partner({"name": "Acme"})
    with store.read() as conn:
        assert partner_names(conn) == ["Acme"]  # the main snapshot starts here
        store.create_partner({"name": "Brand New"})  # committed by another connection
        side = SideRead(store, partner_names)  # its own snapshot sees the new partner...
        assert side.result(conn) == ["Acme"]  # ...so it is read again on the main one
    with store.read() as conn:
        assert SideRead(store, partner_names).result(conn) == ["Acme", "Brand New"]


def test_on_a_plain_connection_it_reads_in_line(store):
    store.create_partner({"name": "Acme"})
    with store.read() as conn:
        threads = []
        side = SideRead(conn, lambda c: threads.append(threading.current_thread()) or partner_names(c))
        assert side.result(conn) == ["Acme"]
        assert threads == [threading.current_thread()]


def test_an_error_in_the_side_read_reaches_the_caller(store):
    def broken(conn):
        raise ValueError("no such thing")

    with store.read() as conn:
        side = SideRead(store, broken)
        try:
            side.result(conn)
        except ValueError as exc:
            assert str(exc) == "no such thing"
        else:
            raise AssertionError("the side read's error was lost")


def test_wait_lets_the_side_read_finish_without_its_value(store):
    done = []
    side = SideRead(store, lambda conn: done.append(partner_names(conn)))
    side.wait()  # as overview() does when its own read fails
    assert done == [[]]


def test_each_read_beside_is_ready_as_soon_as_it_is_done(store):
    """The first value is given while the second read still runs (the queue's head is ranked
    meanwhile), in the order the reads were given."""
    store.create_partner({"name": "Acme"})
    release = threading.Event()
    order = []

    def second(conn):
        assert release.wait(10), "the caller never took the first value"
        order.append("second")
        return len(partner_names(conn))

    with store.read() as conn:
        side = SideRead(store, lambda c: order.append("first") or partner_names(c), second)
        assert side.result(conn, 0) == ["Acme"]  # the second read is still waiting
        assert order == ["first"]
        release.set()
        assert side.result(conn, 1) == 1
    assert order == ["first", "second"]


def test_every_read_beside_is_done_again_after_a_write_between_the_snapshots(store):
    store.create_partner({"name": "Acme"})
    with store.read() as conn:
        assert partner_names(conn) == ["Acme"]
        store.create_partner({"name": "Brand New"})
        side = SideRead(store, partner_names, lambda c: len(partner_names(c)))
        assert (side.result(conn, 0), side.result(conn, 1)) == (["Acme"], 1)


def test_an_error_in_a_read_beside_reaches_every_step_after_it(store):
    def broken(conn):
        raise ValueError("no such thing")

    with store.read() as conn:
        side = SideRead(store, broken, partner_names)
        for step in (0, 1):
            try:
                side.result(conn, step)
            except ValueError as exc:
                assert str(exc) == "no such thing"
            else:
                raise AssertionError(f"step {step}: the side read's error was lost")
