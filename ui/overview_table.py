"""The overview's comparison table (one row per area × category, each comparison one cell: the count compared with,
the verdict, the adjusted p-value; only significant cells coloured) and its drill-down into the incidents behind a
row, with a CSV export of exactly those rows."""
from __future__ import annotations

import io

import pandas as pd
import streamlit as st

from analysis.change import DECREASE, INCREASE, NORMAL
from analysis.comparison import COMPARISONS
from analysis.privacy import HIDDEN as HIDDEN_TEXT
from data_layer import audit
from data_layer.exports import safe_cell, safe_frame
from data_layer.db import session_scope
from data_layer.overview_suppression import HIDDEN
from data_layer.queries import comparison as cq
from data_layer.queries.filters import IncidentFilter
from data_layer.scope import Scope
from ui import export_notes, state
from ui.formatting import fmt_datetime, fmt_decimal, fmt_int
from ui.i18n import t
from ui.overview_text import cell_names, range_year, verdict
from ui.tables import FLAG_STYLES

# comparison -> (heading key, the column it is compared with, decimals)
COMPARISON_COLUMNS = {"previous": ("col.previous", "previous", 0),
                      "baseline": ("overview.col_baseline", "baseline_mean", 1),
                      "ytd": ("overview.col_ytd_previous", "ytd_previous", 0)}


def ordered(table: pd.DataFrame) -> pd.DataFrame:
    """Rows with a clear change in the period first (largest first, as the headlines), then those clear only for
    the year so far, then the rest by count in the period."""
    def clear(name):
        return table[f"flag_{name}"].isin([INCREASE, DECREASE]) if f"flag_{name}" in table else \
            pd.Series(False, index=table.index)

    def size(names):
        cols = [table[f"excess_{n}"].abs().where(clear(n)) for n in names]
        return pd.concat(cols, axis=1).max(axis=1).fillna(0.0)

    period, ytd = clear("previous") | clear("baseline"), clear("ytd")
    group = [0 if p else 1 if y else 2 for p, y in zip(period, ytd)]
    key = size(("previous", "baseline")).where(period, size(("ytd",)))
    keyed = table.assign(_group=group, _size=key.where(pd.Series(group, index=table.index) < 2,
                                                       table["current"].astype("float64")))
    return (keyed.sort_values(["_group", "_size"], ascending=[True, False], kind="stable")
            .drop(columns=["_group", "_size"]).reset_index(drop=True))


