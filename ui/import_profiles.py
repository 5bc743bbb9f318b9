"""The Data page's import-profile editor: list the saved profiles, show one's TOML, validate, save, delete (confirmed).

A profile says how a partner's CSV/XLSX is read (which column is time, category, place …). New profiles start
from one of the commented examples in import_profiles/ at the project root, so nobody writes TOML from memory.
"""
from __future__ import annotations

import tomllib
import zlib
from pathlib import Path

import pandas as pd
import streamlit as st

from data_layer.importers.common import ImportRefused
from data_layer.importers.profiles import PROFILE_KINDS, delete_profile, list_profiles, parse_profile, save_profile
from ui import state
from ui.formatting import escape_markdown, fmt_datetime
from ui.i18n import current_language, t
from ui.import_common import flash, kind_label, record_audit, show_flash

EXAMPLES = Path(__file__).resolve().parent.parent / "import_profiles"
NEW = ""  # the selectbox value for "a new profile"
NEXT_KEY = "profile_choice_next"
VERSION_KEY = "profile_version"  # bumped after a save or delete, so the text area starts from the stored text


def examples(kind: str) -> dict[str, str]:
    """{file name: TOML text} of the example profiles of `kind` shipped in import_profiles/."""
    found = {}
    for path in sorted(EXAMPLES.glob("*.toml")):
        try:
            text = path.read_text(encoding="utf-8")
            if tomllib.loads(text).get("kind") == kind:
                found[path.name] = text
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue
    return found


def render_profiles(*, user_id: int | None) -> None:
    """The profile list, and an editor for a chosen (or new) profile."""
    lang = current_language()
    engine = state.engine()
    show_flash("profiles")
    profiles = {p["name"]: p for p in list_profiles(engine)}
    if profiles:
        st.dataframe(pd.DataFrame({
            t("import.profile_col_name"): list(profiles),
            t("col.source_kind"): [kind_label(p["kind"]) for p in profiles.values()],
            t("col.organisation"): [p.get("organisation_code") or "–" for p in profiles.values()],
            t("import.profile_col_updated"): [fmt_datetime(p["updated_at"], lang) for p in profiles.values()],
        }), hide_index=True, key="profiles_table")
    else:
        st.caption(t("import.profile_none"))
    if NEXT_KEY in st.session_state:  # set by a save or delete before its rerun (a widget's own key cannot be)
        st.session_state["profile_choice"] = st.session_state.pop(NEXT_KEY)
    choice = st.selectbox(t("import.profile_choose"), [NEW, *profiles], key="profile_choice",
                          format_func=lambda n: n or t("import.profile_new"))
    version = st.session_state.get(VERSION_KEY, 0)
    if choice == NEW:
        name, kind, body = _new_profile_fields(version)
    else:
        name, kind, body = choice, profiles[choice]["kind"], profiles[choice]["body_toml"]
        st.caption(t("import.profile_editing", kind=kind_label(kind)))
    text = st.text_area(t("import.profile_body"), value=body, height=420,
                        key=f"profile_body_{choice}_{kind}_{version}_{zlib.crc32(body.encode())}",
                        help=t("import.profile_body_help"))
    buttons = st.container(horizontal=True)
    validate = buttons.button(t("import.profile_validate"), key="profile_validate", icon=":material/rule:")
    save = buttons.button(t("import.profile_save"), key="profile_save", type="primary", icon=":material/save:")
    if validate:
        _validate(text, kind)
    if save:
        _save(name, text, kind, user_id=user_id, version=version)
    if choice != NEW:
        _delete(choice, version=version, container=buttons)


def _new_profile_fields(version: int) -> tuple[str, str, str]:
    name = st.text_input(t("import.profile_name"), key=f"profile_new_name_{version}",
                         help=t("import.profile_name_help")).strip()
    kind = st.selectbox(t("import.profile_kind"), PROFILE_KINDS, format_func=kind_label, key="profile_new_kind")
    samples = examples(kind)
    if not samples:
        return name, kind, f'kind = "{kind}"\n'
    sample = st.selectbox(t("import.profile_example"), list(samples), key="profile_example")
    return name, kind, samples[sample]


def _problems(exc: ImportRefused) -> None:
    st.error(t("import.profile_invalid", n=len(exc.problems)))
    st.markdown("\n".join(f"- {escape_markdown(p.reason)}" for p in exc.problems))


def _validate(text: str, kind: str) -> None:
    try:
        parse_profile(text, kind=kind, source=t("import.profile_this"))
    except ImportRefused as exc:
        _problems(exc)
    else:
        st.success(t("import.profile_valid"))


def _save(name: str, text: str, kind: str, *, user_id: int | None, version: int) -> None:
    if not name:
        st.error(t("import.profile_need_name"))
        return
    try:
        parse_profile(text, kind=kind, source=name)  # the kind chosen above must match the text's own
        save_profile(state.engine(), name=name, body_toml=text, user_id=user_id)
    except ImportRefused as exc:
        _problems(exc)
        return
    record_audit("edit", object_type="import_profile", object_id=name[:64], detail="sparad")
    st.session_state[VERSION_KEY] = version + 1
    st.session_state[NEXT_KEY] = name
    flash("success", t("import.profile_saved", name=escape_markdown(name)), where="profiles")


def _delete(name: str, *, version: int, container) -> None:
    pending = f"profile_delete_pending_{name}"
    if not st.session_state.get(pending):
        if container.button(t("import.profile_delete"), key="profile_delete", icon=":material/delete:"):
            st.session_state[pending] = True
            st.rerun()
        return
    st.warning(t("import.profile_delete_confirm", name=escape_markdown(name)))
    answer = st.container(horizontal=True)
    if answer.button(t("import.profile_delete_yes"), key="profile_delete_yes", type="primary"):
        st.session_state.pop(pending, None)
        delete_profile(state.engine(), name=name)
        record_audit("edit", object_type="import_profile", object_id=name[:64], detail="borttagen")
        st.session_state[VERSION_KEY] = version + 1
        st.session_state[NEXT_KEY] = NEW
        flash("success", t("import.profile_deleted", name=escape_markdown(name)), where="profiles")
    if answer.button(t("import.profile_delete_cancel"), key="profile_delete_cancel"):
        st.session_state.pop(pending, None)
        st.rerun()
