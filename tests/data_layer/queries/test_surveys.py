"""Survey queries on both backends: results per area × wave keep n, response rate, distribution and missing values;
incidents per area count exactly the period's scoped rows; "unsafe here" marks come with their area."""
from __future__ import annotations

import json
from datetime import date, datetime, timezone

import pandas as pd
import pytest
from sqlmodel import select

from data_layer.db import session_scope
from data_layer.models import Area, Survey, SurveyPlaceMark, SurveyQuestion, SurveyResult
from data_layer.queries import surveys as q
from data_layer.queries.filters import IncidentFilter
from data_layer.scope import Scope
from tests.data_layer.factories import add_incident, make_orgs_and_users

ALL_TIME = IncidentFilter(date(2020, 1, 1), date(2026, 12, 31))


@pytest.fixture
def store(engine):
    """Two areas (one without population), two waves of one share and one mean question, marks and incidents."""
    ids = make_orgs_and_users(engine)
    with session_scope(engine) as s:
        north = Area(code="N", name="Norr", level="omrade", population=2000)
        south = Area(code="S", name="Söder", level="omrade", population=None)
        share = SurveyQuestion(code="otrygg_kvall", text_sv="Otrygg", kind="share", scale_min=0, scale_max=1)
        mean = SurveyQuestion(code="trivsel", text_sv="Trivsel", kind="mean", scale_min=1, scale_max=10,
                              higher_is_worse=False)
        s.add_all([north, south, share, mean])
        s.flush()
        waves = [Survey(name="Mätning", kind="trygghetsmatning", wave=str(y), fielded_from=date(y, 3, 1),
                        fielded_to=date(y, 4, 15)) for y in (2024, 2026)]
        s.add_all(waves)
        s.flush()
        s.add_all([
            SurveyResult(survey_id=waves[0].id, question_id=share.id, area_id=north.id, n=120, response_rate=0.4,
                         value=0.25, distribution=json.dumps({"ganska otrygg": 20, "mycket otrygg": 10})),
            SurveyResult(survey_id=waves[1].id, question_id=share.id, area_id=north.id, n=100, value=None),
            SurveyResult(survey_id=waves[1].id, question_id=mean.id, area_id=south.id, n=None, value=7.5),
            SurveyResult(survey_id=waves[1].id, question_id=share.id, area_id=south.id, n=12, value=0.5)])
        created = datetime(2026, 4, 1, 10, tzinfo=timezone.utc)
        s.add_all([SurveyPlaceMark(source="enkat", lat=57.6, lon=14.6, area_id=north.id, reasons="belysning",
                                   created_at=created),
                   SurveyPlaceMark(source="trygghetsvandring", lat=57.7, lon=14.7, area_id=south.id,
                                   reasons="folktomt,trafik", created_at=created)])
        area_ids = {"N": north.id, "S": south.id}
    for i, (day, area, category) in enumerate([(date(2025, 4, 16), "N", "skadegorelse"),
                                               (date(2026, 4, 15), "N", "skadegorelse"),
                                               (date(2026, 4, 16), "N", "skadegorelse"),  # after the period
                                               (date(2025, 4, 15), "N", "skadegorelse"),  # before the period
                                               (date(2025, 6, 1), "N", "stold"),
                                               (date(2025, 6, 1), "S", "skadegorelse")]):
        inc = add_incident(engine, source_org_id=ids["org_a"], external_id=f"e{i}", category_code=category,
                           occurred_at=datetime(day.year, day.month, day.day, 12, tzinfo=timezone.utc),
                           local_date=day)
        with engine.begin() as conn:
            conn.exec_driver_sql(f"UPDATE incident SET area_id = {area_ids[area]} WHERE id = {inc}")
    return Scope(user_id=ids["samordnare"], role="samordnare", organisation_id=ids["org_a"])


def test_results_keep_n_response_rate_distribution_and_missing_values(engine, store):
    rows = q.survey_question_results(engine, scope=store, flt=ALL_TIME, question_codes=("otrygg_kvall", "trivsel"))
    got = {(r.area_code, r.wave, r.question_code): r for r in rows.itertuples()}
    assert len(rows) == 4
    first = got[("N", "2024", "otrygg_kvall")]
    assert (first.n, first.response_rate, first.value) == (120, 0.4, 0.25)
    assert json.loads(first.distribution) == {"ganska otrygg": 20, "mycket otrygg": 10}
    assert rows[(rows.area_code == "N") & (rows.wave == "2026")]["value"].isna().all()
    assert not got[("S", "2026", "trivsel")].higher_is_worse
    assert got[("S", "2026", "trivsel")].scale_max == 10


def test_results_follow_the_area_filter_and_the_asked_questions(engine, store):
    only_north = IncidentFilter(ALL_TIME.start, ALL_TIME.end, area_codes=("N",))
    rows = q.survey_question_results(engine, scope=store, flt=only_north, question_codes=("otrygg_kvall",))
    assert set(rows["area_code"]) == {"N"} and set(rows["question_code"]) == {"otrygg_kvall"}
    catalogue = q.survey_question_catalogue(engine, scope=store)
    assert list(catalogue["code"]) == ["otrygg_kvall", "trivsel"]


