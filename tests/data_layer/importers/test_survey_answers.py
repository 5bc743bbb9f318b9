"""Raw survey answers: one row per respondent is aggregated on import, and no respondent row or id is ever stored."""
import json

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import String, Text, func, insert, inspect, select, text

from data_layer.__main__ import main
from data_layer.importers.areas import import_areas
from data_layer.importers.common import ImportRefused, undo_batch
from data_layer.importers.registry import KINDS, run_import_kind
from data_layer.models import (Area, AuditLog, ImportBatch, Organisation, StoreInfo, Survey, SurveyQuestion,
                               SurveyResult)
from tests.conftest import PROJECT_ROOT, SHARED_DATA

SURVEYS = SHARED_DATA / "surveys"
CHICAGO_CSV = SURVEYS / "ChicagoPolice_Sentiment_community_year.csv"
CHICAGO_AREAS = SURVEYS / "chicago_community_areas.geojson"
AREAS = {"norr": "Norrmalm", "soder": "Södermalm", "oster": "Östermalm"}
QUESTIONS = [  # code, kind, scale_min, scale_max, higher_is_worse
    ("otrygg_kvall", "share", 0, 1, True),
    ("problem_klotter", "share", 0, 1, True),
    ("trygghet_1_10", "mean", 1, 10, False),
]
OPTIONS = {"survey_name": "Hyresgästenkät (test)", "organisation": "bostadsbolaget", "survey_kind": "hyresgastenkat",
           "organisation_kind": "bostadsbolag"}


@pytest.fixture
def store(engine):
    """Three areas and three questions (two shares, one mean on 1–10)."""
    with engine.begin() as conn:
        for code, name in AREAS.items():
            conn.execute(insert(Area).values(code=code, name=name, level="omrade", population=5000))
        for code, kind, lo, hi, worse in QUESTIONS:
            conn.execute(insert(SurveyQuestion).values(code=code, text_sv=f"Fråga {code}", kind=kind, scale_min=lo,
                                                       scale_max=hi, higher_is_worse=worse))
    return engine


