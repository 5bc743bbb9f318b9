"""The editable table of how each source's own types land in our categories (the original type is always kept).

Saving calls `mappings.set_mapping` for each changed row, which also re-files the incidents already imported
with that type; types seen in the store but missing from the table show as "Övrigt" and can be mapped too.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from data_layer.importers.mappings import DEFAULTS, FALLBACK_CATEGORY, list_mappings, set_mapping
from data_layer.queries import admin as admin_q
from ui import state
from ui.formatting import fmt_int
from ui.i18n import current_language, t
from ui.import_common import counted, flash, kind_label, record_audit, show_flash

VERSION_KEY = "mapping_version"  # bumped after a save, so the editor starts from the saved table


def mapping_table(engine: Engine, source_kind: str) -> pd.DataFrame:
    """source_type, category_code, incidents, edited: the stored mapping plus every type the store has seen."""
    stored = pd.DataFrame(list_mappings(engine, source_kind=source_kind),
                          columns=["source_kind", "source_type", "category_code", "edited"])
    seen = state.query(admin_q.source_type_counts, source_kind=source_kind)
    table = stored.drop(columns="source_kind").merge(seen, on="source_type", how="outer")
    table["category_code"] = table["category_code"].fillna(FALLBACK_CATEGORY)
    table["edited"] = table["edited"].fillna(False).astype(bool)
    table["incidents"] = table["incidents"].fillna(0).astype(int)
    return (table.sort_values(["incidents", "source_type"], ascending=[False, True])
            .reset_index(drop=True)[["source_type", "category_code", "incidents", "edited"]])


def changed_rows(before: pd.DataFrame, after: pd.DataFrame) -> list[tuple[str, str]]:
    """[(source type, new category code)] for every row whose category the editor changed."""
    merged = before[["source_type", "category_code"]].merge(after[["source_type", "category_code"]],
                                                            on="source_type", suffixes=("_old", "_new"))
    changed = merged[merged["category_code_old"] != merged["category_code_new"]]
    return [(str(r.source_type), str(r.category_code_new)) for r in changed.itertuples() if r.category_code_new]


def save_mappings(engine: Engine, source_kind: str, changes: list[tuple[str, str]]) -> int:
    """Store each change (re-filing imported incidents); return how many incidents moved category."""
    return sum(set_mapping(engine, source_kind=source_kind, source_type=source_type, category_code=code)
               for source_type, code in changes)


def render_mappings() -> None:
    """Choose a source, edit its types' categories in a table, save."""
    lang = current_language()
    engine = state.engine()
    show_flash("mappings")
    kinds = list(dict.fromkeys([*DEFAULTS, *(m["source_kind"] for m in list_mappings(engine))]))
    kind = st.selectbox(t("import.map_source"), kinds, format_func=kind_label, key="mapping_kind")
    table = mapping_table(engine, kind)
    st.caption(t("import.map_help", n=fmt_int(len(table), lang)))
    labels = state.category_labels(lang)
    version = st.session_state.get(VERSION_KEY, 0)
    with st.form(f"mapping_form_{kind}", border=False):
        edited = st.data_editor(
            table, hide_index=True, num_rows="fixed", key=f"mapping_editor_{kind}_{version}", height=560,
            disabled=["source_type", "incidents", "edited"],
            column_config={
                "source_type": st.column_config.TextColumn(t("import.map_col_type"),
                                                           help=t("import.map_col_type_help")),
                "category_code": st.column_config.SelectboxColumn(
                    t("import.map_col_category"), options=list(labels), format_func=lambda c: labels.get(c, c),
                    required=True, help=t("import.map_col_category_help")),
                "incidents": st.column_config.NumberColumn(t("import.map_col_incidents"), format="localized",
                                                           help=t("import.map_col_incidents_help")),
                "edited": st.column_config.CheckboxColumn(t("import.map_col_edited"),
                                                          help=t("import.map_col_edited_help")),
            })
        submitted = st.form_submit_button(t("import.map_save"), type="primary", key="mapping_save")
    if not submitted:
        return
    changes = changed_rows(table, edited)
    if not changes:
        st.info(t("import.map_no_changes"))
        return
    moved = save_mappings(engine, kind, changes)
    for source_type, code in changes:
        record_audit("edit", object_type="category_mapping", object_id=f"{kind}:{source_type}"[:64],
                     detail=f"-> {code}")
    st.session_state[VERSION_KEY] = version + 1
    flash("success", t("import.map_saved", types=counted("types", len(changes), lang),
                       incidents=counted("incidents", moved, lang)), where="mappings")
