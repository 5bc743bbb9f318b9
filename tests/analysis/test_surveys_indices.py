"""Index definitions: each shipped index names its questions, and an index value is the mean of its components'
direction-aware 0–1 badness put on the index scale (checked by hand-computed values)."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis.survey_indices import (STANDARD_BY_CODE, STANDARD_INDICES, IndexDefinition, compute_index,
                                     grouped_indices)
from data_layer.demo_text import SURVEY_QUESTIONS


def _rows(values: dict[str, float | None], *, n: dict[str, int] | None = None, area="A", wave="2026",
          scales: dict[str, tuple[float, float, bool]] | None = None) -> pd.DataFrame:
    scales = scales or {}
    out = []
    for code, value in values.items():
        lo, hi, worse = scales.get(code, (0.0, 1.0, True))
        out.append(dict(area_code=area, area_name=area, survey_name="S", wave=wave, fielded_from=None,
                        fielded_to=pd.Timestamp(f"{wave}-04-15").date(), question_code=code,
                        question_kind="share" if hi == 1.0 else "mean", scale_min=lo, scale_max=hi,
                        higher_is_worse=worse, n=(n or {}).get(code, 100), response_rate=0.4, value=value,
                        distribution=None))
    return pd.DataFrame(out)


def test_the_shipped_indices_cover_the_ntu_police_and_tenant_measures_with_the_demos_questions():
    assert set(STANDARD_BY_CODE) == {"ntu_otrygghet", "problemindex", "aktivbo"}
    assert STANDARD_BY_CODE["ntu_otrygghet"].components == ("otrygg_kvall",)
    assert (STANDARD_BY_CODE["problemindex"].scale_min, STANDARD_BY_CODE["problemindex"].scale_max) == (0, 6)
    demo_index = {code: idx for code, *_, idx in SURVEY_QUESTIONS}
    for code in ("ntu_otrygghet", "problemindex"):  # every demo question of these indices is one of its components
        assert {c for c, idx in demo_index.items() if idx == code} == set(STANDARD_BY_CODE[code].components) & set(
            demo_index)
    # the tenant index measures safety only: satisfaction with the area or its upkeep is not part of it
    assert {"aktivbo_trygghet", "aktivbo_trapphus"} <= set(STANDARD_BY_CODE["aktivbo"].components)
    assert not {"aktivbo_trivsel", "aktivbo_utemiljo"} & set(STANDARD_BY_CODE["aktivbo"].components)
    assert all(d.components for d in STANDARD_INDICES)


def test_the_ntu_share_is_the_question_share_itself():
    out = compute_index(_rows({"otrygg_kvall": 0.27}), STANDARD_BY_CODE["ntu_otrygghet"])
    assert out["value"].iloc[0] == pytest.approx(0.27)


def test_the_problem_index_is_six_times_the_mean_problem_share():
    shares = {"problem_klotter": 0.2, "problem_belysning": 0.5, "problem_narkotika": 0.05}
    out = compute_index(_rows(shares, n={"problem_klotter": 90, "problem_belysning": 80, "problem_narkotika": 95}),
                        STANDARD_BY_CODE["problemindex"])
    assert out["value"].iloc[0] == pytest.approx(6 * (0.2 + 0.5 + 0.05) / 3)
    assert out["n"].iloc[0] == 80  # the most careful reading: the smallest n
    assert out["components"].iloc[0] == 3


def test_a_higher_is_safer_index_rescales_and_flips_each_mean():
    scales = {"aktivbo_trygghet": (1.0, 10.0, False), "aktivbo_trapphus": (1.0, 10.0, False)}
    out = compute_index(_rows({"aktivbo_trygghet": 8.2, "aktivbo_trapphus": 6.4}, scales=scales),
                        STANDARD_BY_CODE["aktivbo"])
    # badness (1 - (v-1)/9) averaged, then flipped back onto 0-100 where higher = safer
    expected = 100 * ((8.2 - 1) / 9 + (6.4 - 1) / 9) / 2
    assert out["value"].iloc[0] == pytest.approx(expected)


def test_mixed_directions_combine_on_the_insecure_end():
    own = IndexDefinition("egen", "Eget", "Own", 0, 100, True, ("otrygg", "trygg_betyg"))
    scales = {"trygg_betyg": (1.0, 5.0, False)}
    out = compute_index(_rows({"otrygg": 0.3, "trygg_betyg": 4.0}, scales=scales), own)
    assert out["value"].iloc[0] == pytest.approx(100 * (0.3 + (1 - (4.0 - 1) / 4)) / 2)


def test_an_area_missing_one_component_gets_no_value_never_a_partial_mean():
    rows = pd.concat([_rows({"problem_klotter": 0.2, "problem_belysning": 0.4}, area="A"),
                      _rows({"problem_klotter": 0.3, "problem_belysning": None}, area="B"),
                      _rows({"problem_klotter": 0.3}, area="C")])
    out = compute_index(rows, STANDARD_BY_CODE["problemindex"]).set_index("area_code")
    assert out.loc["A", "value"] == pytest.approx(6 * 0.3)
    assert pd.isna(out.loc["B", "value"]) and pd.isna(out.loc["C", "value"])


def test_an_imported_surveys_own_index_group_becomes_an_index_on_its_scale():
    questions = pd.DataFrame({"code": ["chicago_safety", "chicago_trust", "solo"], "text_sv": ["a", "b", "c"],
                              "kind": ["mean"] * 3, "scale_min": [0.0] * 3, "scale_max": [100.0] * 3,
                              "higher_is_worse": [False] * 3, "index_code": ["chicago_sentiment"] * 2 + ["x"]})
    (d,) = grouped_indices(questions, known={"aktivbo"})
    assert d.code == "chicago_sentiment" and d.components == ("chicago_safety", "chicago_trust")
    assert (d.scale_min, d.scale_max, d.higher_is_worse) == (0.0, 100.0, False)
