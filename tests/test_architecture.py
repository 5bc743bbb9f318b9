"""House rules checked on the tree: layers stay apart, pages hold no SQL, free text is never markup."""
import ast
import re

import pytest

from tests.conftest import PROJECT_ROOT

PAGES = sorted((PROJECT_ROOT / "pages").glob("*.py"))
EXPECTED_PAGES = {"overview", "map", "trends", "surveys", "actions", "meeting", "report", "data", "admin"}


def _imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


@pytest.mark.parametrize("package", ["data_layer", "analysis"])
def test_data_layer_and_analysis_never_import_streamlit(package):
    offenders = [str(p.relative_to(PROJECT_ROOT)) for p in (PROJECT_ROOT / package).rglob("*.py")
                 if any(m == "streamlit" or m.startswith("streamlit.") for m in _imports(p))]
    assert offenders == []


def test_analysis_never_touches_the_database():
    offenders = [str(p.relative_to(PROJECT_ROOT)) for p in (PROJECT_ROOT / "analysis").rglob("*.py")
                 if any(m.split(".")[0] in {"sqlalchemy", "sqlmodel", "data_layer", "psycopg", "sqlite3"}
                        for m in _imports(p))]
    assert offenders == []


def test_every_page_of_the_design_exists():
    assert {p.stem for p in PAGES} >= EXPECTED_PAGES


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_pages_hold_no_sql_and_no_statistics(page):
    modules = set(_imports(page))
    forbidden = {m for m in modules if m.split(".")[0] in {"sqlalchemy", "sqlmodel", "sqlite3", "psycopg", "scipy",
                                                          "statsmodels", "esda", "libpysal"}}
    assert forbidden == set()
    source = page.read_text(encoding="utf-8")
    assert not re.search(r"\b(SELECT|GROUP BY)\b|session\.exec|read_sql", source)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_pages_stay_thin(page):
    assert len(page.read_text(encoding="utf-8").splitlines()) <= 200


def test_no_raw_html_rendering_outside_tests():
    offenders = []
    for path in PROJECT_ROOT.rglob("*.py"):
        rel = path.relative_to(PROJECT_ROOT)
        if rel.parts[0] in {".venv", "tests"}:
            continue
        if re.search(r"unsafe_allow_html\s*=\s*True|components\.html\(", path.read_text(encoding="utf-8")):
            offenders.append(str(rel))
    assert offenders == []
