"""The lägesbild page, run by AppTest: its comparison table equals counts made here from the raw rows for several
periods (a week with a daylight-saving change, week 53, a month, 28 days), the drill-down and its export hold exactly
the rows behind a cell, roles see what they may, and the demo's emerging hotspot (and only it) stands out."""
from __future__ import annotations

import csv
import io
import sqlite3
from datetime import date, timedelta

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from analysis.periods import today_stockholm
from data_layer.db import make_engine
from data_layer.migrate import upgrade_to_head
from data_layer.queries import reference
from data_layer.scope import Scope
from data_layer.users import AuthenticatedUser
from tests.conftest import PROJECT_ROOT
from tests.data_layer.comparison_store import AREAS, build, count
from ui.state import USER_KEY

APP = str(PROJECT_ROOT / "app.py")
NBSP = "\u00a0"
AREA_NAMES = {code: name for code, name, *_ in AREAS}
POPULATION = {code: population for code, _, level, _, population in AREAS if level != "kommun"}


def week(year: int, number: int) -> tuple[date, date]:
    monday = date.fromisocalendar(year, number, 1)
    return monday, monday + timedelta(days=6)


# Every window written out by hand (not by analysis/periods.py), so the test checks the page against the calendar.
CASES = {
    "week 13 (summer time starts on its Sunday)": dict(
        current=week(2026, 13), previous=week(2026, 12), bases=[week(2025, 13), week(2024, 13), week(2023, 13)],
        ytd=(date(2026, 1, 1), date(2026, 3, 29)), ytd_previous=(date(2025, 1, 1), date(2025, 3, 29)),
        heading="Vecka 13 jämfört med vecka 12"),
    "week 53 of 2026": dict(
        current=(date(2026, 12, 28), date(2027, 1, 3)), previous=(date(2026, 12, 21), date(2026, 12, 27)),
        # the years before have no week 53: the week holding new year's eve stands in
        bases=[(date(2025, 12, 29), date(2026, 1, 4)), (date(2024, 12, 30), date(2025, 1, 5)),
               (date(2023, 12, 25), date(2023, 12, 31))],
        ytd=(date(2027, 1, 1), date(2027, 1, 3)), ytd_previous=(date(2026, 1, 1), date(2026, 1, 3)),
        heading="Vecka 53 jämfört med vecka 52"),
    "October 2026": dict(
        current=(date(2026, 10, 1), date(2026, 10, 31)), previous=(date(2026, 9, 1), date(2026, 9, 30)),
        bases=[(date(y, 10, 1), date(y, 10, 31)) for y in (2025, 2024, 2023)],
        ytd=(date(2026, 1, 1), date(2026, 10, 31)), ytd_previous=(date(2025, 1, 1), date(2025, 10, 31)),
        heading="1–31 okt 2026 jämfört med 1–30 sep 2026"),
    "28 days": dict(  # a run of days (1–28 November would read as "November so far")
        current=(date(2026, 10, 30), date(2026, 11, 26)), previous=(date(2026, 10, 2), date(2026, 10, 29)),
        bases=[(date(y, 10, 30), date(y, 11, 26)) for y in (2025, 2024, 2023)],
        ytd=(date(2026, 1, 1), date(2026, 11, 26)), ytd_previous=(date(2025, 1, 1), date(2025, 11, 26)),
        heading="30 okt–26 nov jämfört med föregående 28 dagar"),
}


@pytest.fixture(scope="module")
def small_store(tmp_path_factory):
    """A file-backed SQLite store (AppTest runs the script in other threads) with the comparison test rows."""
    url = f"sqlite:///{tmp_path_factory.mktemp('overview') / 'store.db'}"
    engine = make_engine(url)
    upgrade_to_head(engine)
    ids, rows = build(engine)
    labels = dict(zip(*[reference.categories(engine)[c] for c in ("code", "label_sv")]))
    engine.dispose()
    return url, ids, rows, labels


@pytest.fixture
def app_on(monkeypatch):
    def start(url: str, user: AuthenticatedUser, query_params: dict) -> AppTest:
        monkeypatch.setenv("LAGESBILD_DB_URL", url)
        st.cache_data.clear()
        st.cache_resource.clear()
        at = AppTest.from_file(APP, default_timeout=90)
        at.session_state[USER_KEY] = user
        for key, value in query_params.items():
            at.query_params[key] = value
        return at.run()
    return start


def user(ids, name: str, role: str, org: str) -> AuthenticatedUser:
    return AuthenticatedUser(username=name, display_name=name, organisation_name=org.upper(),
                             scope=Scope(user_id=ids[name], role=role, organisation_id=ids[org]))


def table_of(at: AppTest):
    return next(d for d in at.dataframe if d.key in ("overview_table", "overview_table_by_source")).value


