"""Masking personal data in free text: every kind is replaced by its placeholder, the flagged list respects the scope,
only roles with edit and free-text rights may mask, the audit names kinds never text, and imports count such rows."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from data_layer import masking
from data_layer.importers.areas import import_areas
from data_layer.importers.polisen import import_polisen
from data_layer.masking import MaskingRefused, incidents_with_personal_data, mask_incident, mask_text
from data_layer.models import AuditLog, Incident
from data_layer.personal_data import luhn_ok, personal_data_kinds
from data_layer.scope import Scope
from tests.data_layer.factories import add_incident, make_orgs_and_users
from tests.data_layer.importers.helpers import GEO, POLICE_OCTOBER, load_events, write_events

PNR = "811218-9876"  # check digit 6 by Luhn over 811218987
PNR_12 = "19811218-9876"


def _luhn_digit(nine: str) -> str:
    return next(d for d in "0123456789" if luhn_ok(nine + d))


def test_the_test_personnummer_carry_valid_check_digits():
    assert _luhn_digit("811218987") == "6" and luhn_ok(PNR.replace("-", ""))


@pytest.mark.parametrize("text, masked", [
    (f"Mannen uppgav personnummer {PNR}.", "Mannen uppgav personnummer [personnummer]."),
    (f"Född {PNR_12} enligt vakten", "Född [personnummer] enligt vakten"),
    ("Ring 070-123 45 67 i kväll", "Ring [telefon] i kväll"),
    ("Tel +46 8 123 456 78.", "Tel [telefon]."),
    ("Mejla kalle.anka@example.se om saken", "Mejla [e-post] om saken"),
    ("Bilen ABC 123 körde på gräset", "Bilen [regnr] körde på gräset"),
    ("Moped med nummer abc12a sågs", "Moped med nummer [regnr] sågs"),
])
def test_each_kind_of_personal_data_is_replaced_by_its_placeholder(text, masked):
    assert personal_data_kinds(text)
    assert mask_text(text) == masked
    assert personal_data_kinds(mask_text(text)) == []


def test_text_without_personal_data_is_left_alone():
    for text in ("Klotter på 3 väggar vid Storgatan 12, 2026-01-02 kl 22.30", "Kostade SEK 500", "Ingen siffra här"):
        assert mask_text(text) == text


def test_several_items_in_one_text_are_all_masked():
    text = f"{PNR}, 070-123 45 67, a.b@c.se och ABC 123"
    assert mask_text(text) == "[personnummer], [telefon], [e-post] och [regnr]"


def _scope(ids, username, role, org="org_a") -> Scope:
    return Scope(user_id=ids[username], role=role, organisation_id=ids[org])


def _store(engine) -> tuple[dict, dict]:
    ids = make_orgs_and_users(engine)
    rows = {
        "pnr": add_incident(engine, source_org_id=ids["org_a"], external_id="1", description=f"Hotade, pnr {PNR}"),
        "clean_digits": add_incident(engine, source_org_id=ids["org_a"], external_id="2",
                                     description="Tre personer vid port 4"),
        "clean": add_incident(engine, source_org_id=ids["org_a"], external_id="3", description="Inget särskilt"),
        "mail": add_incident(engine, source_org_id=ids["org_b"], external_id="4", description="Skriv till x@y.se"),
        "sensitive_b": add_incident(engine, source_org_id=ids["org_b"], external_id="5", sensitive=True,
                                    category_code="oro_nara_relation", description="Ring 070-123 45 67"),
    }
    return ids, rows


def test_the_flagged_list_holds_exactly_the_readable_reports_with_personal_data(engine, monkeypatch):
    ids, rows = _store(engine)
    monkeypatch.setattr(masking, "SCAN_BATCH", 1)  # the keyset batches must walk past rows without findings
    admin = incidents_with_personal_data(engine, scope=_scope(ids, "admin", "admin"))
    assert set(admin["id"]) == {rows["pnr"], rows["mail"]}  # admins may not read other organisations' sensitive rows
    coordinator = incidents_with_personal_data(engine, scope=_scope(ids, "samordnare", "samordnare"))
    assert set(coordinator["id"]) == {rows["pnr"], rows["mail"], rows["sensitive_b"]}
    assert coordinator.set_index("id").loc[rows["pnr"], "kinds"] == "personnummer"
    assert len(incidents_with_personal_data(engine, scope=_scope(ids, "samordnare", "samordnare"), limit=1)) == 1
    assert incidents_with_personal_data(engine, scope=_scope(ids, "analytiker", "analytiker")).empty


def test_a_coordinator_masks_a_report_and_the_audit_names_the_kinds_never_the_text(engine):
    ids, rows = _store(engine)
    kinds = mask_incident(engine, scope=_scope(ids, "samordnare", "samordnare"), incident_id=rows["sensitive_b"])
    assert kinds == ["telefonnummer"]
    with engine.connect() as conn:
        text = conn.execute(select(Incident.description).where(Incident.id == rows["sensitive_b"])).scalar_one()
        audit = conn.execute(select(AuditLog)).all()
    assert text == "Ring [telefon]"
    assert len(audit) == 1 and audit[0].object_id == str(rows["sensitive_b"]) and audit[0].event == "edit"
    assert "070" not in audit[0].detail and "Ring" not in audit[0].detail and "telefonnummer" in audit[0].detail


def test_masking_a_report_without_personal_data_changes_nothing(engine):
    ids, rows = _store(engine)
    assert mask_incident(engine, scope=_scope(ids, "admin", "admin"), incident_id=rows["clean"]) == []
    with engine.connect() as conn:
        assert conn.execute(select(AuditLog)).all() == []


@pytest.mark.parametrize("username, role, org", [("analytiker", "analytiker", "org_a"), ("medlem_a", "medlem", "org_a"),
                                                 ("rapportor_b", "rapportor", "org_b"), ("lasare", "lasare", "org_a")])
def test_roles_without_edit_and_free_text_rights_may_not_mask(engine, username, role, org):
    ids, rows = _store(engine)
    with pytest.raises(MaskingRefused):
        mask_incident(engine, scope=_scope(ids, username, role, org), incident_id=rows["pnr"])
    with engine.connect() as conn:
        assert conn.execute(select(Incident.description).where(Incident.id == rows["pnr"])).scalar_one().endswith(PNR)
        assert conn.execute(select(AuditLog)).all() == []


def test_a_report_the_scope_may_not_read_cannot_be_masked(engine):
    ids, rows = _store(engine)
    with pytest.raises(MaskingRefused, match="syns inte"):
        mask_incident(engine, scope=_scope(ids, "admin", "admin"), incident_id=rows["sensitive_b"])
    with pytest.raises(MaskingRefused, match="finns inte"):
        mask_incident(engine, scope=_scope(ids, "admin", "admin"), incident_id=999_999)


def test_an_import_counts_rows_with_personal_data_but_still_imports_them(engine, tmp_path):
    import_areas(engine, GEO / "kommuner_scb_simplified.geojson", name_field="kommun", code_field="kommun_kod",
                 level="kommun")
    import_areas(engine, GEO / "lan_scb_simplified.geojson", name_field="lan", code_field="lan_kod", level="lan")
    events = load_events(POLICE_OCTOBER)[:5]
    events[0]["summary"] = f"Gripen man, personnummer {PNR}."
    events[1]["summary"] = "Tips på 070-123 45 67."
    path = tmp_path / "events.json"
    write_events(path, events)
    result = import_polisen(engine, path)
    assert result.accepted == 5 and result.personal_data_rows == 2
