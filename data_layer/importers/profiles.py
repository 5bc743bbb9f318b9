"""Import profiles: a partner's column mapping as TOML, read from a file or saved (reusable) in the store.

A profile's `kind` says what it imports ("incidents": partner.validate_profile, "survey":
survey.validate_profile); the kind's validator rejects unknown keys, so a misspelt key is an error rather than
silently ignored. Every problem is a Swedish sentence raised as ImportRefused(ref, [RowProblem(None, None, …)]).
"""
from __future__ import annotations

import importlib
import tomllib
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import Engine, delete, insert, select, update

from data_layer.importers.common import ImportRefused, RowProblem
from data_layer.importers.store import OrgSpec, get_or_create_org
from data_layer.models import ORGANISATION_KINDS, ImportProfile, Organisation

PROFILE_KINDS = ("incidents", "survey")
MAX_NAME = 100
MAX_BODY = 256 * 1024  # a profile is a page of text; anything bigger is a mistake


def _refused(ref: str, reasons: list[str]) -> ImportRefused:
    return ImportRefused(ref, [RowProblem(None, None, r) for r in reasons])


def _validator(kind: str):
    """The kind's validate_profile(d) -> list[str], or None while the kind's module does not exist yet."""
    module = f"data_layer.importers.{'partner' if kind == 'incidents' else 'survey'}"
    try:
        return importlib.import_module(module).validate_profile
    except ModuleNotFoundError as exc:
        if exc.name != module:  # a missing dependency inside the module is a real error
            raise
        return None


def _parse(body_toml: str, *, kind: str | None, source: str) -> dict:
    """Parse and validate; `kind` None accepts any known kind (saving), else the profile must be of `kind`."""
    if len(body_toml) > MAX_BODY:
        raise _refused(source, [f"profilen '{source}' är större än {MAX_BODY // 1024} kB"])
    try:
        d = tomllib.loads(body_toml)
    except tomllib.TOMLDecodeError as exc:
        raise _refused(source, [f"profilen '{source}' är inte giltig TOML: {exc}"]) from None
    found = d.get("kind")
    if found not in PROFILE_KINDS:
        raise _refused(source, [f"profilen '{source}' måste ange kind = " + " eller ".join(f'"{k}"' for k in
                                                                                       PROFILE_KINDS)])
    if kind is not None and found != kind:
        raise _refused(source, [f"profilen '{source}' gäller {found}, inte {kind}"])
    validate = _validator(found)
    problems = validate(d) if validate else []
    if problems:
        raise _refused(source, [f"profilen '{source}': {p}" for p in problems])
    return d


def parse_profile(body_toml: str, *, kind: str, source: str = "profil") -> dict:
    """Parse and validate profile TOML of `kind` (raises ImportRefused listing every problem)."""
    return _parse(body_toml, kind=kind, source=source)


def load_profile(engine: Engine, ref: str, *, kind: str) -> dict:
    """The validated profile `ref`: a saved profile's name, or a path to a .toml file (raises ImportRefused)."""
    ref = (ref or "").strip()
    path = Path(ref)
    if ref.lower().endswith(".toml") and path.is_file():
        try:
            body = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise _refused(ref, [f"profilfilen '{ref}' kan inte läsas ({exc})"]) from None
        return _parse(body, kind=kind, source=path.name)
    with engine.connect() as conn:
        body = conn.execute(select(ImportProfile.body_toml).where(ImportProfile.name == ref)).scalar_one_or_none()
    if body is None:
        hint = "; filen finns inte" if ref.lower().endswith(".toml") else ""
        raise _refused(ref, [f"det finns ingen sparad importprofil som heter '{ref}'{hint}"])
    return _parse(body, kind=kind, source=ref)


def _check_name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > MAX_NAME or any(c in name for c in "/\\") or name.lower().endswith(".toml"):
        raise _refused(name or "profil", [f"ett profilnamn ska vara 1–{MAX_NAME} tecken, utan / och \\, och "
                                          "inte sluta på .toml"])
    return name


def _organisation(conn, d: dict) -> int | None:
    """The id of the profile's [organisation] (created from code, name and kind when missing), or None."""
    org = d.get("organisation")
    if not isinstance(org, dict) or not str(org.get("code") or "").strip():
        return None
    code = str(org["code"]).strip()
    kind = org.get("kind") if org.get("kind") in ORGANISATION_KINDS else "annan"
    return get_or_create_org(conn, OrgSpec(code=code, name=str(org.get("name") or code), kind=kind))


def save_profile(engine: Engine, *, name: str, body_toml: str, user_id: int | None = None) -> int:
    """Validate and save (insert or replace by name) a profile; return its id. Its organisation is created if new."""
    name = _check_name(name)
    d = _parse(body_toml, kind=None, source=name)
    now = datetime.now(timezone.utc)
    with engine.begin() as conn:
        values = {"kind": d["kind"], "organisation_id": _organisation(conn, d), "body_toml": body_toml,
                  "updated_at": now, "updated_by": user_id}
        existing = conn.execute(select(ImportProfile.id).where(ImportProfile.name == name)
                                .with_for_update()).scalar_one_or_none()
        if existing is not None:
            conn.execute(update(ImportProfile).where(ImportProfile.id == existing).values(**values))
            return existing
        return conn.execute(insert(ImportProfile).values(name=name, **values)).inserted_primary_key[0]


def list_profiles(engine: Engine, *, kind: str | None = None) -> list[dict]:
    """Every saved profile (of `kind`), by name: {name, kind, organisation_code, updated_at, body_toml}."""
    query = (select(ImportProfile.name, ImportProfile.kind, Organisation.code.label("organisation_code"),
                    ImportProfile.updated_at, ImportProfile.body_toml)
             .outerjoin(Organisation, Organisation.id == ImportProfile.organisation_id).order_by(ImportProfile.name))
    if kind:
        query = query.where(ImportProfile.kind == kind)
    with engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]


def delete_profile(engine: Engine, *, name: str) -> bool:
    """Delete the saved profile `name`; False when there was none."""
    with engine.begin() as conn:
        return conn.execute(delete(ImportProfile).where(ImportProfile.name == (name or "").strip())).rowcount > 0
