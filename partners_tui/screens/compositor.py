"""The main screens' compositor, with a Textual layout inefficiency mended.

When a widget outside the visible area changes (the Overview's queue preview below the fold on
a large database, say), Textual marks its map of every widget's place stale, then arranges the
whole screen for the layout. While the mark is set, any widget that asks for its size makes it
arrange the whole screen again:
- after the layout, which leaves the mark (each scroll view asks, right after): 15-30 ms of
  every scope change on the large demo's Overview;
- during the layout, nested in it (a scroll view whose content grew updates its scrollbar, which
  asks its size): ~28 ms more.
`reflow` arranges every widget, visible or not. This compositor clears the mark after it, and
during it lets the previous map answer, as Textual does when nothing off-screen changed.

Relies on `Compositor.reflow` and `_full_map_invalidated` (Textual 8.2.8, pinned exactly);
`tests/ui/test_compositor.py` fails if a layout arranges the screen twice again.
"""

from __future__ import annotations

from textual._compositor import Compositor, ReflowResult
from textual.geometry import Size
from textual.widget import Widget


class FreshMapCompositor(Compositor):
    def reflow(self, parent: Widget, size: Size) -> ReflowResult:
        if self._full_map:
            # While arranging, a scroll view that shows or hides a scrollbar marks itself dirty,
            # which asks its size: with the mark set, that arranged the whole screen again,
            # nested in this arrangement. Sizes asked meanwhile come from the last map, as they
            # do when no off-screen widget changed.
            self._full_map_invalidated = False
        result = super().reflow(parent, size)
        self._full_map_invalidated = False  # reflow arranged every widget, visible or not
        return result
