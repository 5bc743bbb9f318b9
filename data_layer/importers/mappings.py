"""Which of our categories a source's own type lands in: defaults in code, the live (editable) table in the store."""
from __future__ import annotations

from sqlalchemy import Connection, Engine, insert, select, update

from data_layer import rollups
from data_layer.reference import bump_data_version, ensure_categories
from data_layer.models import Category, CategoryMapping, ImportBatch, Incident
from data_layer.reference import CATEGORIES

FALLBACK_CATEGORY = "ovrigt"

# Polisen's public event types (all 97 seen 2023-03..2026-08). Types not listed land in "ovrigt".
POLISEN_DEFAULTS: dict[str, str] = {
    **dict.fromkeys(("Trafikolycka", "Trafikolycka, personskada", "Trafikolycka, singel", "Trafikolycka, vilt",
                     "Trafikolycka, smitning från", "Trafikbrott", "Rattfylleri", "Trafikkontroll",
                     "Olovlig körning", "Trafikhinder"), "trafik"),
    **dict.fromkeys(("Brand", "Mordbrand", "Brand automatlarm"), "brand"),
    **dict.fromkeys(("Misshandel", "Misshandel, grov", "Mord/dråp", "Mord/dråp, försök", "Olaga hot", "Rån",
                     "Rån, försök", "Rån övrigt", "Rån väpnat", "Våldtäkt", "Våldtäkt, försök", "Sexualbrott",
                     "Sedlighetsbrott", "Skottlossning", "Skottlossning, misstänkt", "Explosion", "Detonation",
                     "Knivlagen", "Vapenlagen", "Bombhot", "Olaga frihetsberövande/människorov", "Larm Överfall",
                     "Hets mot folkgrupp", "Vållande till kroppsskada"), "vald_hot"),
    "Våld/hot mot tjänsteman": "incident_anstalld",
    **dict.fromkeys(("Stöld", "Stöld/inbrott", "Stöld, försök", "Inbrott", "Inbrott, försök", "Larm Inbrott",
                     "Motorfordon, stöld", "Motorfordon, anträffat stulet", "Häleri"), "stold"),
    **dict.fromkeys(("Skadegörelse", "Sabotage mot blåljusverksamhet"), "skadegorelse"),
    "Narkotikabrott": "narkotika",
    **dict.fromkeys(("Fylleri/LOB", "Fylleri", "Bråk", "Ofredande/förargelse", "Ordningslagen", "Alkohollagen",
                     "Olaga intrång", "Hemfridsbrott", "Smällar"), "ordningsstorning"),
}

# police.uk "Crime type" values.
POLICE_UK_DEFAULTS: dict[str, str] = {
    "Anti-social behaviour": "ordningsstorning",
    "Public order": "ordningsstorning",
    "Violence and sexual offences": "vald_hot",
    "Robbery": "vald_hot",
    "Possession of weapons": "vald_hot",
    "Criminal damage and arson": "skadegorelse",
    "Burglary": "stold",
    "Other theft": "stold",
    "Vehicle crime": "stold",
    "Shoplifting": "stold",
    "Theft from the person": "stold",
    "Bicycle theft": "stold",
    "Drugs": "narkotika",
    "Other crime": "ovrigt",
}

DEFAULTS: dict[str, dict[str, str]] = {"polisen-json": POLISEN_DEFAULTS, "police-uk-csv": POLICE_UK_DEFAULTS}


class MappingError(ValueError):
    """A mapping edit that names an unknown category."""


def _key(source_type: str | None) -> str:
    return (source_type or "").strip()


def ensure_defaults(conn: Connection, source_kind: str) -> dict[str, str]:
    """Insert the code's default mappings missing from the store (never overwriting edits); return {type: code}."""
    have = dict(conn.execute(select(CategoryMapping.source_type, CategoryMapping.category_code)
                             .where(CategoryMapping.source_kind == source_kind)).all())
    missing = [{"source_kind": source_kind, "source_type": t, "category_code": c, "edited": False}
               for t, c in DEFAULTS.get(source_kind, {}).items() if t not in have]
    if missing:
        conn.execute(insert(CategoryMapping), missing)
        have.update({m["source_type"]: m["category_code"] for m in missing})
    return have


def category_for(mapping: dict[str, str], source_type: str | None) -> str:
    """Our category code for a source type: the mapping's, else "ovrigt"."""
    return mapping.get(_key(source_type), FALLBACK_CATEGORY)


def list_mappings(engine: Engine, *, source_kind: str | None = None) -> list[dict]:
    """Every mapping row (defaults seeded first), sorted by source and type."""
    with engine.begin() as conn:
        for kind in ([source_kind] if source_kind else DEFAULTS):
            ensure_defaults(conn, kind)
        query = select(CategoryMapping).order_by(CategoryMapping.source_kind, CategoryMapping.source_type)
        if source_kind:
            query = query.where(CategoryMapping.source_kind == source_kind)
        return [{"source_kind": m.source_kind, "source_type": m.source_type, "category_code": m.category_code,
                 "edited": m.edited} for m in conn.execute(query)]


def set_mapping(engine: Engine, *, source_kind: str, source_type: str, category_code: str,
                recategorise: bool = True) -> int:
    """Map `source_type` to `category_code` (marked as edited); re-file already imported incidents; return how many."""
    if category_code not in {c[0] for c in CATEGORIES}:
        with engine.connect() as conn:
            known = set(conn.execute(select(Category.code)).scalars())
        if category_code not in known:
            raise MappingError(f"Okänd kategori '{category_code}'. Giltiga: {', '.join(sorted(known | {c[0] for c in CATEGORIES}))}")
    source_type = _key(source_type)
    with engine.begin() as conn:
        ensure_defaults(conn, source_kind)
        changed = conn.execute(update(CategoryMapping).where(CategoryMapping.source_kind == source_kind,
                                                             CategoryMapping.source_type == source_type)
                               .values(category_code=category_code, edited=True)).rowcount
        if not changed:
            conn.execute(insert(CategoryMapping).values(source_kind=source_kind, source_type=source_type,
                                                        category_code=category_code, edited=True))
        if not recategorise:
            return 0
        category_id = ensure_categories(conn)[category_code]
        batches = select(ImportBatch.id).where(ImportBatch.source_kind == source_kind)
        refiled = [Incident.source_type == source_type, Incident.import_batch_id.in_(batches),
                   Incident.category_id != category_id]
        rollups.move_category(conn, where=refiled, category_id=category_id)
        moved = conn.execute(update(Incident).where(*refiled).values(category_id=category_id)).rowcount
        if moved:
            bump_data_version(conn)
        return moved
