"""The one scoping function: every role counts everything in aggregates, but sees sensitive rows only where allowed."""
import pytest
from sqlalchemy import func, select

from data_layer.models import Action, Incident, SurveyPlaceMark, User
from data_layer.permissions import MATRIX, OPERATIONS, RESOURCES, allowed
from data_layer.scope import Scope, visible
from tests.data_layer.factories import add_incident, make_orgs_and_users


@pytest.fixture
def seeded(engine):
    ids = make_orgs_and_users(engine)
    add_incident(engine, source_org_id=ids["org_b"], external_id="plain-b")
    add_incident(engine, source_org_id=ids["org_b"], external_id="sensitive-b", sensitive=True,
                 category_code="oro_nara_relation")
    add_incident(engine, source_org_id=ids["org_b"], external_id="own-report", reporter_user_id=ids["rapportor_b"])
    add_incident(engine, source_org_id=ids["org_a"], external_id="sensitive-a", sensitive=True)
    return engine, ids


def _scope(ids, username, role, org):
    return Scope(user_id=ids[username], role=role, organisation_id=ids[org])


def _visible_ids(engine, scope, operation):
    stmt = select(Incident.external_id).where(visible(Incident, scope, operation=operation)).order_by(Incident.external_id)
    with engine.connect() as conn:
        return conn.execute(stmt).scalars().all()


def _count(engine, scope):
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Incident).where(visible(Incident, scope))).scalar_one()


@pytest.mark.parametrize("username,role,org", [("admin", "admin", "org_a"), ("samordnare", "samordnare", "org_a"),
                                               ("analytiker", "analytiker", "org_a"), ("medlem_b", "medlem", "org_b"),
                                               ("rapportor_b", "rapportor", "org_b"), ("lasare", "lasare", "org_a")])
def test_every_role_counts_every_incident_in_aggregates(seeded, username, role, org):
    engine, ids = seeded
    assert _count(engine, _scope(ids, username, role, org)) == 4


def test_a_member_sees_other_organisations_sensitive_rows_only_in_aggregates(seeded):
    engine, ids = seeded
    assert _visible_ids(engine, _scope(ids, "medlem_a", "medlem", "org_a"), "read_detail") == [
        "own-report", "plain-b", "sensitive-a"]


def test_the_reporting_organisation_sees_its_own_sensitive_rows(seeded):
    engine, ids = seeded
    assert "sensitive-b" in _visible_ids(engine, _scope(ids, "medlem_b", "medlem", "org_b"), "read_detail")


def test_the_coordinator_is_granted_sensitive_detail(seeded):
    engine, ids = seeded
    assert len(_visible_ids(engine, _scope(ids, "samordnare", "samordnare", "org_a"), "read_detail")) == 4


def test_the_admin_role_is_not_granted_sensitive_detail_of_others(seeded):
    engine, ids = seeded
    assert "sensitive-b" not in _visible_ids(engine, _scope(ids, "admin", "admin", "org_a"), "read_detail")


def test_a_viewer_sees_no_incident_row_by_row(seeded):
    engine, ids = seeded
    assert _visible_ids(engine, _scope(ids, "lasare", "lasare", "org_a"), "read_detail") == []


def test_a_reporter_sees_only_their_own_reports_row_by_row(seeded):
    engine, ids = seeded
    assert _visible_ids(engine, _scope(ids, "rapportor_b", "rapportor", "org_b"), "read_detail") == ["own-report"]


def test_a_viewer_may_not_see_precise_locations_or_free_text():
    scope = Scope(user_id=1, role="lasare", organisation_id=1)
    assert not scope.can("incident", "precise_location")
    assert not scope.can("incident", "free_text")


def test_models_without_a_scoping_rule_are_refused_not_passed():
    with pytest.raises(TypeError):
        visible(User, Scope(user_id=1, role="admin", organisation_id=1))


def test_an_unknown_role_cannot_be_scoped():
    with pytest.raises(ValueError):
        Scope(user_id=1, role="superuser", organisation_id=1)


def test_the_matrix_names_every_role_resource_and_only_known_operations():
    assert set(MATRIX) == {"admin", "samordnare", "analytiker", "medlem", "rapportor", "lasare"}
    for role, resources in MATRIX.items():
        assert set(resources) == set(RESOURCES), role
        for ops in resources.values():
            assert ops <= set(OPERATIONS)
    assert not allowed("lasare", "incident", "export")
    assert not allowed("nobody", "incident", "list")


def test_actions_and_survey_pins_are_listable_by_every_role(seeded):
    engine, ids = seeded
    for model in (Action, SurveyPlaceMark):
        with engine.connect() as conn:
            stmt = select(func.count()).select_from(model).where(visible(model, _scope(ids, "lasare", "lasare", "org_a")))
            assert conn.execute(stmt).scalar_one() == 0  # empty tables, but the clause compiles and runs
