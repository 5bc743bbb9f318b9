"""Find a municipality or county Area by the name a source writes ("Upplands väsby", "Dals-ed", "Skåne län")."""
from __future__ import annotations

from sqlalchemy import Connection, select

from data_layer.models import Area

# Unofficial or older names seen in sources -> the official name (compared after normalisation).
ALIASES = {
    "malung": "malung-sälen",
    "göteborgs stad": "göteborg",
    "stockholms stad": "stockholm",
    "region gotland": "gotland",
    "gotlands kommun": "gotland",
    "upplands bro": "upplands-bro",
    "dals ed": "dals-ed",
}
SUFFIXES = (" kommun", "s kommun", " stad", "s stad")


def normalise(name: str) -> str:
    """Case-folded, whitespace-collapsed, with typographic dashes as hyphens."""
    return " ".join(name.replace("\u2013", "-").replace("\u2014", "-").split()).casefold()


def is_county(name: str) -> bool:
    """True for county names such as "Skåne län" (but not "Borlänge")."""
    return normalise(name).endswith(" län")


class AreaNames:
    """Lookup of area ids by normalised name for the kommun and län levels."""

    def __init__(self, kommun: dict[str, tuple[int, float | None, float | None]],
                 lan: dict[str, tuple[int, float | None, float | None]]) -> None:
        self.kommun, self.lan = kommun, lan

    @classmethod
    def load(cls, conn: Connection) -> "AreaNames":
        """Read the names of every kommun- and län-level area."""
        levels: dict[str, dict] = {"kommun": {}, "lan": {}}
        rows = conn.execute(select(Area.id, Area.name, Area.level, Area.centroid_lat, Area.centroid_lon)
                            .where(Area.level.in_(levels)))
        for area_id, name, level, lat, lon in rows:
            levels[level].setdefault(normalise(name), (area_id, lat, lon))
        return cls(levels["kommun"], levels["lan"])

    def municipality(self, name: str) -> tuple[int, float | None, float | None] | None:
        """(area id, centre lat, centre lon) of the municipality a name refers to, or None."""
        return _lookup(self.kommun, name)

    def county(self, name: str) -> tuple[int, float | None, float | None] | None:
        """(area id, centre lat, centre lon) of the county a name refers to, or None."""
        return _lookup(self.lan, name)


def _lookup(table: dict, name: str):
    key = normalise(name)
    if not key:
        return None
    candidates = [key, ALIASES.get(key, key)]
    for suffix in SUFFIXES:
        if key.endswith(suffix):
            stripped = key[: -len(suffix)]
            candidates += [stripped, ALIASES.get(stripped, stripped)]
    candidates.append(key.replace(" ", "-"))
    return next((table[c] for c in candidates if c in table), None)
