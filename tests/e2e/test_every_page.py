"""Every page in a real browser: it renders without an exception, passes axe-core (WCAG 2.0/2.1 A and AA)
for our own content, and is saved as a screenshot; the roles' page lists hold in the browser too.

Artifacts (git-ignored): test-artifacts/screenshots/<page>.png, test-artifacts/axe/<page>.json,
test-artifacts/streamlit*.log.
"""
from __future__ import annotations

import json
import time

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.conftest import AXE_DIR, DESKTOP, PHONE, SCREENSHOTS, running_app, url_path, wait_settled

pytestmark = pytest.mark.browser

PASSWORD = "demo"
# page file stem (names the artifacts) -> URL path, as app.py's PAGES registers them: Swedish paths that
# differ from the file names on purpose (see app.py); the first page is the default, served at /.
PAGES = {
    "overview": "/",
    "map": "/karta",
    "trends": "/trender",
    "surveys": "/trygghetsmatningar",
    "actions": "/atgarder",
    "meeting": "/veckomote",
    "report": "/rapportera",
    "data": "/datalager",
    "admin": "/administration",
}
# What Streamlit's legacy multipage shim would serve while a pages/ folder exists: /<file stem>.
LEGACY_PATHS = [f"/{name}" for name in PAGES]
# Streamlit adds the class st-key-<key> to a keyed widget's container (keys from ui/auth.py), which
# keeps these locators independent of the interface language.
USERNAME = ".st-key-login_username input"
PASSWORD_INPUT = ".st-key-login_password input"
SUBMIT = ".st-key-login_submit button"
NAV_LINKS = '[data-testid="stSidebarNav"] a[href]'

# --- axe-core ---------------------------------------------------------------------------------------
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
    # axe is injected into the top document only; content inside iframes (st.components) is not
    # scanned, and axe would otherwise wait for frames it cannot reach.
    "iframes": False,
}
FAILING_IMPACTS = {"serious", "critical"}
# Violations in Streamlit's own chrome: markup the framework renders around the app, which no code of
# ours produces or can change. Each entry is (axe rule id, CSS selector of the chrome container, reason);
# a node is excluded only when BOTH the rule matches and the node lies inside that container.
# Everything else (our headings, text, tables, charts, forms, sidebar filters) fails the test.
# Empty on purpose: with Streamlit 1.67 and axe-core 4.12.1 every page (demo store, 1440x900 and the
# phone report page) had no WCAG 2.0/2.1 A/AA violation at all, chrome included, so nothing is excluded.
# Add an entry only for a finding that really comes from Streamlit's framework markup, e.g.
#   ("button-name", '[data-testid="stToolbar"]', "Streamlit's toolbar menu button, not rendered by us"),
# Note: st.dataframe draws its cells on a canvas, which axe cannot inspect; charts are checked as SVG/DOM only.
STREAMLIT_CHROME: list[tuple[str, str, str]] = []


def _classify_nodes(page, violations: list[dict]) -> None:
    """Mark each node with the chrome exclusion that applies (in place, `excluded_as` key; None = ours)."""
    for violation in violations:
        rules = [[selector, reason] for rule, selector, reason in STREAMLIT_CHROME if rule == violation["id"]]
        for node in violation["nodes"]:
            node["excluded_as"] = page.evaluate(
                """([target, rules]) => {
                    const sel = target[target.length - 1];
                    let el = null;
                    try { el = document.querySelector(typeof sel === 'string' ? sel : sel[sel.length - 1]); }
                    catch (e) { return null; }
                    if (!el) return null;
                    for (const [container, reason] of rules) {
                        if (el.closest(container)) return container + ': ' + reason;
                    }
                    return null;
                }""",
                [node["target"], rules],
            ) if rules else None


def check_accessibility(page, name: str) -> list[str]:
    """Run axe on the page, write every finding to test-artifacts/axe/<name>.json, return the failures."""
    results = Axe().run(page, options=AXE_OPTIONS).response
    violations = results.get("violations", [])
    _classify_nodes(page, violations)
    AXE_DIR.mkdir(parents=True, exist_ok=True)
    (AXE_DIR / f"{name}.json").write_text(json.dumps({
        "url": page.url,
        "axe_version": results.get("testEngine", {}).get("version"),
        "tags": AXE_OPTIONS["runOnly"]["values"],
        "exclusions": [{"rule": r, "container": s, "reason": why} for r, s, why in STREAMLIT_CHROME],
        "violations": [{
            "id": v["id"], "impact": v["impact"], "help": v["help"], "helpUrl": v["helpUrl"],
            "nodes": [{"target": n["target"], "html": n["html"][:500], "summary": n.get("failureSummary", ""),
                       "excluded_as": n.get("excluded_as")} for n in v["nodes"]],
        } for v in violations],
    }, ensure_ascii=False, indent=2), encoding="utf-8")
    failures = []
    for v in violations:
        if v["impact"] not in FAILING_IMPACTS:
            continue
        for n in v["nodes"]:
            if not n.get("excluded_as"):
                failures.append(f"{v['id']} ({v['impact']}): {v['help']} at {n['target']}: {n['html'][:160]}")
    return failures


