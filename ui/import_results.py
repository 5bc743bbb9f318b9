"""How the wizard shows what a run found: the verdict, the counts, the rejected rows, conversions and categories."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from data_layer.importers.common import RowProblem
from data_layer.importers.registry import KINDS
from ui import state
from ui.formatting import escape_markdown, fmt_int
from ui.i18n import t
from ui.import_common import counted, undo_controls
from ui.import_runs import Outcome

# Counts shown as metrics, in this order; any other whole-number field of a result follows them.
METRIC_FIELDS = ("rows_read", "features_read", "accepted", "created", "updated", "unchanged", "rejected_count",
                 "duplicates_skipped", "areas_assigned", "with_population")
NOT_METRICS = {"batch_id", "area_fallbacks", "dry_run", "rows_rejected"}  # rows_rejected: same as rejected_count
QUIET_CONVERSIONS = {"id_from_source"}  # the normal case, not a conversion worth a line
# tabular.py's phrases about the file as a whole (not counts of rows)
FILE_LEVEL = ("kodning", "avgränsare", "format:", "blad:", "datumformat avgjort")
SHOWN_ELSEWHERE = {"conversions", "by_precision", "by_category", "rejected", "file_name", "sha256", "source_kind"}


def render_outcome(outcome: Outcome, *, skip_invalid: bool, lang: str) -> None:
    """The verdict, the counts, the rejected rows (Rad, Kolumn, Orsak), conversions and categories of one run."""
    problems = outcome.problems
    name = escape_markdown(outcome.file_name)
    if outcome.refused:
        st.error(t("import.refused", file=name, n=fmt_int(len(problems), lang)))
        problems_table(problems, key="import_refused_table")
        return
    s = outcome.summary()
    read = s.get("rows_read", s.get("features_read", 0))
    if outcome.dry_run:
        if problems and not skip_invalid:
            st.error(t("import.verdict_refused", file=name, bad=counted("rows", len(problems), lang),
                       read=counted("rows", read, lang), rows=counted("rows", outcome.writes, lang)))
        elif outcome.writes == 0:
            st.info(t("import.verdict_nothing", file=name))
        elif problems:
            st.warning(t("import.verdict_skip", rows=counted("rows", outcome.writes, lang),
                         bad=counted("rows", len(problems), lang)))
        else:
            st.success(t("import.verdict_ok", file=name, rows=counted("rows", outcome.writes, lang)))
    _metrics(s, lang)
    if s.get("area_fallbacks"):
        st.caption(t("import.area_fallbacks", n=fmt_int(s["area_fallbacks"], lang)))
    if s.get("areas_assigned") == 0 and outcome.writes:
        st.warning(t("import.no_areas"))
    if problems:
        st.markdown(f"**{t('import.rejected_heading', n=fmt_int(len(problems), lang))}**")
        problems_table(problems, key="import_rejected_table")
    _conversions(s, lang)
    _categories(s, lang)
    _other_facts(s, lang)


def render_done(outcome: Outcome, *, lang: str) -> None:
    """The import's receipt: batch number, counts, and an undo button."""
    s = outcome.summary()
    name = escape_markdown(outcome.file_name)
    if outcome.batch_id is None:
        st.info(t("import.done_nothing", file=name))
        return
    st.success(t("import.done", batch=outcome.batch_id, file=name, rows=counted("rows", outcome.writes, lang)))
    if outcome.problems:
        st.caption(t("import.done_rejected", bad=counted("rows", len(outcome.problems), lang)))
    _metrics(s, lang, done=True)
    if KINDS[outcome.kind].undoable:
        undo_controls(outcome.batch_id, kind=outcome.kind, file_name=outcome.file_name, rows=outcome.writes,
                      key="import_undo_last", where="wizard")
    else:
        st.caption(t("import.not_undoable"))


