"""Trygghetsmätningar: one survey question per area and wave; values from fewer than 30 answers are not shown."""
from __future__ import annotations

import streamlit as st

from analysis.surveys import MIN_RESPONDENTS, present_results
from data_layer.queries import surveys as q
from ui import state
from ui.charts import survey_bars
from ui.filters import current_filter
from ui.formatting import fmt_decimal, fmt_int, fmt_pct
from ui.i18n import current_language, t
from ui.auth import require_login

require_login()

DEFAULT_QUESTION = "otrygg_kvall"
lang = current_language()
flt = current_filter()
st.title(t("surveys.title"))

questions = state.query(q.survey_questions)
if questions.empty:
    st.info(t("surveys.none"))
    st.stop()
codes = list(questions["code"])
texts = dict(zip(questions["code"], questions["text_sv"]))
kinds = dict(zip(questions["code"], questions["kind"]))
code = st.selectbox(t("surveys.question"), codes, index=codes.index(DEFAULT_QUESTION) if DEFAULT_QUESTION in codes
                    else 0, format_func=texts.get, key="survey_question")
is_share = kinds.get(code) == "share"

results = present_results(state.query(q.survey_results, flt=flt, question_code=code))
fmt_value = (lambda v: fmt_pct(v, 0, lang)) if is_share else (lambda v: fmt_decimal(v, 1, lang))
results["label"] = [fmt_value(v) if ok else t("surveys.too_few")
                    for v, ok in zip(results["value"], results["shown"])]
results["shown_value"] = results["value"].where(results["shown"]) * (100 if is_share else 1)

suppressed = int((~results["shown"]).sum())
st.caption(t("surveys.caption", question=texts[code], areas=results["area_code"].nunique(),
             waves=results["wave"].nunique(), suppressed=suppressed, min_n=MIN_RESPONDENTS))
value_label = t("surveys.share_axis") if is_share else t("surveys.mean_axis")
st.plotly_chart(survey_bars(results, value_label=value_label), key="survey_chart", theme=None,
                alt=t("surveys.alt"))

table = results.assign(n=results["n"].map(lambda n: fmt_int(n, lang)))[["area_name", "wave", "n", "label"]]
st.dataframe(table.rename(columns={"area_name": t("col.area"), "wave": t("col.wave"), "n": t("col.respondents"),
                                   "label": value_label}), hide_index=True, key="survey_table")
