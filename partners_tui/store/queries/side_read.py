"""One read run in a second connection and thread beside the main read of the same request.

SQLite runs a query without holding Python's GIL, so on a large database the Overview's totals
(aggregates over tens of thousands of deals) and its action queue can be read at the same time
on two cores instead of one after the other. The two reads are two snapshots: they are used
together only when both saw the same last command (every write is a command), else the side
read is done again on the main connection, so the numbers always come from one state of the data.
"""

from __future__ import annotations

import threading
from typing import Any, Callable, Generic, TypeVar

from sqlalchemy import Connection

from partners_tui.store.queries.queue_refresh import last_command_id

T = TypeVar("T")


class SideRead(Generic[T]):
    """`read(conn)` started now in its own thread and connection when `source` is a Store;
    `result(conn)` gives its value as of the main connection's snapshot."""

    def __init__(self, source: Any, read: Callable[[Connection], T]):
        self._read = read
        self._outcome: tuple[int, T] | BaseException | None = None
        self._thread: threading.Thread | None = None
        if not isinstance(source, Connection) and hasattr(source, "read"):
            self._thread = threading.Thread(target=self._run, args=(source,), daemon=True,
                                            name="side-read")
            self._thread.start()

    def _run(self, store: Any) -> None:
        try:
            with store.read() as conn:
                self._outcome = (last_command_id(conn), self._read(conn))
        except BaseException as exc:  # noqa: BLE001 - re-raised by result() in the caller
            self._outcome = exc

    def wait(self) -> None:
        """Let the side read finish (its connection back in the pool) without its value: for
        a caller whose own read failed."""
        if self._thread is not None:
            self._thread.join()

    def result(self, conn: Connection) -> T:
        if self._thread is None:
            return self._read(conn)
        self._thread.join()
        outcome = self._outcome
        if isinstance(outcome, BaseException):
            raise outcome
        assert outcome is not None
        seen, value = outcome
        if seen != last_command_id(conn):  # a write landed between the two snapshots
            return self._read(conn)
        return value
