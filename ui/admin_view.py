"""The Admin page's sections: the accounts table, account management (admins only), the permission matrix and the
filterable audit log.

Users and the audit log are read uncached: logins and lockouts write them without bumping the store's data version,
and both are small. Every write goes through data_layer/accounts.py, which checks the admin right and audits.
"""
from __future__ import annotations

from datetime import date, datetime, timezone

import pandas as pd
import streamlit as st

from data_layer import accounts
from data_layer.audit import AUDIT_EVENTS
from data_layer.models import ROLES
from data_layer.permissions import MATRIX, OPERATIONS, RESOURCES
from data_layer.queries import admin as q
from data_layer.scope import Scope
from data_layer.users import UserError
from ui import state
from ui.formatting import fmt_datetime
from ui.i18n import t

FLASH_KEY = "_admin_flash"
CREATE_FIELDS = ("new_user_username", "new_user_display_name", "new_user_email", "new_user_password",
                 "new_user_password_again")
MANAGE_FIELDS = ("manage_role", "manage_password")


def show_flash() -> None:
    """Show (once) the success message the previous run left before it reran."""
    message = st.session_state.pop(FLASH_KEY, None)
    if message:
        st.success(message)


def _done(message: str, clear: tuple[str, ...] = ()) -> None:
    """After a write: new data version, empty the form's fields, rerun and show `message` at the top."""
    for key in clear:
        st.session_state.pop(key, None)
    st.session_state[FLASH_KEY] = message
    state.start_run()
    st.rerun()


def load_users(scope: Scope) -> pd.DataFrame:
    """Every account the scope may list (uncached: lockouts change it without a data version bump)."""
    return q.users_list(state.engine(), scope=scope)


def _locked(ts) -> bool:
    return ts is not None and ts == ts and pd.Timestamp(ts) > pd.Timestamp(datetime.now(timezone.utc))


def users_table(users: pd.DataFrame, lang: str) -> None:
    """The accounts table (key users_table); never hashes."""
    st.subheader(t("admin.users"))
    if users.empty:
        st.caption(t("admin.users_not_allowed"))
        return
    yes_no = lambda v: t("common.yes") if v else t("common.no")  # noqa: E731
    st.dataframe(users.assign(
        role_text=users["role"].map(lambda r: t(f"role.{r}")),
        active_text=users["active"].map(yes_no),
        locked=users["locked_until"].map(lambda ts: fmt_datetime(ts, lang) if _locked(ts) else ""),
        email_text=users["email"].fillna(""),
        sso_text=users["sso"].map(yes_no),
    )[["username", "display_name", "org_name", "role_text", "active_text", "locked", "email_text", "sso_text"]].rename(
        columns={"username": t("col.username"), "display_name": t("col.name"), "org_name": t("col.organisation"),
                 "role_text": t("col.role"), "active_text": t("col.active"), "locked": t("col.locked"),
                 "email_text": t("col.email"), "sso_text": t("col.sso")}),
        hide_index=True, key="users_table")


def create_form(scope: Scope) -> None:
    """The form that creates a local account (admins only)."""
    orgs = state.organisations()
    names = dict(zip(orgs["code"], orgs["name"]))
    n = accounts.MIN_PASSWORD_LENGTH
    with st.expander(t("admin.create"), icon=":material/person_add:"):
        with st.form("new_user_form"):
            left, right = st.columns(2)
            username = left.text_input(t("col.username"), key="new_user_username", max_chars=100)
            display_name = right.text_input(t("admin.display_name"), key="new_user_display_name", max_chars=200)
            org = left.selectbox(t("admin.organisation"), list(names), format_func=lambda c: names.get(c, c),
                                 key="new_user_org")
            role = right.selectbox(t("admin.role"), ROLES, index=ROLES.index("medlem"),
                                   format_func=lambda r: t(f"role.{r}"), key="new_user_role")
            email = st.text_input(t("admin.email"), key="new_user_email", max_chars=255)
            password = left.text_input(t("admin.initial_password", n=n), type="password", key="new_user_password",
                                       autocomplete="new-password")
            again = right.text_input(t("admin.repeat_password"), type="password", key="new_user_password_again",
                                     autocomplete="new-password")
            submitted = st.form_submit_button(t("admin.create_submit"), key="new_user_submit", type="primary")
        if submitted:
            if password != again:
                st.error(t("auth.password_mismatch"))
                return
            try:
                accounts.create_user(state.engine(), scope=scope, organisation_code=org, role=role,
                                     username=username, display_name=display_name, email=email, password=password)
            except UserError as exc:
                st.error(str(exc))
                return
            _done(t("admin.created", username=username.strip()), CREATE_FIELDS)


def _forget_manage_fields() -> None:
    # another user chosen: the role picker and password field start from that user's facts
    for key in MANAGE_FIELDS:
        st.session_state.pop(key, None)


