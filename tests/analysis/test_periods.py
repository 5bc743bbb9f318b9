"""Periods follow ISO weeks and the Stockholm calendar."""
from datetime import date, datetime, timezone

import pytest

from analysis.periods import (default_period, describe, is_iso_week, iso_week_bounds, previous_period,
                              today_stockholm, week_of, week_start)


def test_week_47_of_2026_runs_monday_16_to_sunday_22_november():
    assert iso_week_bounds(2026, 47) == (date(2026, 11, 16), date(2026, 11, 22))


def test_2026_has_a_week_53_that_ends_in_2027():
    assert iso_week_bounds(2026, 53) == (date(2026, 12, 28), date(2027, 1, 3))
    assert week_of(date(2027, 1, 3)) == (2026, 53)


def test_2025_has_no_week_53():
    with pytest.raises(ValueError):
        iso_week_bounds(2025, 53)


def test_a_sunday_and_the_following_monday_start_different_weeks():
    assert week_start(date(2026, 11, 22)) == date(2026, 11, 16)
    assert week_start(date(2026, 11, 23)) == date(2026, 11, 23)


def test_previous_period_is_equally_long_and_adjacent():
    assert previous_period(date(2026, 11, 1), date(2026, 11, 28)) == (date(2026, 10, 4), date(2026, 10, 31))


def test_default_period_is_28_days_ending_today():
    start, end = default_period(date(2026, 11, 28))
    assert (start, end) == (date(2026, 11, 1), date(2026, 11, 28))


def test_a_monday_to_sunday_period_is_described_as_that_week():
    d = describe(date(2026, 11, 16), date(2026, 11, 22))
    assert (d.kind, d.week) == ("week", 47)
    assert not is_iso_week(date(2026, 11, 17), date(2026, 11, 23))
    assert describe(date(2026, 11, 1), date(2026, 11, 28)).kind == "days"


def test_today_in_stockholm_is_already_tomorrow_late_in_the_utc_evening():
    assert today_stockholm(datetime(2026, 6, 30, 22, 30, tzinfo=timezone.utc)) == date(2026, 7, 1)
