"""The action register in a real browser: clicking a table row opens that action's facts, edit form, effect and
history; the board shows a column per status; both pass axe; the Excel export holds exactly the listed actions (and
is audited). Screenshots:
test-artifacts/screenshots/actions-detail.png and actions-board.png."""
from __future__ import annotations

import io
import sqlite3

import pytest
from openpyxl import load_workbook

from tests.e2e.conftest import DESKTOP, SCREENSHOTS, wait_settled
from tests.e2e.test_every_page import check_accessibility, full_page_screenshot, new_logged_in_page, open_page

pytestmark = pytest.mark.browser

HEADER_PX, ROW_PX, CHECKBOX_PX = 35, 35, 17  # st.dataframe's grid: header and row height, selection column centre


@pytest.fixture
def page(browser, app_url):
    page = new_logged_in_page(browser, app_url, "samordnare", DESKTOP)
    open_page(page, "/atgarder")
    yield page
    page.context.close()


def query(db_url: str, sql: str) -> list[tuple]:
    with sqlite3.connect(db_url.split("///", 1)[1]) as conn:
        return conn.execute(sql).fetchall()


def titles(db_url: str) -> list[str]:
    return [r[0] for r in query(db_url, "SELECT title FROM action")]


def test_a_clicked_row_opens_the_action_with_its_form_effect_and_history(page, app_db_url):
    grid = page.locator('.st-key-actions_table [data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + CHECKBOX_PX, box["y"] + HEADER_PX + ROW_PX // 2)
    wait_settled(page)
    heading = page.locator("h3").filter(has_text=" ").last
    assert heading.inner_text().replace("\\", "") in titles(app_db_url)
    assert page.get_by_text("Ändra åtgärden").is_visible()
    assert page.get_by_text("Historik", exact=True).is_visible()
    assert page.get_by_text("Effekt", exact=True).is_visible()
    page.get_by_text("Ändra åtgärden").scroll_into_view_if_needed()
    full_page_screenshot(page, SCREENSHOTS / "actions-detail.png")
    assert check_accessibility(page, "actions-detail") == []


def test_the_board_has_a_column_per_status(page):
    page.locator(".st-key-actions_view").get_by_text("Tavla per status").click()
    wait_settled(page)
    for label in ("Föreslagen", "Beslutad", "Pågår", "Klar", "Avbruten"):
        assert page.locator("strong", has_text=label).first.is_visible()
    full_page_screenshot(page, SCREENSHOTS / "actions-board.png")
    assert check_accessibility(page, "actions-board") == []


def test_the_excel_export_holds_exactly_the_listed_actions_and_is_audited(page, app_db_url):
    audited = "SELECT COUNT(*) FROM auditlog a JOIN user u ON u.id = a.user_id WHERE a.event = 'export' AND " \
              "a.object_type = 'action' AND u.username = 'samordnare'"
    before = query(app_db_url, audited)[0][0]
    with page.expect_download() as download:
        page.get_by_role("button", name="Ladda ner Excel").click()
    sheet = load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
    listed = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(listed) == sorted(titles(app_db_url))
    assert query(app_db_url, audited)[0][0] == before + 1