def leading_number(cell: str) -> float:
    """'13 · normal p 0,99' -> 13.0; '5,3 · ▲ ökar p <0,001' -> 5.3."""
    return float(cell.split(" · ")[0].replace(NBSP, "").replace(",", "."))


def counts_by_hand(rows, case, area, category) -> dict:
    def n(window):
        return count(rows, *window, area=area, category=category)
    return dict(current=n(case["current"]), previous=n(case["previous"]),
                baseline=sum(n(b) for b in case["bases"]) / 3, ytd=n(case["ytd"]), ytd_previous=n(case["ytd_previous"]))


@pytest.mark.parametrize("case_name", list(CASES))
def test_the_comparison_table_equals_counts_made_from_the_raw_rows(small_store, app_on, case_name):
    url, ids, rows, labels = small_store
    case = CASES[case_name]
    start, end = case["current"]
    at = app_on(url, user(ids, "samordnare", "samordnare", "org_a"), {"from": start.isoformat(), "to": end.isoformat()})
    assert not at.exception, at.exception
    assert at.subheader[0].value == case["heading"]
    table = table_of(at)
    area_of_name = {name: code for code, name in AREA_NAMES.items()} | {"Okänt område": None}
    category_of_label = {label: code for code, label in labels.items()}
    seen = set()
    for _, row in table.iterrows():
        area, category = area_of_name[row["Område"]], category_of_label[row["Kategori"]]
        seen.add((area, category))
        expected = counts_by_hand(rows, case, area, category)
        assert row["Perioden"] == expected["current"], (area, category)
        assert leading_number(row["Föregående"]) == expected["previous"], (area, category)
        assert leading_number(row["Snitt 3 år"]) == pytest.approx(expected["baseline"], abs=0.05), (area, category)
        assert row["I år"] == expected["ytd"], (area, category)
        assert leading_number(row["I fjol"]) == expected["ytd_previous"], (area, category)
        if area in POPULATION and POPULATION[area]:
            assert row["Per 1\u00a0000"] == pytest.approx(1000 * expected["current"] / POPULATION[area])
        else:
            assert row["Per 1\u00a0000"] != row["Per 1\u00a0000"]  # NaN: no population, or the whole municipality
    # every cell with a row in any window is in the table, and no other
    windows = [case["current"], case["previous"], *case["bases"], case["ytd"], case["ytd_previous"]]
    expected_cells = {(r.area, r.category) for r in rows if any(a <= r.local_date <= b for a, b in windows)}
    assert seen == expected_cells
    assert int(table["Perioden"].sum()) == count(rows, start, end)
    assert at.metric[0].value.replace(NBSP, "") == str(count(rows, start, end))


def test_a_row_opens_exactly_the_incidents_behind_it_and_their_export(small_store, app_on):
    from ui.overview_table import incidents_csv
    from data_layer.queries import comparison as cq
    from data_layer.queries.filters import IncidentFilter

    url, ids, rows, labels = small_store
    start, end = CASES["October 2026"]["current"]
    at = app_on(url, user(ids, "samordnare", "samordnare", "org_a"), {"from": start.isoformat(), "to": end.isoformat()})
    table = table_of(at)
    pick = int(table.index[table["Område"] == "Norra staden"][0])
    area_code = "norr"
    category = {label: code for code, label in labels.items()}[table.loc[pick, "Kategori"]]
    at.session_state["overview_table"] = {"selection": {"rows": [pick], "columns": [], "cells": []}}
    at.run()
    assert not at.exception, at.exception
    behind = {r.id for r in rows if start <= r.local_date <= end and r.area == area_code and r.category == category}
    assert any(s.value.startswith("Händelserna bakom raden") for s in at.subheader)
    drill = at.dataframe[[d.key for d in at.dataframe].index("overview_table") + 1].value
    assert len(drill) == len(behind) == table.loc[pick, "Perioden"]
    assert [b.label for b in at.download_button] == [f"Ladda ner de {len(behind)} händelserna (CSV)"]
    # the export is built from the same query: exactly these rows, no more
    engine = make_engine(url)
    listed = cq.cell_incidents(engine, scope=Scope(ids["samordnare"], "samordnare", ids["org_a"]),
                               flt=IncidentFilter(start=start, end=end), category_code=category, area_code=area_code)
    engine.dispose()
    exported = list(csv.DictReader(io.StringIO(incidents_csv(listed, labels, {}, "sv").decode("utf-8-sig")),
                                   delimiter=";"))
    assert {int(r["id"]) for r in exported} == behind and len(exported) == len(behind)


