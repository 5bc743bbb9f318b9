"""The Poisson comparison flags only changes beyond normal variation."""
import pandas as pd
import pytest

from analysis.change import DECREASE, INCREASE, NORMAL, compare_counts, poisson_change


def test_wheelers_example_16_to_25_is_within_normal_variation():
    change = poisson_change(25, 16)
    assert change.p_value == pytest.approx(0.165, abs=0.001)
    assert change.flag == NORMAL


def test_the_test_is_two_sided_and_symmetric():
    assert poisson_change(16, 25).p_value == pytest.approx(poisson_change(25, 16).p_value)


def test_thirty_after_ten_is_a_clear_increase():
    change = poisson_change(30, 10)
    assert change.p_value < 0.01
    assert change.flag == INCREASE


def test_ten_after_thirty_is_a_clear_decrease():
    assert poisson_change(10, 30).flag == DECREASE


def test_zero_and_zero_is_no_change():
    change = poisson_change(0, 0)
    assert (change.p_value, change.flag) == (1.0, NORMAL)


def test_a_longer_previous_period_is_taken_into_account():
    # 20 in one week against 80 in four weeks is the same rate: no change.
    assert poisson_change(20, 80, exposure_previous=4.0).flag == NORMAL


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        poisson_change(-1, 3)


def test_compare_counts_adds_p_value_and_flag_per_row():
    df = pd.DataFrame({"area": ["a", "b"], "current": [25, 30], "previous": [16, 10]})
    out = compare_counts(df)
    assert list(out["flag"]) == [NORMAL, INCREASE]
    assert out.loc[0, "p_value"] == pytest.approx(0.165, abs=0.001)
    assert "p_value" not in df.columns