def problems_table(problems: list[RowProblem], *, key: str) -> None:
    """The rejected rows as a table: Rad, Kolumn, Orsak (the file as a whole shows as "hela filen")."""
    row, column, reason = t("import.col_row"), t("import.col_column"), t("import.col_reason")
    st.container(key=key).dataframe(pd.DataFrame({  # the keyed container names the table for the browser tests
        row: [t("import.whole_file") if p.row is None else str(p.row) for p in problems],
        column: [p.column or "–" for p in problems],
        reason: [p.reason for p in problems],
    }), hide_index=True, key=f"{key}_grid", column_config={  # row and column are short: the reason gets the room
        row: st.column_config.TextColumn(width="small"), column: st.column_config.TextColumn(width="medium"),
        reason: st.column_config.TextColumn(width="large")})
    st.caption(t("import.rows_caption"))


def _metrics(s: dict, lang: str, *, done: bool = False) -> None:
    """The result's counts as metrics; after an import "Godtas/Avvisas" read "Inlästa/Överhoppade"."""
    names = [n for n in METRIC_FIELDS if n in s]
    names += [n for n, v in s.items() if n not in names and n not in NOT_METRICS and isinstance(v, int)
              and not isinstance(v, bool)]
    for start in range(0, len(names), 6):
        row = names[start:start + 6]
        for column, name in zip(st.columns(len(row)), row):
            label = t(f"import.field.{name}", default=name)
            column.metric(t(f"import.field_done.{name}", default=label) if done else label, fmt_int(s[name], lang))


def _conversions(s: dict, lang: str) -> None:
    lines = [_sentence("import.conv", k, n, lang) for k, n in (s.get("conversions") or {}).items()
             if n and k not in QUIET_CONVERSIONS]
    lines += [_sentence("import.precision", k, n, lang) for k, n in (s.get("by_precision") or {}).items() if n]
    if lines:
        st.markdown(f"**{t('import.conversions_heading')}**")
        st.markdown("\n".join(f"- {escape_markdown(line)}" for line in lines))


def _sentence(family: str, key: str, n, lang: str) -> str:
    """The plain-Swedish sentence for one tally ("{n} rader saknar koordinater …").

    Keys without a sentence of their own are already Swedish phrases from the reader ("kodning: cp1252",
    "koordinater: SWEREF 99 TM → WGS84"): shown as they are, with the rows when it says more than "applied"."""
    template = t(f"{family}.{key}", default="")
    if template:
        return template.format(n=fmt_int(n, lang) if isinstance(n, int) else str(n))
    if not isinstance(n, int) or key.startswith(FILE_LEVEL):
        return key
    return f"{key} – {counted('rows', n, lang)}"


def _other_facts(s: dict, lang: str) -> None:
    """What else a runner reports (a survey's profile, notes, tallies per wave …), shown generically."""
    facts = [f"{t(f'import.field.{k}', default=k)}: {v}" for k, v in s.items()
             if isinstance(v, str) and v and k not in SHOWN_ELSEWHERE]
    if facts:
        st.caption(escape_markdown(" · ".join(facts)))
    for name, value in s.items():
        if name in SHOWN_ELSEWHERE or not value:
            continue
        label = t(f"import.field.{name}", default=name)
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            st.markdown(f"**{escape_markdown(label)}**")
            st.markdown("\n".join(f"- {escape_markdown(v)}" for v in value))
        elif isinstance(value, dict):
            st.markdown(f"**{escape_markdown(label)}**")
            st.dataframe(pd.DataFrame({t("import.col_what"): [str(k) for k in value],
                                       t("import.col_count"): list(value.values())}),
                         hide_index=True, key=f"import_fact_{name}", width="content")


def _categories(s: dict, lang: str) -> None:
    by_category = s.get("by_category") or {}
    if not by_category:
        return
    labels = state.category_labels(lang)
    st.markdown(f"**{t('import.categories_heading')}**")
    st.dataframe(pd.DataFrame({t("col.category"): [labels.get(c, c) for c in by_category],
                               t("col.incidents"): list(by_category.values())}),
                 hide_index=True, key="import_categories_table", width="content")
