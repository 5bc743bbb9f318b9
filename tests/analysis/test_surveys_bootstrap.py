"""Bootstrap intervals of composite indices: near 95 % coverage on simulated surveys, reproducible, and an honest
"no interval" where a component cannot be resampled."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from analysis import surveys as an
from analysis.survey_indices import IndexDefinition, compute_index

PROBLEMS = IndexDefinition("p", "Problem", "Problem", 0, 6, True, ("a", "b", "c"))
MIXED = IndexDefinition("m", "Blandat", "Mixed", 0, 100, False, ("share", "grade"))
GRADES = np.arange(1, 11)


def _component(kind: str, value: float, n: int, distribution=None, lo=0.0, hi=1.0, worse=True) -> dict:
    return dict(question_kind=kind, value=value, n=n, distribution=distribution, scale_min=lo, scale_max=hi,
                higher_is_worse=worse)


def _true_index(shares: list[float]) -> float:
    return 6 * float(np.mean(shares))


def test_the_interval_of_a_three_share_index_covers_the_true_value_about_95_percent_of_the_time():
    rng = np.random.default_rng(5)
    truth = [0.12, 0.3, 0.55]
    n, runs, hits = 150, 400, 0
    for run in range(runs):
        comps = [_component("share", rng.binomial(n, p) / n, n) for p in truth]
        lo, hi = an.bootstrap_interval(comps, PROBLEMS, seed=run)
        hits += lo <= _true_index(truth) <= hi
    assert 0.925 <= hits / runs <= 0.975, hits / runs


def test_the_interval_of_a_share_and_a_graded_mean_covers_the_true_value_about_95_percent_of_the_time():
    rng = np.random.default_rng(8)
    p_grade = np.exp(-0.5 * ((GRADES - 6.5) / 2.0) ** 2)
    p_grade /= p_grade.sum()
    share, n, runs, hits = 0.25, 120, 200, 0
    # badness: the share as is, the 1–10 grade (higher = safer) rescaled and flipped; the index reads "higher is
    # safer" on 0–100, so it is 100 × (1 - mean badness)
    truth = 100 * (1 - np.mean([share, 1 - (GRADES @ p_grade - 1) / 9]))
    for run in range(runs):
        counts = rng.multinomial(n, p_grade)
        dist = json.dumps({str(g): int(c) for g, c in zip(GRADES, counts)})
        comps = [_component("share", rng.binomial(n, share) / n, n),
                 _component("mean", float(GRADES @ counts / n), n, dist, lo=1, hi=10, worse=False)]
        lo, hi = an.bootstrap_interval(comps, MIXED, seed=run)
        hits += lo <= truth <= hi
    assert 0.915 <= hits / runs <= 0.985, hits / runs


def test_a_component_without_n_or_without_an_answer_distribution_gives_no_interval():
    share = _component("share", 0.3, 200)
    assert an.bootstrap_interval([share, _component("mean", 6.2, 200, None, lo=1, hi=10)], MIXED) is None
    assert an.bootstrap_interval([share, _component("share", 0.2, None)], PROBLEMS) is None
    assert an.bootstrap_interval([share, _component("mean", 6.2, 200, '{"bra": 3}', lo=1, hi=10)], MIXED) is None


def _raw(areas: dict[str, tuple[float, float, float]], n: int = 200) -> pd.DataFrame:
    rows = [dict(area_code=code, area_name=code.upper(), survey_name="S", wave="2025", fielded_from=None,
                 fielded_to=pd.Timestamp("2025-04-15").date(), question_code=q, question_kind="share",
                 scale_min=0.0, scale_max=1.0, higher_is_worse=True, n=n, response_rate=None, value=v,
                 distribution=None)
            for code, values in areas.items() for q, v in zip(PROBLEMS.components, values)]
    return pd.DataFrame(rows)


def test_composite_rows_get_a_reproducible_bootstrap_interval_around_their_value_whatever_else_is_on_the_page():
    raw = _raw({"a": (0.1, 0.2, 0.3), "b": (0.4, 0.5, 0.6)})
    shown = an.with_intervals(compute_index(raw, PROBLEMS), raw, PROBLEMS).set_index("area_code")
    assert list(shown["status"]) == [an.STATUS_BOOTSTRAP] * 2 and shown["shown"].all()
    assert (shown["lo"] < shown["value"]).all() and (shown["value"] < shown["hi"]).all()
    assert shown.loc["a", "value"] == pytest.approx(1.2)
    alone = raw[raw["area_code"] == "a"]
    again = an.with_intervals(compute_index(alone, PROBLEMS), alone, PROBLEMS).set_index("area_code")
    assert (again.loc["a", "lo"], again.loc["a", "hi"]) == (shown.loc["a", "lo"], shown.loc["a", "hi"])


def test_a_composite_below_the_threshold_or_without_n_keeps_saying_why_it_has_no_interval():
    few = _raw({"a": (0.1, 0.2, 0.3)}, n=20)
    unknown = _raw({"b": (0.1, 0.2, 0.3)}).assign(n=None)
    both = pd.concat([few, unknown], ignore_index=True)
    shown = an.with_intervals(compute_index(both, PROBLEMS), both, PROBLEMS).set_index("area_code")
    assert shown.loc["a", "status"] == an.STATUS_TOO_FEW and shown.loc["b", "status"] == an.STATUS_NO_N
    assert shown[["lo", "hi"]].isna().all().all()
