"""Fixed content of the fictional demo municipality "Sjöbacka kommun (demo)": names, places, wording and plans.

Pure data, no logic: the generator in data_layer.demo reads these tables in order, so their order fixes ids.
"""
from __future__ import annotations

from dataclasses import dataclass

MUNICIPALITY_NAME = "Sjöbacka kommun (demo)"
FORUM = "Trygghetsforum Sjöbacka"


@dataclass(frozen=True)
class AreaSpec:
    """A child area: code suffix, name, Voronoi seed (km), residents, incident share and survey traits."""

    key: str
    name: str
    seed_km: tuple[float, float]
    population: int
    vulnerable: bool
    incident_share: float  # share of background incidents
    housing: str | None  # which housing company manages rentals here
    otrygg_kvall: float  # survey: share unsafe out alone late evening (latest wave)
    problem_level: float  # survey: general level of perceived local problems, 0-1
    night_only: bool = False  # few residents: incidents shift to night


# Sjöparken is the deliberately "unsafe but calm" area, Centrum the "busy but safe" one.
AREAS: tuple[AreaSpec, ...] = (
    AreaSpec("01", "Centrum", (0.1, 0.3), 2600, False, 0.16, "bostadsbolaget_a", 0.13, 0.30),
    AreaSpec("02", "Stationsområdet", (1.0, -0.3), 1400, False, 0.09, "bostadsbolaget_b", 0.27, 0.35),
    AreaSpec("03", "Björkhagen", (-1.9, 1.3), 4200, True, 0.17, "bostadsbolaget_a", 0.36, 0.48),
    AreaSpec("04", "Råbylund", (1.5, 1.6), 3600, True, 0.14, "bostadsbolaget_a", 0.31, 0.44),
    AreaSpec("05", "Norra villastaden", (-0.2, 1.9), 3800, False, 0.05, None, 0.08, 0.12),
    AreaSpec("06", "Södra Ängen", (0.0, -1.6), 3900, False, 0.06, "bostadsbolaget_b", 0.11, 0.18),
    AreaSpec("07", "Västerslätt", (-2.2, -0.2), 3500, False, 0.08, "bostadsbolaget_b", 0.17, 0.26),
    AreaSpec("08", "Östra industriområdet", (2.4, -0.6), 150, False, 0.06, None, 0.24, 0.30, night_only=True),
    AreaSpec("09", "Sjöparken", (-0.9, 0.2), 1600, False, 0.025, None, 0.46, 0.40),  # few incidents per resident
    AreaSpec("10", "Lunden", (1.3, -1.7), 3100, False, 0.07, "bostadsbolaget_b", 0.16, 0.24),
    AreaSpec("11", "Kvarnbacken", (-1.4, -1.5), 3400, False, 0.075, "bostadsbolaget_b", 0.15, 0.22),
)

OUTLINE_KM: tuple[tuple[float, float], ...] = (
    (3.2, -0.6), (3.0, 0.5), (2.6, 1.6), (1.9, 2.4), (0.8, 2.7), (-0.4, 2.75), (-1.5, 2.5), (-2.4, 1.9),
    (-3.0, 0.9), (-3.1, -0.3), (-2.7, -1.5), (-1.9, -2.4), (-0.8, -2.8), (0.4, -2.8), (1.5, -2.5), (2.5, -1.8),
)


@dataclass(frozen=True)
class PlaceSpec:
    """A named spot: key, name, kind, area key and offset (km) from the area's seed."""

    key: str
    name: str
    kind: str
    area: str
    offset_km: tuple[float, float]


