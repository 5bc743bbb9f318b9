"""The comparison table's statistics: honest tests with exposures, the FDR held over the table, headlines, sources."""
import numpy as np
import pandas as pd
import pytest
from scipy.stats import binomtest

from analysis.change import DECREASE, INCREASE, NORMAL
from statsmodels.stats.rates import etest_poisson_2indep

from analysis.comparison import (ETEST_MAX_TOTAL, Exposures, compare_table, count_tests, etest_p, exact_conditional_p,
                                 headlines, poisson_p, quiet_sources, rate_per_1000, wheeler_z)

ALL_DAYS = {"current": 7, "previous": 7, "base_1": 7, "base_2": 7, "base_3": 7, "ytd": 100, "ytd_previous": 100}
ALL_THERE = Exposures(days=ALL_DAYS, available={name: True for name in ALL_DAYS})


def cells(rows: list[dict]) -> pd.DataFrame:
    base = {"area_code": "a", "area_name": "A", "category_code": "c", "current": 0, "previous": 0, "base_1": 0,
            "base_2": 0, "base_3": 0, "ytd": 0, "ytd_previous": 0}
    return pd.DataFrame([{**base, "area_code": f"a{i}", **row} for i, row in enumerate(rows)])


def test_wheelers_worked_example_16_to_25_has_z_2_but_the_e_test_says_normal_variation():
    assert wheeler_z(25, 16) == pytest.approx(2.0)
    assert poisson_p(25, 16) == pytest.approx(0.165, abs=0.001)
    table = compare_table(cells([{"current": 25, "previous": 16}]), ALL_THERE, comparisons=("previous",))
    assert table.loc[0, "flag_previous"] == NORMAL


@pytest.mark.parametrize("current, previous, e_cur, e_prev", [
    (25, 16, 1, 1), (1, 0, 1, 3), (0, 4, 7, 21), (3, 0, 1, 1), (12, 13, 28, 31), (40, 35, 1, 3), (180, 150, 7, 7),
    (60, 290, 28, 84), (7, 2, 1, 4)])
def test_our_e_test_is_statsmodels_e_test_summed_over_the_central_grid_only(current, previous, e_cur, e_prev):
    expected = etest_poisson_2indep(current, e_cur, previous, e_prev)[1]
    assert etest_p(current, previous, exposure_current=e_cur, exposure_previous=e_prev) == pytest.approx(expected,
                                                                                                         abs=1e-12)


@pytest.mark.parametrize("current, previous, e_cur, e_prev", [
    (25, 16, 1, 1), (9, 2, 1, 1), (3, 0, 1, 1), (0, 7, 1, 1), (20, 80, 1, 4), (12, 13, 28, 31), (40, 35, 1, 3)])
def test_the_exact_conditional_test_is_the_binomial_test_of_the_share_in_the_current_window(current, previous, e_cur,
                                                                                           e_prev):
    expected = binomtest(current, current + previous, e_cur / (e_cur + e_prev)).pvalue
    assert exact_conditional_p(current, previous, exposure_current=e_cur, exposure_previous=e_prev) == \
        pytest.approx(expected, abs=1e-9)
    assert poisson_p(current, previous, exposure_current=e_cur, exposure_previous=e_prev, method="exact") == \
        pytest.approx(expected, abs=1e-9)


def test_no_incidents_in_either_window_is_no_evidence_of_change():
    assert exact_conditional_p(0, 0) == 1.0 and poisson_p(0, 0) == 1.0


def test_large_counts_use_the_score_test_which_agrees_with_the_e_test_there():
    half = ETEST_MAX_TOTAL // 2
    quarter = ETEST_MAX_TOTAL // 4
    for current, previous, e_prev in ((half + 25, half - 24, 1), (quarter, 3 * quarter + 1, 3)):
        e_test = etest_p(current, previous, exposure_previous=e_prev)
        assert poisson_p(current, previous, exposure_previous=e_prev) == pytest.approx(e_test, abs=0.001)
        assert poisson_p(current, previous, exposure_previous=e_prev) != e_test  # it is the other test
    with pytest.raises(ValueError):
        poisson_p(3, 4, method="t-test")


def test_exposures_make_a_february_and_a_march_of_equal_daily_rate_equal():
    days = {**ALL_DAYS, "current": 31, "previous": 28}
    table = compare_table(cells([{"current": 62, "previous": 56}]), Exposures(days, {n: True for n in days}))
    assert table.loc[0, "expected_previous"] == pytest.approx(62.0)
    assert table.loc[0, "excess_previous"] == pytest.approx(0.0)
    assert table.loc[0, "flag_previous"] == NORMAL


