"""The one read behind the Overview: everything it shows for one scope, taken in a worker.

`read_overview` returns a `Loaded` (never raises for a bad scope: the screen falls back and says
why). Kept apart from the screen so a benchmark or a test can call exactly what the screen calls.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass

from partners_tui.store.queries import Overview, Scope, ScopeError, overview
from partners_tui.store.queries.common import reading
from partners_tui.store.queries.queue_refresh import last_command_id
from partners_tui.store.queries.scope import auto_year
from partners_tui.store.queries.scope_choices import ScopeChoices, scope_choices
from partners_tui.widgets.money import Money

PREVIEW_ITEMS = 6
"""Action items the Overview previews: the read builds only these (plus the queue's counts)."""


@dataclass(frozen=True)
class Loaded:
    """One read for one scope: everything the screen shows, or why it could not be read."""

    scope: Scope
    overview: Overview | None = None
    choices: ScopeChoices = ScopeChoices(())
    money: Money = Money()
    auto_year: int | None = None
    empty: bool = False
    error: ScopeError | None = None
    seconds: float = 0.0
    today: dt.date | None = None
    command_id: int = 0
    """The last write the read saw (`queue_refresh.last_command_id`): a screen shown again with
    the same scope, day and command id shows the same numbers without reading again."""


def read_overview(store, scope: Scope, today: dt.date) -> Loaded:
    """The whole read (runs in a worker thread). A scope that cannot be honoured comes back
    as `error` rather than raising, so the screen can fall back and say why."""
    started = time.perf_counter()
    with reading(store) as (conn, _clock):
        command_id = last_command_id(conn)  # first: a write during the read reads again
        auto = auto_year(conn, today)
    money = Money.from_settings(store.settings())
    choices = scope_choices(store)
    try:
        ov = overview(store, scope, today, queue_top=PREVIEW_ITEMS)
    except ScopeError as exc:
        return Loaded(scope, None, choices, money, auto, error=exc, today=today,
                      command_id=command_id)
    return Loaded(
        scope, ov, choices, money, auto, empty=store.is_empty(),
        seconds=time.perf_counter() - started, today=today, command_id=command_id,
    )


class EarlyRead:
    """The Overview's first read, started in a thread as the app is made, before Textual has
    set up its screens: on a large database the read takes longer than that set-up, and SQLite
    does most of it without holding the GIL, so the two overlap instead of following each other.

    The Overview's first load takes the result (`take`) when it asks for the same scope and
    day; any other read, and every later one, reads afresh. A failed early read is not
    reported here: the worker then reads again and reports its own error."""

    def __init__(self, store, scope: Scope, today: dt.date):
        self.scope, self.today = scope, today
        self._future: Future[Loaded] = Future()
        self._taken = False
        threading.Thread(target=self._run, args=(store,), name="overview-early-read",
                         daemon=True).start()

    def _run(self, store) -> None:
        try:
            self._future.set_result(read_overview(store, self.scope, self.today))
        except BaseException as exc:  # noqa: BLE001 - handed to whoever takes the result
            self._future.set_exception(exc)

    def take(self, scope: Scope, today: dt.date) -> Loaded | None:
        """The early result for this scope and day (waiting for it if needed), once; else None."""
        if self._taken or (scope, today) != (self.scope, self.today):
            return None
        self._taken = True
        try:
            return self._future.result()
        except Exception:  # noqa: BLE001 - the caller reads again and reports that error
            return None