PLACES: tuple[PlaceSpec, ...] = (
    PlaceSpec("stora_torget", "Stora torget", "torg", "01", (0.0, 0.0)),
    PlaceSpec("galleria", "Sjöbacka galleria", "centrum", "01", (0.15, -0.12)),
    PlaceSpec("krogstraket", "Krogstråket Storgatan", "torg", "01", (-0.12, 0.15)),
    PlaceSpec("resecentrum", "Sjöbacka resecentrum", "hållplats", "02", (-0.15, 0.05)),
    PlaceSpec("gangtunnel", "Gångtunneln vid stationen", "gångtunnel", "02", (0.05, -0.2)),
    PlaceSpec("pendelparkering", "Pendelparkeringen", "parkering", "02", (0.25, 0.1)),
    PlaceSpec("bjork_centrum", "Björkhagens centrum", "centrum", "03", (0.0, 0.0)),
    PlaceSpec("bjorkhagsskolan", "Björkhagsskolan", "skola", "03", (0.3, 0.25)),
    PlaceSpec("tvatt_bjork", "Tvättstugan Björkvägen 12", "tvättstuga", "03", (-0.25, 0.1)),
    PlaceSpec("fritid_bjorken", "Fritidsgården Björken", "fritidsgård", "03", (0.15, -0.2)),
    PlaceSpec("kallare_lonn", "Källarförråden Lönnvägen", "källare", "03", (-0.3, -0.25)),
    PlaceSpec("raby_torg", "Råbylunds torg", "torg", "04", (0.0, 0.0)),
    PlaceSpec("tvatt_raby", "Tvättstugan Råbyvägen 4", "tvättstuga", "04", (0.2, 0.18)),
    PlaceSpec("rabyskolan", "Råbylundsskolan", "skola", "04", (-0.3, 0.1)),
    PlaceSpec("hpl_raby", "Hållplats Råbylund", "hållplats", "04", (-0.1, -0.25)),
    PlaceSpec("kallare_raby", "Källargången Råbyvägen", "källare", "04", (0.3, -0.1)),
    PlaceSpec("norrskolan", "Norrskolan", "skola", "05", (0.1, -0.1)),
    PlaceSpec("villa_lekpark", "Villastadens lekpark", "park", "05", (-0.3, 0.2)),
    PlaceSpec("angsskolan", "Ängsskolan", "skola", "06", (0.1, 0.1)),
    PlaceSpec("angens_ip", "Ängens idrottsplats", "idrottsplats", "06", (-0.3, -0.3)),
    PlaceSpec("vasterslatt_centrum", "Västerslätts centrum", "centrum", "07", (0.1, 0.0)),
    PlaceSpec("hpl_vasterslatt", "Hållplats Västerslätt", "hållplats", "07", (0.3, 0.3)),
    PlaceSpec("lagerområdet", "Lagerområdet Industrigatan", "industri", "08", (0.1, 0.0)),
    PlaceSpec("atervinning", "Återvinningscentralen", "industri", "08", (0.3, -0.4)),
    PlaceSpec("strandpromenaden", "Strandpromenaden i Sjöparken", "park", "09", (0.0, 0.0)),
    PlaceSpec("badplatsen", "Badplatsen Sjöparken", "park", "09", (-0.15, -0.25)),
    PlaceSpec("lundenparken", "Lundenparken", "park", "10", (0.0, 0.1)),
    PlaceSpec("lundaskolan", "Lundaskolan", "skola", "10", (0.3, -0.2)),
    PlaceSpec("fritid_kvarn", "Kvarnbackens fritidsgård", "fritidsgård", "11", (0.0, 0.0)),
    PlaceSpec("kvarn_ip", "Kvarnbackens idrottsplats", "idrottsplats", "11", (-0.35, -0.25)),
    PlaceSpec("tvatt_kvarn", "Tvättstugan Kvarnvägen 7", "tvättstuga", "11", (0.3, 0.2)),
)

ORGANISATIONS: tuple[tuple[str, str, str], ...] = (
    ("kommunen", "Sjöbacka kommun", "kommun"),
    ("polisen", "Polisen lokalpolisområde Sjöbacka", "polis"),
    ("bostadsbolaget_a", "Sjöbackahem AB", "bostadsbolag"),
    ("bostadsbolaget_b", "Hyresfastigheter Norden AB", "bostadsbolag"),
    ("bevakning", "Nattvakten Bevakning AB", "bevakning"),
    ("raddningstjansten", "Räddningstjänsten Höglandet", "räddningstjänst"),
    ("trygghetsombud", "Trygghetsombuden i Sjöbacka", "förening"),
)

# (username, role, organisation code, display name)
CORE_USERS: tuple[tuple[str, str, str, str], ...] = (
    ("samordnare", "samordnare", "kommunen", "Trygghetssamordnare (demo)"),
    ("polis", "analytiker", "polisen", "Kommunpolis (demo)"),
    ("omradeschef", "medlem", "bostadsbolaget_a", "Områdeschef Sjöbackahem (demo)"),
    ("ombud", "rapportor", "trygghetsombud", "Trygghetsombud 01 (demo)"),
    ("lasare", "lasare", "kommunen", "Läsare (demo)"),
    ("admin", "admin", "kommunen", "Administratör (demo)"),
)

