"""Small counts are hidden, and no hidden count can be worked out from what is published (an LP audit)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.privacy import (audit_table, feasible_intervals, is_small, recoverable, suppress_count, suppress_counts,
                              suppress_table)


def naive_intervals(values: np.ndarray, threshold: int = 3, *, lower: float = 1.0):
    """The audit of primary suppression alone: small cells hidden, every total shown."""
    cells = np.where((values > 0) & (values < threshold), np.nan, values.astype(float))
    return feasible_intervals(cells, values.sum(axis=1), values.sum(axis=0), values.sum(), lower=lower)


def list_intervals(published, values: np.ndarray):
    """A list with its total audited as a 1 × n table: the column totals are the cells themselves."""
    shown = published.counts.astype("float64").to_numpy()
    total = np.nan if published.total_hidden else float(published.total)
    return feasible_intervals(shown.reshape(1, -1), [total], shown, None if np.isnan(total) else total)


def check_published(values: np.ndarray, threshold: int = 3) -> None:
    table = pd.DataFrame(values, index=[f"r{i}" for i in range(values.shape[0])],
                         columns=[f"c{j}" for j in range(values.shape[1])])
    published = suppress_table(table, threshold=threshold)
    mask = published.mask.to_numpy()
    shown = published.counts.to_numpy(dtype="float64", na_value=np.nan)
    assert not mask[(values == 0)].any(), "zeros stay visible"
    assert mask[(values > 0) & (values < threshold)].all(), "every small cell is hidden"
    assert np.array_equal(shown[~mask], values[~mask]), "visible cells are the true counts"
    for totals, hidden in ((values.sum(axis=1), published.row_mask), (values.sum(axis=0), published.col_mask)):
        assert all(hidden.to_numpy()[[is_small(n, threshold) for n in totals]]), "small totals are hidden"
    assert published.total_hidden == is_small(values.sum(), threshold) or published.total_hidden
    for lower in (0.0, 1.0):
        intervals = audit_table(published, lower=lower)
        assert len(intervals) == int(mask.sum() + published.row_mask.sum() + published.col_mask.sum()
                                     + published.total_hidden)
        assert recoverable(intervals) == [], (values, intervals)
        for (kind, *where), (lo, hi) in intervals.items():
            if kind == "cell":
                assert lo - 1e-6 <= values[where[0], where[1]] <= hi + 1e-6, "the truth is inside the interval"


def test_zero_stays_visible_and_one_and_two_are_hidden():
    published = suppress_counts([0, 1, 2, 3, 40], total=False)
    assert published.counts.isna().tolist() == [False, True, True, False, False]
    assert published.counts.dropna().tolist() == [0, 3, 40]
    assert suppress_count(2) is None and suppress_count(0) == 0 and suppress_count(3) == 3


def test_a_threshold_of_one_hides_nothing():
    values = np.array([[1, 2, 0], [1, 5, 9]])
    published = suppress_table(pd.DataFrame(values), threshold=1)
    assert not published.any_hidden
    assert published.total == 18


def test_the_threshold_is_configurable():
    published = suppress_counts([4, 5, 9, 12], threshold=5, total=False)
    assert published.mask.tolist() == [True, False, False, False]


def test_naive_suppression_leaks_a_cell_through_its_row_total_and_the_complement_fixes_it():
    values = np.array([[1, 5, 7], [4, 9, 2], [6, 8, 10]])
    # Primary suppression alone: row 1 shows 5 and 7 and the total 13, so the hidden cell is 13 - 12 = 1.
    leaked = naive_intervals(values, lower=0.0)
    assert leaked[("cell", 0, 0)] == pytest.approx((1.0, 1.0))
    assert ("cell", 0, 0) in recoverable(leaked) and ("cell", 1, 2) in recoverable(leaked)
    published = suppress_table(pd.DataFrame(values, index=list("abc"), columns=list("xyz")))
    assert published.mask.to_numpy().sum() > 2
    assert recoverable(audit_table(published, lower=0.0)) == []
    assert recoverable(audit_table(published)) == []
    assert published.total == 52 and not published.row_mask.any() and not published.col_mask.any()


def test_two_hidden_in_every_line_is_not_enough_when_a_hidden_cell_joins_two_blocks():
    # Two 2 × 2 blocks of small cells joined by one small cell: every row and column with a hidden cell has at
    # least two, yet the joining cell is (rows 0-1 minus columns 0-1) and the LP pins it.
    values = np.array([[1, 1, 2, 0, 9],
                       [2, 1, 0, 0, 8],
                       [0, 0, 1, 2, 7],
                       [0, 0, 2, 1, 9],
                       [9, 8, 9, 9, 9]])
    small = (values > 0) & (values < 3)
    assert all(small[i].sum() in (0, 2, 3) for i in range(5)) and all(small[:, j].sum() in (0, 2, 3) for j in range(5))
    assert ("cell", 0, 2) in recoverable(naive_intervals(values, lower=0.0))
    check_published(values)


def test_two_hidden_ones_in_a_row_give_each_other_away_because_zeros_are_shown():
    # Row total 7 and a visible 5: the hidden two sum to 2 and neither is 0 (zeros are shown), so both are 1.
    assert recoverable(naive_intervals(np.array([[1, 1, 5]]), lower=1.0))
    published = suppress_counts([1, 1, 5])
    assert published.mask.all() and published.total == 7
    assert recoverable(list_intervals(published, np.array([1, 1, 5]))) == []


@pytest.mark.parametrize("seed", range(60))
def test_random_tables_publish_no_recoverable_cell(seed):
    rng = np.random.default_rng(seed)
    rows, cols = rng.integers(1, 8, size=2)
    mean = rng.uniform(0.2, 8.0)
    values = rng.poisson(mean, size=(rows, cols))
    if seed % 3 == 0:  # sparse tables, like a short period split finely
        values = values * (rng.random((rows, cols)) < 0.5)
    check_published(values)


@pytest.mark.parametrize("seed", range(40))
def test_random_lists_with_their_total_publish_no_recoverable_count(seed):
    rng = np.random.default_rng(1000 + seed)
    values = rng.poisson(rng.uniform(0.3, 5.0), size=rng.integers(1, 14))
    published = suppress_counts(values)
    mask = published.mask.to_numpy()
    assert mask[(values > 0) & (values < 3)].all() and not mask[values == 0].any()
    assert published.total_hidden == (0 < values.sum() < 3) or published.total_hidden
    assert recoverable(list_intervals(published, values)) == []


def test_a_single_total_is_hidden_when_small():
    assert suppress_table(pd.DataFrame([[2]])).total_hidden
    assert recoverable(audit_table(suppress_table(pd.DataFrame([[2]])))) == []


def test_negative_or_fractional_counts_are_refused():
    with pytest.raises(ValueError):
        suppress_table(pd.DataFrame([[1, -1]]))
    with pytest.raises(ValueError):
        suppress_counts([1.5, 2])
