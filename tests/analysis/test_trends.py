"""Weekly and monthly series: whole ISO-week and month buckets, the seasonal baseline, control limits and flags."""
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binomtest

from analysis import trends as tr


def counts(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["bucket", "group", "count"])


def test_weekly_buckets_start_on_monday_and_monthly_ones_on_the_first():
    assert tr.bucket_start(date(2026, 11, 26), "week") == date(2026, 11, 23)
    assert tr.bucket_start(date(2026, 11, 26), "month") == date(2026, 11, 1)
    assert tr.bucket_end(date(2026, 12, 1), "month") == date(2026, 12, 31)
    assert tr.next_bucket(date(2026, 12, 1), "month") == date(2027, 1, 1)
    assert tr.bucket_end(date(2026, 12, 28), "week") == date(2027, 1, 3)


def test_buckets_between_are_the_whole_buckets_the_period_touches():
    assert tr.buckets_between(date(2026, 10, 30), date(2026, 11, 26), "week") == [
        date(2026, 10, 26), date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23)]
    assert tr.buckets_between(date(2026, 10, 30), date(2026, 11, 26), "month") == [date(2026, 10, 1),
                                                                                  date(2026, 11, 1)]


def test_an_unknown_period_is_refused():
    with pytest.raises(ValueError, match="Okänd period"):
        tr.bucket_start(date(2026, 1, 1), "quarter")


@pytest.mark.parametrize("year, has_53", [(2026, True), (2025, False), (2020, True), (2015, True), (2021, False)])
def test_week_53_exists_only_in_long_iso_years(year, has_53):
    assert tr.has_week_53(year) is has_53


def test_week_53_borrows_week_52_from_a_year_without_one_and_keeps_53_where_it_exists():
    week_53 = date.fromisocalendar(2026, 53, 1)
    assert tr.same_bucket_years_back(week_53, 1, "week") == date.fromisocalendar(2025, 52, 1)
    assert tr.same_bucket_years_back(week_53, 6, "week") == date.fromisocalendar(2020, 53, 1)


def test_the_same_iso_week_a_year_back_can_lie_in_another_calendar_month():
    week_1 = date.fromisocalendar(2026, 1, 1)  # ISO week 1 of 2026 starts on 29 Dec 2025
    assert week_1 == date(2025, 12, 29) and week_1.isocalendar()[:2] == (2026, 1)
    assert tr.same_bucket_years_back(week_1, 1, "week") == date(2024, 12, 30)
    assert tr.same_bucket_years_back(date(2026, 3, 1), 3, "month") == date(2023, 3, 1)


def test_series_ranges_cover_the_shown_weeks_the_lead_in_and_three_earlier_years_without_overlap():
    ranges = tr.series_ranges(date(2026, 11, 9), date(2026, 11, 15), period="week")
    shown = date(2026, 11, 9)
    lead = shown - timedelta(days=21)
    assert (lead, date(2026, 11, 15)) in ranges
    for k in (1, 2, 3):
        back = tr.same_bucket_years_back(shown, k, "week")
        assert any(a <= back and back + timedelta(days=6) <= b for a, b in ranges)
    assert all(b1 < a2 for (_, b1), (a2, _) in zip(ranges, ranges[1:]))
    assert all(a.weekday() == 0 and b.weekday() == 6 for a, b in ranges)


def test_the_year_over_year_range_starts_with_week_1_of_last_iso_year():
    ((start, end),) = tr.year_over_year_range(date(2026, 11, 26), period="week")
    assert start == date.fromisocalendar(2025, 1, 1) and end == date(2026, 11, 29)
    assert tr.year_over_year_range(date(2026, 11, 26), period="month") == ((date(2025, 1, 1), date(2026, 11, 30)),)


