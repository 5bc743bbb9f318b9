"""The trends page shows counts, baselines and day × hour weights that match an independent count of the raw rows,
for ISO week 13 of 2026 (the spring DST change) and ISO week 53 of 2026."""
from __future__ import annotations

import json
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import numpy as np
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from data_layer.db import make_engine, session_scope
from data_layer.importers.rows import complete_row
from data_layer.migrate import upgrade_to_head
from data_layer.models import Area, Incident, Organisation, Place
from data_layer.reference import ensure_categories
from data_layer.users import add_user
from tests.conftest import PROJECT_ROOT
from tests.pages.test_pages_render import plotted

UTC = timezone.utc
STOCKHOLM = ZoneInfo("Europe/Stockholm")
APP = str(PROJECT_ROOT / "app.py")


def _instants(rng) -> list[tuple[datetime, datetime | None, str]]:
    """(start UTC, window end or None, category) around ISO weeks 13 and 52/53 of 2023–2026, edges included."""
    rows = []
    for year in (2023, 2024, 2025, 2026):
        for week in (12, 13, 14, 51, 52):
            monday = datetime.combine(date.fromisocalendar(year, week, 1), datetime.min.time(), STOCKHOLM)
            n = int(rng.integers(3, 12)) + (8 if year == 2026 and week == 13 else 0)
            rows += [(monday + timedelta(minutes=int(m)), None, ("klotter", "stold")[i % 2])
                     for i, m in enumerate(rng.integers(0, 7 * 24 * 60, n))]
    week_53 = datetime.combine(date(2026, 12, 28), datetime.min.time(), STOCKHOLM)
    rows += [(week_53 + timedelta(minutes=int(m)), None, "klotter") for m in rng.integers(0, 7 * 24 * 60, 9)]
    rows += [(datetime(2026, 12, 27, 23, 30, tzinfo=UTC), None, "stold"),  # Mon 28 Dec 00:30 local: week 53
             (datetime(2027, 1, 3, 22, 59, tzinfo=UTC), None, "stold"),  # Sun 3 Jan 23:59 local: week 53
             (datetime(2027, 1, 3, 23, 1, tzinfo=UTC), None, "stold"),  # Mon 4 Jan 00:01 local: week 1 of 2027
             (datetime(2026, 3, 22, 23, 30, tzinfo=UTC), None, "stold"),  # Mon 23 Mar 00:30 local: week 13
             (datetime(2026, 3, 29, 22, 30, tzinfo=UTC), None, "stold"),  # Mon 30 Mar 00:30 local: week 14
             # Saturday 28 March 22:00 to Sunday 06:00 local: across the spring change, 7 real hours.
             (datetime(2026, 3, 28, 21, 0, tzinfo=UTC), datetime(2026, 3, 29, 4, 0, tzinfo=UTC), "skadegorelse")]
    return rows


@pytest.fixture(scope="module")
def trend_store(tmp_path_factory):
    """A small store with a coordinator account and incidents whose raw instants the tests know."""
    url = f"sqlite:///{tmp_path_factory.mktemp('trends') / 'store.db'}"
    engine = make_engine(url)
    upgrade_to_head(engine)
    raw = _instants(np.random.default_rng(53))
    with session_scope(engine) as s:
        cats = ensure_categories(s)
        org = Organisation(code="kommunen", name="Kommunen", kind="kommun")
        area = Area(code="centrum", name="Centrum", level="omrade")
        s.add_all([org, area])
        s.flush()
        place = Place(name="Stortorget", kind="torg", lat=57.65, lon=14.70, area_id=area.id)
        s.add(place)
        s.flush()
        for n, (at, to, category) in enumerate(raw):
            at_place = n % 3 == 0
            s.add(Incident(**complete_row(dict(
                source_org_id=org.id, external_id=f"r{n}", category_id=cats[category], occurred_at=at, occurred_to=to,
                lat=57.65 if at_place else 57.60 + (n % 13) * 0.003, lon=14.70 if at_place else 14.60,
                location_precision="point", area_id=area.id, place_id=place.id if at_place else None))))
    add_user(engine, username="samordnare", role="samordnare", organisation_code="kommunen", password="demo")
    engine.dispose()
    return url, raw


@pytest.fixture
def page(trend_store, monkeypatch):
    url, raw = trend_store
    monkeypatch.setenv("LAGESBILD_DB_URL", url)
    st.cache_data.clear()
    st.cache_resource.clear()

    def open_week(year: int, week: int) -> AppTest:
        monday = date.fromisocalendar(year, week, 1)
        at = AppTest.from_file(APP, default_timeout=60)
        at.query_params["from"] = monday.isoformat()
        at.query_params["to"] = (monday + timedelta(days=6)).isoformat()
        at.run()
        at.text_input(key="login_username").input("samordnare")
        at.text_input(key="login_password").input("demo")
        at.button(key="login_submit").click().run()
        at.switch_page("pages/trends.py").run()
        assert not at.exception, at.exception
        return at

    return open_week, raw


def local_week(instant: datetime) -> tuple[int, int]:
    return tuple(instant.astimezone(STOCKHOLM).isocalendar()[:2])


