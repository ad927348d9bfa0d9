"""What every main screen shares: header, screen switcher bar, footer, and a reload hook.

Main screens are Textual *modes* (one stack each), so switching keeps each screen's state
(scroll position, cursor) and each screen's own bindings show in the footer only while it is
current. `reload()` runs every time a screen becomes current (`ScreenResume`) and whenever the
app says the data changed (a demo load, an undo) while it is current; a screen whose data is
costly to read (Overview, Events, Partners, Settings) reads again only if something was written
since its last read (or its scope changed), so no screen shows stale numbers. Screens other than
the Overview are built ahead in idle time (`PartnersApp.prebuild_mode`) and read once then.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header

from partners_tui.screens.compositor import FreshMapCompositor
from partners_tui.widgets import NavEntry, ScreenNav
from partners_tui.widgets.app_footer import AppFooter

if TYPE_CHECKING:
    from partners_tui.app import PartnersApp


class MainScreen(Screen[None]):
    """Base for Overview, Events, Partners and Action Queue."""

    MODE: ClassVar[str] = ""
    KEY: ClassVar[str] = ""
    LABEL: ClassVar[str] = ""
    PURPOSE: ClassVar[str] = ""
    """One or two sentences on what the screen is for (shown on the help screen)."""

    BINDINGS = [
        Binding("r", "reload", "Reload", tooltip="Read this screen's data from the database again"),
    ]

    app: "PartnersApp"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._compositor = FreshMapCompositor()  # one arrangement per layout (see its module)

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        yield ScreenNav(
            [NavEntry(cls.MODE, cls.KEY, cls.LABEL) for cls in self.app.main_screens],
            current=self.MODE,
        )
        with VerticalScroll(id="body", can_focus=False):
            yield from self.compose_body()
        yield AppFooter()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.watch(self.app, "loading_demo", self._show_loading)

    def _show_loading(self, loading: bool) -> None:
        self.query_one("#body").loading = loading

    def on_screen_resume(self) -> None:
        # A screen built ahead can get its resume while the app is closing, after its widgets
        # are gone: there is nothing to fill then.
        if self.is_attached and self.query("#body"):
            self.reload()

    def action_reload(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Read from the store and update the widgets; the store is fast enough to do it inline
        for these small reads (heavy reads belong in a worker)."""
