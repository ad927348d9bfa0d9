"""The Overview's pieces on their own: money formatting, due labels, item keys, the pace bar's
arithmetic, scope edits and the pipeline table's layout as the width shrinks."""

from __future__ import annotations

from dataclasses import replace

from fractions import Fraction

import pytest
from textual.app import App, ComposeResult

from partners_tui.store.queries import ActionItem, Pipeline, PipelineRow, Scope
from partners_tui.store.queries.scope_choices import EventChoice, ScopeChoices
from partners_tui.widgets.kpi_card import CardValue, KpiCard
from partners_tui.widgets.money import Money, percent
from partners_tui.widgets.pace_bar import bar_cells, marker_cell
from partners_tui.widgets.pipeline_table import PipelineTable
from partners_tui.widgets.queue_preview import due_label, item_key
from partners_tui.widgets.scope_bar import with_archived, with_year
from partners_tui.widgets.sync_block import CONNECT_COMMAND, connect_lines

DOLLARS = Money()


@pytest.mark.parametrize(
    ("cents", "full", "short"),
    [
        (0, "$0", "$0"),
        (50, "$0.50", "$0.50"),
        (95_000, "$950", "$950"),  # under 1,000 units: never abbreviated
        (1_234_500, "$12,345", "$12.3k"),  # 12,345 / 1,000 = 12.345 → 12.3k
        (1_234_550, "$12,345.50", "$12.3k"),
        (12_345_600, "$123,456", "$123k"),  # 123.456k → 3 significant digits
        (99_999_900, "$999,999", "$1M"),  # 999,999 rounds to 1,000k: shown as 1M
        (456_000_000, "$4,560,000", "$4.56M"),
        (-200_000, "-$2,000", "-$2k"),
    ],
)
def test_money_full_and_short(cents, full, short):
    assert DOLLARS.full(cents) == full
    assert DOLLARS.short(cents) == short


def test_money_signed_whole_fit_and_symbol():
    assert DOLLARS.full(1_803_371, signed=True) == "+$18,033.71"
    # 18,033.71 rounds to 18,034; −0.50 rounds away from zero to −1
    assert DOLLARS.full(-1_803_371, whole=True) == "-$18,034"
    assert DOLLARS.full(-50, whole=True) == "-$1"
    assert DOLLARS.full(None) == "—"
    # "$4,560,000" is 10 characters: fits in 10, not in 9
    assert DOLLARS.fit(456_000_000, 10) == "$4,560,000"
    assert DOLLARS.fit(456_000_000, 9) == "$4.56M"
    euro = Money.from_settings({"currency.symbol": "€", "currency.code": "EUR"})
    assert euro.full(123_456) == "€1,234.56" and euro.code == "EUR"


def test_percent_trims_trailing_zeros():
    assert percent(20.0) == "20%"
    assert percent(92.13) == "92.13%"
    assert percent(5.3) == "5.3%"
    assert percent(1234.5) == "1,234.5%"
    assert percent(None) == "—"


def item(**kw) -> ActionItem:
    base = dict(
        kind="follow_up", follow_up_id="f1", deal_id="d1", partner_id="p1", partner="P",
        contact_id=None, contact=None, event_id="e1", event="E", status="pitched",
        status_label="Pitched", amount_cents=100, weighted_cents=20, due_date="2026-11-22",
        days_until_due=0, overdue=False, overdue_days=0, stale_days=None,
        stale_after_days=None, score=55, note=None,
    )
    base.update(kw)
    return ActionItem(**base)


def test_due_labels_and_item_keys():
    assert due_label(item(days_until_due=-3, overdue=True, overdue_days=3)) == "3d overdue"
    assert due_label(item(days_until_due=0)) == "Due today"
    assert due_label(item(days_until_due=4)) == "Due in 4d"
    stale = item(kind="stale", follow_up_id=None, due_date=None, days_until_due=None,
                 stale_days=18, stale_after_days=14)
    assert due_label(stale) == "Stale 18d"
    assert item_key(item()) == "follow_up:f1"
    assert item_key(stale) == "stale:d1"


def test_bar_cells_and_marker():
    # 20% of 40 cells = 8; anything above 0 shows at least one cell; over 100% fills the bar
    assert bar_cells(Fraction(1, 5), 40) == 8
    assert bar_cells(Fraction(1, 1000), 40) == 1
    assert bar_cells(Fraction(0), 40) == 0
    assert bar_cells(Fraction(3), 40) == 40
    # expected 82/89 of 40 cells = 36.85 → 37th cell, index 36
    assert marker_cell(Fraction(82, 89), 40) == 36
    assert marker_cell(Fraction(0), 40) == 0
    assert marker_cell(Fraction(2), 40) == 39


CHOICES = ScopeChoices((
    EventChoice("e27", "Blueprint", 2027, False),
    EventChoice("e26", "Hackathon", 2026, False),
    EventChoice("e25", "Summit", 2025, True),
))


