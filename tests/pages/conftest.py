"""Fixtures shared by the page tests."""
from __future__ import annotations

import shutil

import pytest
import streamlit as st


@pytest.fixture
def own_store(demo_store_url, tmp_path, monkeypatch):
    """A copy of the demo store this test may write to (the shared one stays as built), with the app pointed at it
    and Streamlit's caches empty."""
    path = tmp_path / "demo.db"
    shutil.copyfile(demo_store_url.split("///", 1)[1], path)
    monkeypatch.setenv("LAGESBILD_DB_URL", f"sqlite:///{path}")
    st.cache_data.clear()
    st.cache_resource.clear()
    return str(path)
