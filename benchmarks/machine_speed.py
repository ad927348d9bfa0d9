"""How fast this machine runs Python right now, for reading benchmark numbers side by side.

The machines are shared and their speed moves (by up to 2x within an hour): each benchmark prints
this loop's CPU time so that two runs, or two machines, can be compared.
"""

from __future__ import annotations

import time


def reference_loop() -> float:
    """CPU seconds of a fixed pure-Python loop (3 million additions)."""
    t0 = time.process_time()
    x = 0
    for i in range(3_000_000):
        x += i * i
    return time.process_time() - t0
