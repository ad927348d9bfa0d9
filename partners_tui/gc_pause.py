"""Holding off Python's cyclic garbage collector while someone waits, and letting it run after.

A collection walks every young tracked object, and Python starts one every 700 new objects. Work
that makes many objects at once pays for many walks that find little:
- start-up makes about 200,000 objects (imports, widgets, the first read): on the large demo,
  about 270 collections and 200 ms before the first paint;
- an Overview scope change runs a few, and now and then a full one (25–70 ms) that frees the
  reference cycles of the previous read's worker;
- the report's tens of thousands of rows and dicts hold no cycles at all.

So the collector is paused for the length of such work and resumes when it is done: the garbage
is collected once, when nobody waits (after the paint). Textual offers the same for scrolling
(`App.PAUSE_GC_ON_SCROLL`, off by default and here).

Holds are counted per holder and from any thread: the collector runs again when the last holder
lets go, and only if it was running when the first one came.
"""

from __future__ import annotations

import gc
import threading
from contextlib import contextmanager
from typing import Hashable, Iterator

START_UP = "start-up"
"""The holder from launch to the first screen painted (`partners-tui` with no command)."""

_lock = threading.Lock()
_holders: set[Hashable] = set()
_resume = False
"""Whether the collector was running when the first current holder came."""


def hold(holder: Hashable) -> None:
    """Pause the collector until `holder` lets go (holding again is one hold)."""
    global _resume
    with _lock:
        if not _holders:
            _resume = gc.isenabled()
            gc.disable()
        _holders.add(holder)


def release(holder: Hashable) -> None:
    """Let go for `holder` (nothing if it holds nothing); the last one out resumes the
    collector if the first one in found it running."""
    with _lock:
        if holder not in _holders:
            return
        _holders.discard(holder)
        if not _holders and _resume:
            gc.enable()


def holders() -> frozenset[Hashable]:
    """Who holds the collector off now (for tests and diagnostics)."""
    with _lock:
        return frozenset(_holders)


@contextmanager
def paused() -> Iterator[None]:
    """The collector held off for a block (nested and threaded blocks are separate holds)."""
    token = object()
    hold(token)
    try:
        yield
    finally:
        release(token)
