"""Survey results: the real Chicago file imports per area, year and question, with its gaps kept missing, never zero."""
import csv
import json
import tomllib
from collections import Counter
from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import func, insert, select

from data_layer.__main__ import main
from data_layer.importers.areas import import_areas
from data_layer.importers.common import ImportRefused, undo_batch
from data_layer.importers.profiles import save_profile
from data_layer.importers.registry import run_import_kind
from data_layer.importers.survey import validate_profile
from data_layer.models import (Area, ImportBatch, Organisation, StoreInfo, Survey, SurveyQuestion, SurveyResult)
from tests.conftest import PROJECT_ROOT, SHARED_DATA

SURVEYS = SHARED_DATA / "surveys"
CHICAGO_CSV = SURVEYS / "ChicagoPolice_Sentiment_community_year.csv"
CHICAGO_AREAS = SURVEYS / "chicago_community_areas.geojson"
CHICAGO_PROFILE = PROJECT_ROOT / "import_profiles" / "chicago-police-sentiment.toml"
QUESTIONS = {"safety": "chicago_safety", "trust": "chicago_trust", "t_listen": "chicago_t_listen",
             "t_respect": "chicago_t_respect"}


# --- independent readers and helpers (standard library only) --------------------------------------------------------

def _chicago_rows() -> list[dict]:
    with open(CHICAGO_CSV, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _write_rows(path, rows: list[dict]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _expected_cells() -> dict[tuple[str, str, str], float | None]:
    """{(community lower case, year, question code): value or None for NA/empty}, read straight from the CSV."""
    return {(r["Community"].lower(), r["Year"], code): None if r[col] in ("NA", "") else float(r[col])
            for r in _chicago_rows() for col, code in QUESTIONS.items()}


def _stored(engine) -> dict[tuple[str, str, str], float | None]:
    with engine.connect() as conn:
        rows = conn.execute(select(Area.name, Survey.wave, SurveyQuestion.code, SurveyResult.value)
                            .join(Area, Area.id == SurveyResult.area_id)
                            .join(Survey, Survey.id == SurveyResult.survey_id)
                            .join(SurveyQuestion, SurveyQuestion.id == SurveyResult.question_id)).all()
    return {(name.lower(), wave, code): value for name, wave, code, value in rows}


def _snapshot(engine) -> dict:
    """Row counts of everything a survey import may write, plus the data version: equal = nothing written."""
    with engine.connect() as conn:
        counts = {m.__name__: conn.execute(select(func.count()).select_from(m)).scalar_one()
                  for m in (Survey, SurveyResult, SurveyQuestion, ImportBatch, Organisation, Area)}
        counts["data_version"] = conn.execute(select(StoreInfo.value).where(StoreInfo.key == "data_version")
                                              ).scalar_one_or_none()
    return counts


def _import(engine, path, profile=CHICAGO_PROFILE, **kw):
    return run_import_kind(engine, "survey", path, options={"profile": str(profile)}, allow_server_files=True, **kw)


@pytest.fixture
def chicago(engine):
    """A store holding Chicago's 77 community areas (names in upper case; the survey writes them in title case)."""
    import_areas(engine, CHICAGO_AREAS, name_field="community", code_field=None, level="omrade")
    return engine


def _bad_copy(tmp_path, edits: dict[int, dict[str, str]]):
    """The Chicago file with some cells changed; keys are row numbers as a person sees them (header = 1)."""
    rows = _chicago_rows()
    for row_number, cells in edits.items():
        rows[row_number - 2].update(cells)
    path = tmp_path / "chicago_edited.csv"
    _write_rows(path, rows)
    return path


# --- the real file -----------------------------------------------------------------------------------------------

def test_the_chicago_file_stores_every_area_year_and_question_with_gaps_as_missing(chicago):
    expected = _expected_cells()
    result = _import(chicago, CHICAGO_CSV)
    stored = _stored(chicago)
    assert stored == expected
    assert result.accepted == len(expected) == 385 * 4
    missing = sum(1 for v in expected.values() if v is None)
    assert result.missing_values == missing == sum(1 for v in stored.values() if v is None) > 500
    assert 0.0 not in stored.values()
    per_year = Counter(year for (_area, year, _q) in expected)
    assert result.by_wave == dict(per_year) == {str(y): 77 * 4 for y in range(2017, 2022)}
    assert stored[("rogers park", "2017", "chicago_safety")] == 61.3


def test_an_empty_cell_is_missing_like_na(chicago):
    edison = next(r for r in _chicago_rows() if r["Community"] == "Edison Park" and r["Year"] == "2017")
    assert edison["trust"] == "" and edison["safety"] == "69.22"
    _import(chicago, CHICAGO_CSV)
    stored = _stored(chicago)
    assert stored[("edison park", "2017", "chicago_trust")] is None
    assert stored[("edison park", "2017", "chicago_safety")] == 69.22


def test_each_year_is_one_survey_of_the_organisation_fielded_that_calendar_year(chicago):
    result = _import(chicago, CHICAGO_CSV)
    with chicago.connect() as conn:
        surveys = conn.execute(select(Survey).order_by(Survey.wave)).all()
        org = conn.execute(select(Organisation).where(Organisation.code == "chicago_pd")).one()
        batch = conn.execute(select(ImportBatch).where(ImportBatch.id == result.batch_id)).one()
        questions = conn.execute(select(SurveyQuestion)).all()
    assert [(s.wave, s.fielded_from, s.fielded_to) for s in surveys] == [
        (str(y), date(y, 1, 1), date(y, 12, 31)) for y in range(2017, 2022)]
    assert {s.organisation_id for s in surveys} == {org.id} and org.kind == "polis"
    assert {s.import_batch_id for s in surveys} == {result.batch_id}
    assert (batch.source_kind, batch.rows_accepted, batch.rows_rejected) == ("survey", 1540, 0)
    assert {(q.code, q.scale_min, q.scale_max, q.kind, q.higher_is_worse) for q in questions} == {
        (code, 0, 100, "mean", False) for code in QUESTIONS.values()}


def test_the_breakdown_columns_are_reported_as_not_read(chicago):
    result = _import(chicago, CHICAGO_CSV)
    header = list(_chicago_rows()[0])
    expected = [h for h in header if h not in ("Community", "Year", *QUESTIONS)]
    assert result.ignored_columns == expected and len(expected) == 64
    assert any(n.startswith("64 kolumner som inte lästes in: s_race_african_american") for n in result.notes)
    assert result.to_dict()["ignored_columns"] == expected


# --- refusal and --skip-invalid ----------------------------------------------------------------------------------

def test_an_unknown_area_refuses_the_whole_file_naming_row_and_column(chicago, tmp_path):
    path = _bad_copy(tmp_path, {5: {"Community": "Atlantis"}})
    before = _snapshot(chicago)
    with pytest.raises(ImportRefused) as refused:
        _import(chicago, path)
    message = str(refused.value)
    assert "Rad 5, kolumn 'Community': okänt område 'Atlantis'" in message
    assert "Ingenting har sparats" in message
    assert _snapshot(chicago) == before


def test_bad_values_and_periods_are_named_by_row_and_column(chicago, tmp_path):
    path = _bad_copy(tmp_path, {3: {"safety": "hög"}, 4: {"trust": "120"}, 6: {"Year": "20x7"},
                                7: {"t_listen": "-1"}})
    with pytest.raises(ImportRefused) as refused:
        _import(chicago, path)
    problems = {(p.row, p.column): p.reason for p in refused.value.problems}
    assert problems.keys() == {(3, "safety"), (4, "trust"), (6, "Year"), (7, "t_listen")}
    assert problems[3, "safety"] == "'hög' är inget tal"
    assert problems[4, "trust"] == "värdet '120' ligger utanför frågans skala 0–100"
    assert problems[6, "Year"].startswith("okänd period '20x7'")


def test_columns_the_profile_names_but_the_file_lacks_are_each_named(chicago, tmp_path):
    profile = CHICAGO_PROFILE.read_text(encoding="utf-8").replace('wave = "Year"', 'wave = "Årtal"').replace(
        "[questions.trust]", "[questions.tillit]")
    (tmp_path / "wrong.toml").write_text(profile, encoding="utf-8")
    with pytest.raises(ImportRefused) as refused:
        _import(chicago, CHICAGO_CSV, profile=tmp_path / "wrong.toml")
    assert [(p.row, p.column) for p in refused.value.problems] == [(None, "Årtal"), (None, "tillit")]
    assert "Filen, kolumn 'Årtal': kolumnen finns inte i filen (kolumner: Community, Year, safety" in str(refused.value)


def test_an_area_and_year_twice_in_the_file_is_a_row_problem(chicago, tmp_path):
    rows = _chicago_rows()
    _write_rows(tmp_path / "twice.csv", rows + [dict(rows[0])])
    with pytest.raises(ImportRefused) as refused:
        _import(chicago, tmp_path / "twice.csv")
    assert [(p.row, p.column) for p in refused.value.problems] == [(387, "Community")] * 4
    assert "finns redan på rad 2" in refused.value.problems[0].reason


def test_skip_invalid_imports_the_good_rows_and_records_each_rejected_row_in_the_batch(chicago, tmp_path):
    path = _bad_copy(tmp_path, {5: {"Community": "Atlantis"}, 9: {"safety": "101"}})
    result = _import(chicago, path, skip_invalid=True)
    assert result.accepted == (385 - 2) * 4 and result.rows_rejected == 2
    with chicago.connect() as conn:
        batch = conn.execute(select(ImportBatch).where(ImportBatch.id == result.batch_id)).one()
    assert (batch.rows_accepted, batch.rows_rejected) == ((385 - 2) * 4, 2)
    detail = json.loads(batch.rejected_detail)
    assert [(d["row"], d["column"]) for d in detail] == [(5, "Community"), (9, "safety")]
    assert "Atlantis" in detail[0]["reason"]
    assert len(_stored(chicago)) == (385 - 2) * 4


# --- idempotence, dry run, undo ----------------------------------------------------------------------------------

def test_importing_the_same_file_again_changes_nothing(chicago):
    _import(chicago, CHICAGO_CSV)
    before, values = _snapshot(chicago), _stored(chicago)
    again = _import(chicago, CHICAGO_CSV)
    assert (again.accepted, again.duplicates_skipped, again.batch_id) == (0, 1540, None)
    assert (again.surveys_created, again.questions_created) == (0, 0)
    assert _snapshot(chicago) == before and _stored(chicago) == values


def test_a_dry_run_reports_what_an_import_would_do_and_writes_nothing(chicago):
    before = _snapshot(chicago)
    dry = _import(chicago, CHICAGO_CSV, dry_run=True)
    assert _snapshot(chicago) == before
    assert (dry.batch_id, dry.surveys_created, dry.questions_created) == (None, 5, 4)
    real = _import(chicago, CHICAGO_CSV)
    assert (dry.accepted, dry.missing_values, dry.by_wave) == (real.accepted, real.missing_values, real.by_wave)


def test_undo_removes_exactly_the_batch_results_and_the_surveys_it_left_empty(chicago, tmp_path):
    rows = _chicago_rows()
    _write_rows(tmp_path / "early.csv", [r for r in rows if r["Year"] != "2021"])
    early = _import(chicago, tmp_path / "early.csv")
    full = _import(chicago, CHICAGO_CSV)  # adds only 2021; the rest are duplicates
    assert (early.accepted, full.accepted, full.duplicates_skipped) == (1232, 308, 1232)
    with chicago.begin() as conn:  # a survey entered by hand, in no batch
        rogers = conn.execute(select(Area.id).where(Area.code == "rogers-park")).scalar_one()
        manual = conn.execute(insert(Survey).values(name="Handinmatad", kind="egen", wave="2016",
                                                    fielded_from=date(2016, 1, 1), fielded_to=date(2016, 12, 31))
                              ).inserted_primary_key[0]
        question = conn.execute(select(SurveyQuestion.id).where(SurveyQuestion.code == "chicago_safety")).scalar_one()
        conn.execute(insert(SurveyResult).values(survey_id=manual, question_id=question, area_id=rogers, value=50.0))
    assert undo_batch(chicago, early.batch_id) == 1232
    with chicago.connect() as conn:
        left = conn.execute(select(SurveyResult.import_batch_id, func.count()).group_by(SurveyResult.import_batch_id)
                            ).all()
        waves = conn.execute(select(Survey.wave).order_by(Survey.wave)).scalars().all()
    assert sorted(left, key=str) == sorted([(full.batch_id, 308), (None, 1)], key=str)
    assert waves == ["2016", "2021"]
    assert undo_batch(chicago, full.batch_id) == 308
    with chicago.connect() as conn:
        assert conn.execute(select(Survey.wave)).scalars().all() == ["2016"]
        assert conn.execute(select(func.count()).select_from(SurveyResult)).scalar_one() == 1


# --- the long layout, XLSX, profiles ------------------------------------------------------------------------------

LONG_PROFILE = """
kind = "survey"
[survey]
name = "Trygghetsmätning Chicago"
kind = "trygghetsmatning"
[organisation]
code = "kommunen"
name = "Kommunen"
kind = "kommun"
[file]
separator = ";"
decimal = ","
layout = "long"
missing = ["NA", "", "–"]
[columns]
area = "Område"
wave = "Period"
question = "Fråga"
value = "Andel"
n = "Antal svar"
response_rate = "Svarsfrekvens"
[waves]
"2025 vår" = { from = 2025-03-01, to = 2025-04-15 }
[distribution]
"mycket trygg" = "Mycket trygg"
"ganska trygg" = "Ganska trygg"
"ganska otrygg" = "Ganska otrygg"
"mycket otrygg" = "Mycket otrygg"
[questions."Otrygg ute sent"]
code = "test_otrygg_kvall"
text_sv = "Andel som känner sig otrygga ute sent en kväll"
kind = "share"
percent = true
higher_is_worse = true
share_answers = ["ganska otrygg", "mycket otrygg"]
[questions."Trygg i området"]
code = "test_trygg_omrade"
text_sv = "Hur trygg känner du dig i området? (1–4)"
kind = "mean"
scale_min = 1
scale_max = 4
higher_is_worse = false
"""
LONG_CSV = """Område;Period;Fråga;Andel;Antal svar;Svarsfrekvens;Mycket trygg;Ganska trygg;Ganska otrygg;Mycket otrygg
ROGERS PARK;2025 vår;Otrygg ute sent;23,5;200;42 %;60;93;30;17
Rogers Park;2025 vår;Trygg i området;;;0,42;;;;
Uptown;2025 vår;Otrygg ute sent;;;38%;10;20;15;5
Uptown;2025 vår;Trygg i området;–;;;1;2;3;4
"""


def test_a_long_file_stores_n_response_rate_and_the_answer_distribution(chicago, tmp_path):
    (tmp_path / "long.toml").write_text(LONG_PROFILE, encoding="utf-8")
    (tmp_path / "long.csv").write_text(LONG_CSV, encoding="cp1252")
    result = _import(chicago, tmp_path / "long.csv", profile=tmp_path / "long.toml")
    assert (result.accepted, result.missing_values, result.layout) == (4, 2, "long")
    with chicago.connect() as conn:
        rows = conn.execute(select(Area.code, SurveyQuestion.code, SurveyResult.n, SurveyResult.response_rate,
                                   SurveyResult.value, SurveyResult.distribution, Survey.fielded_from,
                                   Survey.fielded_to)
                            .join(Area, Area.id == SurveyResult.area_id)
                            .join(Survey, Survey.id == SurveyResult.survey_id)
                            .join(SurveyQuestion, SurveyQuestion.id == SurveyResult.question_id)).all()
    got = {(r[0], r[1]): r[2:6] for r in rows}
    assert {(r.fielded_from, r.fielded_to) for r in rows} == {(date(2025, 3, 1), date(2025, 4, 15))}
    n, rate, value, dist = got["rogers-park", "test_otrygg_kvall"]
    assert (n, rate, value) == (200, 0.42, 0.235)
    assert json.loads(dist) == {"mycket trygg": 60, "ganska trygg": 93, "ganska otrygg": 30, "mycket otrygg": 17}
    assert got["rogers-park", "test_trygg_omrade"] == (None, 0.42, None, None)  # nothing but the rate: missing
    n, rate, value, _ = got["uptown", "test_otrygg_kvall"]  # no value: the share is counted from the answers
    assert (n, rate, value) == (50, 0.38, 0.4)
    n, _, value, dist = got["uptown", "test_trygg_omrade"]  # numeric answers "1"–"4" would give a mean, but
    assert n == 10 and value is None and json.loads(dist)["mycket otrygg"] == 4  # the labels are words: missing


def test_a_long_file_names_an_unknown_question_and_a_bad_count(chicago, tmp_path):
    (tmp_path / "long.toml").write_text(LONG_PROFILE, encoding="utf-8")
    bad = LONG_CSV.replace("Uptown;2025 vår;Trygg i området", "Uptown;2025 vår;Trivsel").replace(";10;20;", ";10;-2;")
    (tmp_path / "long.csv").write_text(bad, encoding="utf-8")
    with pytest.raises(ImportRefused) as refused:
        _import(chicago, tmp_path / "long.csv", profile=tmp_path / "long.toml")
    problems = {(p.row, p.column): p.reason for p in refused.value.problems}
    assert problems.keys() == {(4, "Ganska trygg"), (5, "Fråga")}
    assert problems[5, "Fråga"].startswith("okänd fråga 'Trivsel'")


def test_a_mean_is_counted_from_numeric_answers_when_the_file_gives_no_value(chicago, tmp_path):
    profile = LONG_PROFILE.replace('"mycket trygg" = "Mycket trygg"', '"4" = "Mycket trygg"').replace(
        '"ganska trygg" = "Ganska trygg"', '"3" = "Ganska trygg"').replace(
        '"ganska otrygg" = "Ganska otrygg"', '"2" = "Ganska otrygg"').replace(
        '"mycket otrygg" = "Mycket otrygg"', '"1" = "Mycket otrygg"')
    (tmp_path / "long.toml").write_text(profile.replace('share_answers = ["ganska otrygg", "mycket otrygg"]',
                                                        'share_answers = ["2", "1"]'), encoding="utf-8")
    (tmp_path / "long.csv").write_text(LONG_CSV, encoding="utf-8")
    _import(chicago, tmp_path / "long.csv", profile=tmp_path / "long.toml")
    with chicago.connect() as conn:
        value = conn.execute(select(SurveyResult.value).join(Area, Area.id == SurveyResult.area_id)
                             .join(SurveyQuestion, SurveyQuestion.id == SurveyResult.question_id)
                             .where(Area.code == "uptown", SurveyQuestion.code == "test_trygg_omrade")).scalar_one()
    assert value == pytest.approx((4 * 1 + 3 * 2 + 2 * 3 + 1 * 4) / 10)


def test_an_xlsx_file_reads_its_number_cells_whatever_the_profiles_decimal_mark(chicago, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Community", "Year", "safety", "trust", "t_listen", "t_respect"])
    sheet.append(["Rogers Park", 2022, 61.3, 70, "NA", None])
    book.save(tmp_path / "chicago.xlsx")
    profile = CHICAGO_PROFILE.read_text(encoding="utf-8").replace('decimal = "."', 'decimal = ","')
    (tmp_path / "comma.toml").write_text(profile, encoding="utf-8")
    result = _import(chicago, tmp_path / "chicago.xlsx", profile=tmp_path / "comma.toml")
    assert (result.accepted, result.missing_values) == (4, 2)
    stored = _stored(chicago)
    assert stored[("rogers park", "2022", "chicago_safety")] == 61.3
    assert stored[("rogers park", "2022", "chicago_t_respect")] is None


def test_a_file_without_a_period_column_uses_the_profiles_wave_and_area_aliases(chicago, tmp_path):
    rows = [{k: v for k, v in r.items() if k != "Year"} for r in _chicago_rows() if r["Year"] == "2017"]
    rows[0]["Community"] = "Rogers Pk"
    _write_rows(tmp_path / "autumn.csv", rows)
    profile = CHICAGO_PROFILE.read_text(encoding="utf-8").replace('wave = "Year"\n', "").replace(
        'kind = "egen"\n', 'kind = "egen"\nwave = "2025 höst"\n')
    profile += '[waves]\n"2025 höst" = { from = 2025-09-01, to = 2025-10-31 }\n'
    profile += '[areas.aliases]\n"Rogers Pk" = "rogers-park"\n'
    (tmp_path / "autumn.toml").write_text(profile, encoding="utf-8")
    result = _import(chicago, tmp_path / "autumn.csv", profile=tmp_path / "autumn.toml")
    assert result.by_wave == {"2025 höst": 77 * 4}
    with chicago.connect() as conn:
        survey = conn.execute(select(Survey)).one()
    assert (survey.wave, survey.fielded_from, survey.fielded_to) == ("2025 höst", date(2025, 9, 1), date(2025, 10, 31))
    assert _stored(chicago)[("rogers park", "2025 höst", "chicago_safety")] == 61.3


def test_a_question_code_already_stored_with_another_scale_refuses_the_file(chicago, tmp_path):
    with chicago.begin() as conn:
        conn.execute(insert(SurveyQuestion).values(code="chicago_safety", text_sv="Annan", kind="mean", scale_min=1,
                                                   scale_max=10, higher_is_worse=False))
    before = _snapshot(chicago)
    with pytest.raises(ImportRefused) as refused:
        _import(chicago, CHICAGO_CSV)
    assert "frågan 'chicago_safety' finns redan med skalan 1–10" in str(refused.value)
    assert _snapshot(chicago) == before


def test_a_saved_profile_is_used_by_its_name(chicago):
    save_profile(chicago, name="Chicago-enkäten", body_toml=CHICAGO_PROFILE.read_text(encoding="utf-8"))
    result = _import(chicago, CHICAGO_CSV, profile="Chicago-enkäten")
    assert result.accepted == 1540 and result.profile == "Chicago-enkäten"


def test_the_shipped_profile_is_valid_and_unknown_keys_are_problems():
    profile = tomllib.loads(CHICAGO_PROFILE.read_text(encoding="utf-8"))
    assert validate_profile(profile) == []
    profile["survey"]["namn"] = "stavfel"
    profile["questions"]["safety"]["skala"] = 5
    problems = validate_profile(profile)
    assert any("[survey]: okänd nyckel 'namn'" in p for p in problems)
    assert any("[questions.\"safety\"]: okänd nyckel 'skala'" in p for p in problems)


@pytest.mark.parametrize("change, fragment", [
    (lambda p: p["file"].update(layout="long"), "layout \"long\": ange [columns] question"),
    (lambda p: p["survey"].update(wave="2020"), "på ett av två sätt"),
    (lambda p: p["questions"]["trust"].update(code="chicago_safety"), "koden 'chicago_safety' används av flera"),
    (lambda p: p["questions"]["trust"].pop("scale_max"), "behöver 'scale_min' och 'scale_max'"),
    (lambda p: p["survey"].update(kind="enkät"), "'kind' ska vara en av trygghetsmatning"),
    (lambda p: p.update(waves={"vår": {"from": date(2025, 4, 1), "to": date(2025, 3, 1)}}), "'from' ≤ 'to'"),
])
def test_a_profile_that_cannot_work_is_described_in_swedish(change, fragment):
    profile = tomllib.loads(CHICAGO_PROFILE.read_text(encoding="utf-8"))
    change(profile)
    assert any(fragment in p for p in validate_profile(profile)), validate_profile(profile)


# --- the command line --------------------------------------------------------------------------------------------

def _cli(capsys, engine, *argv):
    code = main(["--db", engine.url.render_as_string(hide_password=False), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_command_line_imports_the_areas_then_the_survey(engine, capsys):
    code, out, _ = _cli(capsys, engine, "import", "areas", str(CHICAGO_AREAS), "--name-field", "community",
                        "--level", "omrade")
    assert code == 0 and json.loads(out)["created"] == 77
    code, out, err = _cli(capsys, engine, "import", "survey", str(CHICAGO_CSV), "--profile", str(CHICAGO_PROFILE))
    summary = json.loads(out)
    assert code == 0 and (summary["accepted"], summary["missing_values"]) == (1540, 507)
    assert "1540/1540 rader sparade" in err
    code, out, _ = _cli(capsys, engine, "undo", str(summary["batch_id"]))
    assert code == 0 and _stored(engine) == {}


def test_the_command_line_exits_2_with_a_swedish_message_for_a_bad_file(chicago, capsys, tmp_path):
    path = _bad_copy(tmp_path, {5: {"Community": "Atlantis"}})
    before = _snapshot(chicago)
    code, _, err = _cli(capsys, chicago, "import", "survey", str(path), "--profile", str(CHICAGO_PROFILE))
    assert code == 2
    assert "Rad 5, kolumn 'Community': okänt område 'Atlantis'" in err and "Ingenting har sparats" in err
    assert _snapshot(chicago) == before
    code, _, err = _cli(capsys, chicago, "import", "survey", str(CHICAGO_CSV))
    assert code == 2 and "'Importprofil' måste anges" in err
