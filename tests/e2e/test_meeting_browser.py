"""Meeting mode in a real browser on a copy of the demo store: start a meeting, and the agenda written from the data
shows with its view links; the desktop screenshot is saved for review."""
from __future__ import annotations

import shutil

import pytest

from tests.e2e.conftest import DESKTOP, SCREENSHOTS, running_app, wait_settled
from tests.e2e.test_every_page import full_page_screenshot, new_logged_in_page, open_page

pytestmark = pytest.mark.browser


def test_a_started_meeting_shows_its_generated_agenda_with_view_links(browser, demo_store_url, tmp_path):
    path = tmp_path / "meeting.db"
    shutil.copyfile(demo_store_url.split("///", 1)[1], path)
    with running_app(f"sqlite:///{path}", log_name="streamlit-meeting.log") as base:
        page = new_logged_in_page(browser, base, "samordnare", DESKTOP)
        try:
            open_page(page, "/veckomote")
            page.locator('[data-testid="stExpander"] summary', has_text="Starta ett möte").click()
            page.locator(".st-key-meeting_forum input").fill("Trygghetsforum Sjöbacka")
            page.locator(".st-key-meeting_start_submit button").click()
            wait_settled(page)
            main = page.locator('[data-testid="stMain"]')
            # the start rerun can outlast wait_settled's quiet spell on a loaded machine: wait for the agenda itself
            main.get_by_text("Uppföljning av åtgärder").first.wait_for(timeout=30_000)
            assert main.get_by_text("Uppföljning av åtgärder").count() >= 1
            links = main.get_by_role("link", name="Öppna vyn")
            assert links.count() == 6
            assert links.first.get_attribute("href").startswith("/atgarder?from=")
            full_page_screenshot(page, SCREENSHOTS / "meeting-mode.png")
        finally:
            page.context.close()
