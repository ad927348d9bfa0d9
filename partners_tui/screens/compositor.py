"""The main screens' compositor, with one Textual layout inefficiency mended.

When a widget outside the visible area changes (the Overview's queue preview below the fold on
a large database, say), Textual marks its map of every widget's place stale, then arranges the
whole screen for the layout, but leaves the mark: the next widget that asks for its size (each
scroll view does, right after the layout) makes it arrange the whole screen a second time. On
the large demo's Overview that second arrangement was 15-30 ms of every scope change. `reflow`
has just arranged every widget, visible or not; this compositor records that the map is fresh.

Relies on `Compositor.reflow` and `_full_map_invalidated` (Textual 8.2.8, pinned exactly);
`tests/ui/test_compositor.py` fails if a layout arranges the screen twice again.
"""

from __future__ import annotations

from textual._compositor import Compositor, ReflowResult
from textual.geometry import Size
from textual.widget import Widget


class FreshMapCompositor(Compositor):
    def reflow(self, parent: Widget, size: Size) -> ReflowResult:
        result = super().reflow(parent, size)
        self._full_map_invalidated = False  # reflow arranged every widget, visible or not
        return result
