"""SQL in filter values is data, never SQL: injection payloads and LIKE wildcards in every filter value find nothing,
change nothing and break nothing, on both backends and through the pages' deep links."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, inspect, select

from data_layer.demo import load_demo
from data_layer.models import Action, AgendaItem, Incident, Meeting, SurveyResult, User
from data_layer.queries import actions as aq
from data_layer.queries import admin as adq
from data_layer.queries import comparison as cq
from data_layer.queries import hotspots as hq
from data_layer.queries import incidents as iq
from data_layer.queries import map as mq
from data_layer.queries import surveys as sq
from data_layer.queries import trends as tq
from data_layer.queries.filters import IncidentFilter
from data_layer.scope import Scope
from tests.pages.test_pages_render import logged_in, store  # noqa: F401 - fixture

PAYLOADS = ("' OR 1=1 --", "x'); DROP TABLE incident; --", "%", "_", "DEMO-0_", "DEMO%", '" OR ""="', "1; SELECT 1")
TABLES = (Incident, Action, Meeting, AgendaItem, SurveyResult, User)
TODAY = date.today()


def _counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {m.__tablename__: conn.execute(select(func.count()).select_from(m)).scalar_one() for m in TABLES}


def _coordinator(engine) -> Scope:
    with engine.connect() as conn:
        uid, org = conn.execute(select(User.id, User.organisation_id).where(User.username == "samordnare")).one()
    return Scope(user_id=uid, role="samordnare", organisation_id=org)


def _filtered_queries(engine, scope, flt):
    """Every scoped query that turns the filter's code lists into WHERE clauses: name -> rows found."""
    yield "counts_by_area_category", iq.counts_by_area_category(engine, scope=scope, flt=flt)["current"].sum()
    yield "headline", iq.headline(engine, scope=scope, flt=flt)["current"][0]
    yield "weekly_counts", len(iq.weekly_counts(engine, scope=scope, flt=flt))
    yield "recent_incidents", len(iq.recent_incidents(engine, scope=scope, flt=flt))
    yield "precise_points", len(mq.precise_points(engine, scope=scope, flt=flt))
    yield "hex_counts", len(mq.hex_counts(engine, scope=scope, flt=flt))
    yield "area_level_counts", len(mq.area_level_counts(engine, scope=scope, flt=flt))
    yield "series_counts", len(tq.series_counts(engine, scope=scope, flt=flt, ranges=((flt.start, flt.end),)))
    yield "hotspot_cells", len(hq.hotspot_cells(engine, scope=scope, flt=flt))


def _valued_queries(engine, scope, flt, value):
    """Queries that take one value directly (a code, a cell, a question, a source kind): name -> rows found."""
    yield "cell_incidents category", len(cq.cell_incidents(engine, scope=scope, flt=flt, category_code=value,
                                                            area_code=None))
    yield "cell_incidents area", len(cq.cell_incidents(engine, scope=scope, flt=flt, category_code="skadegorelse",
                                                        area_code=value))
    yield "cell_incidents source", len(cq.cell_incidents(engine, scope=scope, flt=flt, category_code="skadegorelse",
                                                          area_code="DEMO-01", source_code=value))
    yield "selection_incidents area", len(mq.selection_incidents(engine, scope=scope, flt=flt, area_code=value))
    yield "selection_incidents cell", len(mq.selection_incidents(engine, scope=scope, flt=flt, cell=value))
    yield "survey_results", len(sq.survey_results(engine, scope=scope, flt=flt, question_code=value))
    yield "survey_question_results", len(sq.survey_question_results(engine, scope=scope, flt=flt,
                                                                    question_codes=(value,)))
    yield "incidents_per_area", len(sq.incidents_per_area(engine, scope=scope, flt=flt, area_codes=(value,)))
    yield "source_type_counts", len(adq.source_type_counts(engine, scope=scope, source_kind=value))
    yield "actions_list areas", len(aq.actions_list(engine, scope=scope, flt=flt, today=TODAY))


@pytest.fixture
def small_demo(engine):
    load_demo(engine, seed=3, today=TODAY, scale=0.02)
    return engine


def test_injection_payloads_in_every_filter_value_find_nothing_and_change_nothing(small_demo):
    engine, scope = small_demo, _coordinator(small_demo)
    base = IncidentFilter(start=TODAY - timedelta(days=3 * 365), end=TODAY)
    before, tables = _counts(engine), set(inspect(engine).get_table_names())
    assert dict(_filtered_queries(engine, scope, base))["headline"] > 0, "the store must hold something to find"
    found = {}
    for payload in PAYLOADS:
        for field in ("area_codes", "category_codes", "source_codes"):
            flt = IncidentFilter(start=base.start, end=base.end, **{field: (payload,)})
            found.update({(payload, field, name): n for name, n in _filtered_queries(engine, scope, flt) if n})
        with_areas = IncidentFilter(start=base.start, end=base.end, area_codes=(payload,))
        found.update({(payload, "value", name): n for name, n in _valued_queries(engine, scope, with_areas, payload)
                      if n})
    assert found == {}
    assert _counts(engine) == before and set(inspect(engine).get_table_names()) == tables


def test_payloads_in_deep_links_render_every_filtered_page_without_error_or_change(store):
    before = _sqlite_counts(store)
    params = {"areas": list(PAYLOADS), "categories": list(PAYLOADS), "sources": list(PAYLOADS), "from": PAYLOADS[0],
              "to": PAYLOADS[1], "action": PAYLOADS[0], "title": PAYLOADS[1], "area": PAYLOADS[0],
              "cell": PAYLOADS[3], "lang": PAYLOADS[2]}
    at = logged_in(query_params=params)
    for page in ("pages/map.py", "pages/trends.py", "pages/actions.py", "pages/surveys.py", "pages/admin.py"):
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        # the codes are not offered, so the sidebar filters hold none of them
        for key in ("areas", "categories", "sources"):
            assert not set(at.session_state[key]) & set(PAYLOADS) if key in at.session_state else True
    assert _sqlite_counts(store) == before


def _sqlite_counts(path: str) -> dict[str, int]:
    import sqlite3

    with sqlite3.connect(path) as conn:
        return {m.__tablename__: conn.execute(f'SELECT COUNT(*) FROM "{m.__tablename__}"').fetchone()[0]
                for m in TABLES}
