"""The survey page's sections: measure choice, per-area results over waves, perception against incidents,
"unsafe here" places and the own-index form. Statistics come from analysis.surveys / analysis.survey_indices."""
from __future__ import annotations

from collections import Counter
from datetime import timedelta
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from analysis import survey_indices as si
from analysis import surveys as an
from data_layer import suppression
from data_layer import survey_index_edits as own
from data_layer.queries import surveys as q
from data_layer.queries.filters import IncidentFilter
from ui import state
from ui.formatting import escape_markdown, fmt_date, fmt_decimal, fmt_int, fmt_p, fmt_pct
from ui.i18n import t
from ui.survey_charts import labelled_areas, quadrant_scatter, small_multiples

DEFAULT_MEASURE = "ntu_otrygghet"
QUADRANTS = (an.Q_UNSAFE_CALM, an.Q_BUSY_SAFE, an.Q_UNSAFE_BUSY, an.Q_SAFE_CALM)
PERIOD_DAYS = 365  # incidents in the 12 months up to the end of the wave's fieldwork
SIGNIFICANCE = 0.05
_CUSTOM_FLASH = "_survey_custom_created"


# --- measures -----------------------------------------------------------------------------------------------------

def custom_indices() -> list[si.IndexDefinition]:
    """The own indices stored for everyone (data_layer.survey_index_edits), as index definitions."""
    return [si.IndexDefinition(d.code, d.name, d.name, 0, d.scale_max, d.higher_is_worse, d.components)
            for d in own.list_own_indices(state.engine())]


def measures(catalogue: pd.DataFrame, lang: str) -> dict[str, tuple[si.IndexDefinition, str]]:
    """{key: (definition, label)}: shipped indices with data, the data's own index groups, own indices, questions."""
    codes = set(catalogue["code"])
    out: dict[str, tuple[si.IndexDefinition, str]] = {}
    for d in si.STANDARD_INDICES:
        if si.available(d, codes):
            out[d.code] = (d, d.name(lang))
    for d in si.grouped_indices(catalogue, known={d.code for d in si.STANDARD_INDICES}):
        out[d.code] = (d, d.name(lang))
    for d in custom_indices():
        out[d.code] = (d, t("surveys.measure_custom", name=d.name_sv))
    for row in catalogue.to_dict("records"):
        out["q:" + row["code"]] = (si.question_index(row), t("surveys.measure_question", text=row["text_sv"]))
    return out


def choose_measure(catalogue: pd.DataFrame, lang: str) -> tuple[si.IndexDefinition, str]:
    """The measure selectbox (the shipped NTU share when it has data): the chosen definition and its label."""
    options = measures(catalogue, lang)
    keys = list(options)
    default = keys.index(DEFAULT_MEASURE) if DEFAULT_MEASURE in keys else 0
    key = st.selectbox(t("surveys.measure"), keys, index=default, format_func=lambda k: options[k][1],
                       key="survey_measure")
    return options[key]