# --- browser helpers --------------------------------------------------------------------------------
def exception_texts(page) -> list[str]:
    return page.locator('[data-testid="stException"]').all_inner_texts()


def log_in(page, username: str) -> None:
    """Fill the login form on the current page (it must be showing) and wait until the app is in."""
    page.locator(USERNAME).fill(username)
    page.locator(PASSWORD_INPUT).fill(PASSWORD)
    page.locator(SUBMIT).click()
    deadline = time.monotonic() + 30
    while page.locator(PASSWORD_INPUT).count():
        # only an error alert is a failed login: the page behind the form may show warnings while it replaces it
        errors = page.locator('[data-testid="stMain"] [data-testid="stAlertContentError"]').all_inner_texts()
        assert not errors, f"logging in as {username} failed: {errors}"
        assert time.monotonic() < deadline, f"logging in as {username}: the login form did not go away"
        page.wait_for_timeout(100)
    wait_settled(page)


def new_logged_in_page(browser, app_url: str, username: str, viewport: dict):
    context = browser.new_context(viewport=viewport, locale="sv-SE", timezone_id="Europe/Stockholm")
    page = context.new_page()
    page.goto(app_url + "/")
    wait_settled(page)
    log_in(page, username)
    return page


def _nav_hrefs(page) -> list[str]:
    """The absolute URL of every page link in the sidebar navigation, in order."""
    return page.locator(NAV_LINKS).evaluate_all("els => els.map(e => e.href)")


def nav_paths(page) -> set[str]:
    return {url_path(href) for href in _nav_hrefs(page)}


def open_page(page, path: str) -> None:
    """Go to `path` inside the logged-in session through its navigation link: that keeps the Streamlit
    session (a full page load starts a new session, i.e. logs out). Then check the URL says `path`."""
    hrefs = _nav_hrefs(page)
    matches = [i for i, href in enumerate(hrefs) if url_path(href) == path]
    assert matches, f"no navigation link to {path}; links: {sorted(map(url_path, hrefs))}"
    page.locator(NAV_LINKS).nth(matches[0]).click()
    page.wait_for_url(lambda url: url_path(url) == path, timeout=30_000)
    wait_settled(page)


def set_sidebar(page, expanded: bool) -> None:
    sidebar = page.locator('[data-testid="stSidebar"]')
    if sidebar.get_attribute("data-collapsed") == str(not expanded).lower():
        return
    button = (page.locator('[data-testid="stExpandSidebarButton"]') if expanded
              else page.locator('[data-testid="stSidebarCollapseButton"] button, [data-testid="stSidebarCollapseButton"]'))
    button.first.click()
    page.wait_for_function(
        """(want) => document.querySelector('[data-testid="stSidebar"]').getAttribute('data-collapsed') === want""",
        arg=str(not expanded).lower())
    page.wait_for_timeout(400)  # the slide animation


def dismiss_dialogs(page) -> list[str]:
    """Close Streamlit modals (e.g. "Page not found"), which make the page behind them inert; returns their text."""
    texts = []
    dialog = page.locator('[role="dialog"]')
    for _ in range(3):
        if not dialog.count() or not dialog.first.is_visible():
            break
        texts.append(dialog.first.inner_text())
        page.keyboard.press("Escape")
        dialog.first.wait_for(state="hidden", timeout=5_000)
    return texts


