"""The footer is rebuilt only when the keys it shows change, and then it does change."""

from __future__ import annotations

from partners_tui.screens.overview import OverviewScreen
from partners_tui.widgets.app_footer import AppFooter


def footer_text(app) -> str:
    footer = app.screen.query_one(AppFooter)
    return " ".join(str(key.render()) for key in footer.children)


async def test_footer_shows_a_key_that_appears_and_drops_it_again(filled_app):
    async with filled_app.run_test(size=(140, 45)) as pilot:
        await pilot.pause(0.3)
        screen = filled_app.screen
        assert isinstance(screen, OverviewScreen)
        assert "Cancel sync" not in footer_text(filled_app)
        screen._sheets_running = "push"  # as while a push runs: `x` cancels it
        screen.refresh_bindings()
        await pilot.pause(0.2)
        assert "Cancel sync" in footer_text(filled_app)
        screen._sheets_running = None
        screen.refresh_bindings()
        await pilot.pause(0.2)
        assert "Cancel sync" not in footer_text(filled_app)


async def test_focus_moves_without_new_keys_do_not_rebuild_the_footer(filled_app, monkeypatch):
    rebuilt = []
    real = AppFooter.__mro__[1].recompose  # Textual's own

    async def counting(self):
        rebuilt.append(self)
        await real(self)

    monkeypatch.setattr(AppFooter.__mro__[1], "recompose", counting)
    async with filled_app.run_test(size=(140, 45)) as pilot:
        await pilot.pause(0.3)
        shown = footer_text(filled_app)
        rebuilt.clear()
        for _ in range(4):  # between the scope pickers, the cards and the tables: same keys
            await pilot.press("tab")
            await pilot.pause(0.05)
        assert footer_text(filled_app) == shown
        # This screen's footer; the screens built ahead in idle time compose their own.
        assert filled_app.screen.query_one(AppFooter) not in rebuilt
