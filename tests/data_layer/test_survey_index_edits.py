"""Own survey indices: stored for everyone by roles with survey edit rights, each save and delete audited."""
import json

import pytest
from sqlalchemy import insert, select

from data_layer.models import AuditLog, Organisation, SurveyOwnIndex, SurveyQuestion
from data_layer.scope import Scope
from data_layer.survey_index_edits import OwnIndexError, delete_own_index, list_own_indices, save_own_index
from data_layer.users import add_user


@pytest.fixture
def people(engine):
    """A coordinator, an analyst and a viewer, and two questions."""
    with engine.begin() as conn:
        org = conn.execute(insert(Organisation).values(code="kommunen", name="Kommunen", kind="kommun")
                           ).inserted_primary_key[0]
        for code in ("problem_klotter", "problem_nedskrapning"):
            conn.execute(insert(SurveyQuestion).values(code=code, text_sv=code, kind="share", scale_min=0, scale_max=1,
                                                       higher_is_worse=True))
    return {role: Scope(add_user(engine, username=role, role=role, organisation_code="kommunen", password="demo"),
                        role, org) for role in ("samordnare", "analytiker", "lasare", "admin")}


def _audit(engine) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(AuditLog.user_id, AuditLog.event, AuditLog.object_type,
                                                      AuditLog.object_id, AuditLog.detail)
                                               .where(AuditLog.object_type == "survey_index").order_by(AuditLog.id))]


def test_a_coordinators_index_is_stored_listed_for_everyone_and_audited(engine, people):
    who = people["samordnare"]
    new_id = save_own_index(engine, scope=who, name="  Klotter  och skräp ", scale_max=10, higher_is_worse=True,
                            components=["problem_klotter", "problem_nedskrapning", "problem_klotter"])
    (stored,) = list_own_indices(engine)
    assert (stored.id, stored.name, stored.components, stored.scale_max, stored.higher_is_worse, stored.code) == (
        new_id, "Klotter och skräp", ("problem_klotter", "problem_nedskrapning"), 10.0, True, f"custom:{new_id}")
    with engine.connect() as conn:
        row = conn.execute(select(SurveyOwnIndex)).one()
    assert json.loads(row.components) == ["problem_klotter", "problem_nedskrapning"] and row.created_by == who.user_id
    assert _audit(engine) == [(who.user_id, "edit", "survey_index", str(new_id), "create 2 frågor")]
    delete_own_index(engine, scope=people["admin"], index_id=new_id)
    assert list_own_indices(engine) == []
    assert _audit(engine)[-1] == (people["admin"].user_id, "edit", "survey_index", str(new_id), "delete")


@pytest.mark.parametrize("role", ["analytiker", "lasare"])
def test_roles_without_survey_edit_rights_may_neither_save_nor_delete(engine, people, role):
    kept = save_own_index(engine, scope=people["samordnare"], name="Klotter", components=["problem_klotter"])
    with pytest.raises(OwnIndexError, match="Din roll får inte"):
        save_own_index(engine, scope=people[role], name="Annat", components=["problem_klotter"])
    with pytest.raises(OwnIndexError, match="Din roll får inte"):
        delete_own_index(engine, scope=people[role], index_id=kept)
    assert [i.id for i in list_own_indices(engine)] == [kept] and len(_audit(engine)) == 1


@pytest.mark.parametrize("kwargs, fragment", [
    (dict(name="", components=["problem_klotter"]), "Namn: ange 1–80 tecken"),
    (dict(name="x" * 81, components=["problem_klotter"]), "Namn: ange 1–80 tecken"),
    (dict(name="Index", components=[]), "Frågor: välj 1–30 frågor"),
    (dict(name="Index", components=["trivsel"]), "Frågor: okända frågekoder trivsel"),
    (dict(name="Index", components=["problem_klotter"], scale_max=0.5), "Skalans största värde"),
    (dict(name="KLOTTER", components=["problem_klotter"]), "det finns redan ett eget index som heter 'KLOTTER'"),
])
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(engine, people, kwargs, fragment):
    save_own_index(engine, scope=people["samordnare"], name="Klotter", components=["problem_klotter"])
    with pytest.raises(OwnIndexError, match=fragment):
        save_own_index(engine, scope=people["samordnare"], **kwargs)
    assert len(list_own_indices(engine)) == 1 and len(_audit(engine)) == 1


def test_deleting_an_unknown_index_is_refused(engine, people):
    with pytest.raises(OwnIndexError, match="inget eget index med nummer 99"):
        delete_own_index(engine, scope=people["samordnare"], index_id=99)
    assert _audit(engine) == []
