"""Scoped survey queries: results per area and wave, incidents per area for comparison, "unsafe here" marks."""
from __future__ import annotations

from dataclasses import replace

import pandas as pd
from sqlalchemy import Engine, case, func, literal, null, select, union_all

from data_layer import rollups
from data_layer.models import Area, Incident, Survey, SurveyPlaceMark, SurveyQuestion, SurveyResult
from data_layer.queries._common import frame
from data_layer.queries.filters import IncidentFilter, area_ids_matching, incident_conditions
from data_layer.scope import Scope, min_count, visible
from data_layer.suppression import suppress_long

RESULT_COLUMNS = ["area_code", "area_name", "survey_name", "wave", "fielded_to", "n", "value"]
QUESTION_COLUMNS = ["code", "text_sv", "kind", "higher_is_worse"]


def survey_questions(engine: Engine, *, scope: Scope, flt: IncidentFilter | None = None) -> pd.DataFrame:
    """Questions that have at least one result the scope may count."""
    stmt = (select(SurveyQuestion.code, SurveyQuestion.text_sv, SurveyQuestion.kind, SurveyQuestion.higher_is_worse)
            .where(SurveyQuestion.id.in_(select(SurveyResult.question_id)
                                         .where(visible(SurveyResult, scope, operation="list"))))
            .order_by(SurveyQuestion.code))
    return frame(engine, stmt, QUESTION_COLUMNS)


def survey_results(engine: Engine, *, scope: Scope, flt: IncidentFilter, question_code: str) -> pd.DataFrame:
    """One question's value (share or mean) and respondents n per area × survey wave, in the filter's areas."""
    conds = [visible(SurveyResult, scope, operation="list"), SurveyQuestion.code == question_code]
    if flt.area_codes:
        conds.append(SurveyResult.area_id.in_(area_ids_matching(flt.area_codes)))
    stmt = (select(Area.code, Area.name, Survey.name, Survey.wave, Survey.fielded_to, SurveyResult.n,
                   SurveyResult.value)
            .select_from(SurveyResult)
            .join(Survey, SurveyResult.survey_id == Survey.id)
            .join(SurveyQuestion, SurveyResult.question_id == SurveyQuestion.id)
            .join(Area, SurveyResult.area_id == Area.id)
            .where(*conds)
            .order_by(Area.name, Survey.fielded_to, Survey.wave))
    return frame(engine, stmt, RESULT_COLUMNS)


QUESTION_RESULT_COLUMNS = ["area_code", "area_name", "survey_name", "wave", "fielded_from", "fielded_to",
                           "question_code", "question_kind", "scale_min", "scale_max", "higher_is_worse", "n",
                           "response_rate", "value", "distribution"]
ALL_QUESTION_COLUMNS = ["code", "text_sv", "kind", "scale_min", "scale_max", "higher_is_worse", "index_code"]


def survey_question_catalogue(engine: Engine, *, scope: Scope) -> pd.DataFrame:
    """Every question with scale, direction and index that has at least one result the scope may count."""
    stmt = (select(SurveyQuestion.code, SurveyQuestion.text_sv, SurveyQuestion.kind, SurveyQuestion.scale_min,
                   SurveyQuestion.scale_max, SurveyQuestion.higher_is_worse, SurveyQuestion.index_code)
            .where(SurveyQuestion.id.in_(select(SurveyResult.question_id)
                                         .where(visible(SurveyResult, scope, operation="list"))))
            .order_by(SurveyQuestion.code))
    return frame(engine, stmt, ALL_QUESTION_COLUMNS)


def survey_question_results(engine: Engine, *, scope: Scope, flt: IncidentFilter,
                            question_codes: tuple[str, ...]) -> pd.DataFrame:
    """Results of the given questions per area × wave, with n, response rate, distribution JSON and the question's
    scale and direction, in the filter's areas (value None = missing)."""
    conds = [visible(SurveyResult, scope, operation="list"), SurveyQuestion.code.in_(question_codes)]
    if flt.area_codes:
        conds.append(SurveyResult.area_id.in_(area_ids_matching(flt.area_codes)))
    stmt = (select(Area.code, Area.name, Survey.name, Survey.wave, Survey.fielded_from, Survey.fielded_to,
                   SurveyQuestion.code, SurveyQuestion.kind, SurveyQuestion.scale_min, SurveyQuestion.scale_max,
                   SurveyQuestion.higher_is_worse, SurveyResult.n, SurveyResult.response_rate, SurveyResult.value,
                   SurveyResult.distribution)
            .select_from(SurveyResult)
            .join(Survey, SurveyResult.survey_id == Survey.id)
            .join(SurveyQuestion, SurveyResult.question_id == SurveyQuestion.id)
            .join(Area, SurveyResult.area_id == Area.id)
            .where(*conds)
            .order_by(Area.name, Survey.fielded_to, Survey.wave, SurveyQuestion.code))
    return frame(engine, stmt, QUESTION_RESULT_COLUMNS)