def test_scope_edits_keep_the_event_only_when_it_still_fits():
    assert CHOICES.years(False) == (2027, 2026)
    assert CHOICES.years(True) == (2027, 2026, 2025)
    chosen = Scope("year", 2026, "e26")
    assert with_year(chosen, "2026", CHOICES).event_id == "e26"
    assert with_year(chosen, "2027", CHOICES) == Scope("year", 2027)
    assert with_year(chosen, "all", CHOICES) == Scope("all", None, "e26")
    assert with_year(chosen, "auto", CHOICES) == Scope()
    archived = Scope("all", None, "e25", include_archived=True)
    assert with_archived(archived, False, CHOICES) == Scope("all")
    assert with_archived(Scope("all", None, "e26"), True, CHOICES).event_id == "e26"


def test_connect_command_breaks_before_its_options_when_narrow():
    assert connect_lines(200) == [f"  {CONNECT_COMMAND}"]
    assert connect_lines(40) == [
        "  partners-tui sheets connect",
        "    --spreadsheet URL",
        "    --service-account KEY.json",
    ]


PIPELINE = Pipeline(
    rows=(
        PipelineRow("pitched", "Pitched", 2, 1, 250_000, 50_000, 33.34, 23.81, False, False),
        PipelineRow("confirmed", "Confirmed", 6, 1, 500_000, 500_000, 33.33, 47.62, True, False),
        PipelineRow("declined", "Declined", 8, 1, 300_000, 0, 33.33, 28.57, False, True),
    ),
    total_count=3, total_amount_cents=1_050_000, total_weighted_cents=550_000,
)


class Holder(App):
    def __init__(self, widget, width):
        super().__init__()
        self.widget, self.width = widget, width

    def compose(self) -> ComposeResult:
        self.widget.styles.width = self.width
        yield self.widget


@pytest.mark.parametrize(
    ("width", "bar", "count_share"),
    # columns: label 9 + 2 for the mark, deals 5, amount 7, % deals 7, % amount 8, gaps of 2:
    # 11 + 5 + 7 + 7 + 8 + 4 × 2 = 46 wide; the bar needs 2 + 6 more (inner width = width − 4)
    [(90, True, True), (56, False, True), (44, False, False)],
)
async def test_pipeline_table_gives_up_the_bar_then_the_count_share(width, bar, count_share):
    table = PipelineTable()
    async with Holder(table, width).run_test(size=(100, 20)) as pilot:
        table.show(PIPELINE, DOLLARS)
        await pilot.pause()
        text = table.render().plain
        lines = text.splitlines()
        assert lines[0].split() == ["Status", "Deals", "Amount", *(
            ["%", "deals"] if count_share else []), "%", "amount"]
        assert ("█" in text) == bar
        assert lines[2].startswith("✓ Confirmed") and "$5,000" in lines[2]
        assert lines[3].startswith("✗ Declined")
        assert lines[4].split()[:3] == ["Total", "3", "$10,500"]
        assert all(len(line) <= width - 4 for line in lines)  # border and padding


async def test_pipeline_table_draws_once_per_change_and_width(monkeypatch):
    """Textual asks for the height and the drawing several times per layout; the table draws
    once for each change of what it shows or of its width, and never shows an old drawing."""
    table = PipelineTable()
    drawn = []
    real = PipelineTable.render_width
    monkeypatch.setattr(PipelineTable, "render_width",
                        lambda self, width: drawn.append(width) or real(self, width))
    app = Holder(table, 90)
    async with app.run_test(size=(100, 20)) as pilot:
        await pilot.pause()
        drawn.clear()  # the empty table, as mounted
        table.show(PIPELINE, DOLLARS)
        await pilot.pause()
        assert "$5,000" in table.render().plain
        assert drawn == [86]  # 90 − border and padding
        fewer = replace(PIPELINE, rows=PIPELINE.rows[:1], total_count=1,
                        total_amount_cents=250_000)
        table.show(fewer, DOLLARS)
        await pilot.pause()
        assert "Confirmed" not in table.render().plain
        assert drawn == [86, 86]
        table.styles.width = 60
        await pilot.pause()
        assert drawn[-1] == 56 and len(drawn) == 3
        assert all(len(line) <= 56 for line in table.render().plain.splitlines())


async def test_kpi_card_abbreviates_only_when_narrow():
    card = KpiCard("Open pipeline", "explanation")
    value = CardValue("$4,560,000", "$4.56M", note="weighted $1,234,567",
                      note_short="weighted $1.23M", detail="$4,560,000 in all")
    async with Holder(card, 17).run_test(size=(40, 5)) as pilot:
        card.show(value)
        await pilot.pause()
        # 17 wide less 2 of padding = 15: "Open pipeline" (13) and "$4,560,000" (10) fit,
        # "weighted $1,234,567" (19) does not
        assert card.render().plain.split("\n") == ["Open pipeline", "$4,560,000",
                                                   "weighted $1.23M"]
        card.styles.width = 10  # 8 inside: "$4,560,000" (10) no longer fits
        await pilot.pause()
        assert card.render().plain.split("\n")[1] == "$4.56M"
        assert card.describe().startswith("Open pipeline: $4,560,000 in all. explanation")
