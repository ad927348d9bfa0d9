"""For panels whose drawing depends on their width and whose height is `auto`.

Textual measures an auto height by calling `render()`. A render that asks for `content_size`
then, in the middle of a layout, makes the compositor arrange the whole screen again just to
answer: on the Overview that was about 35 ms of every scope change, for the pace card alone.
Such a widget implements `render_width(width)` instead: the height is measured at the width
Textual is laying out, and `render()` draws at the width the layout gave.
"""

from __future__ import annotations

from textual.content import Content
from textual.geometry import Size


class RendersToWidth:
    """Mixin for a Widget: implement `render_width`; `render` and the auto height use it."""

    def render_width(self, width: int) -> Content:
        raise NotImplementedError

    def render(self) -> Content:
        return self.render_width(self.content_size.width)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if not width:
            return 0
        return self.render_width(width).get_height(self.styles, width)
