"""A layout after an off-screen widget changed arranges the screen once with our compositor, and
never inside another arrangement; Textual's own arranges it again when a widget asks for its
size, after the layout or during it.

If Textual stops arranging again after the layout, `test_textuals_own_arranges_once_more`
fails and that half of `FreshMapCompositor` can go. The test of the nested case asks a size
itself (as Textual's scrollbars do mid-arrangement on the Overview), so it shows only that
Textual still answers such a question by arranging again, not that its scrollbars still ask."""

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



async def depths_of_arrangements_when_a_size_is_asked(fresh: bool) -> list[int]:
    """While the compositor arranges the screen, Textual itself asks sizes: a scroll view whose
    content grew sets its scrollbar's `window_virtual_size`, whose refresh marks the scrollbar
    dirty, which asks its size. Here a size is asked at that point, after an off-screen change
    (the map is marked stale). Each arrangement's nesting depth (0: not nested)."""
    app = App()
    async with app.run_test(size=(60, 20)) as pilot:
        await app.push_screen(Tall(fresh))
        await pilot.pause()
        screen = app.screen
        compositor = screen._compositor
        asked = screen.query_one("#s20", Static)
        depth, arrangements = [0], []
        real = compositor._arrange_root

        def arrange(*args, **kwargs):
            arrangements.append(depth[0])
            depth[0] += 1
            try:
                if depth[0] == 1:
                    assert asked.size.width
                return real(*args, **kwargs)
            finally:
                depth[0] -= 1

        compositor._arrange_root = arrange
        screen.query_one("#s39", Static).update("changed")
        screen.query_one(DataTable).add_row(99)
        await pilot.pause()
        await pilot.pause()
        return arrangements


async def test_a_size_asked_while_arranging_is_answered_from_the_last_map():
    """On the large demo's Overview the nested arrangement was ~28 ms of every scope change."""
    depths = await depths_of_arrangements_when_a_size_is_asked(fresh=True)
    assert depths and all(d == 0 for d in depths), depths


async def test_textuals_own_arranges_again_inside_the_arrangement():
    depths = await depths_of_arrangements_when_a_size_is_asked(fresh=False)
    assert 1 in depths, depths
