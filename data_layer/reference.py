"""Reference data every store starts with (the EST categories) and the store's data version that caches key on."""
from __future__ import annotations

from sqlalchemy import insert, select, update

from data_layer.models import Category, StoreInfo

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


def ensure_categories(db) -> dict[str, int]:
    """Create the missing standard categories and return {code: id} for all of them (`db`: Session or Connection)."""
    have = dict(db.execute(select(Category.code, Category.id)).all())
    for code, sv, en, group, sensitive in CATEGORIES:
        if code not in have:
            have[code] = db.execute(insert(Category).values(code=code, label_sv=sv, label_en=en, group=group,
                                                            sensitive_default=sensitive)).inserted_primary_key[0]
    return have


def bump_data_version(db) -> None:
    """Increase StoreInfo "data_version" by one (created as "1") so cached figures are recomputed."""
    current = db.execute(select(StoreInfo.value).where(StoreInfo.key == "data_version").with_for_update()
                         ).scalar_one_or_none()
    if current is None:
        db.execute(insert(StoreInfo).values(key="data_version", value="1"))
    else:
        new = str(int(current) + 1) if current.isdigit() else "1"
        db.execute(update(StoreInfo).where(StoreInfo.key == "data_version").values(value=new))