def full_page_screenshot(page, path) -> None:
    """Streamlit scrolls inside its main section, not the window: grow the viewport to the content's
    height for the shot, then restore it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    viewport = page.viewport_size
    height = page.evaluate("""() => {
        const main = document.querySelector('[data-testid="stMain"]');
        const sidebar = document.querySelector('[data-testid="stSidebar"]');
        const side = sidebar && sidebar.getAttribute('data-collapsed') !== 'true'
            ? document.querySelector('[data-testid="stSidebarContent"]') : null;
        return Math.max(main ? main.scrollHeight : 0, side ? side.scrollHeight : 0, document.documentElement.scrollHeight);
    }""")
    if height > viewport["height"]:
        page.set_viewport_size({"width": viewport["width"], "height": min(height, 16_000)})
        wait_settled(page, quiet_ms=500)
    try:
        page.screenshot(path=str(path), full_page=True, animations="disabled")
    finally:
        if height > viewport["height"]:
            page.set_viewport_size(viewport)


# --- fixtures ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def samordnare_page(browser, app_url):
    page = new_logged_in_page(browser, app_url, "samordnare", DESKTOP)
    yield page
    page.context.close()


# --- tests ------------------------------------------------------------------------------------------
def test_deep_links_on_a_fresh_server_show_the_login_form(browser, app_db_url):
    """Nobody logged in who opens a page's URL directly gets the login form, not the page.

    Runs against its own freshly started server: Streamlit runs the files in pages/ directly (its
    old multipage mode) until some session has called st.navigation, so only the very first requests
    after a start show whether a deep link can get past the login gate in app.py."""
    with running_app(app_db_url, log_name="streamlit-fresh.log") as fresh_url:
        context = browser.new_context(viewport=DESKTOP)
        leaks = []
        try:
            # /admin first, / last (a request that runs app.py calls st.navigation, which ends the legacy mode)
            paths = ["/admin"] + [p for p in LEGACY_PATHS if p != "/admin"] + [p for p in PAGES.values() if p != "/"] + ["/"]
            for path in paths:
                page = context.new_page()
                page.goto(fresh_url + path)
                wait_settled(page)
                if page.locator(PASSWORD_INPUT).count() == 0 or exception_texts(page):
                    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(SCREENSHOTS / f"deeplink-{path.strip('/') or 'root'}.png"))
                    leaks.append(f"{path}: no login form (url {page.url}, exceptions {exception_texts(page)}, "
                                 f"headings {page.locator('h1').all_inner_texts()})")
                page.close()
        finally:
            context.close()
    assert not leaks, "deep links that got past the login gate:\n" + "\n".join(leaks)


def test_login_page_passes_axe(browser, app_url):
    context = browser.new_context(viewport=DESKTOP)
    try:
        page = context.new_page()
        page.goto(app_url + "/")
        wait_settled(page)
        assert page.locator(PASSWORD_INPUT).count() == 1
        full_page_screenshot(page, SCREENSHOTS / "login.png")
        failures = check_accessibility(page, "login")
        assert failures == [], "axe on the login page:\n" + "\n".join(failures)
    finally:
        context.close()


def test_navigation_lists_every_page_for_samordnare(samordnare_page):
    assert set(nav_paths(samordnare_page)) == set(PAGES.values())


@pytest.mark.parametrize("name", list(PAGES))
def test_page_renders_and_passes_axe(samordnare_page, name):
    page = samordnare_page
    open_page(page, PAGES[name])
    full_page_screenshot(page, SCREENSHOTS / f"{name}.png")
    failures = check_accessibility(page, name)
    assert exception_texts(page) == [], f"{PAGES[name]} shows an exception"
    assert failures == [], f"axe: serious/critical violations in our content on {PAGES[name]}:\n" + "\n".join(failures)


def test_report_page_on_a_phone(browser, app_url):
    page = new_logged_in_page(browser, app_url, "samordnare", PHONE)
    try:
        # the sidebar (and its navigation) starts collapsed on a phone: open it as a phone user would
        set_sidebar(page, expanded=True)
        open_page(page, PAGES["report"])
        set_sidebar(page, expanded=False)
        full_page_screenshot(page, SCREENSHOTS / "report-phone.png")
        failures = check_accessibility(page, "report-phone")
        assert exception_texts(page) == []
        assert failures == [], "axe on the phone report page:\n" + "\n".join(failures)
    finally:
        page.context.close()


def test_lasare_cannot_reach_admin(browser, app_url):
    page = new_logged_in_page(browser, app_url, "lasare", DESKTOP)
    try:
        paths = nav_paths(page)
        assert "/" in paths, f"lasare sees no navigation at all: {paths}"
        assert PAGES["admin"] not in paths
        # the URL typed by hand: a full load starts a new session, so log in again right there
        page.goto(app_url + PAGES["admin"])
        wait_settled(page)
        dismiss_dialogs(page)
        log_in(page, "lasare")
        dismiss_dialogs(page)
        assert url_path(page.url) != PAGES["admin"] or page.locator('[data-testid="stAlert"]').count() > 0
        assert "Admin" not in page.locator('[data-testid="stMain"] h1').all_inner_texts()
        assert PAGES["admin"] not in nav_paths(page)
        assert exception_texts(page) == []
    finally:
        page.context.close()
