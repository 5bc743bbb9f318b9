"""Every cell of the permission matrix is enforced where the app acts: for each role × resource × operation the real
enforcement point (a scoped query, a write function, a page's export gate) allows exactly what MATRIX allows.

PROBES maps (resource, operation) to a probe that exercises the enforcement points for one role and says, per point,
whether the role got through. Cells the app has no feature for are in NO_FEATURE (then MATRIX must deny them to every
role) or in GAPS (MATRIX grants something the app does not implement). Cells where a probe finds the app disagreeing
with MATRIX are in MISMATCHES: they run as strict xfails, so fixing one makes the suite demand its removal here.
A new resource or operation in MATRIX without a probe or an entry here fails test_every_cell_has_a_probe_or_a_reason.
"""
from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from functools import cached_property

import pandas as pd
import pytest
from sqlalchemy import select, text
from streamlit.testing.v1 import AppTest

from data_layer import accounts, audit
from data_layer.action_edits import ActionPermissionError, create_action
from data_layer.db import make_engine, session_scope
from data_layer.importers.common import ImportRefused
from data_layer.importers.registry import run_import_kind
from data_layer.meeting_edits import MeetingPermissionError, start_meeting
from data_layer.models import ImportBatch
from data_layer.permissions import MATRIX, OPERATIONS, RESOURCES
from data_layer.queries import actions as aq
from data_layer.queries import admin as adq
from data_layer.queries import comparison as cq
from data_layer.queries import incidents as iq
from data_layer.queries import map as mq
from data_layer.queries import meetings as meq
from data_layer.queries import surveys as sq
from data_layer.queries.filters import IncidentFilter
from data_layer.reports.acting import ReportError as ProtocolRefused
from data_layer.reports.protokoll import build_protokoll
from data_layer.users import UserError, authenticate
from tests.conftest import PROJECT_ROOT

ROLE_USERS = {"admin": "admin", "samordnare": "samordnare", "analytiker": "polis", "medlem": "omradeschef",
              "rapportor": "ombud", "lasare": "lasare"}
ROLES = tuple(MATRIX)
EXAMPLES = PROJECT_ROOT / "import_profiles"


@dataclass
class World:
    """The demo store (read), a writable copy (writes, batches, audit rows), each role's logged-in user."""

    url: str
    write_url: str
    tmp: object = None  # a folder for the probes' own files
    throwaway: int = 0  # the account the user probes change (no probe logs in with it)
    users: dict = field(default_factory=dict)
    _probed: dict = field(default_factory=dict)

    @cached_property
    def engine(self):
        return make_engine(self.url)

    @cached_property
    def write_engine(self):
        return make_engine(self.write_url)

    @cached_property
    def flt(self) -> IncidentFilter:
        return IncidentFilter(start=date(2000, 1, 1), end=date.today())

    @cached_property
    def facts(self) -> pd.DataFrame:
        """Ground truth per incident: who reported it, which organisation, whether it is sensitive."""
        with self.engine.connect() as conn:
            rows = conn.execute(text("SELECT id, reporter_user_id, source_org_id, sensitive FROM incident")).all()
        return pd.DataFrame(rows, columns=["id", "reporter", "org", "is_sensitive"]).set_index("id")

    def scope(self, role: str):
        return self.users[role].scope

    def detail(self, role: str) -> pd.DataFrame:
        """Every incident the role may read row by row (recent_incidents), joined to the ground truth."""
        if role not in self._probed:
            rows = iq.recent_incidents(self.engine, scope=self.scope(role), flt=self.flt, limit=100_000)
            self._probed[role] = rows.join(self.facts, on="id")
        return self._probed[role]

    def others(self, role: str, *, sensitive: bool) -> pd.DataFrame:
        """Rows the role reads but did not report: non-sensitive ones, or sensitive ones of other organisations."""
        rows, scope = self.detail(role), self.scope(role)
        rows = rows[rows["reporter"].ne(scope.user_id) | rows["reporter"].isna()]
        if sensitive:
            return rows[rows["is_sensitive"].astype(bool) & rows["org"].ne(scope.organisation_id)]
        return rows[~rows["is_sensitive"].astype(bool)]

    @cached_property
    def busy_cell(self) -> dict:
        """The comparison-table cell (category, area) with the most non-sensitive incidents."""
        with self.engine.connect() as conn:
            category, area = conn.execute(text(
                "SELECT c.code, a.code FROM incident i JOIN category c ON c.id = i.category_id "
                "JOIN area a ON a.id = i.area_id WHERE NOT i.sensitive GROUP BY c.code, a.code "
                "ORDER BY COUNT(*) DESC LIMIT 1")).one()
        return {"category_code": category, "area_code": area}

    @cached_property
    def sensitive_cell(self) -> dict:
        """A busy comparison-table cell (category, area) holding sensitive rows of several organisations."""
        with self.engine.connect() as conn:
            category, area = conn.execute(text(
                "SELECT c.code, a.code FROM incident i JOIN category c ON c.id = i.category_id "
                "JOIN area a ON a.id = i.area_id GROUP BY c.code, a.code HAVING SUM(CASE WHEN i.sensitive THEN 1 "
                "ELSE 0 END) > 0 "
                "ORDER BY COUNT(DISTINCT CASE WHEN i.sensitive THEN i.source_org_id END) DESC, COUNT(*) DESC "
                "LIMIT 1")).one()
        return {"category_code": category, "area_code": area}


