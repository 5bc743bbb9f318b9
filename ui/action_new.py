"""The "Ny åtgärd" form: a new action in the register, prefilled from a link such as the map's
(/atgarder?area=CODE&cell=H3&title=…&categories=a&categories=b).

`categories` is also the sidebar's filter key, and the sidebar rewrites it on every run before a page reads the
address: repeated codes (categories=a&categories=b) survive as the sidebar's category filter and prefill the form from
there; a comma list (categories=a,b) is read too when it is still in the address."""
from __future__ import annotations

from dataclasses import dataclass, replace

import h3
import streamlit as st

from data_layer.action_edits import MAX_TITLE, OPEN_STATUSES, ActionError
from data_layer.scope import ACTION_EDIT_ANY_ROLES, Scope
from ui import action_detail, state
from ui.actions_view import PRIORITIES, flash, request_pick
from ui.i18n import t

FORM_KEY = "action_new"
_GEN_KEY = "_action_new_gen"


@dataclass(frozen=True)
class Prefill:
    """What a link asks the new action to start with (unknown codes and invalid cells are left out)."""

    title: str = ""
    area_code: str | None = None
    cells: tuple[str, ...] = ()
    category_codes: tuple[str, ...] = ()

    @property
    def given(self) -> bool:
        return bool(self.title or self.area_code or self.cells)


def prefill_from(params: dict[str, str], *, areas: set[str], categories: set[str]) -> Prefill:
    """The prefill a query string asks for, keeping only known areas and categories and valid H3 cells."""
    cells = tuple(c for c in (params.get("cell") or "").split(",") if c.strip() and h3.is_valid_cell(c.strip()))
    wanted = [c.strip() for c in (params.get("categories") or "").split(",") if c.strip()]
    area = params.get("area")
    return Prefill(title=(params.get("title") or "").strip()[:MAX_TITLE],
                   area_code=area if area in areas else None, cells=tuple(c.strip() for c in cells),
                   category_codes=tuple(c for c in wanted if c in categories))


def new_action_section(scope: Scope, lang: str, *, filter_categories: tuple[str, ...] = ()) -> None:
    """An expander with the form (open at once when a link prefilled it); nothing for roles that may not edit."""
    if not scope.can("action", "edit"):
        return
    areas = state.area_names()
    labels = state.category_labels(lang)
    params = {k: st.query_params.get(k) for k in ("title", "area", "cell", "categories")}
    pre = prefill_from(params, areas=set(areas), categories=set(labels))
    if pre.given and not pre.category_codes:
        pre = replace(pre, category_codes=tuple(c for c in filter_categories if c in labels))
    with st.expander(t("actions.new_heading"), expanded=pre.given, icon=":material/add_task:"):
        key = f"{FORM_KEY}_{st.session_state.get(_GEN_KEY, 0)}"
        if pre.cells:
            st.caption(t("actions.new_cells", n=len(pre.cells)))
        with st.form(key, border=False):
            title = st.text_input(t("actions.f_title"), value=pre.title, max_chars=MAX_TITLE, key=f"{key}_title")
            description = st.text_area(t("actions.f_description"), height=80, key=f"{key}_description")
            left, right = st.columns(2)
            area_options = [None, *areas]
            area = left.selectbox(t("col.area"), area_options, key=f"{key}_area",
                                  index=area_options.index(pre.area_code) if pre.area_code else 0,
                                  format_func=lambda c: t("actions.no_area") if c is None else areas.get(c, c))
            categories = right.multiselect(t("col.targets"), list(labels), default=list(pre.category_codes),
                                           key=f"{key}_categories", format_func=lambda c: labels.get(c, c))
            status = left.selectbox(t("actions.f_status"), OPEN_STATUSES, key=f"{key}_status",
                                    format_func=lambda s: t(f"status.{s}"))
            priority = right.selectbox(t("actions.col_priority"), PRIORITIES, index=1, key=f"{key}_priority",
                                       format_func=lambda p: t(f"actions.priority_{p}"))
            people = action_detail.people()
            responsible = left.selectbox(t("actions.col_responsible"), [None, *people], key=f"{key}_responsible",
                                         format_func=lambda i: t("actions.nobody") if i is None else people[i])
            owner = None
            if scope.role in ACTION_EDIT_ANY_ROLES:
                orgs = action_detail.organisation_names()
                ids = list(orgs)
                owner = right.selectbox(t("col.owner"), ids, key=f"{key}_owner", format_func=lambda i: orgs[i],
                                        index=ids.index(scope.organisation_id) if scope.organisation_id in ids else 0)
            start = left.date_input(t("actions.col_start"), value=None, format="YYYY-MM-DD", key=f"{key}_start")
            due = right.date_input(t("col.due"), value=None, format="YYYY-MM-DD", key=f"{key}_due")
            submitted = st.form_submit_button(t("actions.create"), type="primary", icon=":material/add:")
        if submitted:
            _create(dict(title=title.strip(), description=description.strip() or None, area_code=area,
                         h3_cells=pre.cells, category_codes=tuple(categories), status=status, priority=priority,
                         responsible_user_id=responsible, owner_org_id=owner, start_date=start, due_date=due))


def _create(values: dict) -> None:
    if not values["title"]:
        st.error(t("actions.title_required"), icon=":material/error:")
        return
    try:
        action_id = state.create_action(**values)
    except ActionError as err:  # the message names the field; the input stays for correcting
        st.error(str(err), icon=":material/error:")
        return
    st.session_state[_GEN_KEY] = st.session_state.get(_GEN_KEY, 0) + 1
    request_pick(action_id)
    for name in ("title", "area", "cell"):
        if name in st.query_params:  # the prefill is used up: a rerun must not offer it again
            del st.query_params[name]
    flash("success", t("actions.created", title=values["title"]))
    st.rerun()
