"""The three-way field merge, case by case (pure function, no server)."""

from __future__ import annotations

from partners_tui.sync.merge import merge_row

T9, T10, T11, T12 = (f"2026-11-22T{h}:00:00.000Z" for h in (17, 18, 19, 20))
FIELDS = ("name", "notes", "amount_cents")


def merge(base, local, sheet, local_at=T10, sheet_at=T9):
    return merge_row("deal", "d1", FIELDS, base, local, sheet, local_updated_at=local_at, sheet_updated_at=sheet_at)


BASE = {"name": "Acme", "notes": "hi", "amount_cents": 100, "updated_at": T9}


def test_unchanged_on_both_sides_does_nothing():
    m = merge(BASE, dict(BASE), dict(BASE), local_at=T9)
    assert not m.apply and not m.conflicts


def test_changed_only_in_the_sheet_is_applied_here():
    m = merge(BASE, dict(BASE), {**BASE, "notes": "from sheet"}, local_at=T9)
    assert m.apply == {"notes": "from sheet"} and m.expect == {"notes": "hi"} and not m.conflicts
    assert m.updated_at is None  # a typed edit carries no newer time


def test_changed_only_here_is_kept_for_the_push():
    m = merge(BASE, {**BASE, "notes": "mine"}, dict(BASE))
    assert not m.apply and not m.conflicts


def test_a_blank_cell_clears_only_when_the_sheet_blanked_it():
    cleared = merge(BASE, dict(BASE), {**BASE, "notes": None}, local_at=T9)
    assert cleared.apply == {"notes": None}
    never_had = merge({**BASE, "notes": None}, {**BASE, "notes": "typed here"}, {**BASE, "notes": None})
    assert not never_had.apply and not never_had.conflicts


def test_same_change_on_both_sides_is_no_conflict():
    m = merge(BASE, {**BASE, "amount_cents": 200}, {**BASE, "amount_cents": 200})
    assert not m.apply and not m.conflicts


def test_conflict_goes_to_the_later_updated_at():
    # A teammate's push at 11:00 beats a local edit at 10:00.
    sheet_wins = merge(BASE, {**BASE, "amount_cents": 200}, {**BASE, "amount_cents": 300}, local_at=T10, sheet_at=T11)
    assert sheet_wins.apply == {"amount_cents": 300} and sheet_wins.updated_at == T11
    assert [(c.field, c.local, c.sheet, c.kept) for c in sheet_wins.conflicts] == [("amount_cents", 200, 300, "sheet")]
    # A local edit at 12:00 beats it.
    local_wins = merge(BASE, {**BASE, "amount_cents": 200}, {**BASE, "amount_cents": 300}, local_at=T12, sheet_at=T11)
    assert not local_wins.apply and local_wins.conflicts[0].kept == "local"


def test_a_typed_sheet_edit_counts_as_made_at_the_last_sync():
    m = merge(BASE, {**BASE, "notes": "mine"}, {**BASE, "notes": "typed"}, local_at=T10, sheet_at=T9)
    assert not m.apply and m.conflicts[0].kept == "local" and m.conflicts[0].sheet_updated_at == T9


def test_a_missing_column_counts_as_unchanged():
    sheet = {"name": "Acme", "amount_cents": 100}  # no notes column in the sheet
    m = merge(BASE, {**BASE, "notes": "mine"}, sheet)
    assert not m.apply and not m.conflicts


def test_without_a_base_differences_go_to_the_later_side():
    m = merge(None, {**BASE, "notes": "mine"}, {**BASE, "notes": "theirs"}, local_at=T10, sheet_at=T11)
    assert m.apply == {"notes": "theirs"} and m.conflicts[0].kept == "sheet"


def test_an_older_copy_in_the_sheet_does_not_undo_a_newer_sync():
    # The base was synced at 11:00; the sheet now holds a 09:00 copy (a teammate's stale push).
    base = {**BASE, "notes": "synced", "updated_at": T11}
    m = merge(base, dict(base), {**base, "notes": "old", "updated_at": T9}, local_at=T11, sheet_at=T9)
    assert not m.apply and m.conflicts[0].kept == "local"