def measure_rows(definition: si.IndexDefinition, flt: IncidentFilter) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(per-question rows, per area × wave index rows with status and interval)."""
    raw = state.query(q.survey_question_results, flt=flt, question_codes=tuple(definition.components))
    rows = an.with_intervals(si.compute_index(raw, definition), raw, definition)
    return raw, rows


def _fit(rows: int, most: int = 25) -> int:
    """A table height showing up to `most` rows without an inner scroll bar."""
    return 35 * (min(rows, most) + 1) + 3


def _scale(d: si.IndexDefinition) -> float:
    return 100.0 if d.kind == "share" else 1.0


def fmt_value(value, d: si.IndexDefinition, lang: str, *, extra: int = 0) -> str:
    """A measure value in its unit: percent for shares, decimals for means and indices (`extra` more digits)."""
    if d.kind == "share":
        return fmt_pct(value, extra, lang)
    return fmt_decimal(value, (2 if d.scale_max - d.scale_min <= 10 else 1) + extra, lang)


def _description(d: si.IndexDefinition) -> str:
    direction = t("surveys.dir_worse") if d.higher_is_worse else t("surveys.dir_better")
    how = t("surveys.how_index", lo=fmt_decimal(d.scale_min, 0), hi=fmt_decimal(d.scale_max, 0), direction=direction)
    return f"{d.note_sv} {how}".strip() if len(d.components) > 1 else d.note_sv


# --- per area over waves --------------------------------------------------------------------------------------------

def results_table(rows: pd.DataFrame, d: si.IndexDefinition, lang: str) -> pd.DataFrame:
    """The per area × wave table as shown: value or 'för få svar', interval, n, response rate, note."""
    value = [fmt_value(v, d, lang) if ok else t(f"surveys.status.{s}")
             for v, ok, s in zip(rows["value"], rows["shown"], rows["status"])]
    interval = [f"{fmt_value(a, d, lang)}–{fmt_value(b, d, lang)}" if s in an.WITH_INTERVAL else ""
                for a, b, s in zip(rows["lo"], rows["hi"], rows["status"])]
    note = ["" if s in (an.STATUS_OK, an.STATUS_TOO_FEW, an.STATUS_MISSING) else t(f"surveys.status.{s}")
            for s in rows["status"]]
    return pd.DataFrame({t("col.area"): rows["area_name"], t("col.wave"): rows["wave"],
                         t("surveys.col.value"): value, t("surveys.col.interval"): interval,
                         t("col.respondents"): [fmt_int(n, lang) if not pd.isna(n) else "–" for n in rows["n"]],
                         t("surveys.col.response_rate"): [fmt_pct(r, 0, lang) for r in rows["response_rate"]],
                         t("surveys.col.note"): note})


def change_sentence(c: an.Change, d: si.IndexDefinition, lang: str) -> str:
    """One area's change since its previous wave, in words, with the test's verdict."""
    verb = t("surveys.change_up") if c.after > c.before else t("surveys.change_down") if c.after < c.before \
        else t("surveys.change_same")
    if c.p_value is None:
        verdict = t("surveys.verdict_none", reason=t(f"surveys.status.{c.reason}").split(": ", 1)[-1])
    else:
        key = "surveys.verdict_sig" if c.p_value < SIGNIFICANCE else "surveys.verdict_chance"
        verdict = t(key, p=fmt_p(c.p_value, lang), test=t(f"surveys.test.{c.test}"))
    extra = 1 if d.kind == "share" else 0  # whole percents would show small changes as "8 % to 8 %"
    return t("surveys.change_line", area=escape_markdown(c.area_name), verb=verb, before=fmt_value(c.before, d, lang, extra=extra),
             wave_before=c.wave_before, after=fmt_value(c.after, d, lang, extra=extra), wave_after=c.wave_after,
             verdict=verdict)


def _y_range(rows: pd.DataFrame, d: si.IndexDefinition) -> tuple[float, float]:
    shown = rows[rows["shown"]]
    ends = pd.concat([shown["value"], shown["lo"], shown["hi"]]).dropna() * _scale(d)
    if ends.empty:
        return d.scale_min * _scale(d), d.scale_max * _scale(d)
    pad = max((ends.max() - ends.min()) * 0.1, 0.5)
    return max(d.scale_min * _scale(d), ends.min() - pad), min(d.scale_max * _scale(d), ends.max() + pad)


def areas_section(d: si.IndexDefinition, label: str, raw: pd.DataFrame, rows: pd.DataFrame, lang: str) -> None:
    """Small multiples per area over waves, the table behind them and the change since the previous wave."""
    st.caption(t("surveys.areas_caption", measure=label, areas=rows["area_code"].nunique(),
                 waves=rows["wave"].nunique(), min_n=an.MIN_RESPONDENTS))
    if d.note_sv or len(d.components) > 1:
        st.caption(_description(d))
    if (rows["status"] == an.STATUS_NO_N).any():
        st.info(t("surveys.no_n_notice", min_n=an.MIN_RESPONDENTS))
    fig = small_multiples(rows, title=t("surveys.small_title", measure=label), scale=_scale(d),
                          y_range=_y_range(rows, d), empty_text=t("surveys.panel_empty"))
    st.plotly_chart(fig, key="survey_small_multiples", theme=None, alt=t("surveys.small_alt"))
    st.dataframe(results_table(rows, d, lang), hide_index=True, key="survey_table")
    st.subheader(t("surveys.changes_title"))
    found = an.changes(rows, raw, d)
    if not found:
        st.caption(t("surveys.no_changes"))
    for c in found:
        st.markdown("- " + change_sentence(c, d, lang).replace("*", "\\*"))


# --- perception against incidents ---------------------------------------------------------------------------------

def perception_section(d: si.IndexDefinition, label: str, rows: pd.DataFrame, flt: IncidentFilter,
                       lang: str) -> None:
    """Scatter with quadrants, a short conclusion and the table, for one wave (default the latest)."""
    waves = rows.sort_values(["fielded_to", "wave"])["wave"].drop_duplicates().tolist()
    if not waves:
        st.info(t("surveys.no_perception"))
        return
    wave = st.selectbox(t("surveys.wave"), waves[::-1], key="survey_perception_wave")
    latest, incidents, start, end = wave_and_incidents(rows, wave, flt)
    mode = st.radio(t("surveys.thresholds"), ("median", "own"), horizontal=True, key="survey_thr_mode",
                    format_func=lambda m: t("surveys.thr_median") if m == "median" else t("surveys.thr_own"))
    table, u_thr, r_thr = an.perception_quadrants(latest, incidents, higher_is_worse=d.higher_is_worse)
    limit = suppression.threshold(state.scope())
    table = suppression.suppress_perception(table, threshold=limit)
    if mode == "own":
        left, right = st.columns(2)
        own_u = left.number_input(t("surveys.thr_value"), value=float(round(u_thr * _scale(d), 2)),
                                  key="survey_thr_value") / _scale(d)
        own_r = right.number_input(t("surveys.thr_rate"), value=float(round(r_thr, 1)), min_value=0.0,
                                   key="survey_thr_rate")
        table, u_thr, r_thr = an.perception_quadrants(latest, incidents, higher_is_worse=d.higher_is_worse,
                                                      unsafe_threshold=own_u, rate_threshold=own_r)
        table = suppression.suppress_perception(table, threshold=limit)
    rule = t("surveys.rule_median" if mode == "median" else "surveys.rule_own", value=fmt_value(u_thr, d, lang),
             rate=fmt_decimal(r_thr, 1, lang))
    st.caption(t("surveys.period_caption", start=fmt_date(start, lang), end=fmt_date(end, lang), rule=rule))
    usable = table[table["quadrant"].notna()]
    if usable.empty:
        st.info(t("surveys.no_perception"))
    else:
        labels = {k: t(f"surveys.quadrant.{k}") for k in QUADRANTS}
        fig = quadrant_scatter(table, title=t("surveys.scatter_title", measure=label), x_label=t("surveys.scatter_x"),
                               y_label=f"{label} ({t('surveys.unsafe_up')})", labels=labels, value_threshold=u_thr,
                               rate_threshold=r_thr, scale=_scale(d), higher_is_worse=d.higher_is_worse)
        st.plotly_chart(fig, key="survey_scatter", theme=None, alt=t("surveys.scatter_alt"))
        if len(labelled_areas(usable)) < len(usable):
            st.caption(t("surveys.scatter_some_names"))
        for line in conclusion(table, d, lang):
            st.markdown(line)
    st.dataframe(perception_table(table, d, lang), hide_index=True, key="survey_perception_table",
                 height=_fit(len(table)))
    no_pop = table[table["shown"] & pd.to_numeric(table["population"], errors="coerce").fillna(0).le(0)]
    if not no_pop.empty:
        st.caption(t("surveys.no_population", areas=", ".join(map(escape_markdown, no_pop["area_name"]))))
    hidden = table[~table["shown"].astype(bool)]
    if not hidden.empty:
        st.caption(t("surveys.not_shown_areas", areas=", ".join(map(escape_markdown, hidden["area_name"]))))
    few = table[table["hidden_incidents"]]
    if not few.empty:
        st.caption(t("surveys.incidents_hidden", n=limit, areas=", ".join(map(escape_markdown, few["area_name"]))))


def wave_and_incidents(rows: pd.DataFrame, wave: str, flt: IncidentFilter):
    """One wave's index rows, and the incidents per area in the 12 months up to the end of its fieldwork."""
    latest = rows[rows["wave"] == wave]
    end = latest["fielded_to"].max()
    start = end - timedelta(days=PERIOD_DAYS - 1)
    incidents = state.query(q.incidents_per_area, flt=flt.with_period(start, end),
                            area_codes=tuple(sorted(latest["area_code"])))
    return latest, incidents, start, end


