"""Did the action work? Its effect evaluation in plain Swedish: the verdict and why, the counts before and after
against what the comparison areas predict, a weekly chart, displacement, and the method; too little data is said."""
from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analysis.effects import TOO_LITTLE_DATA
from data_layer.queries import effects as eq
from data_layer.scope import min_count
from ui import state
from ui.charts import OKABE_ITO, _layout
from ui.formatting import fmt_date, fmt_int, fmt_p_clause
from ui.i18n import t

WEEKS = 8
_VERDICT_ICONS = {"clear_decrease": ":material/trending_down:", "likely_decrease": ":material/trending_down:",
                  "no_clear_change": ":material/trending_flat:", "likely_increase": ":material/trending_up:",
                  "clear_increase": ":material/trending_up:", TOO_LITTLE_DATA: ":material/help:"}


def weekly_target_and_expected(counts: pd.DataFrame) -> pd.DataFrame:
    """Per week (before and after): the target's count and what the control areas predict for it (the control's count
    scaled by target before / control before; None when the control had nothing before)."""
    if counts.empty:
        return pd.DataFrame({"week_start": [], "period": [], "target": [], "expected": []})
    wide = counts.pivot_table(index=["week_start", "period"], columns="group", values="count", aggfunc="sum",
                              fill_value=0).reset_index().sort_values("week_start")
    before = wide[wide["period"] == "before"]
    control_before = int(before["control"].sum()) if "control" in wide else 0
    scale = int(before["target"].sum()) / control_before if control_before else None
    expected = wide["control"] * scale if scale is not None and "control" in wide else [None] * len(wide)
    return pd.DataFrame({"week_start": [pd.Timestamp(w).date() for w in wide["week_start"]],
                         "period": wide["period"].tolist(), "target": wide["target"].astype(int).tolist(),
                         "expected": list(expected)}).reset_index(drop=True)


def _chart(weekly: pd.DataFrame, start: date, lang: str) -> go.Figure:
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=weekly["week_start"], y=weekly["target"], name=t("actions.effect_target"),
                             mode="lines+markers", line=dict(color=OKABE_ITO[0], width=2),
                             marker=dict(symbol="circle", size=8)))
    if weekly["expected"].notna().any():
        fig.add_trace(go.Scatter(x=weekly["week_start"], y=weekly["expected"], name=t("actions.effect_expected"),
                                 mode="lines+markers", line=dict(color=OKABE_ITO[1], width=2, dash="dash"),
                                 marker=dict(symbol="square", size=7)))
    fig.add_vline(x=pd.Timestamp(start).timestamp() * 1000, line=dict(color="#595959", dash="dot"))
    fig.add_annotation(x=pd.Timestamp(start), y=1, yref="paper", text=t("actions.effect_start"), showarrow=False,
                       xanchor="left", yanchor="top", xshift=4)
    weeks = list(weekly["week_start"])
    step = max(1, len(weeks) // 8)  # at most about eight week labels in a half-width column
    fig.update_layout(xaxis=dict(tickmode="array", tickvals=weeks[::step],
                                 ticktext=[t("chart.week_tick", week=w.isocalendar().week) for w in weeks[::step]]))
    fig = _layout(fig, title=t("actions.effect_chart_title"), x=t("chart.week"), y=t("chart.count"))
    # The legend goes above the plot: below it, it would sit on the week axis title in a half-width column.
    fig.update_layout(height=360, legend=dict(orientation="h", x=0, y=1.02, yanchor="bottom"),
                      margin=dict(t=90), title=dict(y=0.97))
    return fig


def effect_section(action_id: int, lang: str) -> None:
    """The evaluation of one action at WEEKS weeks, or why there is none."""
    st.markdown(f"**{t('actions.effect_heading')}**")
    result = state.query(eq.action_effect, action_id=int(action_id), weeks=WEEKS, today=state.today())
    if result is None:
        st.info(t("actions.effect_none"), icon=":material/info:")
        return
    verdict = result.verdict
    st.markdown(f"{_VERDICT_ICONS.get(verdict, '')} **{t('actions.effect_verdict')}: "
                f"{t(f'effect.verdict.{verdict}')}**")
    st.write(t(f"effect.explain.{verdict}"))
    if result.weeks == 0:
        st.caption(t("actions.effect_no_weeks", start=fmt_date(result.window.start, lang) if result.window else "–"))
        st.caption(t("effect.method"))
        return
    min_n = min_count(state.scope())  # counts-only roles: no small count, and no weekly counts at one place
    if min_n > 1 and min(result.target_before, result.target_after, result.control_before,
                         result.control_after) < min_n:
        st.info(t("actions.effect_suppressed", n=min_n), icon=":material/visibility_off:")
        st.caption(t("effect.method"))
        return
    expected = round(result.expected_after) if result.expected_after is not None else "–"
    cols = st.columns(3)
    cols[0].metric(t("actions.effect_before", weeks=result.weeks), fmt_int(result.target_before, lang))
    cols[1].metric(t("actions.effect_after", weeks=result.weeks), fmt_int(result.target_after, lang))
    cols[2].metric(t("actions.effect_expected_after"), expected if expected == "–" else fmt_int(expected, lang))
    st.write(t("effect.summary", target_before=result.target_before, target_after=result.target_after,
               control_before=result.control_before, control_after=result.control_after, weeks=result.weeks,
               expected=expected))
    if result.truncated:
        st.caption(t("effect.truncated", weeks=result.weeks, requested=result.window.weeks_requested))
    if verdict != TOO_LITTLE_DATA:
        st.write(t("effect.change", percent=result.did.percent, low=(result.did.ci_low - 1) * 100,
                   high=(result.did.ci_high - 1) * 100, p=fmt_p_clause(result.did.p_value, lang)))
        st.write(t("effect.wdd", total=result.wdd.total, low=result.wdd.ci_low, high=result.wdd.ci_high))
    st.write(f"**{t(f'effect.displacement.{result.displacement}')}.** "
             f"{t(f'effect.displacement_explain.{result.displacement}')}")
    counts = state.query(eq.action_effect_counts, action_id=int(action_id), weeks=WEEKS, today=state.today())
    weekly = weekly_target_and_expected(counts)
    if not weekly.empty and min_n <= 1:
        st.plotly_chart(_chart(weekly, result.window.after_from, lang), key="action_effect_chart", theme=None,
                        alt=_alt(result, verdict))
        with st.expander(t("common.show_table")):
            st.dataframe(pd.DataFrame({
                t("chart.week"): [fmt_date(w, lang) for w in weekly["week_start"]],
                t("actions.effect_period"): [t(f"actions.effect_period_{p}") for p in weekly["period"]],
                t("actions.effect_target"): weekly["target"],
                t("actions.effect_expected"): [None if e is None or pd.isna(e) else round(e, 1)
                                               for e in weekly["expected"]]}),
                hide_index=True, key="action_effect_table")
    st.caption(t("effect.method"))


def _alt(result, verdict: str) -> str:
    return t("actions.effect_alt", weeks=result.weeks, before=result.target_before, after=result.target_after,
             expected=round(result.expected_after) if result.expected_after is not None else "–",
             verdict=t(f"effect.verdict.{verdict}"))
