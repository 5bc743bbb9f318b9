"""st.cache_data is shared by every session of the process: a coordinator, a reader and a reporter taking turns on
the same pages each see exactly what they see with an empty cache, and never what only another role may see."""
from __future__ import annotations

import streamlit as st

from tests.pages.test_pages_render import logged_in, store  # noqa: F401 - fixture
from tests.security.rendered import page_bytes, signature
from tests.security.test_viewer_sees_no_sensitive_text import _secrets

PAGES = ("overview", "map", "trends", "actions")
TURNS = ("samordnare", "lasare", "ombud", "samordnare", "lasare")
# One busy area (with sensitive reports) keeps the overview's small-count audit for readers quick.
AREA = {"areas": "DEMO-02"}


def _round(at) -> dict[str, tuple]:
    """Each page's signature for the session `at`, and every byte the pages sent (for the leak checks)."""
    seen, blobs = {}, []
    for page in PAGES:
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, (page, at.exception)
        seen[page] = signature(at)
        blobs.append(page_bytes(at))
        if page == "overview":
            seen["_table"] = next((d.value for d in at.dataframe if d.key == "overview_table"), None)
    seen["_bytes"] = b"".join(blobs)
    return seen


def test_roles_taking_turns_on_shared_caches_each_see_their_own_cold_cache_view(store):
    sessions = {}
    cold = {}
    for username in dict.fromkeys(TURNS):  # one session each; its first round runs on an empty cache
        st.cache_data.clear()
        sessions[username] = logged_in(username, query_params=AREA)
        cold[username] = _round(sessions[username])
    assert cold["samordnare"]["overview"] != cold["lasare"]["overview"] != cold["ombud"]["overview"]

    for username in TURNS:  # now every query the others ran is in the shared cache
        warm = _round(sessions[username])
        for page in PAGES:
            assert warm[page] == cold[username][page], f"{username} sees another {page} with a shared cache"

    for username in ("lasare", "ombud"):
        texts, _ = _secrets(store, username)
        shown = cold[username]["_bytes"].decode("utf-8", errors="ignore")
        assert [t for t in texts if t in shown] == []
    table = cold["lasare"]["_table"]
    if table is not None:
        counts = table.select_dtypes("number")
        assert not counts.isin([1, 2]).any().any(), "a reader sees a count below the threshold"
