"""For panels whose drawing depends on their width and whose height is `auto`.

Textual measures an auto height by calling `render()`. A render that asks for `content_size`
then, in the middle of a layout, makes the compositor arrange the whole screen again just to
answer: on the Overview that was about 35 ms of every scope change, for the pace card alone.
Such a widget implements `render_width(width)` instead: the height is measured at the width
Textual is laying out, and `render()` draws at the width the layout gave.

Textual asks for the height and the drawing several times per layout (the pipeline table was
drawn 7 times per Overview scope change, ~2 ms each on the large demo), always at the same
width: the last drawing is kept until the width changes or `redraw()` says that what it shows
has changed. (A drawing is `Content` whose styles are looked up when it is painted, so a theme
or focus change needs no redraw.)
"""

from __future__ import annotations

from textual.content import Content
from textual.geometry import Size


class RendersToWidth:
    """Mixin for a Widget: implement `render_width`; `render` and the auto height use it."""

    _drawn: tuple[int, Content] | None = None

    def render_width(self, width: int) -> Content:
        raise NotImplementedError

    def _at_width(self, width: int) -> Content:
        drawn = self._drawn
        if drawn is None or drawn[0] != width:
            drawn = self._drawn = (width, self.render_width(width))
        return drawn[1]

    def redraw(self) -> None:
        """What `render_width` draws has changed: draw again, and lay out (the height may
        change). Every change of what the widget shows goes through here."""
        self._drawn = None
        self.refresh(layout=True)  # type: ignore[attr-defined]

    def render(self) -> Content:
        return self._at_width(self.content_size.width)  # type: ignore[attr-defined]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if not width:
            return 0
        return self._at_width(width).get_height(self.styles, width)  # type: ignore[attr-defined]
