"""The only place with st.cache_*: the cached engine, the logged-in user's scope, and cached scoped queries.

st.cache_data is shared by all sessions, so every cached call is keyed by the store URL, the store's
data_version (bumped by writes), the user's Scope and the IncidentFilter. The engine is passed unhashed.
"""
from __future__ import annotations

from datetime import date
from typing import Callable

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from analysis.periods import today_stockholm
from data_layer import rls
from data_layer.db import make_engine, resolve_db_url
from data_layer.queries import incidents as incident_queries
from data_layer.queries import reference
from data_layer.queries.filters import IncidentFilter
from data_layer.scope import Scope
from data_layer.users import AuthenticatedUser

USER_KEY = "auth_user"


def _session_acting() -> rls.Acting | None:
    # On PostgreSQL each transaction of the app's engine tells the store who acts (data_layer/rls.py): the logged-in
    # user counting ("list"); detail reads narrow it themselves. Nobody logged in (or no script run): nothing.
    try:
        user = st.session_state.get(USER_KEY)
    except Exception:  # noqa: BLE001 - outside a script run there is no session, so nobody acts
        return None
    if user is None:
        return None
    return rls.Acting(role=user.scope.role, organisation_id=user.scope.organisation_id, user_id=user.scope.user_id,
                      operation="list")


@st.cache_resource(show_spinner=False)
def _engine_for(url: str) -> Engine:
    return make_engine(url, app=True, app_fallback=_session_acting)


def db_url() -> str:
    """The store URL (LAGESBILD_DB_URL, secrets.toml or the default SQLite file)."""
    return resolve_db_url()


def engine() -> Engine:
    """The process-wide engine for the configured store."""
    return _engine_for(db_url())


def current_user() -> AuthenticatedUser | None:
    """The logged-in user of this session, or None."""
    return st.session_state.get(USER_KEY)


def scope() -> Scope:
    """The logged-in user's scope (raises when nobody is logged in: pages run only behind the login gate)."""
    user = current_user()
    if user is None:
        raise RuntimeError("not logged in")
    return user.scope


_VERSION_THIS_RUN = "_data_version_this_run"


def start_run() -> None:
    """Forget the data version the previous run read (app.py calls this first thing on every run)."""
    st.session_state.pop(_VERSION_THIS_RUN, None)


def data_version() -> str:
    """The store's data version, read once per run: every cached query of the run is keyed on the same version.

    Writes from the interface rerun the script afterwards, so the next run reads the new version.
    """
    version = st.session_state.get(_VERSION_THIS_RUN)
    if version is None:
        version = st.session_state[_VERSION_THIS_RUN] = reference.data_version(engine())
    return version


def today() -> date:
    """Today in Europe/Stockholm."""
    return today_stockholm()


@st.cache_data(show_spinner=False, ttl=3600, max_entries=1000)
def _cached_query(_engine: Engine, _fn: Callable, name: str, url: str, version: str, scope: Scope,
                  flt: IncidentFilter | None, kwargs: tuple) -> pd.DataFrame:
    with rls.acting_as(scope, "list"):  # the cache key's scope, not whoever's session fills the cache
        if flt is None:
            return _fn(_engine, scope=scope, **dict(kwargs))
        return _fn(_engine, scope=scope, flt=flt, **dict(kwargs))


def query(fn: Callable, *, flt: IncidentFilter | None = None, **kwargs) -> pd.DataFrame:
    """Run the scoped query `fn` for the current user, cached per store, data version, scope, filter and kwargs."""
    for value in kwargs.values():
        if isinstance(value, (list, dict, set)):
            raise TypeError("pass tuples, not lists, to cached queries")
    return _cached_query(engine(), fn, f"{fn.__module__}.{fn.__qualname__}", db_url(), data_version(), scope(), flt,
                         tuple(sorted(kwargs.items())))


@st.cache_data(show_spinner=False, ttl=3600)
def _cached_reference(_engine: Engine, name: str, url: str, version: str) -> pd.DataFrame:
    return getattr(reference, name)(_engine)


def areas() -> pd.DataFrame:
    """All areas (code, name, level, parent_code, geometry, centroid, population)."""
    return _cached_reference(engine(), "areas", db_url(), data_version())


def categories() -> pd.DataFrame:
    """All categories with labels in both languages."""
    return _cached_reference(engine(), "categories", db_url(), data_version())


def organisations() -> pd.DataFrame:
    """All organisations."""
    return _cached_reference(engine(), "organisations", db_url(), data_version())


def places() -> pd.DataFrame:
    """Named places."""
    return _cached_reference(engine(), "places", db_url(), data_version())


@st.cache_data(show_spinner=False, ttl=3600)
def _cached_report_places(_engine: Engine, url: str, version: str) -> pd.DataFrame:
    return incident_queries.report_places(_engine)


def report_places() -> pd.DataFrame:
    """Named places with coordinates, for the report form's map and list."""
    return _cached_report_places(engine(), db_url(), data_version())


def store_info() -> dict[str, str]:
    """StoreInfo key/values (uncached; tiny)."""
    return reference.store_info(engine())


def category_labels(lang: str) -> dict[str, str]:
    """{category code: label in `lang`}."""
    cats = categories()
    column = "label_en" if lang == "en" else "label_sv"
    return dict(zip(cats["code"], cats[column]))


def area_names() -> dict[str, str]:
    """{area code: name}."""
    a = areas()
    return dict(zip(a["code"], a["name"]))


def organisation_names() -> dict[str, str]:
    """{organisation code: name}."""
    o = organisations()
    return dict(zip(o["code"], o["name"]))


def create_incident(**kwargs) -> int:
    """Store a report from the form as the current user (the write bumps data_version, so caches refresh)."""
    incident_id = incident_queries.create_incident(engine(), scope=scope(), **kwargs)
    start_run()  # anything drawn after the write in this run reads the new version
    return incident_id


def create_action(**kwargs) -> int:
    """Store a new action as the current user (the write bumps data_version, so caches refresh)."""
    from data_layer.action_edits import create_action as create

    action_id = create(engine(), scope=scope(), **kwargs)
    start_run()
    return action_id


def update_action(**kwargs) -> int:
    """Edit an action as the current user under optimistic locking (raises ActionConflict when it changed since)."""
    from data_layer.action_edits import update_action as update

    try:
        return update(engine(), scope=scope(), **kwargs)
    finally:
        start_run()  # a refused edit may still be news: the next read sees the current version


def add_action_note(**kwargs) -> None:
    """Add a note to an action's history as the current user (never conflicts: a note changes no field)."""
    from data_layer.action_edits import add_note

    add_note(engine(), scope=scope(), **kwargs)
    start_run()


# meeting mode: writes through data_layer/meeting_edits.py and event_edits.py, then a fresh data version for caches
def meeting_write(name: str, **kwargs):
    """Call meeting_edits.`name` (or event_edits.`name` for *_event) as the current user and return its result."""
    from data_layer import event_edits, meeting_edits

    module = event_edits if name.endswith("_event") else meeting_edits
    result = getattr(module, name)(engine(), scope=scope(), **kwargs)
    start_run()
    return result
