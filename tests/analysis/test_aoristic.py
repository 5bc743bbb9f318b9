"""Day × hour weights: points count where they happened, windows are spread evenly over the real hours they cover."""
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest

from analysis import aoristic as ao

STOCKHOLM = ZoneInfo("Europe/Stockholm")
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


def epoch(*args) -> int:
    return int(datetime(*args, tzinfo=STOCKHOLM).timestamp())


def windows(*rows) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=ao.WINDOW_COLUMNS)


def points(*rows) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=ao.POINT_COLUMNS)


@pytest.mark.parametrize("start, end, slots", [
    ((2026, 11, 20, 22, 13), (2026, 11, 21, 6, 51), 9),   # 22, 23, 0 … 6
    ((2026, 11, 20, 22, 0), (2026, 11, 21, 6, 0), 8),     # ends on the hour: 06 is not touched
    ((2026, 11, 20, 22, 30), (2026, 11, 20, 22, 30), 1),  # empty window: its start hour
    ((2026, 11, 20, 22, 30), (2026, 11, 20, 21, 0), 1),   # reversed window: treated as its start hour
])
def test_a_window_touches_the_clock_hours_from_its_start_hour_to_its_end(start, end, slots):
    assert ao.window_slots(epoch(*start), epoch(*end)) == slots


def test_a_night_window_adds_one_incident_split_evenly_over_its_hours():
    grid = ao.spread_windows(windows((date(2026, 11, 20), 22, 8, 1)))  # Friday 22:00, 8 hours
    assert grid.sum() == pytest.approx(1.0)
    expected = {(FRI, 22), (FRI, 23), *((SAT, h) for h in range(6))}
    assert {(d, h) for d, h in zip(*np.nonzero(grid))} == expected
    assert grid[FRI, 22] == pytest.approx(1 / 8) and grid[SAT, 5] == pytest.approx(1 / 8)


def test_a_grouped_row_spreads_its_whole_count():
    grid = ao.spread_windows(windows((date(2026, 11, 20), 22, 4, 6)))
    assert grid.sum() == pytest.approx(6.0) and grid[SAT, 1] == pytest.approx(1.5)


def test_across_the_spring_dst_change_the_missing_hour_gets_nothing():
    # 28 March 2026 22:00 to 29 March 06:00 local is 7 real hours: 02:00–03:00 does not exist that night.
    slots = ao.window_slots(epoch(2026, 3, 28, 22, 0), epoch(2026, 3, 29, 6, 0))
    assert slots == 7
    grid = ao.spread_windows(windows((date(2026, 3, 28), 22, slots, 1)))
    assert grid[SUN, 2] == 0
    assert [grid[SUN, h] for h in (0, 1, 3, 4, 5)] == pytest.approx([1 / 7] * 5)
    assert grid.sum() == pytest.approx(1.0)


def test_across_the_autumn_dst_change_the_repeated_hour_gets_two_shares():
    # 25 October 2026 00:00 to 04:00 local is 5 real hours: 02:00–03:00 happens twice.
    slots = ao.window_slots(epoch(2026, 10, 25, 0, 0), epoch(2026, 10, 25, 4, 0))
    assert slots == 5
    grid = ao.spread_windows(windows((date(2026, 10, 25), 0, slots, 1)))
    assert grid[SUN, 2] == pytest.approx(2 / 5) and grid[SUN, 3] == pytest.approx(1 / 5)


def test_windows_longer_than_seven_days_are_left_out_and_counted():
    result = ao.day_hour_weights(points((MON, 8, 3)),
                                 windows((date(2026, 6, 1), 0, ao.UNKNOWN, 4), (date(2026, 6, 2), 9, 2, 2)))
    assert (result.points, result.spread, result.left_out) == (3, 2, 4)
    assert result.total == pytest.approx(5.0)
    assert result.weights[MON, 8] == 3 and result.weights[TUE, 9] == pytest.approx(1.0)


def test_spreading_refuses_windows_too_long_to_place():
    with pytest.raises(ValueError):
        ao.spread_windows(windows((date(2026, 6, 1), 0, ao.MAX_SLOTS + 1, 1)))


def test_empty_input_gives_an_empty_grid():
    result = ao.day_hour_weights(points(), windows())
    assert result.weights.shape == (7, 24) and result.total == 0 and result.left_out == 0


def test_weekday_counts_tell_how_often_each_weekday_occurs():
    assert list(ao.weekday_counts(date(2026, 11, 2), date(2026, 11, 29))) == [4] * 7  # four whole weeks
    assert list(ao.weekday_counts(date(2026, 11, 26), date(2026, 11, 28))) == [0, 0, 0, 1, 1, 1, 0]


def test_per_day_weights_do_not_favour_a_weekday_that_occurs_more_often_in_the_period():
    # 1-29 November 2026: five Sundays, four of every other day; the same 2 incidents per day everywhere.
    grid = np.zeros((7, 24))
    counts = ao.weekday_counts(date(2026, 11, 1), date(2026, 11, 29))
    grid[:, 20] = 2 * counts
    result = ao.DayHour(weights=grid, points=int(grid.sum()), spread=0, left_out=0)
    assert counts[SUN] == 5 and list(result.per_day(date(2026, 11, 1), date(2026, 11, 29))[:, 20]) == [2.0] * 7


def test_as_long_lists_168_slots_with_their_weight():
    grid = np.zeros((7, 24))
    grid[SUN, 23] = 4
    long = ao.as_long(ao.DayHour(grid, 4, 0, 0))
    assert len(long) == 168 and long.iloc[-1].tolist() == [SUN, 23, 4.0]


def test_sql_style_epochs_match_the_python_slots_for_utc_instants():
    start = datetime(2026, 3, 28, 21, 13, tzinfo=timezone.utc)
    end = datetime(2026, 3, 29, 4, 51, tzinfo=timezone.utc)
    assert ao.window_slots(int(start.timestamp()), int(end.timestamp())) == 8