def manage_section(users: pd.DataFrame, scope: Scope, lang: str) -> None:
    """Change role, deactivate or reactivate, unlock and reset the password of the user chosen in a selectbox."""
    if users.empty:
        return
    st.subheader(t("admin.manage"))
    by_id = users.set_index("id")
    ids = [int(i) for i in users["id"]]
    user_id = st.selectbox(t("admin.choose_user"), ids, key="manage_user", on_change=_forget_manage_fields,
                           format_func=lambda i: f"{by_id.at[i, 'username']} ({by_id.at[i, 'display_name']})")
    row = by_id.loc[user_id]
    name = str(row["username"])
    if _locked(row["locked_until"]):
        account_state = t("admin.state_locked", when=fmt_datetime(row["locked_until"], lang))
    else:
        account_state = t("admin.state_active") if row["active"] else t("admin.state_inactive")
    st.caption(t("admin.status", username=name, role=t(f"role.{row['role']}"), state=account_state))
    engine = state.engine()

    def attempt(write, message: str, clear: tuple[str, ...] = ()) -> None:
        try:
            write()
        except UserError as exc:
            st.error(str(exc))
            return
        _done(message, clear)

    role_col, active_col, unlock_col = st.columns([2, 1, 1], vertical_alignment="bottom")
    new_role = role_col.selectbox(t("admin.new_role"), ROLES, index=ROLES.index(row["role"]),
                                  format_func=lambda r: t(f"role.{r}"), key="manage_role")
    if role_col.button(t("admin.change_role"), key="manage_role_submit"):
        attempt(lambda: accounts.change_role(engine, scope=scope, user_id=user_id, role=new_role),
                t("admin.role_changed", username=name, role=t(f"role.{new_role}")))
    if row["active"]:
        if active_col.button(t("admin.deactivate"), key="manage_deactivate"):
            attempt(lambda: accounts.set_active(engine, scope=scope, user_id=user_id, active=False),
                    t("admin.deactivated", username=name))
    elif active_col.button(t("admin.reactivate"), key="manage_reactivate"):
        attempt(lambda: accounts.set_active(engine, scope=scope, user_id=user_id, active=True),
                t("admin.reactivated", username=name))
    if unlock_col.button(t("admin.unlock"), key="manage_unlock", help=t("admin.unlock_help")):
        attempt(lambda: accounts.unlock(engine, scope=scope, user_id=user_id), t("admin.unlocked", username=name))

    with st.form("manage_password_form"):
        password = st.text_input(t("admin.reset_password", n=accounts.MIN_PASSWORD_LENGTH), type="password",
                                 key="manage_password", autocomplete="new-password")
        reset = st.form_submit_button(t("admin.reset_submit"), key="manage_password_submit")
    if reset:
        attempt(lambda: accounts.reset_password(engine, scope=scope, user_id=user_id, password=password),
                t("admin.password_reset", username=name), ("manage_password",))


def matrix_section() -> None:
    """The permission matrix for the chosen resource (keys matrix_resource, matrix_table)."""
    st.subheader(t("admin.matrix"))
    st.caption(t("admin.matrix_caption"))
    resource = st.selectbox(t("admin.resource"), RESOURCES, format_func=lambda r: t(f"resource.{r}"),
                            key="matrix_resource")
    matrix = {t(f"role.{role}"): [t("common.yes") if op in MATRIX[role].get(resource, ()) else "–"
                                  for op in OPERATIONS] for role in MATRIX}
    st.dataframe({t("col.operation"): [t(f"operation.{op}") for op in OPERATIONS], **matrix}, hide_index=True,
                 key="matrix_table")


def _audit_filters(users: pd.DataFrame) -> dict:
    """The audit filters (keys audit_user, audit_event, audit_dates) as audit_log keyword arguments."""
    all_text = t("admin.audit_all")
    user_col, event_col, date_col = st.columns(3)
    names = [""] + sorted(users["username"]) if not users.empty else [""]
    username = user_col.selectbox(t("admin.audit_user"), names, format_func=lambda u: u or all_text,
                                  key="audit_user")
    event = event_col.selectbox(t("admin.audit_event"), ("",) + AUDIT_EVENTS,
                                format_func=lambda e: t(f"audit.{e}") if e else all_text, key="audit_event")
    dates = date_col.date_input(t("admin.audit_dates"), value=(), format="YYYY-MM-DD", key="audit_dates")
    dates = tuple(d for d in (dates if isinstance(dates, (tuple, list)) else (dates,)) if isinstance(d, date))
    # one day picked (a range in progress) means that day
    return {"username": username or None, "event": event or None,
            "date_from": dates[0] if dates else None, "date_to": dates[-1] if dates else None}


def audit_section(scope: Scope, users: pd.DataFrame, lang: str) -> None:
    """The latest audit rows matching the filters (key audit_table); read-only by design."""
    st.subheader(t("admin.audit"))
    if not scope.can("audit", "list"):
        st.caption(t("admin.audit_not_allowed"))
        return
    st.info(t("admin.audit_read_only"), icon=":material/lock:")
    filters = _audit_filters(users)
    log = q.audit_log(state.engine(), scope=scope, limit=200, **filters)
    st.caption(t("admin.audit_caption", n=len(log)))
    st.dataframe(log.assign(when=log["at"].map(lambda ts: fmt_datetime(ts, lang)),
                            event_text=log["event"].map(lambda e: t(f"audit.{e}", default=e)))[
        ["when", "username", "event_text", "object_type", "object_id", "detail"]].rename(columns={
            "when": t("col.when"), "username": t("col.user"), "event_text": t("col.event"),
            "object_type": t("col.object_type"), "object_id": t("col.object_id"), "detail": t("col.detail")}),
        hide_index=True, key="audit_table")
