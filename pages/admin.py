"""Admin: accounts and their management, the permission matrix, and the audit log (admins; samordnare read-only)."""
from __future__ import annotations

import streamlit as st

from ui import admin_retention
from ui import admin_view as view
from ui import state
from ui.auth import require_login
from ui.i18n import current_language, t

require_login(roles=("admin", "samordnare"))

lang = current_language()
scope = state.scope()
st.title(t("admin.title"))
view.show_flash()
if not scope.can("user", "administer"):
    st.info(t("admin.read_only"))

users = view.load_users(scope)
view.users_table(users, lang)
if scope.can("user", "administer"):
    view.create_form(scope)
    view.manage_section(users, scope, lang)
view.matrix_section()
view.audit_section(scope, users, lang)
admin_retention.render()  # retention rules and what is due; reports with personal data to mask
