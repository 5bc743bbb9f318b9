"""The register's extra columns on SQLite and PostgreSQL: who may edit which action follows scope.py (coordinators
every action, members their organisation's or the ones naming them responsible), and the responsible-person list
holds the active people who take on actions, never reporters or viewers."""
from __future__ import annotations

from data_layer.action_edits import create_action
from data_layer.queries.action_register import action_extras, organisation_choices, responsible_choices
from data_layer.scope import Scope
from tests.data_layer.factories import NOW, make_orgs_and_users


def _scope(ids, username, role, org):
    return Scope(user_id=ids[username], role=role, organisation_id=ids[org])


def test_editability_and_responsible_person_follow_the_scope_rules(engine):
    ids = make_orgs_and_users(engine)
    coordinator = _scope(ids, "samordnare", "samordnare", "org_a")
    member_b = _scope(ids, "medlem_b", "medlem", "org_b")
    own_a = create_action(engine, scope=coordinator, title="A:s egen", now=NOW)
    b_owned = create_action(engine, scope=coordinator, title="B äger", owner_org_id=ids["org_b"], now=NOW)
    names_b = create_action(engine, scope=coordinator, title="B ansvarig", responsible_user_id=ids["medlem_b"],
                            now=NOW)
    everyone = action_extras(engine, scope=coordinator)
    assert set(everyone["id"]) == {own_a, b_owned, names_b} and everyone["can_edit"].all()
    member = action_extras(engine, scope=member_b).set_index("id")
    assert member["can_edit"].to_dict() == {own_a: False, b_owned: True, names_b: True}
    assert member.loc[names_b, "responsible_name"] == "medlem_b"
    viewer = action_extras(engine, scope=_scope(ids, "lasare", "lasare", "org_a"))
    assert len(viewer) == 3 and not viewer["can_edit"].any()


def test_the_responsible_list_holds_active_forum_people_only_and_is_empty_for_viewers(engine):
    ids = make_orgs_and_users(engine)
    people = responsible_choices(engine, scope=_scope(ids, "medlem_b", "medlem", "org_b"))
    assert set(people["display_name"]) == {"admin", "samordnare", "analytiker", "medlem_a", "medlem_b"}
    assert responsible_choices(engine, scope=_scope(ids, "lasare", "lasare", "org_a")).empty
    orgs = organisation_choices(engine, scope=_scope(ids, "lasare", "lasare", "org_a"))
    assert dict(zip(orgs["id"], orgs["name"])) == {ids["org_a"]: "ORG_A", ids["org_b"]: "ORG_B"}
