"""Two app processes on one PostgreSQL store, as a region runs them behind a proxy: an edit saved through one replica
is what the other replica shows next, and an edit made on a stale form in the other replica is refused as a conflict
(optimistic locking holds across processes, not just across sessions of one process)."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from data_layer.db import make_engine
from data_layer.demo import load_demo
from data_layer.migrate import upgrade_to_head
from tests.conftest import _fresh_pg_database
from tests.e2e.conftest import DESKTOP, running_app, wait_settled
from tests.e2e.test_every_page import dismiss_dialogs, log_in

pytestmark = [pytest.mark.browser, pytest.mark.postgresql]

NEW_TITLE = "Belysning vid gångtunneln (ändrad i replik A)"


@pytest.fixture(scope="module")
def shared_store(pg_admin_url):
    """A small demo municipality in its own PostgreSQL database; yields its URL and one action's id and title."""
    url, drop = _fresh_pg_database(pg_admin_url)
    engine = make_engine(url)
    upgrade_to_head(engine)
    load_demo(engine, seed=7, today=date.today(), scale=0.02)
    with engine.connect() as conn:
        action_id, title = conn.execute(text(
            "SELECT id, title FROM action WHERE status IN ('beslutad', 'pågår') ORDER BY id LIMIT 1")).one()
    engine.dispose()
    yield url, action_id, title
    drop()


@pytest.fixture(scope="module")
def replicas(browser, shared_store):
    url = shared_store[0]
    with running_app(url, "replica-a.log") as a, running_app(url, "replica-b.log") as b:
        yield a, b  # not warmed: each replica's first session is a deep link (no "Page not found" any more)


def _open_action(browser, base: str, action_id: int):
    page = browser.new_context(viewport=DESKTOP, locale="sv-SE", timezone_id="Europe/Stockholm").new_page()
    page.goto(f"{base}/atgarder?action={action_id}")
    wait_settled(page)
    assert not dismiss_dialogs(page), "a dialog opened over the login form"
    log_in(page, "samordnare")  # the deep link survives logging in
    return page


def _heading(page) -> str:
    return page.locator("h3").filter(has_text=" ").last.inner_text().replace("\\", "")


def _save_title(page, title: str) -> None:
    field = page.locator('[class*="st-key-actform_"] input[aria-label="Rubrik"]')  # the open action's edit form
    field.fill(title)
    page.get_by_role("button", name="Spara ändringar").click()
    wait_settled(page)


def test_an_edit_in_one_replica_shows_in_the_other_and_a_stale_form_there_conflicts(browser, replicas, shared_store):
    base_a, base_b = replicas
    _, action_id, old_title = shared_store
    page_a = _open_action(browser, base_a, action_id)
    page_b = _open_action(browser, base_b, action_id)
    assert _heading(page_a) == _heading(page_b) == old_title

    _save_title(page_a, NEW_TITLE)
    assert page_a.get_by_text("Ändringarna är sparade").is_visible()
    assert _heading(page_a) == NEW_TITLE

    # B's form was opened before A saved: saving it must not overwrite A's edit silently
    _save_title(page_b, "Ett annat namn från replik B")
    assert page_b.get_by_text("Någon annan har ändrat åtgärden sedan du öppnade den").is_visible()
    assert page_b.get_by_role("button", name="Skriv över med mina ändringar").is_visible()

    fresh_b = _open_action(browser, base_b, action_id)
    assert _heading(fresh_b) == NEW_TITLE
    for page in (page_a, page_b, fresh_b):
        page.context.close()