# (username, organisation code, days after data start the reporter joined, days before today they stopped or None,
#  relative activity)
REPORTERS: tuple[tuple[str, str, int, int | None, float], ...] = (
    ("ombud02", "trygghetsombud", 0, None, 0.9),
    ("ombud03", "trygghetsombud", 0, None, 0.6),
    ("ombud04", "trygghetsombud", 120, None, 0.5),
    ("ombud05", "trygghetsombud", 300, 400, 0.45),
    ("ombud06", "trygghetsombud", 540, None, 0.4),
    ("ombud07", "trygghetsombud", 800, None, 0.35),
    ("ombud08", "trygghetsombud", 1100, None, 0.3),
    ("ombud09", "trygghetsombud", 1300, 150, 0.25),
    ("ombud10", "trygghetsombud", 1600, None, 0.3),
    ("hem01", "bostadsbolaget_a", 0, None, 1.0),
    ("hem02", "bostadsbolaget_a", 0, None, 0.7),
    ("hem03", "bostadsbolaget_a", 200, None, 0.5),
    ("hem04", "bostadsbolaget_a", 700, 250, 0.4),
    ("hem05", "bostadsbolaget_a", 1200, None, 0.4),
    ("norden01", "bostadsbolaget_b", 0, None, 1.0),
    ("norden02", "bostadsbolaget_b", 365, None, 0.6),
    ("norden03", "bostadsbolaget_b", 900, None, 0.4),
    ("vakt01", "bevakning", 0, None, 1.0),
    ("vakt02", "bevakning", 0, 500, 0.8),
    ("vakt03", "bevakning", 500, None, 0.8),
)

# The share of each category reported by each source kind ("bostadsbolag" resolves to the area's company).
SOURCE_SHARES: dict[str, dict[str, float]] = {
    "skadegorelse": {"kommunen": 0.2, "polisen": 0.25, "bostadsbolag": 0.3, "bevakning": 0.15, "trygghetsombud": 0.1},
    "klotter": {"kommunen": 0.5, "bostadsbolag": 0.3, "trygghetsombud": 0.15, "bevakning": 0.05},
    "stold": {"polisen": 0.5, "bostadsbolag": 0.3, "bevakning": 0.2},
    "samling": {"trygghetsombud": 0.35, "kommunen": 0.2, "bostadsbolag": 0.2, "bevakning": 0.1, "polisen": 0.15},
    "ordningsstorning": {"polisen": 0.55, "bevakning": 0.2, "trygghetsombud": 0.15, "bostadsbolag": 0.1},
    "narkotika": {"polisen": 0.6, "trygghetsombud": 0.2, "bostadsbolag": 0.1, "kommunen": 0.1},
    "brand": {"raddningstjansten": 0.6, "polisen": 0.25, "bostadsbolag": 0.1, "bevakning": 0.05},
    "nedskrapning": {"kommunen": 0.45, "trygghetsombud": 0.3, "bostadsbolag": 0.25},
    "otrygg_plats": {"trygghetsombud": 0.5, "kommunen": 0.3, "bostadsbolag": 0.2},
    "incident_anstalld": {"kommunen": 0.5, "bostadsbolag": 0.3, "bevakning": 0.2},
    "vald_hot": {"polisen": 0.8, "bevakning": 0.1, "trygghetsombud": 0.1},
    "trafik": {"polisen": 0.5, "trygghetsombud": 0.35, "kommunen": 0.15},
    "oro_nara_relation": {"bostadsbolag": 0.6, "trygghetsombud": 0.4},
    "ovrigt": {"kommunen": 0.4, "trygghetsombud": 0.3, "bostadsbolag": 0.2, "polisen": 0.1},
}

# Overall category mix of background incidents (EST-like: property damage and litter common, fire and staff rare).
CATEGORY_MIX: dict[str, float] = {
    "skadegorelse": 0.20, "klotter": 0.14, "nedskrapning": 0.14, "samling": 0.10, "ordningsstorning": 0.10,
    "stold": 0.08, "otrygg_plats": 0.05, "narkotika": 0.05, "trafik": 0.05, "vald_hot": 0.04, "brand": 0.03,
    "ovrigt": 0.015, "incident_anstalld": 0.012, "oro_nara_relation": 0.003,
}

# Sources that do not work everywhere: the areas they report from (None = the whole municipality).
SOURCE_AREAS: dict[str, tuple[str, ...] | None] = {
    "kommunen": None, "polisen": None, "raddningstjansten": None,
    "bevakning": ("01", "02", "03", "04", "08", "09"),
    "trygghetsombud": ("01", "02", "03", "04", "07", "09", "10", "11"),
}

