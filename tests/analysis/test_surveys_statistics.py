"""Survey statistics against independent computations: Wilson and t intervals, change tests, the respondent threshold,
perception quadrants and the nearest named place of a mark."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint, proportions_ztest

from analysis import surveys as an
from analysis.survey_indices import compute_index, question_index


def _raw(rows: list[dict]) -> pd.DataFrame:
    """Per-question rows as survey_question_results returns them (share question 'q' unless told)."""
    base = dict(area_code="A", area_name="Alfa", survey_name="S", fielded_from=None, question_code="q",
                question_kind="share", scale_min=0.0, scale_max=1.0, higher_is_worse=True, response_rate=None,
                distribution=None)
    out = pd.DataFrame([{**base, **r} for r in rows])
    out["fielded_to"] = pd.to_datetime(out["wave"].astype(str) + "-04-15").dt.date
    return out


def _shown(raw: pd.DataFrame, code: str = "q"):
    question = dict(code=code, text_sv="Fråga", kind=raw["question_kind"].iloc[0], scale_min=raw["scale_min"].iloc[0],
                    scale_max=raw["scale_max"].iloc[0], higher_is_worse=raw["higher_is_worse"].iloc[0])
    d = question_index(question)
    return an.with_intervals(compute_index(raw, d), raw, d), d


@pytest.mark.parametrize("successes, n", [(0, 30), (7, 31), (48, 120), (299, 300), (150, 300)])
def test_the_wilson_interval_equals_statsmodels(successes, n):
    lo, hi = an.wilson_interval(successes / n, n)
    ref_lo, ref_hi = proportion_confint(successes, n, alpha=0.05, method="wilson")
    assert lo == pytest.approx(ref_lo, abs=1e-12) and hi == pytest.approx(ref_hi, abs=1e-12)


def test_the_t_interval_of_a_distribution_equals_scipy_on_the_raw_answers():
    counts = {1: 3, 4: 10, 7: 25, 9: 12, 10: 5}
    answers = np.repeat([float(k) for k in counts], list(counts.values()))
    ref = stats.t.interval(0.95, len(answers) - 1, loc=answers.mean(), scale=stats.sem(answers))
    assert an.t_interval(counts) == pytest.approx(ref, abs=1e-12)


def test_statuses_say_why_a_value_is_withheld_or_has_no_interval():
    raw = _raw([dict(wave=2022, n=29, value=0.3), dict(wave=2023, n=None, value=0.4),
                dict(wave=2024, n=500, value=None), dict(wave=2025, n=100, value=0.2)])
    shown, _ = _shown(raw)
    assert list(shown["status"]) == ["too_few", "no_n", "missing", "ok"]
    assert list(shown["shown"]) == [False, True, False, True]
    assert shown["lo"].iloc[1:3].isna().all()
    assert pd.isna(shown["value"].iloc[2])  # missing stays missing, never zero
    assert (shown["lo"].iloc[3], shown["hi"].iloc[3]) == pytest.approx(proportion_confint(20, 100, method="wilson"))


def test_a_mean_gets_a_t_interval_from_its_distribution_and_none_without_one():
    dist = {str(k): c for k, c in {5: 10, 6: 20, 8: 30}.items()}
    mean = (5 * 10 + 6 * 20 + 8 * 30) / 60
    raw = _raw([dict(wave=2024, n=60, value=mean, distribution=json.dumps(dist)),
                dict(wave=2025, n=60, value=6.0, distribution=None)])
    raw["question_kind"], raw["scale_min"], raw["scale_max"], raw["higher_is_worse"] = "mean", 1.0, 10.0, False
    shown, _ = _shown(raw)
    answers = np.repeat([5.0, 6.0, 8.0], [10, 20, 30])
    ref = stats.t.interval(0.95, 59, loc=answers.mean(), scale=stats.sem(answers))
    assert (shown["lo"].iloc[0], shown["hi"].iloc[0]) == pytest.approx(ref)
    assert shown["value"].iloc[0] == pytest.approx(mean)
    assert shown["status"].iloc[1] == "no_distribution" and pd.isna(shown["lo"].iloc[1])


def test_change_uses_the_two_latest_shown_waves_and_a_two_proportion_z_test():
    raw = _raw([dict(wave=2020, n=200, value=0.30), dict(wave=2022, n=10, value=0.9),
                dict(wave=2024, n=250, value=0.22)])
    shown, d = _shown(raw)
    (change,) = an.changes(shown, raw, d)
    assert (change.wave_before, change.wave_after) == ("2020", "2024")  # the 10-answer wave is skipped
    _, ref = proportions_ztest([60, 55], [200, 250])
    assert change.test == "two_proportion_z" and change.p_value == pytest.approx(ref)


def test_change_of_means_uses_welch_and_values_without_n_get_no_test():
    d1, d2 = {"3": 20, "5": 30, "7": 10}, {"5": 15, "7": 30, "9": 15}
    raw = _raw([dict(wave=2022, n=60, value=4.667, distribution=json.dumps(d1)),
                dict(wave=2024, n=60, value=7.0, distribution=json.dumps(d2)),
                dict(area_code="B", area_name="Beta", wave=2022, n=None, value=5.0),
                dict(area_code="B", area_name="Beta", wave=2024, n=None, value=6.0)])
    raw["question_kind"], raw["scale_min"], raw["scale_max"] = "mean", 1.0, 10.0
    shown, d = _shown(raw)
    by_area = {c.area_code: c for c in an.changes(shown, raw, d)}
    a = np.repeat([3.0, 5.0, 7.0], [20, 30, 10])
    b = np.repeat([5.0, 7.0, 9.0], [15, 30, 15])
    assert by_area["A"].p_value == pytest.approx(stats.ttest_ind(a, b, equal_var=False).pvalue)
    assert by_area["B"].p_value is None and by_area["B"].reason == "no_n"


def _perception():
    latest = pd.DataFrame({"area_code": list("ABCDEF"), "area_name": list("ABCDEF"),
                           "value": [0.40, 0.10, 0.35, 0.12, 0.50, 0.45], "shown": [True] * 5 + [False]})
    incidents = pd.DataFrame({"area_code": list("ABCDEF"), "population": [1000, 2000, 1000, 4000, None, 100],
                              "incidents": [10, 200, 150, 20, 5, 500]})
    return latest, incidents


def test_quadrants_split_at_the_medians_of_the_comparable_areas():
    table, u_thr, r_thr = an.perception_quadrants(*_perception(), higher_is_worse=True)
    rates = {"A": 10.0, "B": 100.0, "C": 150.0, "D": 5.0}
    assert u_thr == pytest.approx(np.median([0.40, 0.10, 0.35, 0.12]))
    assert r_thr == pytest.approx(np.median(list(rates.values())))
    got = dict(zip(table["area_code"], table["quadrant"]))
    assert got["A"] == an.Q_UNSAFE_CALM and got["B"] == an.Q_BUSY_SAFE
    assert got["C"] == an.Q_UNSAFE_BUSY and got["D"] == an.Q_SAFE_CALM
    assert got["E"] is None and got["F"] is None  # no population / too few answers
    assert an.most_striking(table, an.Q_UNSAFE_CALM)["area_code"] == "A"


def test_own_thresholds_and_a_higher_is_safer_index_flip_the_reading():
    latest, incidents = _perception()
    latest["value"] = 100 - 100 * latest["value"]  # a safety score: higher = safer
    table, u_thr, r_thr = an.perception_quadrants(latest, incidents, higher_is_worse=False, unsafe_threshold=70,
                                                  rate_threshold=50)
    assert (u_thr, r_thr) == (70, 50)
    got = dict(zip(table["area_code"], table["quadrant"]))
    assert got["A"] == an.Q_UNSAFE_CALM and got["B"] == an.Q_BUSY_SAFE and got["C"] == an.Q_UNSAFE_BUSY


def test_a_mark_gets_the_nearest_named_place_within_400_metres_only():
    places = pd.DataFrame({"name": ["Torget", "Skolan"], "lat": [57.6500, 57.6600], "lon": [14.7000, 14.7000]})
    marks = pd.DataFrame({"lat": [57.6510, 57.6590, 57.6800], "lon": [14.7000, 14.7000, 14.7000]})
    assert list(an.nearest_places(marks, places)) == ["Torget", "Skolan", None]
