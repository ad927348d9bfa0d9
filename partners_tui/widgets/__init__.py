"""Reusable widgets: the screen switcher bar and KPI-style count cards."""

from partners_tui.widgets.count_card import CountCard
from partners_tui.widgets.screen_nav import NavEntry, ScreenNav

__all__ = ["CountCard", "NavEntry", "ScreenNav"]
