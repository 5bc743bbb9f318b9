"""The Data page's list of import batches: who imported what and when, the rows each one skipped, and undo."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from data_layer.importers.registry import KINDS
from data_layer.queries import admin as admin_q
from ui import state
from ui.formatting import fmt_datetime, fmt_int
from ui.i18n import current_language, t
from ui.import_common import kind_label, show_flash, undo_controls


def _when(ts, lang: str) -> str:
    return "" if ts is None or ts != ts else fmt_datetime(ts, lang)


def render_batches(*, can_edit: bool) -> None:
    """The batch table for roles that may list imports; rejected rows and undo for those that may edit them."""
    lang = current_language()
    show_flash("batches")
    batches = state.query(admin_q.import_batches)
    if batches.empty:
        st.caption(t("data.batches_none"))
        return
    organisations = state.organisation_names()
    columns = {  # header: (values, width in px); the widths fit the table beside the sidebar on a laptop
        t("data.col_batch"): (batches["id"].astype(int), 50),
        t("col.when"): (batches["created_at"].map(lambda ts: _when(ts, lang)), 130),
        t("col.source_kind"): (batches["source_kind"].map(kind_label), 140),
        t("col.source"): (batches["org_code"].map(lambda c: organisations.get(c, c) if isinstance(c, str) else "–"),
                          120),
        t("col.file"): (batches["file_name"].fillna("–"), 160),
        t("data.col_accepted"): (batches["rows_accepted"].astype(int), 75),
        t("data.col_rejected"): (batches["rows_rejected"].astype(int), 80),
        t("col.user"): (batches["username"].fillna("–"), 105),
        t("col.undone"): (batches["undone_at"].map(lambda ts: _when(ts, lang)), 120),
    }
    numbers = {t("data.col_accepted"), t("data.col_rejected")}
    st.container(key="batches").dataframe(
        pd.DataFrame({header: values for header, (values, _) in columns.items()}), hide_index=True,
        key="batches_grid", column_config={
            header: (st.column_config.NumberColumn(width=width, format="localized") if header in numbers
                     else st.column_config.Column(width=width)) for header, (_, width) in columns.items()})
    if state.scope().can("import", "read_detail"):
        _rejections(batches, lang)
    if can_edit:
        _undo(batches, lang)


def _describe(batches: pd.DataFrame, lang: str):
    rows = batches.set_index("id")

    def describe(batch_id: int) -> str:
        b = rows.loc[batch_id]
        return t("import.batch_option", batch=batch_id, file=b["file_name"] or "–",
                 when=_when(b["created_at"], lang), n=fmt_int(b["rows_accepted"], lang))
    return describe


def _rejections(batches: pd.DataFrame, lang: str) -> None:
    with_rejections = [int(i) for i in batches.loc[batches["rows_rejected"] > 0, "id"]]
    if not with_rejections:
        return
    st.markdown(f"**{t('import.rejections_heading')}**")
    batch_id = st.selectbox(t("import.rejections_choose"), with_rejections, index=None,
                            format_func=_describe(batches, lang), key="batch_rejections_choice",
                            placeholder=t("import.choose"))
    if batch_id is None:
        return
    rows = state.query(admin_q.batch_rejections, batch_id=int(batch_id))
    st.container(key="batch_rejections").dataframe(pd.DataFrame({
        t("import.col_row"): [t("import.whole_file") if r is None or r != r else str(int(r)) for r in rows["row"]],
        t("import.col_column"): rows["column"].fillna("–"),
        t("import.col_reason"): rows["reason"].fillna("–"),
    }), hide_index=True, key="batch_rejections_grid")


def _undo(batches: pd.DataFrame, lang: str) -> None:
    undoable = {code for code, kind in KINDS.items() if kind.undoable}
    candidates = batches[batches["undone_at"].isna() & batches["source_kind"].isin(undoable)]
    st.markdown(f"**{t('import.undo_heading')}**")
    if candidates.empty:
        st.caption(t("import.undo_none"))
        return
    st.caption(t("import.undo_help"))
    batch_id = st.selectbox(t("import.undo_choose"), [int(i) for i in candidates["id"]], index=None,
                            format_func=_describe(batches, lang), key="batch_undo_choice",
                            placeholder=t("import.choose"))
    if batch_id is not None:
        row = candidates.set_index("id").loc[batch_id]
        undo_controls(int(batch_id), kind=row["source_kind"], file_name=row["file_name"],
                      rows=int(row["rows_accepted"]),
                      key=f"batch_undo_{batch_id}", where="batches")
