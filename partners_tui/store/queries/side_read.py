"""Reads run in a second connection and thread beside the main read of the same request.

SQLite runs a query without holding Python's GIL, so on a large database the Overview's totals
(aggregates over tens of thousands of deals) and its action queue can be read at the same time
on two cores instead of one after the other. The reads beside are one snapshot, the main read
another: a value from beside is used only when both saw the same last command (every write is a
command), else that read is done again on the main connection, so the numbers always come from
one state of the data.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, Callable

from sqlalchemy import Connection

from partners_tui.store.queries.queue_refresh import last_command_id


@dataclass(frozen=True)
class _Failed:
    error: BaseException


class SideRead:
    """`reads` run now, in order, in one thread and connection of their own when `source` is a
    Store; `result(conn, step)` gives read `step`'s value (an index into `reads`, so -1 is the
    last) as of the main connection's snapshot, as soon as that read is done (a caller can use
    the first while the next still runs)."""

    def __init__(self, source: Any, *reads: Callable[[Connection], Any]):
        self._reads = reads
        self._outcomes: list[Any] = [None] * len(reads)
        self._done = [threading.Event() for _ in reads]
        self._seen: int | None = None
        self._thread: threading.Thread | None = None
        if not isinstance(source, Connection) and hasattr(source, "read"):
            self._thread = threading.Thread(target=self._run, args=(source,), daemon=True,
                                            name="side-read")
            self._thread.start()

    def _run(self, store: Any) -> None:
        try:
            with store.read() as conn:
                self._seen = last_command_id(conn)
                for step, read in enumerate(self._reads):
                    self._outcomes[step] = read(conn)
                    self._done[step].set()
        except BaseException as exc:  # noqa: BLE001 - re-raised by result() in the caller
            # Given to every read not done yet. One raised as the connection is given back,
            # after every read is done, changes none of their values: it is dropped.
            for step, done in enumerate(self._done):
                if not done.is_set():
                    self._outcomes[step] = _Failed(exc)
                    done.set()

    def wait(self) -> None:
        """Let the reads finish (their connection back in the pool) without their values: for
        a caller whose own read failed."""
        if self._thread is not None:
            self._thread.join()

    def result(self, conn: Connection, step: int = 0) -> Any:
        read = self._reads[step]
        if self._thread is None:
            return read(conn)
        self._done[step].wait()
        outcome = self._outcomes[step]
        if isinstance(outcome, _Failed):
            raise outcome.error
        if self._seen != last_command_id(conn):  # a write landed between the two snapshots
            return read(conn)
        return outcome
