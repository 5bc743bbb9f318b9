"""Lägesbild: page config, schema check, login gate, shared sidebar filters and navigation."""
from __future__ import annotations

import logging
import os

import streamlit as st

from data_layer import hardening
from data_layer.migrate import is_at_head
from ui import auth, state
from ui.filters import language_selector, remember, sidebar_filters
from ui.i18n import t

# (file, URL path, title key, icon). URL paths are Swedish and differ from the file names on purpose: while a
# pages/ folder exists Streamlit's legacy multipage shim would otherwise run pages/<name>.py directly, skipping
# this entry script (and so the login gate) on a process's first run and on every AppTest run.
PAGES = (
    ("pages/overview.py", "lagesbild", "nav.overview", ":material/dashboard:"),
    ("pages/map.py", "karta", "nav.map", ":material/map:"),
    ("pages/trends.py", "trender", "nav.trends", ":material/show_chart:"),
    ("pages/surveys.py", "trygghetsmatningar", "nav.surveys", ":material/poll:"),
    ("pages/actions.py", "atgarder", "nav.actions", ":material/task_alt:"),
    ("pages/meeting.py", "veckomote", "nav.meeting", ":material/groups:"),
    ("pages/report.py", "rapportera", "nav.report", ":material/edit_note:"),
    ("pages/data.py", "datalager", "nav.data", ":material/database:"),
    ("pages/admin.py", "administration", "nav.admin", ":material/admin_panel_settings:"),
)


def _may_see(file: str, scope) -> bool:
    if file == "pages/meeting.py":
        return scope.can("meeting", "list")
    if file == "pages/admin.py":
        return scope.role in ("admin", "samordnare")  # samordnare: read-only
    return True


st.set_page_config(page_title="Lägesbild", page_icon=":material/shield:", layout="wide")
state.start_run()
language_selector()

if hardening.is_production(os.environ):
    if "_production_problems" not in st.session_state:  # once per session: the check opens the store
        st.session_state["_production_problems"] = hardening.check(os.environ, get_option=st.get_option)
        for problem in st.session_state["_production_problems"]:
            logging.getLogger("lagesbild").error("Produktionskontroll: %s", problem)
    if st.session_state["_production_problems"]:
        st.error(t("app.production_refused"))  # details only in the server log: visitors must not learn the setup
        st.stop()

try:
    schema_ok = is_at_head(state.engine())
except Exception:  # noqa: BLE001 - an unreachable or broken store gets the same clear message, never a traceback
    schema_ok = False
if not schema_ok:
    st.error(t("app.schema_outdated"))
    st.code("python -m data_layer init", language="bash")
    st.stop()

user = state.current_user()
if user is None:
    # Every page's URL answers with the login form, so a deep link (/karta?from=…) survives logging in.
    st.navigation([st.Page(auth.login_page, title=t("login.title"), icon=":material/login:", url_path=url,
                           default=i == 0) for i, (_, url, _, _) in enumerate(PAGES)], position="hidden").run()
    st.stop()

if state.store_info().get("demo") == "true":
    st.sidebar.badge(t("app.demo_badge"), icon=":material/science:", color="orange", help=t("app.demo_help"))
auth.logout_button()
remember(sidebar_filters(state.today()))

st.navigation([st.Page(file, title=t(title), icon=icon, url_path=url, default=i == 0)
               for i, (file, url, title, icon) in enumerate(PAGES) if _may_see(file, user.scope)]).run()
