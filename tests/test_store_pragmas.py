"""Connection settings: the app's larger page cache, the default elsewhere."""

from sqlalchemy import text

from partners_tui.store.commands import Store
from partners_tui.store.db import APP_CACHE_KIB


def cache_size(store: Store) -> int:
    with store.read() as conn:
        return conn.execute(text("PRAGMA cache_size")).scalar()


def test_the_app_opens_with_its_page_cache_and_commands_keep_sqlites(db_path, clock):
    plain = Store.open(db_path, clock=clock)
    try:
        assert cache_size(plain) == -2000  # SQLite's default: 2,000 KiB
    finally:
        plain.close()
    app_store = Store.open(db_path, clock=clock, cache_kib=APP_CACHE_KIB)
    try:
        assert cache_size(app_store) == -APP_CACHE_KIB
    finally:
        app_store.close()


def test_run_app_opens_the_store_with_the_apps_cache(db_path, monkeypatch):
    from partners_tui import app as app_module

    stores: list[Store] = []
    seen: list[int] = []
    real_open = Store.open

    def open_and_keep(*args, **kwargs):
        stores.append(real_open(*args, **kwargs))
        return stores[-1]

    class NoRun:  # the app itself is not started: only how its store was opened matters
        def run(self):
            seen.append(cache_size(stores[-1]))

    monkeypatch.setattr(app_module.Store, "open", open_and_keep)
    monkeypatch.setattr(app_module, "make_app", lambda store: NoRun())
    app_module.run_app(db_path)
    assert seen == [-APP_CACHE_KIB]


def test_bulk_commands_open_with_the_bulk_cache_and_others_do_not(db_path, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from partners_tui.cli import BULK_CACHE_KIB, main

    asked: list[int | None] = []
    real_open = Store.open

    def recording(*args, **kwargs):
        asked.append(kwargs.get("cache_kib"))
        return real_open(*args, **kwargs)

    monkeypatch.setattr(Store, "open", recording)
    runner = CliRunner()
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    runner.invoke(main, ["--db", str(db_path), "import", "csv", str(empty)])
    runner.invoke(main, ["--db", str(db_path), "report", "--today", "2026-11-22"])
    assert asked == [BULK_CACHE_KIB, None]
