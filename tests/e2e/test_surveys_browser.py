"""The survey page in a real browser: the per-area view and the perception-vs-incidents view render without errors,
the scatter names the demo's unsafe-but-calm and busy-but-safe areas, and desktop screenshots are kept for review."""
from __future__ import annotations

import json
import sqlite3

import pytest

from tests.e2e.conftest import DESKTOP, SCREENSHOTS, wait_settled
from tests.e2e.test_every_page import exception_texts, full_page_screenshot, new_logged_in_page, open_page

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser, app_url):
    page = new_logged_in_page(browser, app_url, "samordnare", DESKTOP)
    yield page
    page.context.close()


def demo_area_names(db_url: str) -> tuple[str, str]:
    with sqlite3.connect(db_url.split("///", 1)[1]) as conn:
        facts = json.loads(conn.execute("SELECT value FROM storeinfo WHERE key = 'demo_facts'").fetchone()[0])
        names = dict(conn.execute("SELECT code, name FROM area").fetchall())
    return names[facts["unsafe_calm_area"]], names[facts["busy_safe_area"]]


def test_the_survey_views_render_and_the_quadrants_name_the_demo_areas(page, app_db_url):
    open_page(page, "/trygghetsmatningar")
    main = page.locator('[data-testid="stMain"]')
    assert not exception_texts(page)
    assert main.get_by_text("Förändring sedan förra mätningen").count() == 1
    page.locator('[data-testid="stPlotlyChart"]').first.wait_for()
    full_page_screenshot(page, SCREENSHOTS / "surveys-areas.png")

    page.get_by_role("tab", name="Upplevelse mot händelser").click()
    wait_settled(page)
    calm, busy = demo_area_names(app_db_url)
    conclusion = main.locator('[data-testid="stMarkdownContainer"]', has_text="Otrygg men få händelser").first
    assert calm in conclusion.inner_text()
    assert busy in main.locator('[data-testid="stMarkdownContainer"]',
                                has_text="Många händelser men trygg").first.inner_text()
    assert not exception_texts(page)
    full_page_screenshot(page, SCREENSHOTS / "surveys-perception.png")

    page.get_by_role("tab", name="Otrygga platser").click()
    wait_settled(page)
    assert not exception_texts(page)
    full_page_screenshot(page, SCREENSHOTS / "surveys-places.png")