@pytest.fixture(scope="module")
def world(demo_store_url, tmp_path_factory):
    path = tmp_path_factory.mktemp("matrix") / "write.db"
    shutil.copyfile(demo_store_url.split("///", 1)[1], path)
    w = World(url=demo_store_url, write_url=f"sqlite:///{path}", tmp=path.parent)
    for role, username in ROLE_USERS.items():
        w.users[role] = authenticate(w.engine, username=username, password="demo")
        assert w.users[role] is not None and w.users[role].scope.role == role
    with session_scope(w.write_engine) as session:  # the demo has neither rejected rows nor audit rows
        session.add(ImportBatch(source_kind="incidents", file_name="x.csv", rows_rejected=1, created_at=_now(),
                                rejected_detail=json.dumps([{"row": 2, "column": "tid", "reason": "saknas"}])))
        audit.record(session, event="login", user_id=1, username="samordnare", organisation_id=1)
    w.throwaway = accounts.create_user(
        w.write_engine, scope=w.scope("admin"), organisation_code=_an_organisation(w), role="lasare",
        username="matrisprov", password="matrisprov-lösen-1")
    yield w
    w.engine.dispose()
    w.write_engine.dispose()


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _raises(fn, *errors) -> bool:
    """True when `fn` goes through, False when it is refused with one of `errors`."""
    try:
        fn()
    except errors:
        return False
    return True


# --- page export gates, run as the real Streamlit code in an AppTest ----------------------------------------------

def _drilldown_script():
    import pandas as pd
    import streamlit as st

    from ui import overview_table, state

    row = pd.Series({**st.session_state["_cell"], "area_name": "Provområde", "current": 1, "source_code": None})
    overview_table.drilldown(row, flt=st.session_state["_flt"], scope=state.scope(), labels={}, lang="sv")


def _actions_export_script():
    import streamlit as st

    from ui import actions_view, state

    flt = st.session_state["_flt"]
    actions_view.exports(actions_view.load(flt, "all", open_only=False), state.scope(), "all", "sv", flt)


def _downloads(world: World, role: str, script, **state) -> list[str]:
    """The download buttons `script` renders for `role`'s session."""
    key = (script.__name__, role, repr(state))
    if key not in world._probed:
        import os

        old = os.environ.get("LAGESBILD_DB_URL")
        os.environ["LAGESBILD_DB_URL"] = world.url
        try:
            at = AppTest.from_function(script, default_timeout=60)
            at.session_state["auth_user"] = world.users[role]
            at.session_state["_flt"] = world.flt
            for name, value in state.items():
                at.session_state[name] = value
            at.run()
            assert not at.exception, at.exception
            world._probed[key] = [b.proto.label for b in at.get("download_button")]
        finally:
            if old is None:
                os.environ.pop("LAGESBILD_DB_URL", None)
            else:
                os.environ["LAGESBILD_DB_URL"] = old
    return world._probed[key]


