"""Free text is shown as text, never run or rendered as markup: a copy of the demo store with script, HTML, javascript:
links, Markdown and LaTeX in every free-text field the app shows, opened page by page by a coordinator in Chromium.
No dialog may open, no javascript: link may exist, and the payloads that show appear literally."""
from __future__ import annotations

import json
import sqlite3

import pytest

from tests.e2e.conftest import DESKTOP, running_app
from tests.e2e.test_every_page import PAGES, exception_texts, new_logged_in_page, open_page

pytestmark = pytest.mark.browser

PAYLOAD = ("<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1)) **fet** $x^2$ "
           "<a href=javascript:alert(1)>y</a>")
FIELDS = ("incident", "place", "action_title", "action_description", "action_note", "agenda_title", "agenda_body",
          "agenda_minutes", "meeting_minutes", "event", "area", "organisation", "import_file", "import_reason")


def tagged(field: str) -> str:
    """The payload with a marker naming its field, so a page shows which field it came from."""
    return f"XSS-{field} {PAYLOAD}"


def _seed(path) -> None:
    """Write the payloads into the free-text fields the pages show (the newest rows, which the default views list)."""
    with sqlite3.connect(path) as conn:
        me = conn.execute("SELECT id FROM \"user\" WHERE username = 'samordnare'").fetchone()[0]
        newest = [r[0] for r in conn.execute("SELECT id FROM incident ORDER BY occurred_at DESC LIMIT 3")]
        conn.executemany("UPDATE incident SET description = ?, reporter_user_id = ?, sensitive = 0 WHERE id = ?",
                         [(tagged("incident"), me, i) for i in newest])
        conn.execute("UPDATE place SET name = ? WHERE id = (SELECT MIN(id) FROM place)", (tagged("place"),))
        conn.execute("UPDATE incident SET place_id = (SELECT MIN(id) FROM place) WHERE id = ?", (newest[0],))
        for n, (action,) in enumerate(conn.execute("SELECT id FROM action ORDER BY id").fetchall()):
            conn.execute("UPDATE action SET title = ?, description = ? WHERE id = ?",
                         (f"{tagged('action_title')} {n}", tagged("action_description"), action))
        conn.execute("UPDATE actionupdate SET note = ? "
                     "WHERE id IN (SELECT MIN(id) FROM actionupdate GROUP BY action_id)", (tagged("action_note"),))
        conn.execute("UPDATE agendaitem SET title = ?, body = ?, minutes = ?, link = 'javascript:alert(1)'",
                     (tagged("agenda_title"), tagged("agenda_body"), tagged("agenda_minutes")))
        conn.execute("UPDATE meeting SET minutes = ?", (tagged("meeting_minutes"),))
        conn.execute("UPDATE event SET title = ?", (tagged("event"),))
        for n, (area,) in enumerate(conn.execute("SELECT id FROM area WHERE parent_id IS NOT NULL").fetchall()):
            conn.execute("UPDATE area SET name = ? WHERE id = ?", (f"{tagged('area')} {n}", area))
        for n, (org,) in enumerate(conn.execute("SELECT id FROM organisation").fetchall()):
            conn.execute("UPDATE organisation SET name = ? WHERE id = ?", (f"{tagged('organisation')} {n}", org))
        conn.execute("UPDATE importbatch SET file_name = ?, rows_rejected = 1, rejected_detail = ?",
                     (tagged("import_file"),
                      json.dumps([{"row": 2, "column": "tid", "reason": tagged("import_reason")}])))
        conn.execute("UPDATE storeinfo SET value = CAST(value AS INTEGER) + 1 WHERE key = 'data_version'")


@pytest.fixture(scope="module")
def xss_app(browser, demo_store_url, tmp_path_factory):
    path = tmp_path_factory.mktemp("xss") / "store.db"
    with sqlite3.connect(demo_store_url.split("///", 1)[1]) as src, sqlite3.connect(path) as dst:
        src.backup(dst)
    _seed(path)
    with running_app(f"sqlite:///{path}", log_name="streamlit-xss.log") as base:
        yield base


MARKUP = '[data-testid="stMain"] :is(strong, em, .katex, img[src="x"], a[href="#"])'
# (page, field) where a payload's Markdown/LaTeX is rendered as markup (HTML always stays escaped text). This test
# found three (the overview's headline-card label, the surveys page's area captions, the meeting's decision caption),
# all now escaped with escape_markdown; a new one fails the test.
KNOWN_MARKUP: set[tuple[str, str]] = set()


def _rendered_markup(page) -> set[str]:
    """The fields whose payload a page rendered as markup: its **fet** bold, its $x^2$ as LaTeX, its [x](…) link."""
    found = page.locator(MARKUP).evaluate_all("""els => els
        .filter(e => (e.matches('strong, em') && e.innerText.trim() === 'fet')
                     || (e.matches('.katex') && e.innerText.includes('x'))
                     || (e.matches('a') && e.innerText.trim() === 'x') || e.matches('img'))
        .map(e => (e.closest('[data-testid="stMarkdownContainer"]') || e.parentElement).innerText)""")
    return {m.split()[0] for text in found for m in text.split("XSS-")[1:]}


def test_no_page_runs_or_renders_markup_from_free_text(browser, xss_app):
    page = new_logged_in_page(browser, xss_app, "samordnare", DESKTOP)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(f"{page.url}: {d.message}"), d.dismiss()))
    literal: set[str] = set()
    markup: set[tuple[str, str]] = set()
    try:
        for name, path in PAGES.items():
            open_page(page, path)
            assert exception_texts(page) == [], name
            page.mouse.wheel(0, 4000)  # let lazily drawn parts (tables further down) render
            page.wait_for_timeout(300)
            text = page.locator("body").inner_text() + "\n" + "\n".join(
                page.locator('[role="gridcell"]').all_inner_texts())
            literal |= {field for field in FIELDS if tagged(field) in " ".join(text.split())}
            markup |= {(name, field) for field in _rendered_markup(page)}
            assert page.locator('[href^="javascript:" i], [src^="javascript:" i]').count() == 0, name
        assert dialogs == []
        assert markup == KNOWN_MARKUP
        # where the payloads reach the pages, they show as written, character for character
        assert {"incident", "place", "action_title", "agenda_title", "area", "organisation", "event"} <= literal, \
            literal
    finally:
        page.context.close()
