"""A screen's hold of the garbage collector from the start of a read to a moment after its paint.

The read and the refill that follows make thousands of objects: collecting meanwhile (on the
large demo's Overview, gen-1 collections of a few ms and now and then a full one of 25-70 ms)
delays the paint; after it, nobody waits. See `gc_pause`.
"""

from __future__ import annotations

import time
from functools import partial
from typing import Callable

from textual.widget import Widget

from partners_tui import gc_pause

HOLD_LIMIT = 3.0
"""The longest one hold lasts (from when it began), should a read never come back."""
AFTER_PAINT = 0.1
"""Seconds after the paint at which the collector runs again. Its first collection walks what
the change made (tens of ms on the large demo): at once, it would hold up whatever else was
waiting for that refresh, a key or the screen's next update."""


class PaintHold:
    """Reads are numbered by the owner (`generation()` is the latest); a read's paint lets go
    only if no later read has started, so a change made right after a paint keeps its hold."""

    def __init__(self, owner: Widget, generation: Callable[[], int]) -> None:
        self._owner = owner
        self._generation = generation
        self._holder = f"paint-hold-{id(owner)}"
        self._since: float | None = None

    def begin(self) -> None:
        """A read starts (held once however many start before a paint)."""
        if self._since is None:
            self._since = time.perf_counter()
            gc_pause.hold(self._holder)
            self._owner.set_timer(HOLD_LIMIT, self._limit)

    def painted(self) -> None:
        """The latest read is on screen: let go a moment after the refresh that paints it."""
        self._owner.call_after_refresh(
            self._owner.set_timer, AFTER_PAINT, partial(self.end, self._generation()))

    def end(self, generation: int | None = None) -> None:
        """Let go now; with `generation`, only if it is still the latest read."""
        if generation is None or generation == self._generation():
            self._since = None
            gc_pause.release(self._holder)

    def _limit(self) -> None:
        if self._since is None:
            return
        left = HOLD_LIMIT - (time.perf_counter() - self._since)
        if left > 0.01:  # let go and held again since this timer was set
            self._owner.set_timer(left, self._limit)
        else:
            self.end()