def latest_quadrants(flt: IncidentFilter) -> pd.DataFrame:
    """Per area: the default measure's latest wave against incidents per 1,000 (median thresholds) — the map's
    perception layer. Empty when the store has no data for the default measure."""
    d = si.STANDARD_BY_CODE.get(DEFAULT_MEASURE)
    catalogue = state.query(q.survey_question_catalogue)
    if d is None or not si.available(d, set(catalogue["code"])):
        return pd.DataFrame(columns=["area_code", "quadrant", "value", "per_1000"])
    _, rows = measure_rows(d, flt)
    if rows.empty:
        return pd.DataFrame(columns=["area_code", "quadrant", "value", "per_1000"])
    wave = rows.sort_values(["fielded_to", "wave"])["wave"].iloc[-1]
    latest, incidents, _, _ = wave_and_incidents(rows, wave, flt)
    table, _, _ = an.perception_quadrants(latest, incidents, higher_is_worse=d.higher_is_worse)
    table = suppression.suppress_perception(table, threshold=suppression.threshold(state.scope()))
    return table[["area_code", "quadrant", "value", "per_1000"]]


def conclusion(table: pd.DataFrame, d: si.IndexDefinition, lang: str) -> list[str]:
    """Sentences naming the area furthest into each of the two mismatched quadrants."""
    out = []
    for quadrant, key in ((an.Q_UNSAFE_CALM, "surveys.conclusion_calm"), (an.Q_BUSY_SAFE, "surveys.conclusion_busy")):
        row = an.most_striking(table, quadrant)
        if row is None:
            out.append(t("surveys.conclusion_none", quadrant=t(f"surveys.quadrant.{quadrant}")))
        else:
            out.append("**" + t(f"surveys.quadrant.{quadrant}").capitalize() + ":** " + t(
                key, area=escape_markdown(row["area_name"]), value=fmt_value(row["value"], d, lang),
                rate=fmt_decimal(row["per_1000"], 1, lang)))
    return out