# --- the probes: role -> {enforcement point: got through} ----------------------------------------------------------

def incident_list(w: World, role: str) -> dict:
    head = iq.headline(w.engine, scope=w.scope(role), flt=w.flt)
    return {"headline": int(head["current"][0]) > 0,
            "weekly_counts": not iq.weekly_counts(w.engine, scope=w.scope(role), flt=w.flt).empty}


def incident_read_detail(w: World, role: str) -> dict:
    cell = cq.cell_incidents(w.engine, scope=w.scope(role), flt=w.flt, **w.busy_cell).join(w.facts, on="id")
    return {"recent_incidents": not w.others(role, sensitive=False).empty,
            "cell_incidents": bool((cell["reporter"].ne(w.scope(role).user_id)
                                    & ~cell["is_sensitive"].astype(bool)).any())}


def incident_precise_location(w: World, role: str) -> dict:
    points = mq.precise_points(w.engine, scope=w.scope(role), flt=w.flt)
    return {"precise_points": not points.empty,
            "recent_incidents lat/lon": bool(w.others(role, sensitive=False)["lat"].notna().any())}


def incident_free_text(w: World, role: str) -> dict:
    return {"recent_incidents description": bool(w.others(role, sensitive=False)["description"].notna().any())}


def incident_export(w: World, role: str) -> dict:
    return {"overview drill-down CSV": bool(_downloads(w, role, _drilldown_script, _cell=w.busy_cell))}


def incident_edit(w: World, role: str) -> dict:
    def report():
        iq.create_incident(w.write_engine, scope=w.scope(role), category_code=w.sensitive_cell["category_code"],
                           occurred_at=datetime(2026, 1, 5, 12, 0), area_code=w.sensitive_cell["area_code"],
                           description="matrisprov")
    return {"create_incident": _raises(report, iq.ReportError)}


def sensitive_list(w: World, role: str) -> dict:
    truth = len(w.facts)  # the filter spans the whole store
    head = iq.headline(w.engine, scope=w.scope(role), flt=w.flt)
    return {"headline counts sensitive rows": int(head["current"][0]) == truth}


def sensitive_read_detail(w: World, role: str) -> dict:
    return {"recent_incidents": not w.others(role, sensitive=True).empty}


def sensitive_precise_location(w: World, role: str) -> dict:
    return {"recent_incidents lat/lon": bool(w.others(role, sensitive=True)["lat"].notna().any())}


def sensitive_free_text(w: World, role: str) -> dict:
    return {"recent_incidents description": bool(w.others(role, sensitive=True)["description"].notna().any())}


def sensitive_export(w: World, role: str) -> dict:
    """The drill-down CSV holds exactly cell_incidents' rows: does it carry other organisations' sensitive text?"""
    rows = cq.cell_incidents(w.engine, scope=w.scope(role), flt=w.flt, **w.sensitive_cell).join(w.facts, on="id")
    theirs = rows[rows["is_sensitive"].astype(bool) & rows["org"].ne(w.scope(role).organisation_id)]
    exported = bool(_downloads(w, role, _drilldown_script, _cell=w.sensitive_cell))
    return {"overview drill-down CSV with others' sensitive rows": exported and not theirs.empty}


def survey_list(w: World, role: str) -> dict:
    return {"survey_questions": not sq.survey_questions(w.engine, scope=w.scope(role)).empty}


def _marks(w: World, role: str) -> pd.DataFrame:
    return sq.survey_mark_list(w.engine, scope=w.scope(role), flt=w.flt)


def survey_read_detail(w: World, role: str) -> dict:
    return {"survey_mark_list rows": not _marks(w, role).empty}


def survey_precise_location(w: World, role: str) -> dict:
    return {"survey_mark_list lat/lon": bool(_marks(w, role)["lat"].notna().any()),
            "map survey_marks": not mq.survey_marks(w.engine, scope=w.scope(role), flt=w.flt).empty}


def survey_edit(w: World, role: str) -> dict:
    # Surveys enter the store only through the survey import kinds, gated on survey/edit.
    return {"run_import_kind (survey answers)": _survey_import_goes_through(w, role)}


