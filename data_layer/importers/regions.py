"""Region profiles: the bounding box a source's coordinates must fall in, and detection of swapped axes."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Region:
    """A named bounding box in WGS84 degrees."""

    name_sv: str
    lat_min: float
    lat_max: float
    lon_min: float
    lon_max: float

    def contains(self, lat: float, lon: float) -> bool:
        """True when (lat, lon) lies inside the box."""
        return self.lat_min <= lat <= self.lat_max and self.lon_min <= lon <= self.lon_max


REGIONS = {
    "sweden": Region("Sverige", 55.0, 69.1, 10.9, 24.2),
    "england": Region("England och Wales", 49.8, 55.9, -6.5, 1.8),
}


def coordinate_problem(lat: float, lon: float, region: str) -> tuple[str | None, bool]:
    """(Swedish reason or None, True when the axes look swapped) for a point checked against `region`."""
    box = REGIONS[region]
    if box.contains(lat, lon):
        return None, False
    if box.contains(lon, lat):
        return (f"latitud och longitud verkar omkastade (lat {lat:g}, lon {lon:g}); "
                f"byt plats på kolumnerna", True)
    return f"koordinaten (lat {lat:g}, lon {lon:g}) ligger utanför {box.name_sv}", False
