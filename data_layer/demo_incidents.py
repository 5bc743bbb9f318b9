"""Vectorised generator of the demo municipality's incidents: realistic time, place and source structure from one seed.

The model is a set of Poisson streams (source × category × area × place-or-anywhere), each with a daily intensity
built from a weekly hour profile, seasonality, holidays, action effects and one emerging hotspot. Nothing here
touches the database: it returns columns of plain numpy arrays keyed by indexes into the demo_text tables.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd

from data_layer.demo_geo import AreaGeo, PlaceGeo, jitter_around, sample_in_area
from data_layer.demo_text import (ACTIONS, AREAS, CATEGORY_MIX, ORGANISATIONS, PLACE_AFFINITY, PLACES, REPORTERS,
                                  SOURCE_AREAS, SOURCE_SHARES)

TZ = "Europe/Stockholm"
INCIDENTS_PER_YEAR = 12_000
SIGNAL_FLOOR = 0.5  # hotspot and effect streams never shrink below this scale, so small stores still show them
SIGNAL_MAX_SHARE = 0.4  # ... unless they would make up more than this share of all incidents
AT_PLACE_SHARE = 0.45  # share of background incidents that happen at a named place of the area
EMERGING_PLACE = "lundenparken"
EMERGING_CATEGORIES = ("narkotika", "samling")
EMERGING_DAYS = 56
POLICE_AREA_PRECISION = 0.10  # share of police incidents without a place that are known only to the area
WINDOW_SHARE = 0.30  # share of property incidents from non-police sources known only as an overnight window

CATEGORIES = tuple(CATEGORY_MIX)
ORG_CODES = tuple(code for code, _, _ in ORGANISATIONS)
REPORTER_ORGS = ("trygghetsombud", "bostadsbolaget_a", "bostadsbolaget_b", "bevakning")

# (peaks as (hour, width, weight), floor, weekend-night factor, weekend-day factor)
TIME_PROFILES: dict[str, tuple[tuple[tuple[float, float, float], ...], float, float, float]] = {
    "skadegorelse": (((22.5, 2.5, 1.0),), 0.15, 1.8, 1.0),
    "klotter": (((0.5, 2.5, 1.0),), 0.08, 1.5, 1.0),
    "stold": (((2.0, 3.0, 1.0), (14.0, 3.0, 0.5)), 0.15, 1.2, 1.0),
    "samling": (((20.5, 2.5, 1.0), (16.0, 2.0, 0.4)), 0.05, 1.6, 1.2),
    "ordningsstorning": (((23.5, 2.0, 1.0), (19.0, 2.0, 0.3)), 0.05, 3.0, 1.0),
    "narkotika": (((19.0, 3.0, 1.0),), 0.10, 1.3, 1.0),
    "brand": (((21.5, 3.0, 1.0),), 0.15, 1.4, 1.0),
    "nedskrapning": (((10.0, 2.5, 1.0), (15.0, 2.0, 0.5)), 0.03, 1.0, 0.6),
    "otrygg_plats": (((20.0, 2.5, 1.0), (8.0, 1.5, 0.3)), 0.05, 1.0, 1.0),
    "incident_anstalld": (((11.0, 3.0, 1.0),), 0.02, 1.0, 0.2),
    "vald_hot": (((0.0, 2.5, 1.0), (17.0, 3.0, 0.4)), 0.05, 2.5, 1.0),
    "trafik": (((20.0, 3.0, 1.0),), 0.05, 1.5, 1.2),
    "oro_nara_relation": (((21.0, 3.0, 1.0),), 0.15, 1.5, 1.0),
    "ovrigt": (((13.0, 4.0, 1.0),), 0.10, 1.0, 1.0),
}
SCHOOL_KLOTTER = (((11.0, 2.5, 1.0), (21.0, 2.0, 0.5)), 0.05, 1.0, 0.4)
NIGHT_ONLY = (((1.5, 2.5, 1.0),), 0.10, 1.3, 1.0)

# (amplitude, day of year of the peak)
SEASONS: dict[str, tuple[float, int]] = {
    "skadegorelse": (0.2, 200), "klotter": (0.25, 170), "stold": (0.2, 310), "samling": (0.4, 195),
    "ordningsstorning": (0.35, 190), "narkotika": (0.25, 200), "brand": (0.25, 120), "nedskrapning": (0.4, 190),
    "otrygg_plats": (0.5, 355), "incident_anstalld": (0.1, 60), "vald_hot": (0.2, 190), "trafik": (0.55, 175),
    "oro_nara_relation": (0.15, 360), "ovrigt": (0.1, 180),
}
# Valborg (30 April evening/night) and nyårsafton (31 December evening to 1 January early morning).
FESTIVE_NIGHT = {"brand": 10.0, "ordningsstorning": 5.0, "skadegorelse": 3.0, "vald_hot": 2.5}
FESTIVE_MORNING_AFTER = {"nedskrapning": 4.0}
# School holidays: more gathering and disorder in the daytime.
HOLIDAY_DAYTIME = {"samling": 2.5, "ordningsstorning": 1.8, "narkotika": 1.3, "nedskrapning": 1.3}

AREA_CATEGORY_BIAS: dict[str, dict[str, float]] = {
    "01": {"ordningsstorning": 2.0, "vald_hot": 1.8, "stold": 1.3, "narkotika": 1.2, "nedskrapning": 1.2},
    "02": {"ordningsstorning": 1.5, "stold": 1.3, "otrygg_plats": 1.3},
    "03": {"samling": 1.5, "narkotika": 1.6, "brand": 1.4, "skadegorelse": 1.2, "oro_nara_relation": 1.5},
    "04": {"samling": 1.4, "narkotika": 1.5, "brand": 1.4, "skadegorelse": 1.2, "oro_nara_relation": 1.5},
    "05": {"stold": 1.6, "trafik": 1.5, "samling": 0.5},
    "06": {"trafik": 1.4},
    "08": {"stold": 3.0, "brand": 3.0, "skadegorelse": 1.5, "nedskrapning": 0.5, "samling": 0.3,
           "oro_nara_relation": 0.0, "incident_anstalld": 0.3, "otrygg_plats": 0.5, "trafik": 0.5},
    "09": {"nedskrapning": 2.0, "otrygg_plats": 2.0, "samling": 1.3, "stold": 0.3, "oro_nara_relation": 0.0},
}

# Persistent hotspots and the emerging one: (place key, category, source, incidents per year at scale 1)
SIGNAL_STREAMS: tuple[tuple[str, str, str, float], ...] = (
    ("resecentrum", "ordningsstorning", "polisen", 35), ("resecentrum", "ordningsstorning", "bevakning", 25),
    ("resecentrum", "samling", "bevakning", 20), ("resecentrum", "samling", "kommunen", 25),
    ("resecentrum", "narkotika", "polisen", 25), ("resecentrum", "vald_hot", "polisen", 15),
    ("tvatt_raby", "skadegorelse", "bostadsbolaget_a", 45), ("tvatt_raby", "klotter", "bostadsbolaget_a", 30),
    ("tvatt_raby", "stold", "bostadsbolaget_a", 25), ("tvatt_raby", "brand", "raddningstjansten", 6),
    ("gangtunnel", "otrygg_plats", "trygghetsombud", 20), ("gangtunnel", "vald_hot", "polisen", 15),
    ("gangtunnel", "samling", "trygghetsombud", 15), ("gangtunnel", "skadegorelse", "kommunen", 15),
    ("gangtunnel", "klotter", "kommunen", 15),
    ("bjork_centrum", "samling", "trygghetsombud", 40), ("bjork_centrum", "ordningsstorning", "polisen", 30),
    ("bjork_centrum", "narkotika", "polisen", 20), ("bjork_centrum", "skadegorelse", "bostadsbolaget_a", 25),
    ("lundenparken", "narkotika", "polisen", 10), ("lundenparken", "narkotika", "trygghetsombud", 8),
    ("lundenparken", "samling", "trygghetsombud", 16),
)

# Minutes from occurrence to report: (fixed, exponential mean)
REPORT_DELAY_MIN = {"polisen": (5, 30), "raddningstjansten": (2, 20), "kommunen": (30, 900),
                    "bostadsbolaget_a": (20, 600), "bostadsbolaget_b": (20, 600), "bevakning": (5, 60),
                    "trygghetsombud": (10, 300)}
POLICE_REPORTED_P = {"stold": 0.6, "vald_hot": 0.7, "brand": 0.5, "skadegorelse": 0.3, "klotter": 0.15,
                     "narkotika": 0.3, "incident_anstalld": 0.4, "oro_nara_relation": 0.3}
SEVERE = ("vald_hot", "brand", "incident_anstalld", "narkotika")
SENSITIVE_EXTRA = {"vald_hot": 0.05, "incident_anstalld": 0.05}


@dataclass
class Calendar:
    """The five-year day grid ending at today, with the calendar facts the intensities depend on."""

    today: date
    start: date
    days: np.ndarray  # datetime64[D]
    dow: np.ndarray
    doy: np.ndarray
    month: np.ndarray
    dom: np.ndarray
    school_holiday: np.ndarray

    @property
    def n(self) -> int:
        return len(self.days)

    def index_of(self, d: date) -> int:
        """Day index of `d`, clipped to the grid."""
        return int(np.clip((np.datetime64(d, "D") - self.days[0]).astype(int), 0, self.n))


@dataclass
class IncidentColumns:
    """Generated incidents as parallel arrays, sorted by occurrence; indexes refer to demo_text tables."""

    source: np.ndarray
    category: np.ndarray
    area: np.ndarray
    place: np.ndarray  # -1 when not at a place
    occurred_s: np.ndarray  # UTC epoch seconds
    occurred_to_s: np.ndarray  # -1 when an instant
    reported_s: np.ndarray
    local_date: np.ndarray  # datetime64[D], Europe/Stockholm
    local_hour: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    area_precision: np.ndarray  # bool
    assessment: np.ndarray  # 0 = none
    police_reported: np.ndarray
    sensitive: np.ndarray
    reporter: np.ndarray  # index into reporter_pool(), -1 = none
    source_type_pick: np.ndarray  # random integer; the writer picks wording by modulo
    description_pick: np.ndarray

    def __len__(self) -> int:
        return len(self.source)


def data_start(today: date) -> date:
    """First day of the five-year window ending at today (today minus five years plus one day)."""
    try:
        five_back = today.replace(year=today.year - 5)
    except ValueError:  # 29 February
        five_back = today.replace(year=today.year - 5, day=28)
    return five_back + timedelta(days=1)


def make_calendar(today: date) -> Calendar:
    """Build the day grid and its calendar facts (weekday, season, school holidays)."""
    start = data_start(today)
    idx = pd.date_range(start, today, freq="D")
    days = idx.values.astype("datetime64[D]")
    week = idx.isocalendar().week.to_numpy().astype(int)
    month = idx.month.to_numpy()
    dom = idx.day.to_numpy()
    summer = ((month == 6) & (dom >= 12)) | (month == 7) | ((month == 8) & (dom <= 17))
    christmas = ((month == 12) & (dom >= 21)) | ((month == 1) & (dom <= 6))
    holiday = summer | christmas | (week == 44) | (week == 9)
    return Calendar(today=today, start=start, days=days, dow=idx.day_of_week.to_numpy(),
                    doy=idx.day_of_year.to_numpy(), month=month, dom=dom, school_holiday=holiday)


def _hour_curve(peaks, floor: float) -> np.ndarray:
    h = np.arange(24, dtype=float)
    w = np.full(24, floor)
    for centre, width, weight in peaks:
        d = np.abs(h - centre)
        d = np.minimum(d, 24 - d)
        w += weight * np.exp(-0.5 * (d / width) ** 2)
    return w


def _weekly(profile) -> np.ndarray:
    """7 × 24 weights (Monday first): the hour curve with weekend nights and weekend days scaled."""
    peaks, floor, weekend_night, weekend_day = profile
    curve = _hour_curve(peaks, floor)
    m = np.tile(curve, (7, 1))
    evening, early = np.arange(18, 24), np.arange(0, 5)
    for night_of in (4, 5):  # Friday and Saturday nights, running past midnight into the next day
        m[night_of, evening] *= weekend_night
        m[night_of + 1, early] *= weekend_night
    m[3, evening] *= np.sqrt(weekend_night)
    m[4, early] *= np.sqrt(weekend_night)
    m[5:7, 5:18] *= weekend_day
    return m


def _profile_for(category: str, context: str):
    if context == "night":
        return TIME_PROFILES[category] if category == "incident_anstalld" else NIGHT_ONLY
    if context == "skola" and category == "klotter":
        return SCHOOL_KLOTTER
    return TIME_PROFILES[category]


def day_hour_weights(cal: Calendar, category: str, context: str) -> np.ndarray:
    """n_days × 24 intensity shape for a category in a context, normalised to a mean daily sum of 1."""
    w = _weekly(_profile_for(category, context))[cal.dow].copy()
    amp, peak = SEASONS[category]
    w *= (1 + amp * np.cos(2 * np.pi * (cal.doy - peak) / 365.25))[:, None]
    festive_eve = ((cal.month == 4) & (cal.dom == 30)) | ((cal.month == 12) & (cal.dom == 31))
    festive_after = ((cal.month == 5) & (cal.dom == 1)) | ((cal.month == 1) & (cal.dom == 1))
    if category in FESTIVE_NIGHT:
        f = FESTIVE_NIGHT[category]
        w[np.ix_(festive_eve, np.arange(18, 24))] *= f
        w[np.ix_(festive_after, np.arange(0, 5))] *= f
    if category in FESTIVE_MORNING_AFTER:
        w[np.ix_(festive_after, np.arange(8, 15))] *= FESTIVE_MORNING_AFTER[category]
    if category in HOLIDAY_DAYTIME:
        w[np.ix_(cal.school_holiday, np.arange(10, 18))] *= HOLIDAY_DAYTIME[category]
    return w / w.sum(axis=1).mean()


@dataclass
class Streams:
    """Poisson streams as parallel lists; rates are incidents per year before scaling."""

    source: list = field(default_factory=list)
    category: list = field(default_factory=list)
    area: list = field(default_factory=list)
    place: list = field(default_factory=list)
    rate: list = field(default_factory=list)
    signal: list = field(default_factory=list)

    def add(self, *, source: int, category: int, area: int, place: int, rate: float, signal: bool) -> None:
        """Append one stream."""
        self.source.append(source)
        self.category.append(category)
        self.area.append(area)
        self.place.append(place)
        self.rate.append(rate)
        self.signal.append(signal)


def _sources_for(area_idx: int, category: str) -> list[tuple[int, float]]:
    spec = AREAS[area_idx]
    out = []
    for kind, share in SOURCE_SHARES[category].items():
        code = spec.housing if kind == "bostadsbolag" else kind
        if code is None:
            continue
        allowed = SOURCE_AREAS.get(code)
        if allowed is not None and spec.key not in allowed:
            continue
        out.append((ORG_CODES.index(code), share))
    total = sum(s for _, s in out)
    return [(i, s / total) for i, s in out]


def _area_category_mix(area_idx: int) -> np.ndarray:
    bias = AREA_CATEGORY_BIAS.get(AREAS[area_idx].key, {})
    mix = np.array([CATEGORY_MIX[c] * bias.get(c, 1.0) for c in CATEGORIES])
    return mix / mix.sum()


def build_streams() -> Streams:
    """All background streams (area × category × source × place-or-anywhere) and the signal streams."""
    st = Streams()
    share = np.array([a.incident_share for a in AREAS])
    share = share / share.sum()
    place_idx_by_area = {i: [j for j, p in enumerate(PLACES) if p.area == a.key] for i, a in enumerate(AREAS)}
    for ai in range(len(AREAS)):
        mix = _area_category_mix(ai)
        for ci, cat in enumerate(CATEGORIES):
            if mix[ci] == 0:
                continue
            places = place_idx_by_area[ai]
            aff = np.array([PLACE_AFFINITY.get(PLACES[j].kind, {}).get(cat, 0.0) for j in places])
            at_place = AT_PLACE_SHARE if aff.sum() > 0 else 0.0
            for si, s_share in _sources_for(ai, cat):
                rate = INCIDENTS_PER_YEAR * share[ai] * mix[ci] * s_share
                st.add(source=si, category=ci, area=ai, place=-1, rate=rate * (1 - at_place), signal=False)
                for j, a in zip(places, aff):
                    if a > 0:
                        st.add(source=si, category=ci, area=ai, place=j, rate=rate * at_place * a / aff.sum(),
                               signal=False)
    place_keys = [p.key for p in PLACES]
    area_keys = [a.key for a in AREAS]
    for place_key, cat, src, rate in SIGNAL_STREAMS:
        pi = place_keys.index(place_key)
        st.add(source=ORG_CODES.index(src), category=CATEGORIES.index(cat), area=area_keys.index(PLACES[pi].area),
               place=pi, rate=rate, signal=True)
    return st


def _context(area_idx: int, place_idx: int) -> str:
    if AREAS[area_idx].night_only:
        return "night"
    if place_idx >= 0 and PLACES[place_idx].kind == "skola":
        return "skola"
    return "default"


def _modifiers(cal: Calendar, st: Streams) -> dict[int, np.ndarray]:
    """Per-stream day multipliers: built-in action effects and the emerging hotspot's ramp."""
    mods: dict[int, np.ndarray] = {}
    place_keys = [p.key for p in PLACES]
    for spec in ACTIONS:
        if spec.effect is None:
            continue
        pi = place_keys.index(spec.place)
        cats = {CATEGORIES.index(c) for c in spec.categories}
        from_idx = cal.index_of(cal.today + timedelta(days=spec.start_days))
        for s in range(len(st.rate)):
            if st.place[s] == pi and st.category[s] in cats:
                m = mods.setdefault(s, np.ones(cal.n))
                m[from_idx:] *= spec.effect
    em_place = place_keys.index(EMERGING_PLACE)
    em_cats = {CATEGORIES.index(c) for c in EMERGING_CATEGORIES}
    ramp = np.ones(cal.n)
    ramp[-EMERGING_DAYS:] = np.linspace(3.0, 24.0, EMERGING_DAYS)
    for s in range(len(st.rate)):
        if st.signal[s] and st.place[s] == em_place and st.category[s] in em_cats:
            mods[s] = mods.get(s, np.ones(cal.n)) * ramp
    return mods