def action_list(w: World, role: str) -> dict:
    return {"actions_list": not aq.actions_list(w.engine, scope=w.scope(role), flt=w.flt, today=date.today()).empty}


def _some_action(w: World) -> int:
    with w.engine.connect() as conn:
        return conn.execute(text("SELECT id FROM action WHERE description IS NOT NULL AND (h3_cells IS NOT NULL "
                                 "OR place_id IS NOT NULL OR area_id IS NOT NULL) ORDER BY id LIMIT 1")).scalar_one()


def _action_detail(w: World, role: str) -> pd.DataFrame:
    return aq.action_detail(w.engine, scope=w.scope(role), action_id=_some_action(w))


def action_read_detail(w: World, role: str) -> dict:
    return {"action_detail": not _action_detail(w, role).empty}


def action_precise_location(w: World, role: str) -> dict:
    row = _action_detail(w, role)
    shown = not row.empty and (bool(row["h3_cells"][0]) or pd.notna(row["place_id"][0]))
    return {"action_detail place/cells": shown}


def action_free_text(w: World, role: str) -> dict:
    row = _action_detail(w, role)
    return {"action_detail description": not row.empty and pd.notna(row["description"][0])}


def action_export(w: World, role: str) -> dict:
    return {"actions page CSV/XLSX": bool(_downloads(w, role, _actions_export_script))}


def action_edit(w: World, role: str) -> dict:
    return {"create_action": _raises(lambda: create_action(w.write_engine, scope=w.scope(role), title="matrisprov"),
                                     ActionPermissionError)}


def meeting_list(w: World, role: str) -> dict:
    return {"meetings_list": not meq.meetings_list(w.engine, scope=w.scope(role)).empty}


def _a_meeting(w: World) -> int:
    with w.engine.connect() as conn:
        return conn.execute(text("SELECT m.id FROM meeting m JOIN agendaitem a ON a.meeting_id = m.id WHERE "
                                 "a.body IS NOT NULL OR a.minutes IS NOT NULL ORDER BY m.id LIMIT 1")).scalar_one()


def meeting_read_detail(w: World, role: str) -> dict:
    mid = _a_meeting(w)
    return {"agenda_items": not meq.agenda_items(w.engine, scope=w.scope(role), meeting_id=mid).empty,
            "meeting_detail": not meq.meeting_detail(w.engine, scope=w.scope(role), meeting_id=mid).empty}


def meeting_free_text(w: World, role: str) -> dict:
    items = meq.agenda_items(w.engine, scope=w.scope(role), meeting_id=_a_meeting(w))
    return {"agenda_items body/minutes": bool(items[["body", "minutes"]].notna().any().any())}


def meeting_export(w: World, role: str) -> dict:
    return {"build_protokoll": _raises(lambda: build_protokoll(w.engine, scope=w.scope(role), meeting_id=_a_meeting(w)),
                                       ProtocolRefused)}


def meeting_edit(w: World, role: str) -> dict:
    return {"start_meeting": _raises(lambda: start_meeting(w.write_engine, scope=w.scope(role), forum="Matrisprov",
                                                           held_on=date(2030, 1, 1)), MeetingPermissionError)}


def import_list(w: World, role: str) -> dict:
    return {"import_batches": not adq.import_batches(w.write_engine, scope=w.scope(role)).empty}


def import_read_detail(w: World, role: str) -> dict:
    with w.write_engine.connect() as conn:
        batch = conn.execute(select(ImportBatch.id).where(ImportBatch.rows_rejected > 0)).scalars().first()
    return {"batch_rejections": not adq.batch_rejections(w.write_engine, scope=w.scope(role), batch_id=batch).empty}


def _import_goes_through(w: World, role: str) -> bool:
    """A dry run of the example partner file, as the role's user, through the one import code path."""
    key = ("import", role)
    if key not in w._probed:
        w._probed[key] = _raises(lambda: run_import_kind(
            w.write_engine, "incidents", EXAMPLES / "examples" / "sjobackahem_felanmalan_2026-03.csv",
            options={"profile": str(EXAMPLES / "sjobackahem-felanmalan.toml")}, dry_run=True,
            user_id=w.scope(role).user_id, allow_server_files=True, scope=w.scope(role)), ImportRefused,
            PermissionError)
    return w._probed[key]


