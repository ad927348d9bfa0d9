"""Fixtures for the Pilot and snapshot tests: the app around the temporary store and frozen clock
of tests/conftest.py, empty or with the fixed sample data."""

from __future__ import annotations

import pytest

from partners_tui.app import PartnersApp, make_app
import ui_sample


@pytest.fixture
def filled_store(store):
    ui_sample.fill(store)
    return store


@pytest.fixture
def app(store, clock) -> PartnersApp:
    """The app on an empty database (the welcome screen shows)."""
    return make_app(store, clock=clock)


@pytest.fixture
def filled_app(filled_store, clock) -> PartnersApp:
    return make_app(filled_store, clock=clock)