def test_the_baseline_compares_the_count_with_the_three_year_total_at_exposure_one_against_three():
    table = compare_table(cells([{"current": 18, "base_1": 2, "base_2": 1, "base_3": 3}]), ALL_THERE)
    assert table.loc[0, "baseline_mean"] == pytest.approx(2.0)
    assert table.loc[0, "expected_baseline"] == pytest.approx(2.0)
    assert table.loc[0, "p_baseline"] == pytest.approx(poisson_p(18, 6, exposure_current=7, exposure_previous=21))
    assert table.loc[0, "flag_baseline"] == INCREASE


def test_windows_before_the_first_data_are_left_out_instead_of_counted_as_zero():
    available = {**{n: True for n in ALL_DAYS}, "base_2": False, "base_3": False, "ytd_previous": False}
    table = compare_table(cells([{"current": 9, "base_1": 3, "base_2": 0, "base_3": 0}]),
                          Exposures(ALL_DAYS, available))
    assert table.loc[0, "baseline_mean"] == 3.0  # one year of history, not (3 + 0 + 0) / 3
    assert table.loc[0, "expected_baseline"] == pytest.approx(3.0)
    assert table.loc[0, "flag_ytd"] == "n/a" and np.isnan(table.loc[0, "p_ytd"])
    assert count_tests(table) == 2


def test_many_cells_tested_at_once_need_stronger_evidence_than_one():
    alone = compare_table(cells([{"current": 14, "previous": 5}]), ALL_THERE, comparisons=("previous",))
    assert alone.loc[0, "p_previous"] < 0.05 and alone.loc[0, "flag_previous"] == INCREASE
    quiet = [{"current": 6, "previous": 6}] * 60
    crowd = compare_table(cells([{"current": 14, "previous": 5}, *quiet]), ALL_THERE, comparisons=("previous",))
    assert crowd.loc[0, "p_previous"] == pytest.approx(alone.loc[0, "p_previous"])
    assert crowd.loc[0, "q_previous"] > 0.05 and crowd.loc[0, "flag_previous"] == NORMAL
    strong = compare_table(cells([{"current": 40, "previous": 5}, *quiet]), ALL_THERE, comparisons=("previous",))
    assert strong.loc[0, "flag_previous"] == INCREASE
    assert (strong["q_previous"] >= strong["p_previous"] - 1e-12).all()


def test_the_fdr_family_is_every_test_in_the_table():
    table = compare_table(cells([{"current": 5, "previous": 4, "ytd": 50, "ytd_previous": 40}] * 4), ALL_THERE)
    assert count_tests(table) == 12


def test_a_clear_decrease_is_flagged_as_such():
    table = compare_table(cells([{"current": 2, "previous": 30}]), ALL_THERE, comparisons=("previous",))
    assert table.loc[0, "flag_previous"] == DECREASE and table.loc[0, "excess_previous"] == -28


def test_headlines_are_the_largest_significant_changes_of_the_period_not_of_the_year():
    rows = [{"current": 40, "previous": 35, "base_1": 3, "base_2": 2, "base_3": 4},  # +37 against the baseline
            {"current": 20, "previous": 2, "base_1": 10, "base_2": 10, "base_3": 10},  # +18 against the previous
            {"current": 5, "previous": 5, "ytd": 400, "ytd_previous": 200},  # clear only for the year so far
            {"current": 1, "previous": 30, "base_1": 30, "base_2": 30, "base_3": 30},  # −29: a clear decrease
            {"current": 6, "previous": 6, "base_1": 6, "base_2": 6, "base_3": 6}]
    top = headlines(compare_table(cells(rows), ALL_THERE), n=3)
    assert list(top["area_code"]) == ["a0", "a3", "a1"]
    assert list(top["flag"]) == [INCREASE, DECREASE, INCREASE]
    assert list(top["comparison"]) == ["baseline", "baseline", "previous"]
    assert headlines(compare_table(cells(rows[4:]), ALL_THERE)).empty


def test_a_source_silent_in_the_period_is_told_apart_from_a_calm_one():
    coverage = pd.DataFrame({"org_name": ["tyst", "lugn", "ny", "låg", "borta"],
                             "incidents": [0, 5, 4, 3, 0], "history": [40, 40, 0, 160, 0]})
    status = quiet_sources(coverage, period_days=7, history_days=56)
    assert list(status["status"]) == ["silent", "normal", "new", "low", "normal"]
    assert status.loc[0, "expected"] == pytest.approx(5.0)


def test_a_seasonal_dip_of_a_quarter_is_not_called_low():
    coverage = pd.DataFrame({"org_name": ["x"], "incidents": [71], "history": [188]})
    assert quiet_sources(coverage, period_days=28, history_days=56).loc[0, "status"] == "normal"


def test_rates_are_per_thousand_residents_and_missing_without_a_population():
    assert rate_per_1000(24, 3100) == pytest.approx(7.742, abs=0.001)
    assert np.isnan(rate_per_1000(24, None)) and np.isnan(rate_per_1000(24, 0)) and np.isnan(rate_per_1000(3, np.nan))