# How strongly each place kind attracts each category (missing = 0).
PLACE_AFFINITY: dict[str, dict[str, float]] = {
    "torg": {"ordningsstorning": 1.0, "samling": 1.0, "nedskrapning": 0.8, "narkotika": 0.6, "vald_hot": 0.6,
             "skadegorelse": 0.4},
    "centrum": {"samling": 1.0, "ordningsstorning": 0.8, "stold": 0.8, "skadegorelse": 0.6, "nedskrapning": 0.6,
                "incident_anstalld": 1.0, "narkotika": 0.5},
    "hållplats": {"ordningsstorning": 0.8, "samling": 0.8, "vald_hot": 0.6, "skadegorelse": 0.6, "klotter": 0.5},
    "gångtunnel": {"otrygg_plats": 1.0, "klotter": 0.8, "vald_hot": 0.4, "skadegorelse": 0.4},
    "parkering": {"stold": 1.0, "skadegorelse": 0.6, "trafik": 0.5},
    "skola": {"klotter": 1.0, "skadegorelse": 0.8, "samling": 0.5, "incident_anstalld": 0.8, "brand": 0.3},
    "tvättstuga": {"skadegorelse": 0.8, "klotter": 0.6, "stold": 0.6, "brand": 0.4, "samling": 0.3},
    "fritidsgård": {"samling": 1.0, "skadegorelse": 0.5, "ordningsstorning": 0.4, "incident_anstalld": 0.6},
    "källare": {"stold": 1.0, "brand": 0.5, "samling": 0.3},
    "park": {"nedskrapning": 1.0, "samling": 0.6, "narkotika": 0.5, "otrygg_plats": 0.6, "trafik": 0.4},
    "idrottsplats": {"nedskrapning": 0.6, "skadegorelse": 0.5, "samling": 0.3},
    "industri": {"stold": 1.0, "brand": 0.8, "skadegorelse": 0.6},
}

# The source's own wording per (source, category); police wording follows polisen.se event types.
SOURCE_TYPES: dict[str, dict[str, tuple[str, ...]]] = {
    "polisen": {
        "skadegorelse": ("Skadegörelse",), "stold": ("Stöld", "Inbrott", "Stöld/inbrott"),
        "samling": ("Ordningslagen",), "ordningsstorning": ("Ordningslagen", "Bråk", "Fylleri/LOB"),
        "narkotika": ("Narkotikabrott",), "brand": ("Brand",), "vald_hot": ("Misshandel", "Olaga hot", "Rån"),
        "trafik": ("Trafikkontroll", "Rattfylleri", "Trafikbrott"), "ovrigt": ("Övrigt",),
    },
    "raddningstjansten": {"brand": ("Brand i container", "Brand i byggnad", "Brand i fordon", "Brand utomhus")},
    "kommunen": {
        "skadegorelse": ("Skadegörelse på kommunal egendom",), "klotter": ("Klotter",),
        "samling": ("Samling ungdomar (fältgruppen)",), "narkotika": ("Misstänkt narkotika (fältgruppen)",),
        "nedskrapning": ("Nedskräpning", "Dumpat avfall"), "otrygg_plats": ("Felanmälan belysning", "Otrygg miljö"),
        "incident_anstalld": ("Hot mot personal",), "trafik": ("Buskörning",), "ovrigt": ("Övrigt",),
    },
    "bostadsbolag": {
        "skadegorelse": ("Skadegörelse trapphus", "Skadegörelse tvättstuga"), "klotter": ("Klotter fasad",),
        "stold": ("Källarinbrott", "Cykelstöld"), "samling": ("Obehöriga i trapphus",),
        "ordningsstorning": ("Störning",), "narkotika": ("Misstänkt langning",), "brand": ("Brand i soprum",),
        "nedskrapning": ("Nedskräpning/grovsopor",), "otrygg_plats": ("Trasig belysning",),
        "incident_anstalld": ("Hot mot personal",), "oro_nara_relation": ("Oro för hyresgäst",),
        "ovrigt": ("Övrigt",),
    },
    "bevakning": {
        "skadegorelse": ("Skadegörelse",), "klotter": ("Klotter",), "stold": ("Larm – inbrottsförsök",),
        "samling": ("Ungdomar avvisade",), "ordningsstorning": ("Ordningsstörning",), "brand": ("Brandlarm",),
        "incident_anstalld": ("Hot mot väktare",), "vald_hot": ("Våld/hot",),
    },
    "trygghetsombud": {
        "skadegorelse": ("Skadegörelse",), "klotter": ("Klotter",), "samling": ("Samling som skapar otrygghet",),
        "ordningsstorning": ("Ordningsstörning",), "narkotika": ("Misstänkt langning",),
        "nedskrapning": ("Nedskräpning",), "otrygg_plats": ("Trasig belysning", "Otrygg plats"),
        "vald_hot": ("Hot/bråk",), "trafik": ("Buskörning moped",), "oro_nara_relation": ("Oro för granne",),
        "ovrigt": ("Övrigt",),
    },
}

