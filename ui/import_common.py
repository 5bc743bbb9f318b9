"""Shared pieces of the Data page's import tools: kind labels, the audit trail of writes, and undo with confirmation."""
from __future__ import annotations

import streamlit as st

from data_layer import audit
from data_layer.db import session_scope
from data_layer.importers.common import UndoRefused, undo_batch
from data_layer.importers.registry import KINDS
from ui import state
from ui.formatting import escape_markdown, fmt_int
from ui.i18n import current_language, t

FLASH_KEY = "import_flash"  # a message that survives the st.rerun() after a write
DONE_KEY = "import_done"  # the wizard's last import (its receipt, with an undo button)


def kind_label(code: str | None) -> str:
    """The Swedish label of an import kind ("Polisens händelser (JSON)"), or the code itself for other batches."""
    if code in KINDS:
        return KINDS[code].label_sv
    return t(f"import.kind_other.{code}", default=code or "–")


def counted(noun: str, n: int, lang: str | None = None) -> str:
    """ "1 rad", "12 rader" (noun: rows, incidents, types), with the number grouped as Swedes write it."""
    lang = lang or current_language()
    return t(f"import.n_{noun}_one" if int(n) == 1 else f"import.n_{noun}", n=fmt_int(n, lang))


def record_audit(event: str, *, object_type: str, object_id: str | int | None = None,
                 detail: str | None = None) -> None:
    """One audit row for a write done from the Data page, attributed to the logged-in user."""
    user = state.current_user()
    with session_scope(state.engine()) as session:
        audit.record(session, event=event, user_id=user.scope.user_id if user else None,
                     username=user.username if user else None,
                     organisation_id=user.scope.organisation_id if user else None,
                     object_type=object_type, object_id=object_id, detail=detail)


def flash(kind: str, text: str, *, where: str) -> None:
    """Keep a message for section `where` (shown there by show_flash on the next run) and rerun, so every count on
    the page reads the new data version."""
    st.session_state[f"{FLASH_KEY}_{where}"] = (kind, text)
    st.rerun()


def show_flash(where: str) -> None:
    """Show (once) the message a write in section `where` left before its rerun."""
    kind, text = st.session_state.pop(f"{FLASH_KEY}_{where}", (None, None))
    if kind:
        getattr(st, kind)(text)


def undo_controls(batch_id: int, *, kind: str, file_name: str | None, rows: int, key: str, where: str) -> None:
    """An "Ångra" button that asks for confirmation, then removes the batch's rows in one transaction."""
    lang = current_language()
    noun = "results" if kind == "survey" else "incidents"
    pending = f"{key}_pending"
    if not st.session_state.get(pending):
        if st.button(t("import.undo", batch=batch_id), key=key, icon=":material/undo:"):
            st.session_state[pending] = True
            st.rerun()
        return
    st.warning(t("import.undo_confirm", batch=batch_id, file=escape_markdown(file_name or "–"),
                 what=counted(noun, rows, lang)))
    answer = st.container(horizontal=True)
    yes = answer.button(t("import.undo_yes", what=counted(noun, rows, lang)), key=f"{key}_yes", type="primary")
    if answer.button(t("import.undo_cancel"), key=f"{key}_cancel"):
        st.session_state.pop(pending, None)
        st.rerun()
    if yes:
        st.session_state.pop(pending, None)
        try:
            deleted = undo_batch(state.engine(), batch_id)
        except UndoRefused as exc:
            st.error(str(exc))
            return
        record_audit("edit", object_type="import_batch", object_id=batch_id, detail=f"ångrad: {deleted} rader")
        done = st.session_state.get(DONE_KEY)
        if getattr(done, "batch_id", None) == batch_id:  # the wizard's receipt would offer the undone batch again
            st.session_state.pop(DONE_KEY, None)
        flash("success", t("import.undone", batch=batch_id, what=counted(noun, deleted, lang)), where=where)