def table_frame(table: pd.DataFrame, labels: dict[str, str], lang: str, *,
                by_source: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the rows in shown order with their codes and flags, the frame shown with Swedish headings)."""
    rows = ordered(table)
    shown = pd.DataFrame({
        t("col.area"): [a if isinstance(a, str) else t("common.unknown_area") for a in rows["area_name"]],
        t("col.category"): rows["category_code"].map(labels).fillna(rows["category_code"]),
    })
    if by_source:
        shown[t("col.source")] = rows["source_name"]
    shown[t("col.current")] = rows["current"].astype("Int64")  # <NA> (shown "–") where hidden from the role
    shown[t("overview.col_rate")] = rows["rate"]
    for name, (heading, reference, digits) in COMPARISON_COLUMNS.items():
        flags = rows[f"flag_{name}"] if f"flag_{name}" in rows else pd.Series("n/a", index=rows.index)
        qs = rows[f"q_{name}"] if f"q_{name}" in rows else pd.Series(float("nan"), index=rows.index)
        if name == "ytd":
            shown[t("overview.col_ytd")] = rows["ytd"].astype("Int64")
        shown[t(heading)] = [_comparison_text(r, f, q, digits, lang) for r, f, q in zip(rows[reference], flags, qs)]
    return rows, shown


def _comparison_text(reference, flag: str, q, digits: int, lang: str) -> str:
    """'count · verdict'; a hidden count reads "–" and a comparison built on a hidden count has no verdict."""
    value = HIDDEN_TEXT if pd.isna(reference) else fmt_decimal(float(reference), digits, lang)
    return value if flag == HIDDEN else f"{value} · {verdict(flag, q, lang)}"


def column_config(shown: pd.DataFrame) -> dict:
    """Widths that let the whole table fit a desktop screen (numbers narrow, comparisons as wide as their text), and
    a tooltip on each heading that says what the column counts."""
    comparisons = {t(heading): t(f"overview.help_{name}") for name, (heading, _, _) in COMPARISON_COLUMNS.items()}
    helps = {t("col.current"): t("overview.help_current"), t("overview.col_rate"): t("overview.help_rate"),
             t("overview.col_ytd"): t("overview.help_ytd_count")}
    config = {}
    for col in shown.columns:
        if col in comparisons:
            config[col] = st.column_config.TextColumn(col, width=150, help=comparisons[col])
        elif pd.api.types.is_numeric_dtype(shown[col]):
            config[col] = st.column_config.Column(col, width=64, help=helps.get(col))
        else:  # area, category, source names: wide enough for the longest category label
            config[col] = st.column_config.TextColumn(col, width=180 if col == t("col.category") else 110)
    return config


def styled(rows: pd.DataFrame, shown: pd.DataFrame, lang: str):
    """Colour only the comparison cells of significant changes (the cell's text says the same); Swedish decimals."""
    flag_of = {t(heading): f"flag_{name}" for name, (heading, _, _) in COMPARISON_COLUMNS.items()}

    def colour(column):
        flags = rows[flag_of[column.name]] if flag_of[column.name] in rows else [NORMAL] * len(rows)
        return [FLAG_STYLES.get(f, "") for f in flags]

    counts = [c for c in (t("col.current"), t("overview.col_ytd")) if c in shown]
    return (shown.style.apply(colour, axis=0, subset=list(flag_of))
            .format({t("overview.col_rate"): lambda x: fmt_decimal(x, 1, lang)}, na_rep="–")
            .format(na_rep=HIDDEN_TEXT, subset=counts))


def incident_rows(rows: pd.DataFrame, labels: dict[str, str], org_names: dict[str, str], lang: str) -> pd.DataFrame:
    """The drill-down rows with readable values: time in Stockholm, category label, source name, location words."""
    return pd.DataFrame({
        "id": rows["id"].astype("int64"),
        t("col.date"): rows["occurred_date"].astype(str),
        t("col.when"): [fmt_datetime(ts, lang) for ts in rows["occurred_at"]],
        t("col.category"): rows["category_code"].map(labels).fillna(rows["category_code"]),
        t("col.area"): rows["area_name"],
        t("col.source"): [org_names.get(c, c) for c in rows["source_org"]],
        t("overview.col_precision"): rows["location_precision"].map(lambda p: t(f"overview.precision_{p}", default=p)),
        "lat": rows["lat"], "lon": rows["lon"],
        t("col.description"): rows["description"],
        t("overview.col_assessment"): pd.array(rows["assessment"], dtype="Int64"),
        t("overview.col_sensitive"): rows["sensitive"].map(lambda v: t("common.yes") if v else t("common.no")),
    })


def incidents_csv(rows: pd.DataFrame, labels: dict[str, str], org_names: dict[str, str], lang: str,
                  notes: list[str] = ()) -> bytes:
    """The drill-down rows as a semicolon CSV for Excel (UTF-8 with BOM, decimal comma), formula-like cells escaped,
    then `notes` (period, filter, suppression) one per row after an empty row."""
    out = safe_frame(incident_rows(rows, labels, org_names, lang))
    buffer = io.StringIO()
    out.to_csv(buffer, sep=";", decimal=",", index=False)
    if notes:
        buffer.write("\n")
        pd.DataFrame({"": [safe_cell(n) for n in notes]}).to_csv(buffer, sep=";", index=False, header=False)
    return buffer.getvalue().encode("utf-8-sig")


def _audit(event: str, detail: str, *, user=None, engine=None) -> None:
    """One audit row for `user` (default: the logged-in one; structured facts only, never free text)."""
    user = user if user is not None else state.current_user()
    with session_scope(engine if engine is not None else state.engine()) as session:
        audit.record(session, event=event, user_id=user.scope.user_id if user else None,
                     username=user.username if user else None,
                     organisation_id=user.scope.organisation_id if user else None, object_type="incident",
                     detail=detail)


def _export(rows: pd.DataFrame, labels: dict[str, str], org_names: dict[str, str], lang: str, what: str,
            notes: list[str] = ()):
    """The download's data callable: builds the CSV when clicked and writes the export to the audit trail. The user
    and engine are taken now: the callable runs outside the script run, where session state is not reachable."""
    user, engine = state.current_user(), state.engine()

    def build() -> bytes:
        _audit("export", f"overview drill-down: {what}; rows={len(rows)}", user=user, engine=engine)
        return incidents_csv(rows, labels, org_names, lang, notes)
    return build


def drilldown(row, *, flt: IncidentFilter, scope: Scope, labels: dict[str, str], lang: str) -> None:
    """The incidents behind one table row, as far as the user's role may see them, with a CSV export of exactly
    those rows; roles that may only count get a Swedish explanation instead."""
    category, area = cell_names(row, labels)
    st.subheader(t("overview.drill_heading", category=category, area=area))
    hidden = pd.isna(row["current"])  # a count hidden from this role stays hidden here too
    total = 0 if hidden else int(row["current"])
    n = HIDDEN_TEXT if hidden else fmt_int(total, lang)
    st.caption(t("overview.drill_caption", period=range_year(flt.start, flt.end, lang), n=n))
    if not scope.can("incident", "read_detail") and scope.role != "rapportor":
        st.info(t("overview.drill_counts_only", role=t(f"role.{scope.role}")), icon=":material/lock:")
        return
    source = row.get("source_code") if isinstance(row.get("source_code"), str) else None
    area_code = row["area_code"] if isinstance(row["area_code"], str) else None
    rows = state.query(cq.cell_incidents, flt=flt, category_code=row["category_code"], area_code=area_code,
                       source_code=source)
    if hidden or len(rows) < total:
        key = "overview.drill_own_only" if scope.role == "rapportor" else "overview.drill_hidden"
        st.caption(t(key, shown=fmt_int(len(rows), lang), total=n))
    what = f"{row['category_code']}/{area_code or '-'}/{source or '*'} {flt.start}..{flt.end}"
    sensitive = int(rows["sensitive"].astype(bool).sum()) if len(rows) else 0
    if sensitive and st.session_state.get("_overview_audited") != what:  # once per cell shown, not per rerun
        _audit("view_sensitive", f"overview drill-down: {what}; sensitive rows={sensitive}")
        st.session_state["_overview_audited"] = what
    org_names = state.organisation_names()
    readable = incident_rows(rows, labels, org_names, lang)
    columns = [t("col.when"), t("col.source"), t("overview.col_precision"), t("col.description"),
               t("overview.col_assessment")]
    st.dataframe(readable[columns], hide_index=True, key="overview_drill_table", alt=t("overview.drill_alt"))
    exportable = state.query(cq.cell_incidents, flt=flt, category_code=row["category_code"], area_code=area_code,
                             source_code=source, operation="export") if scope.can("incident", "export") else rows[:0]
    if len(exportable):
        notes = export_notes.notes_for(flt, scope, lang, period=range_year(flt.start, flt.end, lang))
        st.download_button(t("overview.drill_download", n=fmt_int(len(exportable), lang)),
                           data=_export(exportable, labels, org_names, lang, what, notes), mime="text/csv",
                           key="overview_drill_csv", icon=":material/download:",
                           file_name=f"lagesbild_{row['category_code']}_{area_code or 'utan-omrade'}_"
                                     f"{flt.start}_{flt.end}.csv")


def significant_count(rows: pd.DataFrame) -> int:
    """Rows with at least one clear change after the FDR adjustment."""
    flags = [rows[f"flag_{n}"].isin([INCREASE, DECREASE]) for n in COMPARISONS if f"flag_{n}" in rows]
    return int(pd.concat(flags, axis=1).any(axis=1).sum()) if flags else 0
