"""A store with no incidents yet (init plus one account): every page opens without an error and says so in Swedish."""
from __future__ import annotations

import pytest
import streamlit as st
from sqlalchemy import insert

from data_layer.db import make_engine
from data_layer.migrate import upgrade_to_head
from data_layer.models import Organisation
from data_layer.reference import ensure_categories
from data_layer.users import add_user
from tests.pages.test_pages_render import PAGES, logged_in


@pytest.fixture
def empty_store(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    engine = make_engine(url)
    upgrade_to_head(engine)
    with engine.begin() as conn:
        ensure_categories(conn)
        conn.execute(insert(Organisation).values(code="kommunen", name="Kommunen", kind="kommun"))
    add_user(engine, username="samordnare", role="samordnare", organisation_code="kommunen", password="demo")
    engine.dispose()
    monkeypatch.setenv("LAGESBILD_DB_URL", url)
    st.cache_data.clear()
    st.cache_resource.clear()
    return url


@pytest.mark.parametrize("page", PAGES)
def test_every_page_opens_on_an_empty_store_without_an_error(empty_store, page):
    at = logged_in()
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.title, "the page drew nothing"
