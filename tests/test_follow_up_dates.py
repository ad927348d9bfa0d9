"""Follow-up date shortcuts (store/follow_up_dates.py). Today is Sunday 2026-11-22 throughout."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, strategies as st

from partners_tui.store.follow_up_dates import (
    FollowUpDateError, describe_day, parse_follow_up_date, shortcuts,
)

SUNDAY = dt.date(2026, 11, 22)
WEDNESDAY = dt.date(2026, 11, 25)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("+2d", "2026-11-24"),  # 22 + 2
        ("+1w", "2026-11-29"),  # 22 + 7
        ("+2w", "2026-12-06"),  # 22 + 14 = 36 → 36 − 30 (November) = 6 December
        ("+10d", "2026-12-02"),  # 22 + 10 = 32 → 2 December
        ("+0d", "2026-11-22"),
        (" +3D ", "2026-11-25"),  # case and spaces do not matter
        ("today", "2026-11-22"),
        ("tomorrow", "2026-11-23"),
        ("next monday", "2026-11-23"),  # Sunday → Monday is the next day
        ("monday", "2026-11-23"),
        ("fri", "2026-11-27"),  # Sunday 22 + 5
        ("next sunday", "2026-11-29"),  # never today: a week ahead
        ("2026-12-01", "2026-12-01"),
        ("2028-02-29", "2028-02-29"),  # a leap day is real
    ],
)
def test_shortcuts_from_sunday(text, expected):
    assert parse_follow_up_date(text, SUNDAY).isoformat() == expected


def test_next_week_follows_the_first_day_setting():
    # From Wednesday 25 Nov: next Monday is 30 Nov (+5), next Sunday is 29 Nov (+4).
    assert parse_follow_up_date("next week", WEDNESDAY, "monday") == dt.date(2026, 11, 30)
    assert parse_follow_up_date("next week", WEDNESDAY, "sunday") == dt.date(2026, 11, 29)
    # From Sunday 22 Nov with Sunday first, next week starts a full week later.
    assert parse_follow_up_date("next week", SUNDAY, "sunday") == dt.date(2026, 11, 29)


@pytest.mark.parametrize(
    "text, message",
    [
        ("2026-02-30", "not a real date"),
        ("2026-13-01", "not a real date"),
        ("2027-02-29", "not a real date"),  # 2027 is not a leap year
        ("", "required"),
        ("soon", "is not a date"),
        ("+2x", "is not a date"),
        ("2026-11-21", "in the past"),
        ("+9999w", "ten years"),
    ],
)
def test_bad_dates_are_refused_with_a_reason(text, message):
    with pytest.raises(FollowUpDateError, match=message):
        parse_follow_up_date(text, SUNDAY)


def test_past_dates_allowed_when_asked():
    assert parse_follow_up_date("2026-11-01", SUNDAY, allow_past=True) == dt.date(2026, 11, 1)


def test_shortcuts_resolve_and_skip_bad_choices():
    found = shortcuts(["+2d", "+1w", "bogus", "next monday", "+1w"], SUNDAY)
    assert [s.choice for s in found] == ["+2d", "+1w", "next monday"]
    assert [s.day.isoformat() for s in found] == ["2026-11-24", "2026-11-29", "2026-11-23"]
    assert found[1].label == "+1w  Sun 29 Nov"


def test_describe_day():
    assert describe_day(SUNDAY, SUNDAY) == "today"
    assert describe_day(dt.date(2026, 11, 23), SUNDAY) == "tomorrow"
    assert describe_day(dt.date(2026, 11, 27), SUNDAY) == "in 5d"
    assert describe_day(dt.date(2026, 11, 19), SUNDAY) == "3d ago"


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31)),
       st.integers(min_value=0, max_value=500))
def test_offsets_add_exactly(today, n):
    assert parse_follow_up_date(f"+{n}d", today) == today + dt.timedelta(days=n)
    assert parse_follow_up_date(f"+{n}w", today) == today + dt.timedelta(weeks=n)


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31)),
       st.sampled_from(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]))
def test_weekday_names_land_one_to_seven_days_ahead_on_that_day(today, name):
    day = parse_follow_up_date(name, today)
    assert 1 <= (day - today).days <= 7
    assert day.strftime("%A").lower() == name
