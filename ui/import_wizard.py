"""The Data page's import wizard: 1 kind and file, 2 options, 3 preview (a dry run), 4 import with progress and undo.

The preview is a dry run with skip-invalid (ui/import_runs.py), so it also says what the valid rows would give; the
import button then follows the checkbox: without it, a file with bad rows is refused whole, exactly as the CLI does.
"""
from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

from data_layer.importers.regions import REGIONS
from data_layer.importers.registry import KINDS, ImportKind, OptionSpec, resource_of
from ui import state
from ui.formatting import escape_markdown, fmt_int
from ui.i18n import current_language, t
from ui.import_common import DONE_KEY, counted, kind_label, record_audit, show_flash
from ui.import_results import render_done, render_outcome
from ui.import_runs import Outcome, geojson_properties, preview_file, run_on_file, safe_name, staged

PREVIEW_KEY = "import_preview"
FIELD_PICKERS = ("name_field", "code_field")  # area options chosen among the GeoJSON file's own property names


# -- the wizard --------------------------------------------------------------------------------------------------
def render_wizard(*, user_id: int | None) -> None:
    """The four steps; keeps the last preview and the last import in session state."""
    lang = current_language()
    engine = state.engine()
    st.subheader(t("import.step_file"))
    allowed = [k for k in KINDS if state.scope().can(resource_of(k), "edit")]  # the registry refuses the others
    kind = st.selectbox(t("import.kind"), allowed, format_func=kind_label, key="import_kind")
    spec = KINDS[kind]
    st.caption(spec.description_sv)
    upload = st.file_uploader(t("import.file"), type=list(spec.file_types), key=f"import_file_{kind}",
                              help=t("import.file_help", types=", ".join(f".{e}" for e in spec.file_types),
                                     mb=st.get_option("server.maxUploadSize")))

    st.subheader(t("import.step_options"))
    options, extra = _option_widgets(engine, spec, upload)
    skip_invalid = st.checkbox(t("import.skip_invalid"), key="import_skip_invalid", help=t("import.skip_invalid_help"))

    st.subheader(t("import.step_preview"))
    missing = _missing(spec, upload, options)
    fingerprint = _fingerprint(kind, upload, options, extra)
    if missing:
        st.caption(t("import.need", what=", ".join(missing)))
    if st.button(t("import.preview"), key="import_preview_btn", disabled=bool(missing), icon=":material/preview:"):
        st.session_state.pop(DONE_KEY, None)
        st.session_state[PREVIEW_KEY] = (fingerprint, _run(engine, kind, upload, options, extra, dry_run=True))
    fresh = _fresh_preview(fingerprint)
    if fresh is not None:
        render_outcome(fresh, skip_invalid=skip_invalid, lang=lang)
    elif _previewed_kind() == kind:  # the same kind with another file or other settings
        st.info(t("import.preview_stale"))

    st.subheader(t("import.step_import"))
    show_flash("wizard")
    done = st.session_state.get(DONE_KEY)
    if done is not None:
        render_done(done, lang=lang)
    elif fresh is None:
        st.caption(t("import.preview_first"))
    elif fresh.refused or fresh.writes == 0:
        st.caption(t("import.nothing_to_import"))
    elif st.button(t("import.run", rows=counted("rows", fresh.writes, lang)), key="import_run_btn", type="primary",
                   disabled=not fresh.importable(skip_invalid=skip_invalid), icon=":material/upload:"):
        outcome = _run(engine, kind, upload, options, extra, dry_run=False, skip_invalid=skip_invalid,
                       user_id=user_id)
        st.session_state.pop(PREVIEW_KEY, None)
        if outcome.refused:
            render_outcome(outcome, skip_invalid=skip_invalid, lang=lang)
            return
        if outcome.batch_id is not None:
            s = outcome.summary()
            record_audit("import", object_type="import_batch", object_id=outcome.batch_id,
                         detail=f"{kind}: {outcome.writes} inlästa, {s.get('rejected_count', 0)} avvisade")
        st.session_state[DONE_KEY] = outcome
        st.rerun()  # every count on the page (and in the sidebar filters) reads the new data version


def _previewed_kind() -> str | None:
    kept = st.session_state.get(PREVIEW_KEY)
    return kept[0][0] if kept else None


def _fresh_preview(fingerprint: tuple) -> Outcome | None:
    kept = st.session_state.get(PREVIEW_KEY)
    return kept[1] if kept and kept[0] == fingerprint else None


