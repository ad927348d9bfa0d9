"""Fuzzy partner matching for `partners-tui log PARTNER` (store/queries/partner_match.py)."""

from __future__ import annotations

import pytest

from partners_tui.store.queries.partner_match import match_partner, normalize

NAMES = [
    "Acme Analytics", "Acme Analytics Europe", "Northwind Ventures", "Initech", "Initech Labs",
    "Fern & Finch, Inc.", "Café Olé", "Globex Foundation", "[bold]Wayne[/] Enterprises",
]


@pytest.fixture
def partners(store):
    ids = {name: store.create_partner({"name": name}) for name in NAMES}
    ids["Old Archived Co"] = store.create_partner({"name": "Old Archived Co"})
    store.archive_partner(ids["Old Archived Co"])
    ids["Globex Ghost"] = store.create_partner({"name": "Globex Ghost"})
    store.archive_partner(ids["Globex Ghost"])
    return ids


def test_normalize():
    assert normalize("  Fern & Finch, Inc. ") == "fern & finch inc"
    assert normalize("Café  OLÉ") == "cafe ole"


@pytest.mark.parametrize(
    "query, expected",
    [
        ("initech", "Initech"),  # the whole name beats the longer "Initech Labs"
        ("INITECH LABS", "Initech Labs"),
        ("north", "Northwind Ventures"),  # start of the name
        ("ventures", "Northwind Ventures"),  # anywhere
        ("acme analytics europe", "Acme Analytics Europe"),
        ("acme an eu", "Acme Analytics Europe"),  # the start of every word
        ("fern and", None),  # "and" is not "&": no match, reported, not guessed
        ("fern finch", "Fern & Finch, Inc."),
        ("cafe ole", "Café Olé"),
        ("globx foundaton", "Globex Foundation"),  # close spelling
        ("wayne", "[bold]Wayne[/] Enterprises"),
        ("old archived", "Old Archived Co"),  # archived only when nothing visible matches
    ],
)
def test_single_best_match(store, partners, query, expected):
    found = match_partner(store, query)
    if expected is None:
        assert found.partner is None and found.candidates == ()
        assert "no partner matches" in found.problem()
    else:
        assert found.partner is not None and found.partner.name == expected
        assert found.problem() is None


def test_visible_partner_beats_an_archived_one(store, partners):
    found = match_partner(store, "globex")
    assert found.partner.name == "Globex Foundation"


def test_ambiguous_lists_every_equally_good_candidate(store, partners):
    found = match_partner(store, "acme")
    assert found.ambiguous and found.partner is None
    assert [c.name for c in found.candidates] == ["Acme Analytics", "Acme Analytics Europe"]
    problem = found.problem()
    assert "'acme' matches 2 partners" in problem
    assert partners["Acme Analytics"] in problem and partners["Acme Analytics Europe"] in problem


def test_an_id_is_exact(store, partners):
    found = match_partner(store, partners["Acme Analytics"])
    assert found.partner.name == "Acme Analytics"


def test_many_candidates_are_cut_with_a_count(store):
    for n in range(14):
        store.create_partner({"name": f"Alder {n:02d}"})
    found = match_partner(store, "alder", limit=10)
    assert found.ambiguous and len(found.candidates) == 10 and found.total == 14
    assert "matches 14 partners" in found.problem() and "… and 4 more" in found.problem()


def test_blank_query_matches_nothing(store, partners):
    assert match_partner(store, "  ").candidates == ()
