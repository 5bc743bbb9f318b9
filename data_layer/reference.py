"""Reference data every store starts with: the EST incident categories (get-or-create, never duplicated)."""
from __future__ import annotations

from sqlmodel import Session, select

from data_layer.models import Category

# (code, Swedish label, English label, group, sensitive by default)
CATEGORIES: tuple[tuple[str, str, str, str, bool], ...] = (
    ("skadegorelse", "Skadegörelse", "Vandalism", "egendom", False),
    ("klotter", "Klotter", "Graffiti", "egendom", False),
    ("stold", "Stöld/inbrott", "Theft/burglary", "egendom", False),
    ("samling", "Otrygghetsskapande samling", "Intimidating gathering", "ordning", False),
    ("ordningsstorning", "Ordningsstörning", "Public disorder", "ordning", False),
    ("narkotika", "Narkotika (misstanke)", "Suspected drugs", "narkotika", False),
    ("brand", "Brand/anlagd brand", "Fire/arson", "brand", False),
    ("nedskrapning", "Nedskräpning", "Littering", "miljo", False),
    ("otrygg_plats", "Otrygg plats/belysning", "Unsafe place/lighting", "miljo", False),
    ("incident_anstalld", "Incident mot anställd", "Incident against staff", "vald", False),
    ("vald_hot", "Våld/hot", "Violence/threat", "vald", False),
    ("trafik", "Trafik/buskörning", "Traffic/reckless driving", "trafik", False),
    ("oro_nara_relation", "Oro för våld i nära relation", "Concern: domestic violence", "vald", True),
    ("ovrigt", "Övrigt", "Other", "ovrigt", False),
)


def ensure_categories(session: Session) -> dict[str, int]:
    """Create the missing standard categories and return {code: id} for all categories in the store."""
    existing = {c.code: c for c in session.exec(select(Category)).all()}
    for code, sv, en, group, sensitive in CATEGORIES:
        if code not in existing:
            cat = Category(code=code, label_sv=sv, label_en=en, group=group, sensitive_default=sensitive)
            session.add(cat)
            existing[code] = cat
    session.flush()
    return {code: cat.id for code, cat in existing.items()}