def _run(engine: Engine, kind: str, upload, options: dict, extra: dict, *, dry_run: bool, skip_invalid: bool = True,
         user_id: int | None = None) -> Outcome:
    """Stage the uploads, run the import (or preview) with a progress bar, clean up."""
    lang = current_language()
    files = {"main": (upload.name, upload.getvalue())}
    files.update({name: (f.name, f.getvalue()) for name, f in extra.items()})
    label = t("import.checking" if dry_run else "import.writing", file=escape_markdown(safe_name(upload.name)))
    bar = st.progress(0.0, text=label)

    def progress(done: int, total: int) -> None:
        bar.progress(min(done / total, 1.0) if total else 1.0,
                     text=t("import.progress", done=fmt_int(done, lang), total=fmt_int(total, lang)))

    with st.spinner(t("import.working")), staged(files) as paths:
        opts = {**options, **{name: str(paths[name]) for name in extra}}
        if dry_run:
            outcome = preview_file(engine, kind, paths["main"], options=opts, progress=progress, scope=state.scope())
        else:
            outcome = run_on_file(engine, kind, paths["main"], options=opts, dry_run=False, skip_invalid=skip_invalid,
                                  user_id=user_id, progress=progress, scope=state.scope())
    bar.empty()
    return outcome


def _fingerprint(kind: str, upload, options: dict, extra: dict) -> tuple:
    def ident(f):
        return None if f is None else (f.file_id, f.name, f.size)
    return kind, ident(upload), tuple(sorted(options.items())), tuple(sorted((k, ident(f)) for k, f in extra.items()))


def _missing(spec: ImportKind, upload, options: dict) -> list[str]:
    missing = [] if upload is not None else [t("import.need_file")]
    return missing + [o.label_sv for o in spec.options if o.required and not o.default and not options.get(o.name)]


# -- step 2: options ---------------------------------------------------------------------------------------------
def _option_widgets(engine: Engine, spec: ImportKind, upload) -> tuple[dict, dict]:
    """The kind's options as widgets: required ones and the profile first, the rest in "Fler inställningar"."""
    properties = geojson_properties(upload.getvalue()) if upload is not None and spec.code == "areas" else []
    main = [o for o in spec.options if o.required or o.is_profile or (properties and o.name in FIELD_PICKERS)]
    more = [o for o in spec.options if o not in main]
    options, extra = {}, {}
    if not main:
        st.caption(t("import.no_options"))
    for option in main:
        _option_widget(engine, spec, option, properties, options, extra)
    if more:
        with st.expander(t("import.more_options")):
            for option in more:
                _option_widget(engine, spec, option, properties, options, extra)
    return options, extra


def _option_widget(engine: Engine, spec: ImportKind, option: OptionSpec, properties: list[str], options: dict,
                   extra: dict) -> None:
    key = f"import_opt_{spec.code}_{option.name}"
    label, help_text = option.label_sv, option.help_sv or None
    if option.is_profile:
        options[option.name] = _profile_select(engine, spec, option, key)
    elif option.is_file:
        f = st.file_uploader(label, type=["csv"], key=key, help=help_text)
        if f is not None:
            extra[option.name] = f
    elif option.choices:
        choices = list(option.choices)
        options[option.name] = st.selectbox(
            label, choices, index=choices.index(option.default) if option.default in choices else None,
            format_func=_choice_label, key=key, help=help_text, placeholder=t("import.choose"))
    elif properties and option.name in FIELD_PICKERS:
        # The file's own property names beat typing one from memory.
        if option.required:
            options[option.name] = st.selectbox(label, properties, index=None, key=key, help=help_text,
                                                placeholder=t("import.choose_property"))
        else:
            options[option.name] = st.selectbox(label, ["", *properties], key=key, help=help_text,
                                                format_func=lambda p: p or t("import.derive_code"))
    else:
        options[option.name] = st.text_input(label, key=key, help=help_text,
                                             placeholder=option.default or t("import.optional")).strip()
    options[option.name] = options.get(option.name) or None
    if options[option.name] is None:
        options.pop(option.name)


def _choice_label(value: str) -> str:
    if value in REGIONS:
        return REGIONS[value].name_sv
    return t(f"import.choice.{value}", default=value)


def _profile_select(engine: Engine, spec: ImportKind, option: OptionSpec, key: str) -> str | None:
    """A choice among the saved profiles of this kind (profiles are written under "Importprofiler")."""
    try:
        from data_layer.importers.profiles import list_profiles
    except ImportError:  # the profile store is not there yet
        profiles = []
    else:
        profiles = list_profiles(engine, kind=spec.code)
    if not profiles:
        st.warning(t("import.no_profiles", kind=kind_label(spec.code)))
        return None
    owners = {p["name"]: p.get("organisation_code") for p in profiles}
    choice = st.selectbox(option.label_sv, list(owners), index=0 if len(owners) == 1 else None, key=key,
                          help=option.help_sv or None, placeholder=t("import.choose_profile"),
                          format_func=lambda n: f"{n} ({owners[n]})" if owners.get(n) else n)
    st.caption(t("import.profiles_where"))
    return choice