def perception_table(table: pd.DataFrame, d: si.IndexDefinition, lang: str) -> pd.DataFrame:
    """The scatter as a table: area, value, incidents, residents, rate, quadrant (areas without one say why)."""
    value = [fmt_value(v, d, lang) if ok else t("surveys.status.too_few") if not pd.isna(v)
             else t("surveys.status.missing") for v, ok in zip(table["value"], table["shown"])]
    return pd.DataFrame({
        t("col.area"): table["area_name"], t("surveys.col.value"): value,
        t("surveys.col.incidents"): [fmt_int(None if pd.isna(n) else n, lang) for n in table["incidents"]],
        t("surveys.col.population"): [fmt_int(p, lang) if not pd.isna(p) else "–" for p in table["population"]],
        t("surveys.col.per_1000"): [fmt_decimal(r, 1, lang) for r in table["per_1000"]],
        t("surveys.col.quadrant"): [t(f"surveys.quadrant.{k}") if isinstance(k, str) else "–"
                                    for k in table["quadrant"]]})


# --- "unsafe here" places -------------------------------------------------------------------------------------------

def marks_by_place(marks: pd.DataFrame, places: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Marks grouped by nearest named place and area: count, reasons and sources in words, a link to a new action."""
    marks = marks.assign(place=an.nearest_places(marks, places))
    rows = []
    for (area_code, area_name, place), group in marks.groupby(["area_code", "area_name", marks["place"].fillna("")],
                                                              sort=False, dropna=False):
        reasons = Counter(r for rs in group["reasons"] for r in str(rs).split(",") if r)
        sources = Counter(group["source"])
        where = place or area_name
        rows.append({
            t("surveys.col.place"): place or t("surveys.no_place"), t("col.area"): area_name,
            t("surveys.col.marks"): len(group),
            t("surveys.col.action"): "/atgarder?" + urlencode({"area": area_code,
                                                              "title": t("surveys.action_title", place=where)}),
            t("surveys.col.reasons"): ", ".join(f"{t(f'reason.{r}', default=r)} ({n})"
                                               for r, n in reasons.most_common()),
            t("surveys.col.sources"): ", ".join(f"{t(f'surveys.source.{s}', default=s)} {n}"
                                               for s, n in sources.most_common())})
    out = pd.DataFrame(rows)
    return out.sort_values(t("surveys.col.marks"), ascending=False, kind="stable").reset_index(drop=True)


def mark_counts_table(counts: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Per-area counts of marks as one row per area and a column per reason (hidden counts "–")."""
    if counts.empty:
        return pd.DataFrame()
    counts = counts.assign(area=counts["area_name"].fillna("–"))  # marks outside every area
    out = pd.DataFrame({t("col.area"): list(dict.fromkeys(counts["area"]))})
    for reason in q.MARK_REASONS:
        cells = counts[counts["reason"] == reason].set_index("area")["count"]
        out[t(f"reason.{reason}", default=reason)] = [
            "–" if pd.isna(cells.get(area, 0)) else fmt_int(int(cells.get(area, 0)), lang) for area in out.iloc[:, 0]]
    return out


def mark_counts_section(flt: IncidentFilter, lang: str) -> None:
    """For roles not shown the marks row by row: how many marks each area has per reason (small counts hidden)."""
    table = mark_counts_table(state.query(q.survey_mark_counts, flt=flt), lang)
    if table.empty:
        st.info(t("surveys.marks_none"))
        return
    st.caption(t("surveys.mark_counts_caption"))
    limit = suppression.threshold(state.scope())
    if limit > 1:
        st.caption(suppression.note(limit, lang))
    st.dataframe(table, hide_index=True, key="survey_mark_counts_table", height=_fit(len(table)))


def marks_section(flt: IncidentFilter, lang: str) -> None:
    """The list of "unsafe here" places with reasons and a link that opens the new-action form prefilled; roles
    without survey read_detail get the per-area counts instead."""
    if not state.scope().can("survey", "read_detail"):
        mark_counts_section(flt, lang)
        return
    marks = state.query(q.survey_mark_list, flt=flt)
    if marks.empty:
        st.info(t("surveys.marks_none"))
        return
    st.caption(t("surveys.marks_caption", n=len(marks)))
    table = marks_by_place(marks, state.report_places(), lang)
    st.dataframe(table, hide_index=True, key="survey_marks_table", height=_fit(len(table)), column_config={
        t("surveys.col.action"): st.column_config.LinkColumn(display_text=t("surveys.propose_action"))})


# --- own indices (stored, shown to everyone) -----------------------------------------------------------------------

def custom_section(catalogue: pd.DataFrame) -> None:
    """The stored own indices (editors may delete them) and, for roles with survey edit rights, a form adding one."""
    created = st.session_state.pop(_CUSTOM_FLASH, None)
    if created:
        st.success(created)
    texts = dict(zip(catalogue["code"], catalogue["text_sv"]))
    stored = own.list_own_indices(state.engine())
    may_edit = state.scope().can("survey", "edit")
    if not stored:
        st.caption(t("surveys.custom_none"))
    for index in stored:
        line, button = st.columns([5, 1], vertical_alignment="center")
        questions = ", ".join(texts.get(c, c) for c in index.components)
        line.markdown(t("surveys.custom_line", name=escape_markdown(index.name),
                        scale=fmt_decimal(index.scale_max, 0), questions=escape_markdown(questions)))
        if may_edit and button.button(t("surveys.custom_delete"), key=f"survey_custom_delete_{index.id}"):
            _write(lambda: own.delete_own_index(state.engine(), scope=state.scope(), index_id=index.id),
                   t("surveys.custom_deleted", name=index.name))
    if not may_edit:
        st.caption(t("surveys.custom_readonly"))
        return
    st.caption(t("surveys.custom_caption"))
    with st.form("survey_custom_form"):
        name = st.text_input(t("surveys.custom_name"), max_chars=own.MAX_NAME, key="survey_custom_name")
        chosen = st.multiselect(t("surveys.custom_questions"), list(texts), format_func=texts.get,
                                key="survey_custom_questions")
        scale_max = st.number_input(t("surveys.custom_scale_max"), min_value=1.0, max_value=own.MAX_SCALE,
                                    value=100.0, key="survey_custom_scale")
        worse = st.checkbox(t("surveys.custom_worse"), value=True, key="survey_custom_worse")
        submitted = st.form_submit_button(t("surveys.custom_submit"))
    if submitted:
        if not name.strip() or not chosen:
            st.error(t("surveys.custom_missing"))
            return
        _write(lambda: own.save_own_index(state.engine(), scope=state.scope(), name=name, components=chosen,
                                          scale_max=scale_max, higher_is_worse=worse),
               t("surveys.custom_created", name=" ".join(name.split())))


def _write(fn, success: str) -> None:
    """Run one write; a refusal is shown as an error, success reruns the page (the measure list must change)."""
    try:
        fn()
    except own.OwnIndexError as exc:
        st.error(str(exc))
        return
    st.session_state[_CUSTOM_FLASH] = success
    st.rerun()
