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


def _described_action(engine, ids) -> int:
    """An action with a description, a chosen cell and a history note, created by the coordinator."""
    from data_layer.action_edits import add_note

    coordinator = _scope(ids, "samordnare", "samordnare", "org_a")
    action_id = create_action(engine, scope=coordinator, title="Belysning i tunneln", description="Hemlig text",
                              h3_cells=["881f1d4a09fffff"], now=NOW)
    add_note(engine, scope=coordinator, action_id=action_id, note="Anteckning om platsen", now=NOW)
    return action_id


def test_a_viewer_reads_an_action_without_its_description_place_cells_or_notes(engine):
    from data_layer.queries.actions import action_detail, action_history

    ids = make_orgs_and_users(engine)
    action_id = _described_action(engine, ids)
    for who, role, org in (("lasare", "lasare", "org_a"), ("rapportor_b", "rapportor", "org_b")):
        scope = _scope(ids, who, role, org)
        row = action_detail(engine, scope=scope, action_id=action_id)
        assert row["title"][0] == "Belysning i tunneln"
        assert row["description"].isna().all() and row["h3_cells"][0] == [] and row["place_id"].isna().all()
        history = action_history(engine, scope=scope, action_id=action_id)
        assert len(history) == 2 and history["note"].isna().all()
        created = history["changes"][0]
        assert created["description"] == [None, None] and created["h3_cells"] == [None, None]
        assert "Hemlig text" not in repr(history.to_dict()) and "881f1d4a09fffff" not in repr(history.to_dict())


def test_an_area_manager_reads_the_description_cells_and_notes(engine):
    from data_layer.queries.actions import action_detail, action_history

    ids = make_orgs_and_users(engine)
    action_id = _described_action(engine, ids)
    scope = _scope(ids, "medlem_b", "medlem", "org_b")
    row = action_detail(engine, scope=scope, action_id=action_id)
    assert row["description"][0] == "Hemlig text" and row["h3_cells"][0] == ["881f1d4a09fffff"]
    history = action_history(engine, scope=scope, action_id=action_id)
    assert "Anteckning om platsen" in set(history["note"])


def test_the_map_draws_a_viewers_actions_at_their_areas_centre_without_place_or_cells(engine):
    from datetime import date

    from data_layer.db import session_scope
    from data_layer.models import Area, Place
    from data_layer.queries.filters import IncidentFilter
    from data_layer.queries.map import map_actions

    ids = make_orgs_and_users(engine)
    with session_scope(engine) as s:
        area = Area(code="centrum", name="Centrum", level="omrade", centroid_lat=57.6, centroid_lon=14.6)
        s.add(area)
        s.flush()
        place = Place(name="Tunneln", kind="tunnel", lat=57.655, lon=14.695, area_id=area.id)
        s.add(place)
        s.flush()
        place_id = place.id
    coordinator = _scope(ids, "samordnare", "samordnare", "org_a")
    at_place = create_action(engine, scope=coordinator, title="Vid platsen", area_code="centrum", place_id=place_id,
                             h3_cells=["881f1d4a09fffff"], now=NOW)
    only_cells = create_action(engine, scope=coordinator, title="Bara celler", h3_cells=["881f1d4a09fffff"], now=NOW)
    flt, today = IncidentFilter(date(2020, 1, 1), date(2030, 1, 1)), date(2026, 6, 1)
    full = map_actions(engine, scope=coordinator, flt=flt, today=today).set_index("id")
    assert set(full.index) == {at_place, only_cells} and full.loc[at_place, "lat"] == 57.655
    viewer = map_actions(engine, scope=_scope(ids, "lasare", "lasare", "org_a"), flt=flt, today=today).set_index("id")
    assert list(viewer.index) == [at_place]
    assert (viewer.loc[at_place, "lat"], viewer.loc[at_place, "lon"]) == (57.6, 14.6)
    assert viewer["h3_cells"].isna().all()
