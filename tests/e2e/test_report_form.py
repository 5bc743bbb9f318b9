"""The reporter's form on a 375 px phone in a real browser: tap a category, tap the map down to a cell, type a
description with a phone number, see the warning, send (confirming once more), find the report in "Mina senaste
rapporter". Screenshots: test-artifacts/screenshots/report-form-phone*.png; axe findings: test-artifacts/axe/.
"""
from __future__ import annotations

import json
import time

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.e2e.conftest import AXE_DIR, PHONE, SCREENSHOTS, wait_settled
from tests.e2e.test_every_page import (PAGES, PASSWORD, PASSWORD_INPUT, SUBMIT, USERNAME, check_accessibility,
                                       exception_texts, full_page_screenshot, open_page, set_sidebar)

pytestmark = pytest.mark.browser

MIN_TARGET_PX = 44
FORM = '[data-testid="stMain"] .st-key-report_form'
MAP_CANVAS = '[class*="st-key-report_map_"] canvas'
SUMMARY = '[data-testid="stMain"] [data-testid="stAlertContentSuccess"]'


def logged_in_phone(browser, app_url: str, username: str):
    """Like test_every_page.new_logged_in_page, but only the login form's own error counts as a failed login:
    the overview page that follows may show warnings of its own while the login form is still fading out."""
    context = browser.new_context(viewport=PHONE, locale="sv-SE", timezone_id="Europe/Stockholm")
    page = context.new_page()
    page.goto(app_url + "/")
    wait_settled(page)
    page.locator(USERNAME).fill(username)
    page.locator(PASSWORD_INPUT).fill(PASSWORD)
    page.locator(SUBMIT).click()
    try:
        page.locator(PASSWORD_INPUT).wait_for(state="detached", timeout=30_000)
    except PlaywrightTimeout:
        alerts = page.locator('[data-testid="stMain"] [data-testid="stAlert"]').all_inner_texts()
        raise AssertionError(f"logging in as {username} failed: {alerts}") from None
    wait_settled(page)
    return page


@pytest.fixture
def phone_report_page(browser, app_url):
    page = logged_in_phone(browser, app_url, "ombud")
    set_sidebar(page, expanded=True)  # a phone starts with the navigation collapsed
    open_page(page, PAGES["report"])
    set_sidebar(page, expanded=False)
    yield page
    page.context.close()


def pill(page, label: str):
    return page.locator(f"{FORM} .st-key-report_category button", has_text=label)


def wait_for_text(page, selector: str, text: str, timeout_s: float = 30) -> str:
    deadline = time.monotonic() + timeout_s
    texts: list[str] = []
    while time.monotonic() < deadline:
        texts = page.locator(selector).all_inner_texts()
        if any(text in t for t in texts):
            return next(t for t in texts if text in t)
        page.wait_for_timeout(200)
    raise AssertionError(f"{text!r} did not appear in {selector}; saw {texts}")


def tap_map_centre(page) -> None:
    """Tap the middle of the map as a finger would (the view is centred on a point inside what it shows)."""
    canvas = page.locator(MAP_CANVAS).first
    canvas.scroll_into_view_if_needed()
    page.wait_for_timeout(1_500)  # deck.gl draws (and can pick) a moment after the element appears
    box = canvas.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x - 4, y - 4)
    page.mouse.move(x, y)
    page.wait_for_timeout(300)
    page.mouse.click(x, y)
    wait_settled(page)


def small_targets(page) -> list[str]:
    """Buttons in the form smaller than 44 × 44 CSS px (WCAG 2.5.5), with their text."""
    found = page.locator(f"{FORM} button:visible").evaluate_all("""els => els.map(e => {
        const r = e.getBoundingClientRect();
        return [e.innerText.trim() || e.getAttribute('aria-label') || e.title, r.width, r.height];
    })""")
    return [f"{text!r}: {w:.0f}×{h:.0f}" for text, w, h in found if w < MIN_TARGET_PX or h < MIN_TARGET_PX]