@pytest.mark.parametrize("baseline, years", [(9.0, 3), (14.0, 3), (100.0, 1), (200.0, 3), (1000.0, 3)])
def test_control_limits_are_the_counts_the_exact_conditional_test_does_not_reject(baseline, years):
    lower, upper = tr.control_limits([baseline], [years])
    total, p = round(baseline * years), 1 / (years + 1)
    # Independent check with scipy's exact binomial test, one-sided at 0.135 %.
    def rejected(x, alternative):
        return binomtest(x, x + total, p, alternative=alternative).pvalue < tr.ALPHA
    assert not rejected(int(upper[0]), "greater") and rejected(int(upper[0]) + 1, "greater")
    assert not rejected(int(lower[0]), "less") and (lower[0] == 0 or rejected(int(lower[0]) - 1, "less"))


def test_for_large_counts_the_limits_approach_baseline_plus_minus_three_sigma_of_the_difference():
    lower, upper = tr.control_limits([1000.0], [3])
    half = 3 * np.sqrt(1000 * (1 + 1 / 3))
    assert abs(upper[0] - (1000 + half)) <= 4 and abs(lower[0] - (1000 - half)) <= 4


def test_after_three_years_without_any_a_handful_is_still_normal():
    lower, upper = tr.control_limits([0.0], [3])
    assert (lower[0], upper[0]) == (0, 4)  # (1/4)^4 ≈ 0.4 % is not rare enough; (1/4)^5 ≈ 0.1 % is
    assert list(tr.classify([1, 4, 5], lower.repeat(3), upper.repeat(3), [False] * 3)) == ["normal", "normal", "over"]


def test_without_baseline_years_there_are_no_limits_and_no_flag():
    lower, upper = tr.control_limits([np.nan], [0])
    assert np.isnan(lower[0]) and np.isnan(upper[0])
    assert list(tr.classify([50], lower, upper, [False])) == ["normal"]


def test_a_bucket_in_progress_can_be_over_but_never_under():
    flags = tr.classify([30, 1, 1, 10], [5, 5, 5, 5], [20, 20, 20, 20], [True, True, False, False])
    assert list(flags) == ["over", "normal", "under", "normal"]


def _weekly_history(group: str, value_by_year: dict[int, int], week: int) -> list:
    return [(date.fromisocalendar(y, week, 1), group, n) for y, n in value_by_year.items()]


def test_the_baseline_is_the_mean_of_the_same_iso_week_in_the_three_previous_years():
    rows = _weekly_history("a", {2023: 6, 2024: 9, 2025: 12, 2026: 40}, week=13)
    table = tr.trend_table(counts(rows), start=date(2026, 3, 23), end=date(2026, 3, 29), period="week",
                           data_start=date(2020, 1, 1), data_end=date(2026, 11, 26))
    row = table.iloc[0]
    assert (row["count"], row["baseline"], row["baseline_years"]) == (40, 9.0, 3)
    assert row["flag"] == "over" and row["upper"] == tr.control_limits([9.0], [3])[1][0]


def test_years_before_the_data_start_are_left_out_of_the_baseline_not_read_as_zero():
    rows = _weekly_history("a", {2025: 12, 2026: 12}, week=13)
    table = tr.trend_table(counts(rows), start=date(2026, 3, 23), end=date(2026, 3, 29), period="week",
                           data_start=date(2025, 1, 1), data_end=date(2026, 11, 26))
    assert (table.iloc[0]["baseline"], table.iloc[0]["baseline_years"]) == (12.0, 1)
    assert table.iloc[0]["flag"] == "normal"


def test_a_group_that_started_later_gets_its_baseline_only_from_its_own_years():
    rows = [*_weekly_history("old", {2024: 10, 2025: 10, 2026: 10}, week=20),
            *_weekly_history("new", {2025: 10, 2026: 10}, week=20)]
    table = tr.trend_table(counts(rows), start=date(2026, 5, 11), end=date(2026, 5, 17), period="week",
                           data_start=date(2023, 1, 1), data_end=date(2026, 11, 26),
                           group_starts={"new": date(2025, 1, 1)})
    by_group = table.set_index("group")
    assert by_group.loc["new", "baseline"] == 10.0 and by_group.loc["new", "baseline_years"] == 1
    assert by_group.loc["old", "baseline"] == pytest.approx(20 / 3) and by_group.loc["old", "baseline_years"] == 3