def test_incidents_per_area_count_the_period_and_categories_with_population(engine, store):
    period = IncidentFilter(date(2025, 4, 16), date(2026, 4, 15))
    counts = q.incidents_per_area(engine, scope=store, flt=period, area_codes=("N", "S"))
    got = {r.area_code: (r.population, r.incidents) for r in counts.itertuples()}
    assert got["N"] == (2000, 3)
    assert got["S"][1] == 1 and pd.isna(got["S"][0])
    only_damage = IncidentFilter(period.start, period.end, category_codes=("skadegorelse",))
    counts = q.incidents_per_area(engine, scope=store, flt=only_damage, area_codes=("N",))
    assert int(counts["incidents"].iloc[0]) == 2


def test_an_area_without_incidents_counts_zero(engine, store):
    quiet = IncidentFilter(date(2021, 1, 1), date(2021, 12, 31))
    counts = q.incidents_per_area(engine, scope=store, flt=quiet, area_codes=("N", "S"))
    assert list(counts["incidents"]) == [0, 0]


def test_marks_come_with_their_area_and_follow_the_area_filter(engine, store):
    marks = q.survey_mark_list(engine, scope=store, flt=ALL_TIME)
    assert sorted(zip(marks["area_code"], marks["reasons"])) == [("N", "belysning"), ("S", "folktomt,trafik")]
    south = q.survey_mark_list(engine, scope=store, flt=IncidentFilter(ALL_TIME.start, ALL_TIME.end,
                                                                       area_codes=("S",)))
    assert list(south["source"]) == ["trygghetsvandring"]


def _as(scope: Scope, role: str) -> Scope:
    return Scope(user_id=scope.user_id, role=role, organisation_id=scope.organisation_id)


def test_an_area_manager_gets_the_marks_with_their_positions(engine, store):
    marks = q.survey_mark_list(engine, scope=_as(store, "medlem"), flt=ALL_TIME)
    assert sorted(marks["lat"]) == [57.6, 57.7]


def test_a_role_without_survey_precise_location_gets_marks_without_positions(engine, store, monkeypatch):
    from data_layer import permissions

    monkeypatch.setitem(permissions.MATRIX, "medlem", {**permissions.MATRIX["medlem"],
                                                       "survey": frozenset({"list", "read_detail"})})
    marks = q.survey_mark_list(engine, scope=_as(store, "medlem"), flt=ALL_TIME)
    assert sorted(marks["reasons"]) == ["belysning", "folktomt,trafik"]
    assert marks["lat"].isna().all() and marks["lon"].isna().all()


@pytest.mark.parametrize("role", ["lasare", "rapportor"])
def test_a_viewer_gets_no_mark_row_by_row(engine, store, role):
    assert q.survey_mark_list(engine, scope=_as(store, role), flt=ALL_TIME).empty


def test_marks_are_counted_per_area_and_reason_with_a_mark_of_two_reasons_under_both(engine, store):
    counts = q.survey_mark_counts(engine, scope=store, flt=ALL_TIME)
    got = {(a, r): int(n) for a, r, n in zip(counts["area_code"], counts["reason"], counts["count"]) if n}
    assert got == {("N", "belysning"): 1, ("S", "folktomt"): 1, ("S", "trafik"): 1}
    assert len(counts) == 2 * len(q.MARK_REASONS) and not counts["hidden_count"].any()


def test_a_viewers_mark_counts_hide_the_small_ones_and_show_the_rest(engine, store):
    with session_scope(engine) as s:
        areas = {a.code: a.id for a in s.exec(select(Area)).all()}
        s.add_all([SurveyPlaceMark(source="enkat", lat=57.6, lon=14.6, area_id=areas[code], reasons=reasons,
                                   created_at=datetime(2026, 4, 2, tzinfo=timezone.utc))
                   for code, reasons in [("N", "belysning")] * 5 + [("N", "personer")] * 6 + [("N", "skymd_sikt")] * 7
                   + [("S", "folktomt")] * 5 + [("S", "personer")] * 4 + [("S", "skymd_sikt")] * 8])
    truth = q.survey_mark_counts(engine, scope=store, flt=ALL_TIME).set_index(["area_code", "reason"])["count"]
    shown = q.survey_mark_counts(engine, scope=_as(store, "lasare"), flt=ALL_TIME).set_index(["area_code", "reason"])
    assert truth[("S", "trafik")] == 1 and pd.isna(shown.loc[("S", "trafik"), "count"])
    assert shown.loc[("S", "trafik"), "hidden_count"]
    published = shown["count"].dropna()
    assert (published > 0).any() and not published.isin([1, 2]).any()
    assert all(truth[key] == n for key, n in published.items())
