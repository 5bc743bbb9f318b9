"""Scoped survey queries: one question's result per area and survey wave."""
from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, select

from data_layer.models import Area, Survey, SurveyQuestion, SurveyResult
from data_layer.queries._common import frame
from data_layer.queries.filters import IncidentFilter, area_ids_matching
from data_layer.scope import Scope, visible

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
