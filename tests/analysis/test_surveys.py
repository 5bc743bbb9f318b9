"""Survey values from too few answers are withheld; missing stays missing, never zero."""
import pandas as pd

from analysis.surveys import present_results


def test_a_value_from_fewer_than_30_answers_is_not_shown():
    out = present_results(pd.DataFrame({"n": [29, 30, None], "value": [0.2, 0.3, 0.4]}))
    assert list(out["shown"]) == [False, True, False]


def test_a_missing_value_is_not_shown_even_with_many_answers():
    out = present_results(pd.DataFrame({"n": [500], "value": [None]}))
    assert not out["shown"].iloc[0]
    assert pd.isna(out["value"].iloc[0])
