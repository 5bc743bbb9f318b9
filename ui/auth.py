"""Login in the main area, logout in the sidebar; the AuthenticatedUser lives in st.session_state."""
from __future__ import annotations

import streamlit as st

from data_layer import audit
from data_layer.db import session_scope
from data_layer.users import authenticate
from ui import state
from ui.i18n import t


def login_page(*, on_success=None) -> None:
    """The login form (keys login_username, login_password, login_submit); on success, rerun into the app."""
    st.title(t("app.title"))
    st.write(t("login.intro"))
    with st.form("login_form"):
        username = st.text_input(t("login.username"), key="login_username", autocomplete="username")
        password = st.text_input(t("login.password"), key="login_password", type="password",
                                 autocomplete="current-password")
        submitted = st.form_submit_button(t("login.submit"), key="login_submit", type="primary")
    if submitted:
        user = authenticate(state.engine(), username=username or "", password=password or "")
        if user is None:
            st.error(t("login.failed"))
            return
        st.session_state[state.USER_KEY] = user
        (on_success or st.rerun)()


def logout_button() -> None:
    """Who is logged in, and a logout button, in the sidebar."""
    user = state.current_user()
    if user is None:
        return
    st.sidebar.caption(t("auth.signed_in_as", name=user.display_name, org=user.organisation_name,
                         role=t(f"role.{user.scope.role}")))
    if st.sidebar.button(t("auth.logout"), key="logout"):
        with session_scope(state.engine()) as session:
            audit.record(session, event="logout", user_id=user.scope.user_id, username=user.username,
                         organisation_id=user.scope.organisation_id)
        st.session_state.pop(state.USER_KEY, None)
        st.rerun()


def require_login(*, roles: tuple[str, ...] | None = None) -> None:
    """Stop the page unless a user is logged in (and holds one of `roles`, if given).

    Pages normally run inside app.py's navigation, which already gates them; this guard is the second wall for
    Streamlit's legacy multipage mode, which on a fresh process can run pages/<name>.py straight from its URL.
    """
    user = state.current_user()
    if user is None:
        # After logging in here, go through app.py so the shared filters and navigation are set up.
        login_page(on_success=lambda: st.switch_page("app.py"))
        st.stop()
    if roles is not None and user.scope.role not in roles:
        st.error(t("login.forbidden"))
        st.stop()