# Short plain Swedish descriptions; {plats} is "vid <place>" or "i <area>".
DESCRIPTIONS: dict[str, tuple[str, ...]] = {
    "skadegorelse": ("Krossad ruta {plats}.", "Sönderslagen belysningsarmatur {plats}.",
                     "Skadad dörr och lås {plats}.", "Papperskorg sönderslagen {plats}."),
    "klotter": ("Klotter på fasad {plats}.", "Nytt klotter på skylt {plats}.",
                "Taggar i svart sprayfärg {plats}."),
    "stold": ("Inbrott i förråd {plats}.", "Cykel stulen {plats}.", "Försök till inbrott {plats}."),
    "samling": ("Grupp ungdomar samlade {plats}, boende upplever otrygghet.",
                "Större samling {plats} under kvällen.", "Ungdomar samlade {plats}, hög ljudnivå."),
    "ordningsstorning": ("Bråk och högljudda personer {plats}.", "Berusade personer stör {plats}.",
                         "Störande beteende {plats}."),
    "narkotika": ("Misstänkt langning {plats}.", "Lukt av cannabis och misstänkt försäljning {plats}.",
                  "Kanyler hittade {plats}."),
    "brand": ("Brand i papperskorg {plats}.", "Anlagd brand i container {plats}.",
              "Brand i soprum {plats}.", "Gräsbrand {plats}."),
    "nedskrapning": ("Mycket skräp {plats}.", "Dumpade sopsäckar {plats}.", "Glassplitter {plats}."),
    "otrygg_plats": ("Belysningen ur funktion {plats}.", "Igenvuxet buskage skymmer sikten {plats}.",
                     "Mörkt och folktomt {plats}."),
    "incident_anstalld": ("Personal hotad {plats}.", "Personal utsatt för glåpord {plats}."),
    "vald_hot": ("Misshandel {plats}.", "Person hotad {plats}.", "Slagsmål {plats}."),
    "trafik": ("Buskörning med moped {plats}.", "Vårdslös körning {plats}.",
               "Mopeder på gångbanan {plats}."),
    "oro_nara_relation": ("Oro för grannes situation, ärendet vidarebefordrat.",),
    "ovrigt": ("Övrig iakttagelse {plats}.",),
}
WINDOW_PREFIX = "Upptäckt på morgonen: "

# Survey questions: (code, text, kind, scale_min, scale_max, higher_is_worse, index_code)
SURVEY_QUESTIONS: tuple[tuple[str, str, str, float, float, bool, str], ...] = (
    ("otrygg_kvall", "Andel som känner sig ganska eller mycket otrygga ute ensamma sent en kväll i området",
     "share", 0, 1, True, "ntu_otrygghet"),
    ("problem_nedskrapning", "Nedskräpning är ett ganska eller mycket stort problem", "share", 0, 1, True,
     "problemindex"),
    ("problem_klotter", "Klotter är ett ganska eller mycket stort problem", "share", 0, 1, True, "problemindex"),
    ("problem_buskorning", "Buskörning med bil eller moped är ett ganska eller mycket stort problem", "share", 0, 1,
     True, "problemindex"),
    ("problem_narkotika", "Narkotikaförsäljning är ett ganska eller mycket stort problem", "share", 0, 1, True,
     "problemindex"),
    ("problem_ungdomsgang", "Ungdomsgäng som stör är ett ganska eller mycket stort problem", "share", 0, 1, True,
     "problemindex"),
    ("problem_belysning", "Dålig belysning är ett ganska eller mycket stort problem", "share", 0, 1, True,
     "problemindex"),
    ("problem_trapphus", "Otrygga trapphus eller källare är ett ganska eller mycket stort problem", "share", 0, 1,
     True, "problemindex"),
    ("aktivbo_trygghet", "Hur trygg känner du dig i ditt bostadsområde? (1-10)", "mean", 1, 10, False, "aktivbo"),
    ("aktivbo_trivsel", "Hur väl trivs du i ditt bostadsområde? (1-10)", "mean", 1, 10, False, "aktivbo"),
    ("aktivbo_trapphus", "Hur trygg känner du dig i trapphus och källare? (1-10)", "mean", 1, 10, False, "aktivbo"),
    ("aktivbo_utemiljo", "Hur nöjd är du med utemiljöns skötsel? (1-10)", "mean", 1, 10, False, "aktivbo"),
)
# Answer options of the share questions, in scale order (the value counts the two 'bad' ones).
PROBLEM_ANSWERS = ("inget problem", "litet problem", "ganska stort problem", "mycket stort problem", "vet ej")
SAFETY_ANSWERS = ("mycket trygg", "ganska trygg", "ganska otrygg", "mycket otrygg", "vet ej/går aldrig ut")

