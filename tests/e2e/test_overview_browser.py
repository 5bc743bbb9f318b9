"""The lägesbild page in a real browser: clicking a table row opens the incidents behind it, the CSV download holds
exactly those rows (checked against the store with raw SQL), and a headline card's links carry its filter to the
map and trend pages. AppTest cannot click a dataframe or follow a page link, so these run in Chromium."""
from __future__ import annotations

import csv
import io
import sqlite3
from datetime import date, timedelta

import pytest

from tests.e2e.conftest import DESKTOP, SCREENSHOTS, url_path, wait_settled
from tests.e2e.test_every_page import full_page_screenshot, log_in, new_logged_in_page, open_page

pytestmark = pytest.mark.browser

HEADER_PX, ROW_PX, CHECKBOX_PX = 35, 35, 17  # st.dataframe's grid: header and row height, selection column centre


@pytest.fixture
def page(browser, app_url):
    page = new_logged_in_page(browser, app_url, "samordnare", DESKTOP)
    yield page
    page.context.close()


def sql(db_url: str, query: str, *params):
    with sqlite3.connect(db_url.split("///", 1)[1]) as conn:
        return conn.execute(query, params).fetchall()


def sidebar_dates(page) -> tuple[date, date]:
    return (date.fromisoformat(page.locator(".st-key-from input").input_value().replace(" ", "")),
            date.fromisoformat(page.locator(".st-key-to input").input_value().replace(" ", "")))


def test_a_clicked_row_opens_its_incidents_and_the_csv_holds_exactly_them(page, app_db_url):
    grid = page.locator('.st-key-overview_table [data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + CHECKBOX_PX, box["y"] + HEADER_PX + ROW_PX // 2)
    wait_settled(page)
    heading = page.locator("h3", has_text="Händelserna bakom raden").inner_text()
    category_label, area_name = heading.split(": ", 1)[1].rsplit(" i ", 1)
    start, end = sidebar_dates(page)
    expected = {row[0] for row in sql(
        app_db_url, "SELECT i.id FROM incident i JOIN category c ON c.id = i.category_id "
                    "JOIN area a ON a.id = i.area_id "
                    "WHERE c.label_sv = ? AND a.name = ? AND i.occurred_date BETWEEN ? AND ?",
        category_label, area_name, start.isoformat(), end.isoformat())}
    assert expected, "the first row of the table should have incidents in the period"
    audited = ("SELECT COUNT(*) FROM auditlog a JOIN user u ON u.id = a.user_id WHERE a.event = 'export' "
               "AND a.object_type = 'incident' AND u.username = 'samordnare'")
    before = sql(app_db_url, audited)[0][0]
    with page.expect_download() as download:
        page.locator(".st-key-overview_drill_csv button").click()
    text = open(download.value.path(), encoding="utf-8-sig").read()
    # regression: the audit row was written from the download's callable without a user
    assert sql(app_db_url, audited)[0][0] == before + 1
    table, notes = text.split("\n\n", 1)  # the rows, then what the export is: period and filter
    rows = list(csv.DictReader(io.StringIO(table), delimiter=";"))
    assert {int(r["id"]) for r in rows} == expected and len(rows) == len(expected)
    assert notes.startswith("Period: ") and "Område: " in notes and "Kategori: " in notes
    assert {r["Kategori"] for r in rows} == {category_label} and {r["Område"] for r in rows} == {area_name}
    full_page_screenshot(page, SCREENSHOTS / "overview-drilldown.png")


def test_a_headline_cards_trend_link_carries_its_area_category_and_half_a_year(page, app_db_url):
    if not page.locator('[data-testid="stPageLink"]').count():
        pytest.skip("no significant change in the demo store's default period")
    _, end = sidebar_dates(page)
    label = page.locator('[data-testid="stMetric"] [data-testid="stMetricLabel"]').nth(4).inner_text()  # 1st card
    category_label, area_name = label.lstrip("▲▼ ").split(" · ")
    page.locator('[data-testid="stPageLink"] a', has_text="Trend").first.click()
    page.wait_for_url(lambda url: url_path(url) == "/trender", timeout=30_000)
    wait_settled(page)
    assert page.locator("h1").first.inner_text() == "Trender"
    start, end_after = sidebar_dates(page)
    assert end_after == end and start == end - timedelta(days=end.weekday()) - timedelta(weeks=25)
    assert page.locator(".st-key-areas").inner_text().splitlines()[-1] == area_name
    assert page.locator(".st-key-categories").inner_text().splitlines()[-1] == category_label


def test_the_sidebar_filters_survive_moving_between_pages(browser, app_url, app_db_url):
    """Regression: following the URL after a page link must not drop the code lists the sidebar's own page links
    leave out of the URL."""
    area_code, area_name = sql(app_db_url, "SELECT code, name FROM area WHERE level = 'omrade' ORDER BY code")[0]
    context = browser.new_context(viewport=DESKTOP, locale="sv-SE", timezone_id="Europe/Stockholm")
    page = context.new_page()
    try:
        page.goto(f"{app_url}/?areas={area_code}&from=2026-11-02&to=2026-11-15")
        wait_settled(page)
        log_in(page, "samordnare")
        for path in ("/karta", "/"):
            open_page(page, path)
            assert page.locator(".st-key-areas").inner_text().splitlines()[-1] == area_name, path
            assert sidebar_dates(page) == (date(2026, 11, 2), date(2026, 11, 15)), path
    finally:
        context.close()