def test_a_reader_sees_the_counts_but_is_told_why_no_incidents_are_listed(small_store, app_on, monkeypatch):
    monkeypatch.setenv("LAGESBILD_MIN_COUNT", "1")  # every count shown; the suppression has tests/pages/test_suppression.py
    url, ids, rows, _ = small_store
    start, end = CASES["October 2026"]["current"]
    at = app_on(url, user(ids, "lasare", "lasare", "org_a"), {"from": start.isoformat(), "to": end.isoformat()})
    assert int(table_of(at)["Perioden"].sum()) == count(rows, start, end)
    at.session_state["overview_table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    assert any("ser antal men inte enskilda händelser" in i.value for i in at.info)
    assert not at.download_button
    assert not [d for d in at.dataframe if "Beskrivning" in d.value.columns]


def test_splitting_by_source_keeps_the_totals(small_store, app_on):
    url, ids, rows, _ = small_store
    start, end = CASES["week 53 of 2026"]["current"]
    at = app_on(url, user(ids, "samordnare", "samordnare", "org_a"), {"from": start.isoformat(), "to": end.isoformat()})
    at.toggle(key="overview_by_source").set_value(True).run()
    table = table_of(at)
    assert "Källa" in table.columns
    assert int(table["Perioden"].sum()) == count(rows, start, end)
    for source_name, source in (("ORG_A", "org_a"), ("ORG_B", "org_b")):
        assert int(table.loc[table["Källa"] == source_name, "Perioden"].sum()) == count(rows, start, end, source=source)


def test_a_silent_source_is_named_above_the_figures(small_store, app_on):
    url, ids, rows, _ = small_store
    # org_b reported in the eight weeks before 1 November 2026; with only its own category chosen for a day
    # on which it reported nothing, it is silent.
    day = next(d for d in (date(2026, 11, 1) + timedelta(days=k) for k in range(60))
               if count(rows, d, d, source="org_b") == 0 and count(rows, d - timedelta(days=56), d - timedelta(days=1),
                                                                     source="org_b") > 0)
    at = app_on(url, user(ids, "samordnare", "samordnare", "org_a"), {"from": day.isoformat(), "to": day.isoformat()})
    assert any("ORG\\_B" in w.value or "ORG_B" in w.value for w in at.warning)
    assert any("tyst källa" in w.value for w in at.warning)


def test_the_demos_emerging_hotspot_is_a_clear_increase_and_nothing_else_is(demo_store_url, app_on):
    """Lundenparken in Lunden: drugs and gatherings ramp up over the last 56 days (data_layer/demo_incidents.py).
    Every other cell of the demo is steady (seasonal) noise, or falls after an action: no other increase."""
    with sqlite3.connect(demo_store_url.split("///", 1)[1]) as conn:
        demo_today = date.fromisoformat(conn.execute("SELECT value FROM storeinfo WHERE key = 'demo_today'")
                                        .fetchone()[0])
        ids = dict(conn.execute("SELECT username, id FROM user").fetchall())
        org = conn.execute("SELECT organisation_id FROM user WHERE username = 'samordnare'").fetchone()[0]
    coordinator = AuthenticatedUser(username="samordnare", display_name="S", organisation_name="Kommunen",
                                    scope=Scope(user_id=ids["samordnare"], role="samordnare", organisation_id=org))
    for days in (28, 56):
        start = demo_today - timedelta(days=days - 1)
        at = app_on(demo_store_url, coordinator, {"from": start.isoformat(), "to": demo_today.isoformat()})
        assert not at.exception, at.exception
        cards = [m.label for m in at.metric if "·" in m.label]
        assert any(label.startswith("▲") and label.endswith("· Lunden") for label in cards), cards
        assert all(label.endswith("· Lunden") for label in cards if label.startswith("▲")), cards
        table = table_of(at)
        ups = table[table["Snitt 3 år"].str.contains("▲") | table["Föregående"].str.contains("▲")]
        assert set(ups["Område"]) == {"Lunden"}, ups[["Område", "Kategori"]]
        assert set(ups["Kategori"]) <= {"Narkotika (misstanke)", "Otrygghetsskapande samling"}


def test_the_period_presets_write_their_dates_into_the_sidebar(small_store, app_on):
    url, ids, _, _ = small_store
    at = app_on(url, user(ids, "samordnare", "samordnare", "org_a"), {})
    assert at.selectbox(key="period").value == "28d"
    today = today_stockholm()
    at.selectbox(key="period").set_value("week").run()
    assert at.date_input(key="from").value == today - timedelta(days=today.weekday())
    assert at.date_input(key="to").value == today
    assert at.subheader[0].value.startswith(f"Vecka {today.isocalendar().week}")
    at.selectbox(key="period").set_value("tertial").run()
    assert at.date_input(key="from").value == date(today.year, (1, 5, 9)[(today.month - 1) // 4], 1)
    # a start no preset has (not a Monday, not the first of a month, not 14 or 28 days back) makes it custom
    odd = next(today - timedelta(days=k) for k in range(15, 27)
               if (today - timedelta(days=k)).weekday() != 0 and (today - timedelta(days=k)).day != 1)
    at.date_input(key="from").set_value(odd).run()
    assert at.selectbox(key="period").value == "custom"
    assert at.subheader[0].value.endswith(f"föregående {(today - odd).days + 1} dagar")
