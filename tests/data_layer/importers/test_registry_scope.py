"""run_import_kind with the user's scope (as the Data page runs it) refuses a role that may not edit the kind's
resource before reading the file, and writes nothing; without a scope (the operators' CLI) it runs."""
from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import func, insert, select

from data_layer.importers.common import ImportRefused
from data_layer.importers.registry import KINDS, resource_of, run_import_kind
from data_layer.models import Area, ImportBatch, SurveyQuestion, SurveyResult
from data_layer.scope import Scope
from tests.data_layer.factories import make_orgs_and_users

OPTIONS = {"survey_name": "Hyresgästenkät (test)", "organisation": "org_a"}


@pytest.fixture
def store(engine, tmp_path):
    """One area, one share question, users of every role and a small file of survey answers."""
    ids = make_orgs_and_users(engine)
    with engine.begin() as conn:
        conn.execute(insert(Area).values(code="norr", name="Norrmalm", level="omrade", population=5000))
        conn.execute(insert(SurveyQuestion).values(code="otrygg_kvall", text_sv="Otrygg", kind="share", scale_min=0,
                                                   scale_max=1, higher_is_worse=True))
    path = tmp_path / "svar.csv"
    pd.DataFrame({"omrade": ["Norrmalm"] * 10, "period": ["2025"] * 10,
                  "otrygg_kvall": ["0", "1"] * 5}).to_csv(path, index=False)
    return engine, ids, path


def _scope(ids, username, role):
    return Scope(user_id=ids[username], role=role, organisation_id=ids["org_a"])


def _written(engine) -> tuple[int, int]:
    with engine.connect() as conn:
        return (conn.execute(select(func.count()).select_from(SurveyResult)).scalar_one(),
                conn.execute(select(func.count()).select_from(ImportBatch)).scalar_one())


def test_every_kind_is_gated_on_survey_or_import_edit():
    assert {code: resource_of(code) for code in KINDS} == {
        "incidents": "import", "polisen-json": "import", "police-uk-csv": "import", "areas": "import",
        "survey": "survey", "survey-answers": "survey"}


@pytest.mark.parametrize(("username", "role"), [("analytiker", "analytiker"), ("medlem_a", "medlem"),
                                                ("lasare", "lasare")])
def test_a_role_without_survey_edit_is_refused_survey_answers_and_nothing_is_written(store, username, role):
    engine, ids, path = store
    with pytest.raises(ImportRefused, match=f"din roll \\({role}\\) får inte importera"):
        run_import_kind(engine, "survey-answers", path, options=OPTIONS, scope=_scope(ids, username, role))
    assert _written(engine) == (0, 0)


def test_a_coordinator_imports_survey_answers_and_so_does_the_cli_without_a_scope(store):
    engine, ids, path = store
    run_import_kind(engine, "survey-answers", path, options=OPTIONS, scope=_scope(ids, "samordnare", "samordnare"))
    assert _written(engine) == (1, 1)
    run_import_kind(engine, "survey-answers", path, options={**OPTIONS, "survey_name": "Andra enkäten"})
    assert _written(engine) == (2, 2)


def test_a_member_is_refused_an_incident_import_before_the_file_is_read(store, tmp_path):
    engine, ids, _ = store
    with pytest.raises(ImportRefused, match="får inte importera 'Partnerexport"):
        run_import_kind(engine, "incidents", tmp_path / "saknas.csv", options={"profile": "x"},
                        scope=_scope(ids, "medlem_a", "medlem"))
