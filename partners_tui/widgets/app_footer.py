"""Textual's Footer, rebuilt only when the keys it would show have changed.

Textual's Footer recomposes (removes and mounts every key, restyling each one twice) whenever the
screen's bindings may have changed, which is every focus change: about fourteen times while the
Overview starts, ~100 ms of start-up on this project's machines. Most of those show the same keys.
"""

from __future__ import annotations

from textual.widgets import Footer


class AppFooter(Footer):
    """A Footer that skips a recompose when the keys, labels, states and tooltips it would show
    are those it shows already."""

    _shown: tuple | None = None

    def _keys_to_show(self) -> tuple:
        active = self.screen.active_bindings

        def shown(binding, enabled, tooltip) -> tuple:
            return (binding.key, self.app.get_key_display(binding), binding.description,
                    binding.action, enabled, tooltip, binding.group)

        palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        return (
            self.show_command_palette,
            tuple(shown(b, enabled, tooltip)
                  for (_node, b, enabled, tooltip) in active.values() if b.show),
            None if palette is None else shown(*palette[1:]),
        )

    async def recompose(self) -> None:
        # `_bindings_ready` is Footer's own (Textual is pinned exactly): before it, the footer
        # composes empty, and that must not be remembered as what it shows.
        if not self.is_attached or not self._bindings_ready:
            await super().recompose()
            return
        keys = self._keys_to_show()
        if keys == self._shown and self.children:
            return
        self._shown = keys
        await super().recompose()