AREA_INCIDENT_COLUMNS = ["area_code", "area_name", "population", "incidents"]


def incidents_per_area(engine: Engine, *, scope: Scope, flt: IncidentFilter,
                       area_codes: tuple[str, ...]) -> pd.DataFrame:
    """Incidents the scope may count per named area (its own rows, by Incident.area_id) in the filter's period,
    categories and sources, with the area's population (None when unknown); areas without incidents count 0."""
    src, n, conds = rollups.counted(engine, scope, replace(flt, area_codes=()))
    counted = select(src.area_id.label("area_id"), n.label("incidents")).where(*conds).group_by(src.area_id).subquery()
    stmt = (select(Area.code, Area.name, Area.population, func.coalesce(counted.c.incidents, 0))
            .outerjoin(counted, counted.c.area_id == Area.id)
            .where(Area.code.in_(area_codes))
            .order_by(Area.name))
    return frame(engine, stmt, AREA_INCIDENT_COLUMNS)


MARK_LIST_COLUMNS = ["id", "area_code", "area_name", "source", "reasons", "lat", "lon", "created_at"]


def survey_mark_list(engine: Engine, *, scope: Scope, flt: IncidentFilter) -> pd.DataFrame:
    """"Unsafe here" marks row by row, with their area, in the filter's areas (newest first): none without survey
    read_detail (see survey_mark_counts), lat/lon None (in SQL) without survey precise_location."""
    conds = [visible(SurveyPlaceMark, scope, operation="read_detail")]
    if flt.area_codes:
        conds.append(SurveyPlaceMark.area_id.in_(area_ids_matching(flt.area_codes)))
    precise = scope.can("survey", "precise_location")
    lat, lon = (SurveyPlaceMark.lat, SurveyPlaceMark.lon) if precise else (null(), null())
    stmt = (select(SurveyPlaceMark.id, Area.code, Area.name, SurveyPlaceMark.source, SurveyPlaceMark.reasons,
                   lat, lon, SurveyPlaceMark.created_at)
            .outerjoin(Area, Area.id == SurveyPlaceMark.area_id)
            .where(*conds)
            .order_by(SurveyPlaceMark.created_at.desc(), SurveyPlaceMark.id))
    return frame(engine, stmt, MARK_LIST_COLUMNS)


MARK_REASONS = ("belysning", "skymd_sikt", "folktomt", "personer", "trafik")  # SurveyPlaceMark.reasons codes
MARK_COUNT_COLUMNS = ["area_code", "area_name", "reason", "count"]


def survey_mark_counts(engine: Engine, *, scope: Scope, flt: IncidentFilter) -> pd.DataFrame:
    """Marks the scope may count per area × reason (a mark with two reasons counts under both), in the filter's
    areas, with every area × reason pair present; `count` nullable Int64, <NA> where hidden from the scope (small
    counts and the complementary ones, data_layer/suppression.py), `hidden_count` marks them."""
    conds = [visible(SurveyPlaceMark, scope, operation="list")]
    if flt.area_codes:
        conds.append(SurveyPlaceMark.area_id.in_(area_ids_matching(flt.area_codes)))
    padded = literal(",") + SurveyPlaceMark.reasons + literal(",")  # exact code match inside the comma list
    parts = [select(SurveyPlaceMark.area_id.label("area_id"), literal(code).label("reason"),
                    func.sum(case((padded.like(f"%,{code},%"), 1), else_=0)).label("n"))
             .where(*conds).group_by(SurveyPlaceMark.area_id) for code in MARK_REASONS]
    counted = union_all(*parts).subquery()
    stmt = (select(Area.code, Area.name, counted.c.reason, counted.c.n)
            .select_from(counted).outerjoin(Area, Area.id == counted.c.area_id)
            .order_by(Area.name, counted.c.reason))
    df = frame(engine, stmt, MARK_COUNT_COLUMNS)
    df["count"] = df["count"].fillna(0).astype("int64")
    return suppress_long(df, rows="area_code", columns="reason", threshold=min_count(scope), fixed_margins=False)
