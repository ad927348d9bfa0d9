"""A layout after an off-screen widget changed arranges the screen once with our compositor;
Textual's own arranges it twice (the second when a scroll view asks for its size). If Textual
stops doing that, the second test fails and `FreshMapCompositor` can go."""

from __future__ import annotations

from textual.app import App
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Static

from partners_tui.screens.compositor import FreshMapCompositor


class Tall(Screen):
    """A table on screen and, below it, more lines than fit: the last one is off-screen."""

    def __init__(self, fresh: bool) -> None:
        super().__init__()
        if fresh:
            self._compositor = FreshMapCompositor()

    def compose(self):
        with VerticalScroll():
            table = DataTable()
            table.add_column("n")
            table.add_rows([(i,) for i in range(5)])
            yield table
            for i in range(40):
                yield Static(f"line {i}", id=f"s{i}")


async def arrangements_after_an_off_screen_change(fresh: bool) -> tuple[int, int]:
    """(layouts, whole-screen arrangements) while the screen takes in the changes."""
    app = App()
    async with app.run_test(size=(60, 20)) as pilot:
        await app.push_screen(Tall(fresh))
        await pilot.pause()
        screen = app.screen
        compositor = screen._compositor
        calls, layouts = [], []
        real, reflow = compositor._arrange_root, compositor.reflow
        compositor._arrange_root = lambda *a, **k: calls.append(1) or real(*a, **k)
        compositor.reflow = lambda *a, **k: layouts.append(1) or reflow(*a, **k)
        off_screen = screen.query_one("#s39", Static)
        assert off_screen.region.y >= 20  # below the fold
        off_screen.update("changed")
        screen.query_one(DataTable).add_row(99)  # a scroll view on screen changes too
        await pilot.pause()
        await pilot.pause()
        return len(layouts), len(calls)


async def test_our_compositor_arranges_once_per_layout():
    layouts, arrangements = await arrangements_after_an_off_screen_change(fresh=True)
    assert layouts >= 1 and arrangements == layouts


async def test_textuals_own_arranges_once_more():
    layouts, arrangements = await arrangements_after_an_off_screen_change(fresh=False)
    assert layouts >= 1 and arrangements == layouts + 1


async def test_main_screens_use_it(filled_app):
    async with filled_app.run_test(size=(140, 45)) as pilot:
        await pilot.pause(0.3)
        assert isinstance(filled_app.screen._compositor, FreshMapCompositor)


async def test_an_overview_scope_change_arranges_the_screen_once_per_layout(filled_app):
    """With panels below the fold (a short terminal), a scope change lays the screen out
    without a second whole-screen arrangement: none from the compositor's map (above), none
    from an auto-height panel asking its size while being measured (`RendersToWidth`)."""
    from partners_tui.store.queries import Scope

    async with filled_app.run_test(size=(140, 24)) as pilot:
        for _ in range(10):
            await pilot.pause()
            await filled_app.workers.wait_for_complete()
        compositor = filled_app.screen._compositor
        calls, layouts = [], []
        real, reflow = compositor._arrange_root, compositor.reflow
        compositor._arrange_root = lambda *a, **k: calls.append(1) or real(*a, **k)
        compositor.reflow = lambda *a, **k: layouts.append(1) or reflow(*a, **k)
        for scope in (Scope("all"), Scope()):
            filled_app.set_scope(scope)
            for _ in range(10):
                await pilot.pause()
                await filled_app.workers.wait_for_complete()
        assert layouts and len(calls) == len(layouts)