def counts_per_week(raw) -> Counter:
    return Counter(local_week(at) for at, _, _ in raw)


def chart(at: AppTest, key_index: int = 0) -> dict:
    return json.loads(at.get("plotly_chart")[key_index].proto.spec)


def drawn_count(figure: dict) -> int:
    """The one count drawn (on the line, or as the open ring of a bucket still in progress)."""
    names = {"Antal", "Pågående vecka (hittills)"}
    values = [v for trace in figure["data"] if trace.get("name") in names for v in plotted(trace["y"])]
    assert len(values) == 1
    return int(values[0])


def trend_table(at: AppTest):
    return next(df.value for df in at.dataframe if "Nedre gräns" in df.value.columns)


def test_week_13_of_2026_across_the_dst_change_shows_the_independent_count_and_baseline(page):
    open_week, raw = page
    at = open_week(2026, 13)
    per_week = counts_per_week(raw)
    assert drawn_count(chart(at)) == per_week[(2026, 13)]
    row = trend_table(at).iloc[0]
    assert row["Period"].startswith("v. 13 (23–29 mar")
    assert row["Antal"] == per_week[(2026, 13)]
    assert row["Baslinje"] == pytest.approx(np.mean([per_week[(y, 13)] for y in (2023, 2024, 2025)]), abs=0.05)


def test_week_53_of_2026_shows_its_count_against_week_52_of_earlier_years(page):
    open_week, raw = page
    at = open_week(2026, 53)
    per_week = counts_per_week(raw)
    assert per_week[(2026, 53)] >= 11  # nine inside, two on its edges; the third edge row is week 1 of 2027
    assert drawn_count(chart(at)) == per_week[(2026, 53)]
    row = trend_table(at).iloc[0]
    assert row["Period"].startswith("v. 53 (28 dec 2026–3 jan 2027")
    assert row["Baslinje"] == pytest.approx(np.mean([per_week[(y, 52)] for y in (2023, 2024, 2025)]), abs=0.05)


def test_the_split_by_category_puts_each_categorys_count_in_the_chosen_series(page):
    open_week, raw = page
    at = open_week(2026, 13)
    at.selectbox(key="trends_series").set_value("stold").run()
    assert not at.exception
    expected = sum(1 for at_, _, cat in raw if cat == "stold" and local_week(at_) == (2026, 13))
    assert drawn_count(chart(at)) == expected
    assert at.get("plotly_chart")[0].proto.spec and "Stöld" in chart(at)["layout"]["title"]["text"]


def test_the_heatmap_spreads_the_dst_night_window_over_its_seven_real_hours(page):
    open_week, raw = page
    at = open_week(2026, 13)
    grid = next(df.value for df in at.dataframe if list(df.value.columns)[:2] == ["00", "01"])
    points = Counter((a.astimezone(STOCKHOLM).weekday(), a.astimezone(STOCKHOLM).hour) for a, to, _ in raw
                     if to is None and local_week(a) == (2026, 13))
    # One week: each weekday occurs once, so the per-day table holds the weights themselves.
    assert grid.loc["Söndag", "02"] == pytest.approx(points[(6, 2)])  # 02:00 did not exist that night
    assert grid.loc["Söndag", "03"] == pytest.approx(points[(6, 3)] + 1 / 7, abs=0.01)
    assert grid.loc["Lördag", "22"] == pytest.approx(points[(5, 22)] + 1 / 7, abs=0.01)
    assert float(grid.to_numpy().sum()) == pytest.approx(sum(1 for a, _, _ in raw if local_week(a) == (2026, 13)),
                                                         abs=0.2)
    assert any("tidsfönster" in c.value for c in at.caption)


def test_the_most_affected_place_is_the_named_place_with_its_count(page):
    open_week, raw = page
    at = open_week(2026, 13)
    top = next(df.value for df in at.dataframe if list(df.value.columns) == ["Plats", "Antal"])
    in_week = [n for n, (a, _, _) in enumerate(raw) if local_week(a) == (2026, 13)]
    assert top.iloc[0]["Plats"] == "Stortorget" and top.iloc[0]["Antal"] == sum(1 for n in in_week if n % 3 == 0)


def test_a_period_without_incidents_says_so_and_draws_nothing(page):
    open_week, _ = page
    at = open_week(2019, 10)
    assert [i.value for i in at.info] == ["Inga händelser i urvalet."]
    assert not at.get("plotly_chart")


def test_months_and_english_labels_name_the_month(page):
    open_week, raw = page
    at = open_week(2026, 13)
    at.radio(key="trends_period").set_value("month").run()
    at.selectbox(key="lang").set_value("en").run()
    assert not at.exception
    table = next(df.value for df in at.dataframe if "Lower limit" in df.value.columns)
    assert list(table["Period"]) == ["Mar 2026"]  # 23–29 March lies in one month
    march = sum(1 for a, _, _ in raw if a.astimezone(STOCKHOLM).date().replace(day=1) == date(2026, 3, 1))
    assert table.iloc[0]["Count"] == march
