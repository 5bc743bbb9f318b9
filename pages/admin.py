"""Admin: accounts, the permission matrix, and the audit log (admins; samordnare see it read-only)."""
from __future__ import annotations

import streamlit as st

from data_layer.permissions import MATRIX, OPERATIONS, RESOURCES
from data_layer.queries import admin as q
from ui import state
from ui.formatting import fmt_datetime
from ui.i18n import current_language, t
from ui.auth import require_login

require_login(roles=("admin", "samordnare"))

lang = current_language()
scope = state.scope()
st.title(t("admin.title"))
if scope.role != "admin":
    st.info(t("admin.read_only"))

st.subheader(t("admin.users"))
users = state.query(q.users_list)
if users.empty:
    st.caption(t("admin.users_not_allowed"))
else:
    st.dataframe(users.assign(
        role_text=users["role"].map(lambda r: t(f"role.{r}")),
        active_text=users["active"].map(lambda a: t("common.yes") if a else t("common.no")),
        locked=users["locked_until"].map(lambda ts: "" if ts is None or ts != ts else fmt_datetime(ts, lang)),
    )[["username", "display_name", "org_name", "role_text", "active_text", "locked"]].rename(columns={
        "username": t("col.username"), "display_name": t("col.name"), "org_name": t("col.organisation"),
        "role_text": t("col.role"), "active_text": t("col.active"), "locked": t("col.locked")}),
        hide_index=True, key="users_table")

st.subheader(t("admin.matrix"))
st.caption(t("admin.matrix_caption"))
resource = st.selectbox(t("admin.resource"), RESOURCES, format_func=lambda r: t(f"resource.{r}"),
                        key="matrix_resource")
matrix = {t(f"role.{role}"): [t("common.yes") if op in MATRIX[role].get(resource, ()) else "–"
                              for op in OPERATIONS] for role in MATRIX}
st.dataframe({t("col.operation"): [t(f"operation.{op}") for op in OPERATIONS], **matrix}, hide_index=True,
             key="matrix_table")

st.subheader(t("admin.audit"))
if not scope.can("audit", "list"):
    st.caption(t("admin.audit_not_allowed"))
else:
    log = state.query(q.audit_log, limit=200)
    st.caption(t("admin.audit_caption", n=len(log)))
    st.dataframe(log.assign(when=log["at"].map(lambda ts: fmt_datetime(ts, lang)),
                            event_text=log["event"].map(lambda e: t(f"audit.{e}", default=e)))[
        ["when", "username", "event_text", "object_type", "object_id", "detail"]].rename(columns={
            "when": t("col.when"), "username": t("col.user"), "event_text": t("col.event"),
            "object_type": t("col.object_type"), "object_id": t("col.object_id"), "detail": t("col.detail")}),
        hide_index=True, key="audit_table")