def _survey_import_goes_through(w: World, role: str) -> bool:
    """A dry run of a small file of survey answers, as the role's user, the way the Data page runs it."""
    path = w.tmp / "svar.csv"
    with w.engine.connect() as conn:
        area = conn.execute(text("SELECT name FROM area WHERE level = 'omrade' ORDER BY id LIMIT 1")).scalar_one()
        question = conn.execute(text("SELECT code FROM surveyquestion WHERE kind = 'share' ORDER BY id LIMIT 1")
                                ).scalar_one()
    pd.DataFrame({"omrade": [area] * 12, "period": ["2030"] * 12, question: ["0", "1"] * 6}).to_csv(path, index=False)
    return _raises(lambda: run_import_kind(
        w.write_engine, "survey-answers", path,
        options={"survey_name": "Matrisprov", "organisation": _an_organisation(w)}, dry_run=True,
        user_id=w.scope(role).user_id, scope=w.scope(role)), ImportRefused, PermissionError)


def import_edit(w: World, role: str) -> dict:
    return {"run_import_kind": _import_goes_through(w, role)}


def user_list(w: World, role: str) -> dict:
    return {"users_list": not adq.users_list(w.engine, scope=w.scope(role)).empty}


def _an_organisation(w: World) -> str:
    with w.engine.connect() as conn:
        return conn.execute(text("SELECT code FROM organisation ORDER BY id LIMIT 1")).scalar_one()


def user_edit(w: World, role: str) -> dict:
    scope, target = w.scope(role), w.throwaway
    return {"create_user": _raises(lambda: accounts.create_user(
                w.write_engine, scope=scope, organisation_code=_an_organisation(w), role="lasare",
                username=f"matrisprov_{role}", password="matrisprov-lösen-1"), UserError),
            "reset_password": _raises(lambda: accounts.reset_password(w.write_engine, scope=scope, user_id=target,
                                                                      password="matrisprov-lösen-2"), UserError),
            "unlock": _raises(lambda: accounts.unlock(w.write_engine, scope=scope, user_id=target), UserError)}


def user_administer(w: World, role: str) -> dict:
    scope, target = w.scope(role), w.throwaway
    with w.write_engine.connect() as conn:
        current, active = conn.execute(text('SELECT role, active FROM "user" WHERE id = :id'), {"id": target}).one()
    return {"change_role": _raises(lambda: accounts.change_role(
                w.write_engine, scope=scope, user_id=target, role="medlem" if current == "lasare" else "lasare"),
                UserError),
            "set_active": _raises(lambda: accounts.set_active(w.write_engine, scope=scope, user_id=target,
                                                              active=not bool(active)), UserError)}


def audit_list(w: World, role: str) -> dict:
    return {"audit_log": not adq.audit_log(w.write_engine, scope=w.scope(role)).empty}


def audit_read_detail(w: World, role: str) -> dict:
    log = adq.audit_log(w.write_engine, scope=w.scope(role))
    return {"audit_log rows with detail columns": not log.empty and "detail" in log}


PROBES = {
    ("incident", "list"): incident_list,
    ("incident", "read_detail"): incident_read_detail,
    ("incident", "precise_location"): incident_precise_location,
    ("incident", "free_text"): incident_free_text,
    ("incident", "export"): incident_export,
    ("incident", "edit"): incident_edit,
    ("sensitive_incident", "list"): sensitive_list,
    ("sensitive_incident", "read_detail"): sensitive_read_detail,
    ("sensitive_incident", "precise_location"): sensitive_precise_location,
    ("sensitive_incident", "free_text"): sensitive_free_text,
    ("sensitive_incident", "export"): sensitive_export,
    ("survey", "list"): survey_list,
    ("survey", "read_detail"): survey_read_detail,
    ("survey", "precise_location"): survey_precise_location,
    ("survey", "edit"): survey_edit,
    ("action", "list"): action_list,
    ("action", "read_detail"): action_read_detail,
    ("action", "precise_location"): action_precise_location,
    ("action", "free_text"): action_free_text,
    ("action", "export"): action_export,
    ("action", "edit"): action_edit,
    ("meeting", "list"): meeting_list,
    ("meeting", "read_detail"): meeting_read_detail,
    ("meeting", "free_text"): meeting_free_text,
    ("meeting", "export"): meeting_export,
    ("meeting", "edit"): meeting_edit,
    ("import", "list"): import_list,
    ("import", "read_detail"): import_read_detail,
    ("import", "edit"): import_edit,
    ("user", "list"): user_list,
    ("user", "edit"): user_edit,
    ("user", "administer"): user_administer,
    ("audit", "list"): audit_list,
    ("audit", "read_detail"): audit_read_detail,
}

