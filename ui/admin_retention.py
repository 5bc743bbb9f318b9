"""The Admin page's privacy sections: retention rules and what is due (run with a confirm step), and the reports whose
free text seems to hold personal data, each with a Maskera button. Free text is shown as text, never markup."""
from __future__ import annotations

import streamlit as st

from data_layer import masking, retention
from data_layer.queries import reference
from ui import state
from ui.formatting import fmt_date, fmt_int
from ui.i18n import current_language, t

MASKING_LIMIT = 50
# Above this many incidents (by the largest id) the two full passes below wait for a click instead of running with
# every page view: at 7.5 M they take seconds each (benchmarks: python -m data_layer bench --pages admin).
LARGE_STORE = 1_000_000


def _on_request(*, note_key: str, button_key: str, button_label: str, flag: str) -> bool:
    """True when the full pass may run now: a small store, or the user asked for it (remembered for the session)."""
    ceiling = reference.incident_id_ceiling(state.engine())
    if ceiling <= LARGE_STORE or st.session_state.get(flag):
        return True
    st.caption(t(note_key, n=fmt_int(ceiling, current_language())))
    if st.button(t(button_label), key=button_key):
        st.session_state[flag] = True
        return True
    return False


@st.cache_data(show_spinner=False, ttl=3600, max_entries=20)
def _due(_engine, url: str, version: str, today) -> list[retention.Due]:
    # a full pass over the incidents: cached per store, data version (apply and set_rule bump it) and day
    return retention.due(_engine, today=today)


def _months(value: int | None) -> str:
    return t("retention.never") if value is None else str(value)


def render_retention() -> None:
    """The rules per category with what running retention today would coarsen and delete; admins may change a rule
    and run it after confirming."""
    lang = current_language()
    scope = state.scope()
    today = state.today()
    st.subheader(t("retention.title"))
    st.caption(t("retention.caption"))
    may_run = scope.can("incident", "edit") and scope.can("user", "administer")
    if not _on_request(note_key="retention.large", button_key="retention_count", button_label="retention.count",
                       flag="retention_counted"):
        if may_run:  # the rules can be changed without counting first
            _rule_form(retention.rules(state.engine()), lang)
        return
    with st.spinner(t("retention.counting")):
        items = _due(state.engine(), state.db_url(), state.data_version(), today)
    st.dataframe({
        t("retention.col_category"): [i.rule.label_en if lang == "en" else i.rule.label_sv for i in items],
        t("retention.col_coarsen"): [_months(i.rule.coarsen_after_months) for i in items],
        t("retention.col_delete"): [_months(i.rule.delete_after_months) for i in items],
        t("retention.col_rule"): [t("retention.own") if i.rule.own else t("retention.default") for i in items],
        t("retention.col_to_coarsen"): [fmt_int(i.to_coarsen, lang) for i in items],
        t("retention.col_to_delete"): [fmt_int(i.to_delete, lang) for i in items],
    }, hide_index=True, key="retention_table")
    coarsen, delete = sum(i.to_coarsen for i in items), sum(i.to_delete for i in items)
    st.caption(t("retention.due_caption", today=fmt_date(today, lang), coarsen=fmt_int(coarsen, lang),
                 delete=fmt_int(delete, lang)))
    if "retention_done" in st.session_state:
        done = st.session_state.pop("retention_done")
        st.success(t("retention.applied", coarsen=fmt_int(done[0], lang), delete=fmt_int(done[1], lang)))
    if st.session_state.pop("retention_saved", False):
        st.success(t("retention.saved"))
    if not may_run:
        st.caption(t("retention.admin_only"))
        return
    confirmed = st.checkbox(t("retention.confirm"), key="retention_confirm")
    if st.button(t("retention.apply"), key="retention_apply", disabled=not confirmed or not (coarsen or delete)):
        done = retention.apply(state.engine(), today=today, scope=scope)
        st.session_state["retention_done"] = (sum(v["coarsened"] for v in done.values()),
                                              sum(v["deleted"] for v in done.values()))
        st.session_state.pop("retention_confirm", None)
        st.rerun()
    _rule_form([i.rule for i in items], lang)


def _rule_form(rules: list[retention.Rule], lang: str) -> None:
    with st.expander(t("retention.edit")):
        by_code = {rule.category_code: rule for rule in rules}
        code = st.selectbox(t("retention.category"), list(by_code), key="retention_category",
                            format_func=lambda c: by_code[c].label_en if lang == "en" else by_code[c].label_sv)
        rule = by_code[code]
        with st.form("retention_rule_form"):
            coarsen = st.number_input(t("retention.coarsen_months"), min_value=1, max_value=retention.MAX_MONTHS,
                                      value=rule.coarsen_after_months or retention.DEFAULT_COARSEN_MONTHS, step=1)
            delete_on = st.checkbox(t("retention.delete_on"), value=rule.delete_after_months is not None)
            delete = st.number_input(t("retention.delete_months"), min_value=1, max_value=retention.MAX_MONTHS,
                                     value=rule.delete_after_months or max(int(coarsen), 60), step=1)
            if st.form_submit_button(t("retention.save")):
                try:
                    retention.set_rule(state.engine(), scope=state.scope(), category_code=code,
                                       coarsen_after_months=int(coarsen),
                                       delete_after_months=int(delete) if delete_on else None)
                except retention.RetentionRefused as exc:
                    st.error(str(exc))
                else:
                    st.session_state["retention_saved"] = True
                    st.rerun()


def render_masking() -> None:
    """Reports whose free text seems to hold personal data (text shown as plain text), each with a Maskera button."""
    lang = current_language()
    scope = state.scope()
    st.subheader(t("masking.title"))
    st.caption(t("masking.caption"))
    if "masking_done" in st.session_state:
        done_id, kinds = st.session_state.pop("masking_done")
        st.success(t("masking.masked", id=done_id, kinds=kinds))
    if not (scope.can("incident", "edit") and scope.can("incident", "free_text")):
        st.caption(t("masking.not_allowed"))
        return
    if not _on_request(note_key="masking.large", button_key="masking_search", button_label="masking.search",
                       flag="masking_searched"):
        return
    with st.spinner(t("masking.searching")):
        flagged = state.query(masking.incidents_with_personal_data, limit=MASKING_LIMIT)
    if flagged.empty:
        st.caption(t("masking.none"))
        return
    labels = state.category_labels(lang)
    for row in flagged.itertuples(index=False):
        with st.container(border=True):
            st.text(t("masking.row", id=row.id, day=fmt_date(row.occurred_date, lang),
                      category=labels.get(row.category_code, row.category_code), kinds=row.kinds))
            st.text(row.description)  # st.text: the report's own words, never interpreted as markup
            if st.button(t("masking.mask"), key=f"mask_{row.id}"):
                try:
                    kinds = masking.mask_incident(state.engine(), scope=scope, incident_id=int(row.id))
                except masking.MaskingRefused as exc:
                    st.error(str(exc))
                else:
                    st.session_state["masking_done"] = (int(row.id), ", ".join(kinds) or "–")
                    st.rerun()


def render() -> None:
    """Both privacy sections, in the order the Admin page shows them."""
    render_retention()
    render_masking()