# Place marks from residents: (place key or area key, count, reasons to draw from)
PLACE_MARKS: tuple[tuple[str, int, tuple[str, ...]], ...] = (
    ("strandpromenaden", 8, ("belysning", "folktomt", "skymd_sikt")),
    ("badplatsen", 6, ("folktomt", "belysning", "skymd_sikt")),
    ("gangtunnel", 8, ("belysning", "personer", "skymd_sikt")),
    ("resecentrum", 8, ("personer", "trafik")),
    ("bjork_centrum", 8, ("personer", "belysning")),
    ("tvatt_raby", 5, ("personer", "belysning")),
    ("lundenparken", 4, ("personer", "belysning", "skymd_sikt")),
    ("hpl_vasterslatt", 3, ("trafik", "belysning")),
    ("angens_ip", 3, ("folktomt", "belysning")),
    ("kallare_lonn", 4, ("belysning", "personer")),
    ("villa_lekpark", 2, ("trafik",)),
    ("lagerområdet", 3, ("folktomt", "belysning")),
)

MEETING_AGENDA: tuple[tuple[str, str, str], ...] = (
    ("uppfoljning", "Uppföljning av pågående åtgärder", "Genomgång av åtgärdslistan och försenade åtgärder."),
    ("forandringar", "Förändringar sedan förra mötet", "Signifikanta ökningar och minskningar per område."),
    ("hotspots", "Brännpunkter", "Platser med koncentration av händelser de senaste veckorna."),
    ("handelser", "Kommande händelser", "Evenemang och högtider de närmaste två veckorna."),
    ("rapporter", "Rapporter från parterna", "Varje part rapporterar kort om veckan."),
    ("ovrigt", "Övrigt", None),
)

# Recurring events: (title, kind, month, day, nth weekday rule or None, start hour, hours, place key)
# rule: (weekday 0=Mon, n) = the n-th such weekday of the month.
YEARLY_EVENTS: tuple[tuple[str, str, int, int, tuple[int, int] | None, int, int, str], ...] = (
    ("Valborgsfirande i Sjöparken", "högtid", 4, 30, None, 19, 4, "strandpromenaden"),
    ("Fotbollsmatch Sjöbacka IF – Höglandets FK", "match", 5, 1, (5, 3), 15, 2, "angens_ip"),
    ("Studentfirande på Stora torget", "evenemang", 6, 1, (4, 2), 13, 4, "stora_torget"),
    ("Nationaldagsfirande", "högtid", 6, 6, None, 14, 3, "strandpromenaden"),
    ("Skolavslutning", "skolavslutning", 6, 1, (4, 2), 9, 3, "angsskolan"),
    ("Sommarkonsert i Sjöparken", "konsert", 7, 1, (5, 3), 19, 3, "badplatsen"),
    ("Sjöbackamarknaden", "marknad", 8, 1, (5, 2), 10, 7, "stora_torget"),
    ("Fotbollsmatch Sjöbacka IF – Vetlanda BK", "match", 9, 1, (6, 2), 15, 2, "angens_ip"),
    ("Halloweenkväll på Fritidsgården Björken", "evenemang", 10, 31, None, 18, 4, "fritid_bjorken"),
    ("Julmarknad på Stora torget", "marknad", 12, 1, (5, 2), 11, 6, "stora_torget"),
)