def _intensities(cal: Calendar, st: Streams, scale: float):
    """Return (λ per stream × day, profile id per stream, profile weights) scaled to 12,000 × scale per year."""
    profile_keys: dict[tuple[int, str], int] = {}
    weights: list[np.ndarray] = []
    prof = np.empty(len(st.rate), dtype=int)
    for s in range(len(st.rate)):
        key = (st.category[s], _context(st.area[s], st.place[s]))
        if key not in profile_keys:
            profile_keys[key] = len(weights)
            weights.append(day_hour_weights(cal, CATEGORIES[key[0]], key[1]))
        prof[s] = profile_keys[key]
    daily = np.stack([w.sum(axis=1) for w in weights])
    lam = np.asarray(st.rate)[:, None] / 365.25 * daily[prof]
    for s, m in _modifiers(cal, st).items():
        lam[s] *= m
    signal = np.asarray(st.signal)
    target = INCIDENTS_PER_YEAR * scale * cal.n / 365.25
    sig_total = lam[signal].sum()
    sig_scale = max(scale, SIGNAL_FLOOR)
    sig_scale = min(sig_scale, SIGNAL_MAX_SHARE * target / sig_total)
    lam[signal] *= sig_scale
    lam[~signal] *= (target - lam[signal].sum()) / lam[~signal].sum()
    return lam, prof, weights


