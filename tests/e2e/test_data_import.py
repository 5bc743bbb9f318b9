"""The import wizard in a real browser: a coordinator uploads a police.uk file with bad rows, previews it, imports the
valid rows, sees the receipt and undoes it; every step of the Data page passes axe.

Runs its own app server on a private copy of the demo store, because it writes. Screenshots (git-ignored):
test-artifacts/screenshots/data-import-*.png.
"""
from __future__ import annotations

import sqlite3

import pytest

from tests.e2e.conftest import DESKTOP, SCREENSHOTS, running_app, wait_settled
from tests.e2e.test_every_page import PAGES, check_accessibility, exception_texts, full_page_screenshot, \
    new_logged_in_page, open_page
from tests.pages.test_data_page import BAD_ROWS, uk_csv

pytestmark = pytest.mark.browser

FILE_NAME = "west-yorkshire-juli.csv"
ALERTS = '[data-testid="stMain"] [data-testid="stAlert"]'


@pytest.fixture(scope="module")
def private_app(browser, demo_store_url, tmp_path_factory):
    """(base URL, store path): the app on a copy of the demo store that this module may write to."""
    path = tmp_path_factory.mktemp("import-e2e") / "store.db"
    with sqlite3.connect(demo_store_url.split("///", 1)[1]) as src, sqlite3.connect(path) as dst:
        src.backup(dst)
    with running_app(f"sqlite:///{path}", log_name="streamlit-import.log") as base:
        yield base, str(path)


@pytest.fixture
def data_page(browser, private_app):
    page = new_logged_in_page(browser, private_app[0], "samordnare", DESKTOP)
    open_page(page, PAGES["data"])
    yield page
    page.context.close()


def sql(path: str, query: str, *params):
    with sqlite3.connect(path) as conn:
        return conn.execute(query, params).fetchone()[0]


def click(page, key: str) -> None:
    page.locator(f".st-key-{key} button").click()
    wait_settled(page)


def cells(page, key: str) -> list[str]:
    """The cells of the table inside the keyed container, row by row (glide exposes them as ARIA grid cells)."""
    return page.locator(f'.st-key-{key} [role="gridcell"]').all_inner_texts()


def alerts(page) -> str:
    return "\n".join(page.locator(ALERTS).all_inner_texts())


def assert_accessible(page, name: str) -> None:
    failures = check_accessibility(page, name)
    assert exception_texts(page) == []
    assert failures == [], f"axe on {name}:\n" + "\n".join(failures)


def test_a_coordinator_previews_a_file_with_bad_rows_imports_the_valid_ones_and_undoes_it(data_page, private_app,
                                                                                        tmp_path):
    page, store = data_page, private_app[1]
    csv = tmp_path / FILE_NAME
    csv.write_bytes(uk_csv(bad=BAD_ROWS))
    batches_before = sql(store, "SELECT COUNT(*) FROM importbatch")

    page.locator(".st-key-import_kind").click()
    page.get_by_role("option", name="police.uk (CSV)").click()
    wait_settled(page)
    page.locator(".st-key-import_file_police-uk-csv input[type=file]").set_input_files(str(csv))
    wait_settled(page)
    click(page, "import_preview_btn")

    assert cells(page, "import_rejected_table") == [
        "3", "Month", "ogiltig månad '2016-13' (väntat ÅÅÅÅ-MM)", "6", "Latitude", "'norr' är ingen koordinat"]
    assert f"Av 7 rader i {FILE_NAME} kan 2 rader inte läsas" in alerts(page)
    assert page.locator(".st-key-import_run_btn button").is_disabled()
    assert sql(store, "SELECT COUNT(*) FROM importbatch") == batches_before
    full_page_screenshot(page, SCREENSHOTS / "data-import-preview.png")
    assert_accessible(page, "data-import-preview")

    page.locator(".st-key-import_skip_invalid label").click()
    wait_settled(page)
    assert "5 rader läses in. 2 rader hoppas över" in alerts(page)
    click(page, "import_run_btn")
    batch_id = sql(store, "SELECT MAX(id) FROM importbatch")
    assert sql(store, "SELECT rows_accepted || '/' || rows_rejected || ' ' || file_name FROM importbatch WHERE id = ?",
               batch_id) == f"5/2 {FILE_NAME}"
    assert f"Inläsning nr {batch_id} är klar: 5 rader från {FILE_NAME} finns nu i databasen." in alerts(page)
    full_page_screenshot(page, SCREENSHOTS / "data-import-done.png")
    assert_accessible(page, "data-import-done")

    click(page, "import_undo_last")
    assert f"Inläsning nr {batch_id} ({FILE_NAME}) tas bort: 5 händelser" in alerts(page)
    assert sql(store, "SELECT COUNT(*) FROM incident WHERE import_batch_id = ?", batch_id) == 5
    click(page, "import_undo_last_yes")
    assert f"Inläsning nr {batch_id} är ångrad: 5 händelser togs bort." in alerts(page)
    assert sql(store, "SELECT COUNT(*) FROM incident WHERE import_batch_id = ?", batch_id) == 0

    page.get_by_role("tab", name="Senaste inläsningar").click()
    wait_settled(page)
    assert FILE_NAME in cells(page, "batches")
    page.locator(".st-key-batch_rejections_choice").click()
    page.get_by_role("option", name=f"Nr {batch_id}: {FILE_NAME}", exact=False).click()
    wait_settled(page)
    assert cells(page, "batch_rejections")[:2] == ["3", "Month"]
    full_page_screenshot(page, SCREENSHOTS / "data-import-batches.png")
    assert_accessible(page, "data-import-batches")


@pytest.mark.parametrize("tab, name", [("Kategorier per källa", "data-import-mappings"),
                                       ("Importprofiler", "data-import-profiles")])
def test_the_mapping_table_and_the_profile_editor_pass_axe(data_page, tab, name):
    data_page.get_by_role("tab", name=tab).click()
    wait_settled(data_page)
    full_page_screenshot(data_page, SCREENSHOTS / f"{name}.png")
    assert_accessible(data_page, name)
