"""Reusable widgets: the screen switcher bar, KPI tiles, tables and lists of the main screens."""

from partners_tui.widgets.screen_nav import NavEntry, ScreenNav

__all__ = ["NavEntry", "ScreenNav"]
