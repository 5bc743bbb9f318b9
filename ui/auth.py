"""Login in the main area (local accounts, and single sign-on through st.login when [auth] is configured), logout
and the own password change in the sidebar; the AuthenticatedUser lives in st.session_state."""
from __future__ import annotations

import streamlit as st

from data_layer import audit
from data_layer.accounts import MIN_PASSWORD_LENGTH, change_own_password
from data_layer.db import session_scope
from data_layer.users import UserError, authenticate, authenticate_identity, still_valid
from ui import state
from ui.formatting import escape_markdown
from ui.i18n import t

_SSO_REFUSED = "_sso_refused_subject"  # the identity already refused (and audited) in this session
_SESSION_ENDED = "_auth_session_ended"


def sso_configured() -> bool:
    """True when secrets.toml has an [auth] section (st.login's settings); False without secrets at all."""
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file, or an unreadable one, means no single sign-on
        return False


def _sso_identity() -> tuple[str, str] | None:
    """(subject, e-mail) of the identity provider's logged-in user, or None."""
    if not sso_configured() or not st.user.get("is_logged_in"):
        return None
    return str(st.user.get("sub") or ""), str(st.user.get("email") or "")


def _sso_section(on_success) -> bool:
    """The single sign-on button, or the outcome of a returned sign-on; True when the page should show no more."""
    identity = _sso_identity()
    if identity is None:
        if st.button(t("login.sso"), key="login_sso", type="primary", icon=":material/domain:"):
            st.login()
        st.caption(t("login.or_local"))
        return False
    subject, email = identity
    if st.session_state.get(_SSO_REFUSED) != subject:  # audit a refusal once, not on every rerun
        user = authenticate_identity(state.engine(), subject=subject, email=email)
        if user is not None:
            st.session_state[state.USER_KEY] = user
            (on_success or st.rerun)()
            return True
        st.session_state[_SSO_REFUSED] = subject
    st.error(t("login.sso_unknown", who=escape_markdown(email or subject)))  # the IdP's text, never markup
    if st.button(t("auth.logout"), key="sso_logout"):
        st.session_state.pop(_SSO_REFUSED, None)
        st.logout()
    return True


def login_page(*, on_success=None) -> None:
    """The login form (keys login_username, login_password, login_submit), below a single sign-on button (key
    login_sso) when [auth] is configured; on success, rerun into the app."""
    st.title(t("app.title"))
    st.write(t("login.intro"))
    if st.session_state.pop(_SESSION_ENDED, False):
        st.warning(t("login.session_ended"))
    if sso_configured() and _sso_section(on_success):
        return
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
    """Who is logged in, a logout button and the own password change, in the sidebar (app.py calls it every run).

    It also ends a session whose account was deactivated or given another role since logging in: the session's
    scope was fixed at login.
    """
    user = state.current_user()
    if user is None:
        return
    if not still_valid(state.engine(), user_id=user.scope.user_id, role=user.scope.role):
        st.session_state.pop(state.USER_KEY, None)
        st.session_state[_SESSION_ENDED] = True
        st.rerun()
    st.sidebar.caption(t("auth.signed_in_as", name=user.display_name, org=user.organisation_name,
                         role=t(f"role.{user.scope.role}")))
    if st.sidebar.button(t("auth.logout"), key="logout"):
        with session_scope(state.engine()) as session:
            audit.record(session, event="logout", user_id=user.scope.user_id, username=user.username,
                         organisation_id=user.scope.organisation_id)
        st.session_state.pop(state.USER_KEY, None)
        if _sso_identity() is not None:
            st.logout()  # else the identity provider's cookie would log the user straight back in
        st.rerun()
    if user.has_password:
        _own_password_form(user)


def _own_password_form(user) -> None:
    """"Byt lösenord": current password, the new one twice (keys own_password_*)."""
    with st.sidebar.expander(t("auth.change_password"), icon=":material/key:"):
        with st.form("own_password_form", clear_on_submit=True):
            current = st.text_input(t("auth.current_password"), type="password", key="own_password_current",
                                    autocomplete="current-password")
            new = st.text_input(t("auth.new_password", n=MIN_PASSWORD_LENGTH), type="password",
                                key="own_password_new", autocomplete="new-password")
            again = st.text_input(t("auth.repeat_password"), type="password", key="own_password_again",
                                  autocomplete="new-password")
            submitted = st.form_submit_button(t("auth.password_submit"), key="own_password_submit")
        if not submitted:
            return
        if new != again:
            st.error(t("auth.password_mismatch"))
            return
        try:
            change_own_password(state.engine(), scope=user.scope, current=current or "", new=new or "")
        except UserError as exc:
            st.error(str(exc))
            return
        st.success(t("auth.password_changed"))


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