def axe_violations(name: str) -> list[str]:
    """Every axe violation (any impact) that check_accessibility wrote for `name`."""
    report = json.loads((AXE_DIR / f"{name}.json").read_text(encoding="utf-8"))
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
            for v in report["violations"]]


def test_a_reporter_on_a_phone_taps_a_report_together_and_finds_it_in_their_list(phone_report_page):
    page = phone_report_page
    assert page.viewport_size["width"] == 375

    # What: a big pill, chosen by tapping; it is marked as chosen.
    pill(page, "Klotter").click()
    wait_settled(page)
    assert pill(page, "Klotter").get_attribute("aria-checked") == "true"

    # Where: the map shows the areas; tapping one zooms in to its cells, tapping a cell picks the point.
    tap_map_centre(page)
    area_summary = wait_for_text(page, SUMMARY, "hela området")
    tap_map_centre(page)
    point_summary = wait_for_text(page, SUMMARY, "en ruta i")
    assert "cirka 70 m noggrannhet" in point_summary
    assert area_summary.split("hela området ")[1].rstrip(".") in point_summary

    # A description with a phone number: a warning (not a block) once the field is left.
    text = f"Klotter på porten, ring 070-123 45 67 ({time.time_ns()})"
    page.locator(f"{FORM} .st-key-report_description textarea").fill(text)
    page.keyboard.press("Tab")
    wait_settled(page)
    warning = wait_for_text(page, '[data-testid="stMain"] [data-testid="stAlertContentWarning"]', "telefonnummer")
    assert "ser ut att innehålla ett telefonnummer" in warning
    page.locator(f"{FORM} .st-key-report_assessment button", has_text="2").click()
    wait_settled(page)

    small = small_targets(page)
    assert small == [], "tap targets under 44 px:\n" + "\n".join(small)
    assert exception_texts(page) == []
    full_page_screenshot(page, SCREENSHOTS / "report-form-phone.png")
    failures = check_accessibility(page, "report-form-phone")
    assert failures == [] and axe_violations("report-form-phone") == []

    # Send: the personal-data warning asks once more; "Skicka ändå" saves.
    page.locator(f"{FORM} .st-key-report_submit button").click()
    wait_settled(page)
    page.locator(f"{FORM} .st-key-report_confirm button").click()
    wait_settled(page)
    wait_for_text(page, '[data-testid="stMain"] [data-testid="stAlertContentSuccess"]', "Tack! Rapporten är sparad.")
    first_card = page.locator('[data-testid="stMain"] [class*="st-key-report_card_"]').first
    card = first_card.inner_text()
    assert text in card and "Klotter" in card and ("Mottagen" in card or "Åtgärd" in card)
    assert pill(page, "Klotter").get_attribute("aria-checked") == "false"  # a fresh form for the next report
    full_page_screenshot(page, SCREENSHOTS / "report-form-phone-sent.png")
    assert check_accessibility(page, "report-form-phone-sent") == []
    assert axe_violations("report-form-phone-sent") == []


def test_the_form_works_from_the_keyboard_without_the_map(phone_report_page):
    page = phone_report_page
    pill(page, "Brand").focus()
    page.keyboard.press("Enter")
    wait_settled(page)
    assert pill(page, "Brand").get_attribute("aria-checked") == "true"
    area = page.locator(f"{FORM} .st-key-report_area input")
    area.focus()
    page.keyboard.type("Centrum")
    page.keyboard.press("Enter")
    wait_settled(page)
    summary = wait_for_text(page, SUMMARY, "hela området Centrum")
    assert summary
    place = page.locator(f"{FORM} .st-key-report_place input")
    place.focus()
    page.keyboard.type("Stora torget")
    page.keyboard.press("Enter")
    wait_settled(page)
    wait_for_text(page, SUMMARY, "Stora torget")
    assert exception_texts(page) == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "report-form-phone-keyboard.png"))