# Coming events in the two weeks after today: (days ahead, title, kind, start hour, hours, place key)
UPCOMING_EVENTS: tuple[tuple[int, str, str, int, int, str], ...] = (
    (2, "Fotbollsmatch Sjöbacka IF – Eksjö AIK", "match", 15, 2, "kvarn_ip"),
    (3, "Disco på Fritidsgården Björken", "evenemang", 19, 4, "fritid_bjorken"),
    (5, "Konsert på Stora torget", "konsert", 18, 3, "stora_torget"),
    (6, "Loppis på Råbylunds torg", "marknad", 10, 5, "raby_torg"),
    (9, "Marknad i Västerslätts centrum", "marknad", 10, 6, "vasterslatt_centrum"),
    (12, "Skolavslutning i Lundaskolan", "skolavslutning", 9, 3, "lundaskolan"),
)


@dataclass(frozen=True)
class ActionSpec:
    """A planned action: where, what, who, its timeline relative to today and any effect built into the incidents."""

    title: str
    place: str | None
    area: str
    categories: tuple[str, ...]
    owner: str
    status: str
    start_days: int  # start date relative to today (negative = past)
    duration_days: int
    priority: int
    effect: float | None = None  # incident rate multiplier at the place for the categories after start


ACTIONS: tuple[ActionSpec, ...] = (
    # The three with a built-in effect (demo_effective_actions).
    ActionSpec("Kameraövervakning vid tvättstugan Råbyvägen 4", "tvatt_raby", "04",
               ("skadegorelse", "klotter", "stold"), "bostadsbolaget_a", "klar", -730, 60, 1, 0.3),
    ActionSpec("Ny belysning vid gångtunneln vid stationen", "gangtunnel", "02",
               ("otrygg_plats", "vald_hot", "samling", "skadegorelse"), "kommunen", "klar", -1095, 45, 1, 0.3),
    ActionSpec("Ökad närvaro vid resecentrum kvällstid", "resecentrum", "02",
               ("ordningsstorning", "samling", "narkotika"), "polisen", "pågår", -365, 540, 1, 0.3),
    # No built-in effect.
    ActionSpec("Fältassistenter kvällstid i Björkhagens centrum", "bjork_centrum", "03",
               ("samling", "ordningsstorning"), "kommunen", "pågår", -300, 365, 1),
    ActionSpec("Klottersanering inom 24 timmar vid Ängsskolan", "angsskolan", "06", ("klotter",), "kommunen",
               "klar", -500, 120, 2),
    ActionSpec("Trygghetsvandring i Kvarnbacken", None, "11", ("otrygg_plats",), "trygghetsombud", "klar",
               -200, 1, 2),
    ActionSpec("Kartlägga misstänkt narkotikahandel i Lundenparken", "lundenparken", "10", ("narkotika", "samling"),
               "polisen", "föreslagen", -6, 60, 1),
    ActionSpec("Beskärning av buskage längs strandpromenaden", "strandpromenaden", "09", ("otrygg_plats",),
               "kommunen", "beslutad", 12, 30, 2),
    ActionSpec("Belysning vid badplatsen i Sjöparken", "badplatsen", "09", ("otrygg_plats",), "kommunen",
               "föreslagen", -20, 90, 2),
    ActionSpec("Låsbyte och passersystem i källarförråden Lönnvägen", "kallare_lonn", "03", ("stold",),
               "bostadsbolaget_a", "pågår", -90, 60, 1),
    ActionSpec("Nattpatrull i lagerområdet", "lagerområdet", "08", ("stold", "brand", "skadegorelse"), "bevakning",
               "pågår", -150, 365, 2),
    ActionSpec("Tömning av papperskorgar även helger i Centrum", "stora_torget", "01", ("nedskrapning",),
               "kommunen", "klar", -420, 180, 3),
    ActionSpec("Vuxenvandring fredagskvällar på Krogstråket", "krogstraket", "01", ("ordningsstorning", "vald_hot"),
               "trygghetsombud", "pågår", -120, 120, 2),
    ActionSpec("Ordningsvakter vid krogarna lönehelger", "krogstraket", "01", ("ordningsstorning", "vald_hot"),
               "polisen", "beslutad", -10, 180, 1),
    ActionSpec("Snabbare felanmälan av trasig belysning", None, "03", ("otrygg_plats",), "kommunen", "pågår", -60,
               30, 2),
    ActionSpec("Dialogmöte med föräldrar i Råbylund", None, "04", ("samling",), "kommunen", "klar", -250, 14, 2),
    ActionSpec("Brandsäkra soprummen i Råbylund", "kallare_raby", "04", ("brand",), "bostadsbolaget_a", "beslutad",
               -30, 90, 1),
    ActionSpec("Fartgupp vid Villastadens lekpark", "villa_lekpark", "05", ("trafik",), "kommunen", "avbruten",
               -280, 120, 3),
    ActionSpec("Mopedkontroller i Södra Ängen", None, "06", ("trafik",), "polisen", "klar", -160, 60, 2),
    ActionSpec("Extra städning efter Valborg i Sjöparken", "strandpromenaden", "09", ("nedskrapning",), "kommunen",
               "klar", -340, 7, 3),
    ActionSpec("Sommarvärdar vid Lundenparken", "lundenparken", "10", ("samling", "nedskrapning"),
               "bostadsbolaget_b", "avbruten", -330, 60, 2),
    ActionSpec("Kameraövervakning vid Västerslätts centrum", "vasterslatt_centrum", "07", ("skadegorelse", "stold"),
               "bostadsbolaget_b", "föreslagen", -13, 120, 2),
    ActionSpec("Öppen fritidsgård fredagar i Kvarnbacken", "fritid_kvarn", "11", ("samling", "ordningsstorning"),
               "kommunen", "pågår", -200, 150, 2),
    ActionSpec("Grannsamverkan mot inbrott i Norra villastaden", None, "05", ("stold",), "polisen", "pågår", -240,
               365, 3),
    ActionSpec("Laga staket vid Kvarnbackens idrottsplats", "kvarn_ip", "11", ("skadegorelse",), "kommunen",
               "klar", -180, 30, 3),
    ActionSpec("Information om brandrisk till boende", None, "03", ("brand",), "raddningstjansten", "klar", -380,
               30, 2),
    ActionSpec("Skolpolis vid Råbylundsskolan", "rabyskolan", "04", ("klotter", "skadegorelse", "samling"),
               "polisen", "pågår", -100, 60, 2),
    ActionSpec("Ny belysning på pendelparkeringen", "pendelparkering", "02", ("stold", "otrygg_plats"), "kommunen",
               "beslutad", -40, 60, 2),
    ActionSpec("Trygghetsvandring i Björkhagen med boende", None, "03", ("otrygg_plats",), "trygghetsombud",
               "beslutad", 9, 1, 2),
    ActionSpec("Flytta bänkar från entrén till galleria", "galleria", "01", ("samling",), "kommunen", "avbruten",
               -150, 30, 3),
    ActionSpec("Väktare i tvättstugan Björkvägen 12 kvällstid", "tvatt_bjork", "03", ("skadegorelse", "stold"),
               "bevakning", "pågår", -75, 40, 2),
    ActionSpec("Klotterplank vid Lundaskolan", "lundaskolan", "10", ("klotter",), "kommunen", "föreslagen", -27,
               60, 3),
    # well before the effective resecentrum action (-365), so its evaluation windows never see that effect
    ActionSpec("Samverkan med taxi vid resecentrum nattetid", "resecentrum", "02", ("ordningsstorning",),
               "kommunen", "klar", -600, 90, 3),
    ActionSpec("Röj sly vid återvinningscentralen", "atervinning", "08", ("brand", "skadegorelse"), "kommunen",
               "beslutad", -50, 30, 3),
    ActionSpec("Lokal lägesbild till hyresgästföreningen", None, "07", ("ovrigt",), "bostadsbolaget_b", "klar",
               -210, 14, 3),
    ActionSpec("Fler papperskorgar vid Ängens idrottsplats", "angens_ip", "06", ("nedskrapning",), "kommunen",
               "pågår", -45, 20, 3),
    ActionSpec("Sommarjobb för unga i Björkhagen", None, "03", ("samling",), "kommunen", "klar", -320, 70, 2),
    ActionSpec("Kvällsöppet i Råbylunds bibliotek", "raby_torg", "04", ("samling",), "kommunen", "avbruten", -260,
               90, 3),
    ActionSpec("Se över öppettider i tvättstugan Kvarnvägen 7", "tvatt_kvarn", "11", ("skadegorelse",),
               "bostadsbolaget_b", "föreslagen", -3, 30, 3),
    ActionSpec("Riktad insats mot buskörning i Västerslätt", "hpl_vasterslatt", "07", ("trafik",), "polisen",
               "föreslagen", -34, 45, 2),
)