def _raw(seed: int = 11, n: int = 240) -> pd.DataFrame:
    """Generated respondents: ids that look like personal identifiers, gaps ("" and NA) as non-answers."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({
        "respondent_id": [f"RSP-{19800101 + i}-{rng.integers(1000, 9999)}" for i in range(n)],
        "omrade": rng.choice(list(AREAS.values()), n),
        "period": rng.choice(["2024", "2025"], n),
        "otrygg_kvall": rng.choice(["0", "1"], n, p=[0.7, 0.3]).astype(object),
        "problem_klotter": rng.choice(["0", "1"], n, p=[0.5, 0.5]).astype(object),
        "trygghet_1_10": rng.integers(1, 11, n).astype(str).astype(object),
    })
    for col, gaps in (("otrygg_kvall", ""), ("trygghet_1_10", "NA")):
        frame.loc[rng.random(n) < 0.08, col] = gaps
    return frame


def _write(path, frame: pd.DataFrame, **kw) -> None:
    frame.to_csv(path, index=False, **kw)


def _import(engine, path, options=None, **kw):
    return run_import_kind(engine, "survey-answers", path, options={**OPTIONS, **(options or {})}, **kw)


def _stored(engine) -> dict:
    """{(area name, wave, question): (value, n, distribution)} as the store holds them."""
    with engine.connect() as conn:
        rows = conn.execute(select(Area.name, Survey.wave, SurveyQuestion.code, SurveyResult.value, SurveyResult.n,
                                   SurveyResult.distribution)
                            .join(Area, Area.id == SurveyResult.area_id)
                            .join(Survey, Survey.id == SurveyResult.survey_id)
                            .join(SurveyQuestion, SurveyQuestion.id == SurveyResult.question_id)).all()
    return {(a, w, q): (v, n, json.loads(d) if d else None) for a, w, q, v, n, d in rows}


def _expected(frame: pd.DataFrame) -> dict:
    """The same aggregation, computed independently with pandas over the raw rows."""
    out = {}
    for code, kind, *_ in QUESTIONS:
        answered = frame[~frame[code].isin(["", "NA"])].assign(x=lambda f: f[code].astype(float))
        for (area, wave), group in answered.groupby(["omrade", "period"]):
            out[(area, wave, code)] = (group["x"].mean(), len(group), group["x"].std(ddof=1))
    return out


def _snapshot(engine) -> dict:
    with engine.connect() as conn:
        counts = {m.__name__: conn.execute(select(func.count()).select_from(m)).scalar_one()
                  for m in (Survey, SurveyResult, SurveyQuestion, ImportBatch, Organisation, Area, AuditLog)}
        counts["data_version"] = conn.execute(select(StoreInfo.value).where(StoreInfo.key == "data_version")
                                              ).scalar_one_or_none()
    return counts


def _every_text_cell(engine) -> list[str]:
    """Every value of every text column of every table in the store."""
    values = []
    with engine.connect() as conn:
        inspector = inspect(conn)
        for table in inspector.get_table_names():
            for column in inspector.get_columns(table):
                if isinstance(column["type"], (String, Text)):
                    q = text(f'SELECT "{column["name"]}" FROM "{table}" WHERE "{column["name"]}" IS NOT NULL')
                    values += [str(v) for v in conn.execute(q).scalars()]
    return values


# --- aggregation ---------------------------------------------------------------------------------------------------

def test_raw_answers_become_the_share_mean_and_n_an_independent_pandas_computation_gives(store, tmp_path):
    frame = _raw()
    _write(tmp_path / "svar.csv", frame)
    result = _import(store, tmp_path / "svar.csv")
    expected = _expected(frame)
    stored = _stored(store)
    assert stored.keys() == expected.keys() and len(expected) == 3 * 2 * 3
    for key, (mean, n, sd) in expected.items():
        value, stored_n, dist = stored[key]
        assert value == pytest.approx(mean, abs=1e-6) and stored_n == n
        counts = {float(k): c for k, c in dist.items()}
        assert sum(counts.values()) == n
        if key[2] == "trygghet_1_10":  # the distribution carries the sd the page's t interval uses
            m = sum(k * c for k, c in counts.items()) / n
            assert np.sqrt(sum(c * (k - m) ** 2 for k, c in counts.items()) / (n - 1)) == pytest.approx(sd)
    assert (result.respondents, result.accepted, result.rows_rejected) == (240, 18, 0)
    assert result.dropped_columns == ["respondent_id"]
    with store.connect() as conn:
        survey = conn.execute(select(Survey.name, Survey.kind)).all()
        batch = conn.execute(select(ImportBatch.source_kind, ImportBatch.rows_accepted)).one()
    assert set(survey) == {("Hyresgästenkät (test)", "hyresgastenkat")} and tuple(batch) == ("survey", 18)


def test_no_table_holds_a_respondent_id_or_a_row_per_respondent_after_the_import(store, tmp_path):
    frame = _raw()
    frame.loc[3, "omrade"] = "Atlantis"  # a rejected row: its reason is kept in the batch, but never the id
    _write(tmp_path / "svar.csv", frame)
    result = _import(store, tmp_path / "svar.csv", skip_invalid=True)
    assert result.rows_rejected == 1 and result.respondents == 239
    cells = _every_text_cell(store)
    assert any("Atlantis" in c for c in cells)  # the search does reach the batch's rejected rows
    leaked = [i for i in frame["respondent_id"] if any(i in c for c in cells)]
    assert leaked == []
    with store.connect() as conn:
        assert conn.execute(select(func.count()).select_from(SurveyResult)).scalar_one() == 18  # aggregates only


def test_an_id_column_named_in_the_options_is_dropped_and_never_quoted_even_when_unreadable(store, tmp_path):
    frame = _raw(n=60).rename(columns={"respondent_id": "Personnummer"})
    frame.loc[5, "Personnummer"] = "=HYPERLINK(\"x\")"  # a formula-like cell would be quoted by the reader
    _write(tmp_path / "svar.csv", frame)
    result = _import(store, tmp_path / "svar.csv", {"id_column": "Personnummer"}, skip_invalid=True)
    assert result.dropped_columns == ["Personnummer"]
    assert [(p.row, p.column) for p in result.rejected] == [(7, "Personnummer")]
    assert "HYPERLINK" not in result.rejected[0].reason
    cells = _every_text_cell(store)
    assert not [i for i in frame["Personnummer"] if any(i in c for c in cells)]


# --- refusal -------------------------------------------------------------------------------------------------------

def test_bad_rows_are_refused_naming_row_column_and_reason_and_nothing_changes(store, tmp_path):
    frame = _raw(n=20)
    frame.loc[0, "omrade"] = "Atlantis"  # row 2
    frame.loc[2, "trygghet_1_10"] = "11"  # row 4
    frame.loc[3, "otrygg_kvall"] = "3"  # row 5
    frame.loc[4, "period"] = "hösten"  # row 6
    _write(tmp_path / "svar.csv", frame)
    before = _snapshot(store)
    with pytest.raises(ImportRefused) as refused:
        _import(store, tmp_path / "svar.csv")
    problems = {(p.row, p.column): p.reason for p in refused.value.problems}
    assert problems.keys() == {(2, "omrade"), (4, "trygghet_1_10"), (5, "otrygg_kvall"), (6, "period")}
    assert problems[2, "omrade"].startswith("okänt område 'Atlantis'")
    assert problems[4, "trygghet_1_10"] == "svaret '11' ligger utanför frågans skala 1–10"
    assert problems[5, "otrygg_kvall"].startswith("svaret '3' ligger utanför frågans skala")
    message = str(refused.value)
    assert "Rad 4, kolumn 'trygghet_1_10': svaret '11' ligger utanför frågans skala 1–10" in message
    assert "Ingenting har sparats" in message
    assert not any(i in message for i in frame["respondent_id"])
    assert _snapshot(store) == before


def test_an_unknown_question_code_refuses_the_file_naming_the_column(store, tmp_path):
    _write(tmp_path / "svar.csv", _raw(n=10).assign(trivsel="5"))
    before = _snapshot(store)
    with pytest.raises(ImportRefused) as refused:
        _import(store, tmp_path / "svar.csv")
    assert [(p.row, p.column) for p in refused.value.problems] == [(None, "trivsel")]
    assert ("Filen, kolumn 'trivsel': okänd frågekod 'trivsel' (lagret känner till: otrygg_kvall"
            in str(refused.value))
    assert _snapshot(store) == before


def test_missing_options_and_columns_are_named(store, tmp_path):
    _write(tmp_path / "svar.csv", _raw(n=10).drop(columns=["period"]))
    with pytest.raises(ImportRefused) as refused:
        _import(store, tmp_path / "svar.csv")
    assert [(p.row, p.column) for p in refused.value.problems] == [(None, "period")]
    with pytest.raises(ImportRefused) as refused:
        run_import_kind(store, "survey-answers", tmp_path / "svar.csv", options={"organisation": "x"})
    assert "'Enkätens namn' måste anges" in str(refused.value)
    result = _import(store, tmp_path / "svar.csv", {"wave": "2025"})  # a fixed period instead of the column
    assert set(result.by_wave) == {"2025"}


# --- dry run, re-import, undo --------------------------------------------------------------------------------------

def test_a_dry_run_reports_the_import_and_changes_nothing(store, tmp_path):
    _write(tmp_path / "svar.csv", _raw())
    before = _snapshot(store)
    dry = _import(store, tmp_path / "svar.csv", dry_run=True)
    assert _snapshot(store) == before and _stored(store) == {}
    assert (dry.batch_id, dry.accepted, dry.surveys_created, dry.respondents) == (None, 18, 2, 240)
    real = _import(store, tmp_path / "svar.csv")
    assert real.accepted == dry.accepted and real.batch_id is not None


def test_importing_again_changes_nothing_and_undo_removes_the_results(store, tmp_path):
    _write(tmp_path / "svar.csv", _raw())
    first = _import(store, tmp_path / "svar.csv")
    before = _snapshot(store)
    again = _import(store, tmp_path / "svar.csv")
    assert (again.accepted, again.duplicates_skipped, again.batch_id) == (0, 18, None)
    assert _snapshot(store) == before
    assert undo_batch(store, first.batch_id) == 18
    assert _stored(store) == {}


def test_a_semicolon_file_with_a_bom_reads_the_same(store, tmp_path):
    frame = _raw(n=80)
    _write(tmp_path / "svar.csv", frame, sep=";", encoding="utf-8-sig")
    _import(store, tmp_path / "svar.csv")
    stored = _stored(store)
    expected = _expected(frame)
    assert stored.keys() == expected.keys()
    assert all(stored[k][:2] == (pytest.approx(m, abs=1e-6), n) for k, (m, n, _sd) in expected.items())


# --- the real Chicago areas and question --------------------------------------------------------------------------

def test_raw_answers_add_a_new_wave_to_the_real_chicago_survey_question(engine, tmp_path):
    """Answers on Chicago's 0–100 safety scale for its real community areas, after the real aggregated file."""
    import_areas(engine, CHICAGO_AREAS, name_field="community", code_field=None, level="omrade")
    run_import_kind(engine, "survey", CHICAGO_CSV,
                    options={"profile": str(PROJECT_ROOT / "import_profiles" / "chicago-police-sentiment.toml")},
                    allow_server_files=True)
    real = pd.read_csv(CHICAGO_CSV)
    latest = real[real["Year"] == 2021].dropna(subset=["safety"]).head(12)
    rng = np.random.default_rng(3)
    rows = [{"id": f"C{i:05d}", "Community": area, "Year": "2022",
             "chicago_safety": str(int(np.clip(rng.normal(score, 15), 0, 100)))}
            for i, (area, score) in enumerate((a, s) for a, s in zip(latest["Community"], latest["safety"])
                                               for _ in range(40))]
    frame = pd.DataFrame(rows)
    _write(tmp_path / "chicago_svar.csv", frame)
    result = _import(engine, tmp_path / "chicago_svar.csv", {"area_column": "Community", "wave_column": "Year",
                                                              "survey_name": "Chicago Police Sentiment Scores",
                                                              "organisation": "chicago_pd", "level": "omrade"})
    assert (result.accepted, result.questions_created, result.surveys_created) == (12, 0, 1)
    stored = {k: v for k, v in _stored(engine).items() if k[1] == "2022"}
    expected = frame.assign(x=frame["chicago_safety"].astype(float)).groupby("Community")["x"].agg(["mean", "size"])
    got = {k[0].lower(): v[:2] for k, v in stored.items()}
    assert got == {a.lower(): (pytest.approx(m, abs=1e-6), n) for a, (m, n) in zip(expected.index,
                                                                        expected.itertuples(index=False))}


# --- the command line ------------------------------------------------------------------------------------------------

def test_the_command_line_reaches_the_import_and_exits_2_for_a_bad_file(store, tmp_path, capsys):
    frame = _raw(n=50)
    _write(tmp_path / "svar.csv", frame)
    url = store.url.render_as_string(hide_password=False)
    code = main(["--db", url, "import", "survey-answers", str(tmp_path / "svar.csv"), "--survey-name", "Enkät",
                 "--organisation", "kommunen", "--survey-kind", "trygghetsmatning"])
    out, _ = capsys.readouterr()
    assert code == 0 and json.loads(out)["respondents"] == 50
    frame.loc[0, "omrade"] = "Atlantis"
    _write(tmp_path / "bad.csv", frame)
    code = main(["--db", url, "import", "survey-answers", str(tmp_path / "bad.csv"), "--survey-name", "Enkät",
                 "--organisation", "kommunen"])
    _, err = capsys.readouterr()
    assert code == 2 and "Rad 2, kolumn 'omrade': okänt område 'Atlantis'" in err
    assert "survey-answers" in KINDS