def test_week_53_of_2026_is_compared_with_week_52_of_years_without_a_week_53():
    rows = [*_weekly_history("a", {2023: 5, 2024: 7, 2025: 9}, week=52), (date(2026, 12, 28), "a", 8)]
    table = tr.trend_table(counts(rows), start=date(2026, 12, 28), end=date(2027, 1, 3), period="week",
                           data_start=date(2020, 1, 1), data_end=date(2027, 2, 1))
    row = table.iloc[0]
    assert row["bucket"].isocalendar()[:2] == (2026, 53)
    assert (row["count"], row["baseline"]) == (8, 7.0)


def test_the_moving_average_is_the_mean_of_the_last_four_weeks_and_missing_weeks_count_as_zero():
    monday = date(2026, 11, 2)
    rows = [(monday - timedelta(weeks=3), "a", 4), (monday - timedelta(weeks=1), "a", 8), (monday, "a", 12)]
    table = tr.trend_table(counts(rows), start=monday, end=monday + timedelta(days=6), period="week",
                           data_start=date(2020, 1, 1), data_end=date(2026, 11, 26))
    assert table.iloc[0]["moving_avg"] == pytest.approx((4 + 0 + 8 + 12) / 4)


def test_a_bucket_still_in_progress_is_marked_and_gets_no_moving_average():
    table = tr.trend_table(counts([(date(2026, 11, 23), "a", 3)]), start=date(2026, 11, 23), end=date(2026, 11, 26),
                           period="week", data_start=date(2020, 1, 1), data_end=date(2026, 11, 26))
    assert bool(table.iloc[0]["in_progress"]) and np.isnan(table.iloc[0]["moving_avg"])


def test_every_group_gets_every_shown_bucket_even_without_incidents():
    rows = [(date(2026, 11, 2), "a", 3), (date(2026, 11, 16), "b", 1)]
    table = tr.trend_table(counts(rows), start=date(2026, 11, 2), end=date(2026, 11, 22), period="week",
                           data_start=date(2026, 1, 1), data_end=date(2026, 11, 26))
    assert len(table) == 6 and table.groupby("group")["count"].sum().to_dict() == {"a": 3, "b": 1}


def test_monthly_tables_use_the_same_month_of_earlier_years():
    rows = [(date(2023, 7, 1), "a", 30), (date(2024, 7, 1), "a", 36), (date(2025, 7, 1), "a", 33),
            (date(2026, 7, 1), "a", 31)]
    table = tr.trend_table(counts(rows), start=date(2026, 7, 10), end=date(2026, 7, 20), period="month",
                           data_start=date(2020, 1, 1), data_end=date(2026, 11, 26))
    assert (table.iloc[0]["bucket"], table.iloc[0]["baseline"]) == (date(2026, 7, 1), 33.0)


def test_the_total_sums_every_group_per_bucket():
    rows = [(date(2026, 1, 5), "a", 2), (date(2026, 1, 5), "b", 3), (date(2026, 1, 12), "a", 1)]
    total = tr.total_counts(counts(rows))
    assert total.to_dict("list") == {"bucket": [date(2026, 1, 5), date(2026, 1, 12)], "group": [tr.TOTAL] * 2,
                                     "count": [5, 1]}


def test_year_over_year_puts_weeks_side_by_side_with_week_53_and_the_future_missing_not_zero():
    rows = pd.DataFrame({"bucket": [date.fromisocalendar(2025, 10, 1), date.fromisocalendar(2026, 10, 1)],
                         "count": [7, 9]})
    yoy = tr.year_over_year(rows, year=2026, period="week", until=date(2026, 11, 26)).set_index("number")
    assert (yoy.loc[10, "this_year"], yoy.loc[10, "last_year"]) == (9, 7)
    assert yoy.loc[11, "this_year"] == 0  # a past week without incidents is a real zero
    assert np.isnan(yoy.loc[53, "last_year"])  # 2025 has no week 53
    assert np.isnan(yoy.loc[48, "this_year"]) and np.isnan(yoy.loc[53, "this_year"])  # in progress, future
    assert yoy.loc[47, "this_year"] == 0