def _draw_hours(rng, prof_of_inc: np.ndarray, day: np.ndarray, weights: list[np.ndarray]) -> np.ndarray:
    hours = np.empty(len(day), dtype=np.int64)
    for p, w in enumerate(weights):
        sel = np.flatnonzero(prof_of_inc == p)
        if not len(sel):
            continue
        cum = np.cumsum(w[day[sel]], axis=1)
        u = rng.random(len(sel)) * cum[:, -1]
        hours[sel] = np.minimum((cum < u[:, None]).sum(axis=1), 23)
    return hours


def _local_to_utc_seconds(rng, days64: np.ndarray, hour: np.ndarray, minute: np.ndarray) -> np.ndarray:
    """UTC epoch seconds of local Stockholm wall-clock times (spring gap shifted forward, autumn overlap drawn)."""
    naive = (days64.astype("datetime64[s]") + (hour * 3600 + minute * 60).astype("timedelta64[s]"))
    idx = pd.DatetimeIndex(naive)
    aware = idx.tz_localize(TZ, ambiguous=rng.random(len(idx)) < 0.5, nonexistent="shift_forward")
    return aware.tz_convert("UTC").as_unit("s").asi8.astype(np.int64)


def local_date_hour(utc_seconds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Europe/Stockholm calendar date (datetime64[D]) and hour of UTC epoch seconds."""
    local = pd.to_datetime(utc_seconds, unit="s", utc=True).tz_convert(TZ).tz_localize(None)
    return local.values.astype("datetime64[D]"), local.hour.to_numpy().astype(np.int64)


def end_of_day_utc(d: date) -> int:
    """UTC epoch seconds of 23:59 local time on `d`."""
    ts = pd.Timestamp(d.isoformat() + " 23:59").tz_localize(TZ)
    return int(ts.tz_convert("UTC").timestamp())


def reporter_pool() -> list[tuple[str, str, int, int | None, float]]:
    """Reporters in a fixed order: the core 'ombud' user first, then the extra reporter accounts."""
    return [("ombud", "trygghetsombud", 0, None, 1.2), *REPORTERS]


def _draw_reporters(rng, cal: Calendar, source: np.ndarray, day: np.ndarray) -> np.ndarray:
    pool = reporter_pool()
    out = np.full(len(source), -1, dtype=np.int64)
    for org in REPORTER_ORGS:
        members = [i for i, r in enumerate(pool) if r[1] == org]
        sel = np.flatnonzero(source == ORG_CODES.index(org))
        if not len(sel) or not members:
            continue
        w = np.zeros((cal.n, len(members)))
        for k, i in enumerate(members):
            _, _, joined, left, weight = pool[i]
            stop = cal.n - left if left is not None else cal.n
            w[joined:stop, k] = weight
        w[w.sum(axis=1) == 0, 0] = 1.0
        cum = np.cumsum(w[day[sel]], axis=1)
        u = rng.random(len(sel)) * cum[:, -1]
        pick = np.minimum((cum < u[:, None]).sum(axis=1), len(members) - 1)
        out[sel] = np.asarray(members)[pick]
    return out


def _locate(rng, area_geos: list[AreaGeo], place_geos: list[PlaceGeo], area: np.ndarray, place: np.ndarray,
            signal: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lat = np.empty(len(area))
    lon = np.empty(len(area))
    for ai, geo in enumerate(area_geos):
        sel = np.flatnonzero((area == ai) & (place < 0))
        if len(sel):
            lon[sel], lat[sel] = sample_in_area(rng, geo, len(sel))
    for pi, pg in enumerate(place_geos):
        geo = area_geos[[a.key for a in AREAS].index(pg.area_key)]
        for sig, sigma in ((False, 0.06), (True, 0.035)):
            sel = np.flatnonzero((place == pi) & (signal == sig))
            if len(sel):
                lon[sel], lat[sel] = jitter_around(rng, geo, np.full(len(sel), pg.lon), np.full(len(sel), pg.lat),
                                                   sigma)
    return lat, lon


def generate_incidents(*, seed: int, cal: Calendar, scale: float, area_geos: list[AreaGeo],
                       place_geos: list[PlaceGeo]) -> IncidentColumns:
    """Draw every incident of the demo from `seed`; same seed, calendar and scale give identical arrays."""
    rng = np.random.default_rng([seed, 1])
    st = build_streams()
    lam, prof, weights = _intensities(cal, st, scale)
    counts = rng.poisson(lam)
    s_idx, d_idx = np.nonzero(counts)
    reps = counts[s_idx, d_idx]
    stream = np.repeat(s_idx, reps)
    day = np.repeat(d_idx, reps)
    n = len(stream)
    source = np.asarray(st.source)[stream]
    category = np.asarray(st.category)[stream]
    area = np.asarray(st.area)[stream]
    place = np.asarray(st.place)[stream]
    signal = np.asarray(st.signal)[stream]

    hour = _draw_hours(rng, prof[stream], day, weights)
    minute = rng.integers(0, 60, n)
    prop_cats = np.isin(category, [CATEGORIES.index(c) for c in ("skadegorelse", "klotter", "stold")])
    window_src = np.isin(source, [ORG_CODES.index(c) for c in
                                  ("kommunen", "bostadsbolaget_a", "bostadsbolaget_b", "bevakning")])
    is_window = prop_cats & window_src & (day < cal.n - 1) & (rng.random(n) < WINDOW_SHARE)
    hour = np.where(is_window, rng.integers(17, 23, n), hour)
    occurred = _local_to_utc_seconds(rng, cal.days[day], hour, minute)
    to_local_hour = rng.integers(6, 9, n)
    occurred_to = _local_to_utc_seconds(rng, cal.days[np.minimum(day + 1, cal.n - 1)], to_local_hour,
                                        rng.integers(0, 60, n))
    occurred_to = np.where(is_window, occurred_to, -1)

    org_codes = np.asarray(ORG_CODES)
    fixed = np.array([REPORT_DELAY_MIN[c][0] for c in org_codes])[source]
    mean = np.array([REPORT_DELAY_MIN[c][1] for c in org_codes])[source]
    delay_min = np.round(fixed + rng.exponential(1.0, n) * mean)
    base = np.where(is_window, occurred_to, occurred)
    reported = np.maximum(np.minimum(base + delay_min.astype(np.int64) * 60, end_of_day_utc(cal.today)), base)

    lat, lon = _locate(rng, area_geos, place_geos, area, place, signal)
    police = source == ORG_CODES.index("polisen")
    area_precision = police & (place < 0) & (rng.random(n) < POLICE_AREA_PRECISION)
    lat = np.where(area_precision, np.array([a.centroid_lat for a in area_geos])[area], lat)
    lon = np.where(area_precision, np.array([a.centroid_lon for a in area_geos])[area], lon)

    severe = np.isin(category, [CATEGORIES.index(c) for c in SEVERE])
    u = rng.random(n)
    assessment = np.where(severe, 1 + (u > 0.2) + (u > 0.6), 1 + (u > 0.5) + (u > 0.85)).astype(np.int64)
    no_assessment = police | (source == ORG_CODES.index("raddningstjansten"))
    assessment = np.where(no_assessment, 0, assessment)
    p_police = np.array([POLICE_REPORTED_P.get(c, 0.05) for c in CATEGORIES])[category]
    police_reported = police | (rng.random(n) < p_police)
    p_sensitive = np.array([SENSITIVE_EXTRA.get(c, 0.0) for c in CATEGORIES])[category]
    sensitive = (category == CATEGORIES.index("oro_nara_relation")) | (rng.random(n) < p_sensitive)
    reporter = _draw_reporters(rng, cal, source, day)
    st_pick = rng.integers(0, 1_000_000, n)
    desc_pick = rng.integers(0, 1_000_000, n)

    order = np.argsort(occurred, kind="stable")
    local_date, local_hour = local_date_hour(occurred[order])
    return IncidentColumns(
        source=source[order], category=category[order], area=area[order], place=place[order],
        occurred_s=occurred[order], occurred_to_s=occurred_to[order], reported_s=reported[order],
        local_date=local_date, local_hour=local_hour, lat=lat[order], lon=lon[order],
        area_precision=area_precision[order], assessment=assessment[order], police_reported=police_reported[order],
        sensitive=sensitive[order], reporter=reporter[order], source_type_pick=st_pick[order],
        description_pick=desc_pick[order])