# No feature acts on these cells, and MATRIX grants them to nobody (checked below).
NO_FEATURE = {
    ("incident", "administer"): "no incident administration exists",
    ("sensitive_incident", "edit"): "no form or import lets a user mark a report sensitive",
    ("sensitive_incident", "administer"): "no feature",
    ("audit", "precise_location"): "the audit log holds no positions",
    ("audit", "free_text"): "the audit log holds structured facts only",
    ("audit", "edit"): "the audit log is append-only",
    ("audit", "administer"): "no feature",
}

# MATRIX grants these, but the app has no feature (and so no enforcement point) for them: reported, not probed.
GAPS = {
    ("survey", "free_text"): "surveys hold no free text (place marks carry reason codes only)",
    ("survey", "export"): "no survey export exists (granted to admin, samordnare, analytiker, medlem)",
    ("survey", "administer"): "no survey administration exists (granted to admin)",
    ("action", "administer"): "no action administration exists (granted to admin)",
    ("meeting", "precise_location"): "meetings hold no positions",
    ("meeting", "administer"): "no meeting administration exists (granted to admin)",
    ("import", "precise_location"): "import batches hold no positions",
    ("import", "free_text"): "import batches hold no free text",
    ("import", "export"): "no import export exists (granted to admin)",
    ("import", "administer"): "no import administration exists (granted to admin)",
    ("user", "read_detail"): "no user detail view; accounts are listed only",
    ("user", "precise_location"): "accounts hold no positions",
    ("user", "free_text"): "accounts hold no free text",
    ("user", "export"): "no account export exists",
    ("audit", "export"): "no audit export exists (granted to admin)",
}

# (resource, operation, role): the app disagrees with MATRIX here (see the module docstring); strict xfail.
MISMATCHES: dict[tuple[str, str, str], str] = {}


def test_every_cell_has_a_probe_or_a_reason():
    cells = {(r, o) for r in RESOURCES for o in OPERATIONS}
    named = set(PROBES) | set(NO_FEATURE) | set(GAPS)
    assert cells - named == set(), "a matrix cell without a probe: add one to PROBES"
    assert named - cells == set()
    assert not (set(PROBES) & set(NO_FEATURE) or set(PROBES) & set(GAPS) or set(NO_FEATURE) & set(GAPS))
    assert {(res, op) for res, op, _ in MISMATCHES} <= set(PROBES)


@pytest.mark.parametrize("cell", sorted(NO_FEATURE), ids="/".join)
def test_matrix_grants_no_role_a_cell_without_a_feature(cell):
    resource, operation = cell
    assert [role for role in ROLES if operation in MATRIX[role].get(resource, ())] == []


CASES = [pytest.param(res, op, role, id=f"{res}/{op}/{role}",
                      marks=[pytest.mark.xfail(strict=True, reason=MISMATCHES[(res, op, role)])]
                      if (res, op, role) in MISMATCHES else [])
         for (res, op) in PROBES for role in ROLES]


@pytest.mark.parametrize(("resource", "operation", "role"), CASES)
def test_the_enforcement_point_allows_exactly_what_the_matrix_allows(world, resource, operation, role):
    expected = operation in MATRIX[role].get(resource, ())
    got = PROBES[(resource, operation)](world, role)
    assert got and {point: allowed for point, allowed in got.items() if allowed != expected} == {}, \
        f"{role} {'should' if expected else 'should not'} {operation} {resource}: {got}"
