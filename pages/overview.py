"""Lägesbild: what changed, where, and is it real. The period against the one before, the same period in earlier
years and last year so far, each judged by a Poisson test with the false discovery rate held over the table; the
largest real changes first, with what is being done about them; what is new since the last meeting; who reported."""
from __future__ import annotations

import streamlit as st

from data_layer.queries import comparison as cq
from data_layer.queries.actions import actions_list
from data_layer.scope import min_count
from ui import overview_data as data
from ui import overview_table as tables
from ui import overview_view as view
from ui import state
from ui.auth import require_login
from ui.report_downloads import render_downloads
from ui.filters import current_filter, current_period, last_meeting
from ui.i18n import current_language, t
from ui.overview_text import fdr_line, period_sentence, windows_caption

require_login()

lang = current_language()
flt = current_filter()
period = current_period()
scope = state.scope()
today = state.today()
labels = state.category_labels(lang)

st.title(t("overview.title"))
threshold = min_count(scope)  # roles that may only count see counts below it hidden (analysis/privacy.py)
comparison = state.query(data.shown_comparison, flt=flt, kind=period.kind, by_source=False)
st.subheader(period_sentence(comparison.windows, lang))
st.caption(windows_caption(comparison.windows, comparison.exposures.available, lang))

coverage = state.query(data.shown_coverage, flt=flt)
view.summary_metrics(comparison, coverage, lang)
view.suppression_note(threshold, scope.role)
view.coverage_warning(coverage)

# What changed, clearly: the largest significant changes, where, and what is being done about them.
st.subheader(t("overview.headlines_heading"))
st.caption(fdr_line(comparison.tests))
top = data.top_changes(comparison)
spark = state.query(data.weekly_cells, flt=flt, cells=data.cells_of(top))
actions = state.query(actions_list, flt=flt, today=today, open_only=True)
view.headline_cards(top, flt=flt, labels=labels, actions=actions, spark=spark, lang=lang)

# Every cell, with the drill-down into the incidents behind a chosen row.
st.subheader(t("overview.table_heading"))
# A split by source is a third dimension the suppression does not cover: not offered to roles that may only count.
by_source = st.toggle(t("overview.by_source"), key="overview_by_source", disabled=threshold > 1,
                      help=t("privacy.by_source_off") if threshold > 1 else t("overview.by_source_help")) \
    and threshold <= 1
shown_comparison = state.query(data.shown_comparison, flt=flt, kind=period.kind, by_source=True) if by_source \
    else comparison
rows, shown = tables.table_frame(shown_comparison.table, labels, lang, by_source=by_source)
st.caption(t("overview.table_caption2", rows=len(rows), significant=tables.significant_count(rows)) + " "
           + fdr_line(shown_comparison.tests))
event = st.dataframe(tables.styled(rows, shown, lang), hide_index=True, column_config=tables.column_config(shown),
                     on_select="rerun", selection_mode="single-row",
                     key="overview_table_by_source" if by_source else "overview_table", alt=t("overview.table_alt2"))
selected = [i for i in event.selection.rows if i < len(rows)]
if selected:
    tables.drilldown(rows.iloc[selected[0]], flt=flt, scope=scope, labels=labels, lang=lang)
else:
    st.caption(t("overview.drill_hint"))

# New since the last meeting, and what is coming.
meeting = last_meeting(today)
since = state.query(cq.comparison_counts, flt=flt, windows=(("current", meeting, today),)) \
    if meeting is not None else None
events = state.query(cq.coming_events, start=today, days=14)
view.since_meeting(since, events, meeting=meeting, today=today, labels=labels, lang=lang, threshold=threshold)

# Who has reported: a silent partner must look different from a calm week.
view.coverage_table(coverage, flt=flt, lang=lang)

# The same picture as a report for those who were not in the room.
render_downloads(flt, lang)
