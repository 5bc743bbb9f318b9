"""Figures the reports share, each from scoped queries and pure analysis functions: names, totals with their
significance verdicts, weekly series, hotspots, actions, source coverage and evaluated effects. Returns plain
pandas frames and values; the report builders turn them into text."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import h3
import pandas as pd
from sqlalchemy import Engine, select

from analysis import hotspots
from analysis.change import DECREASE, INCREASE
from analysis.comparison import compare_table, headlines
from analysis.effects import EFFECT_TEXTS, EffectResult
from analysis.periods import week_start
from data_layer.importers.area_index import AreaIndex
from data_layer.models import Meeting
from data_layer.overview_figures import Comparison, build_comparison, coverage_status
from data_layer.queries import actions as aq
from data_layer.queries import map as mq
from data_layer.queries import reference
from data_layer.queries.effects import action_effect
from data_layer.queries.filters import IncidentFilter
from data_layer.queries.hotspots import hotspot_cells
from data_layer.queries.incidents import weekly_counts
from data_layer.reports.text import fmt_decimal, fmt_int, fmt_p, fmt_pct_change, fmt_signed  # noqa: F401
from data_layer.scope import Scope

DEFAULT_FORUM = "Trygghetsforum"
VERDICT_WORDS = {INCREASE: "ökar", DECREASE: "minskar", "normal": "ingen säker förändring", "n/a": "ingen jämförelse"}
REFERENCE_WORDS = {"previous": "föregående period", "baseline": "samma period tidigare år", "ytd": "året hittills"}
SOURCE_STATUS = {"silent": "inga rapporter – tyst källa?", "low": "klart färre än normalt", "new": "ny källa",
                 "normal": "som vanligt"}
GI_WORDS = {"hot99": "hotspot (99 %)", "hot95": "hotspot (95 %)"}
TREND_WORDS = {code: sv for code, (sv, _) in hotspots.TREND_LABELS.items()}


def effect_text(key: str) -> str:
    """The Swedish wording of an analysis.effects text key."""
    return EFFECT_TEXTS[key][0]


def category_labels(engine: Engine) -> dict[str, str]:
    """{category code: Swedish label}."""
    cats = reference.categories(engine)
    return dict(zip(cats["code"], cats["label_sv"]))


def organisation_names(engine: Engine) -> dict[str, str]:
    """{organisation code: name}."""
    orgs = reference.organisations(engine)
    return dict(zip(orgs["code"], orgs["name"]))


def forum_name(engine: Engine) -> str:
    """The forum's name as its latest meeting gives it (meetings name their forum), else DEFAULT_FORUM."""
    with engine.connect() as conn:
        name = conn.execute(select(Meeting.forum).order_by(Meeting.held_on.desc(), Meeting.id.desc()).limit(1)) \
            .scalar_one_or_none()
    return name or DEFAULT_FORUM


def area_label(engine: Engine, codes: tuple[str, ...]) -> str:
    """'Hela kommunen' or the named areas' names."""
    if not codes:
        return "Alla områden"
    areas = reference.areas(engine)
    names = dict(zip(areas["code"], areas["name"]))
    return ", ".join(names.get(c, c) for c in codes)


# --- totals and verdicts -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Totals:
    """The period's total against the previous period and the same period in earlier years, each tested."""

    current: int
    previous: int
    baseline_mean: float  # NaN when no earlier year holds data
    flag_previous: str
    q_previous: float
    flag_baseline: str
    q_baseline: float


def totals(c: Comparison) -> Totals:
    """Sum every cell of the comparison and test the total with the overview's own test (analysis.comparison)."""
    names = [n for n, _, _ in c.windows.named()]
    summed = pd.DataFrame([{n: int(c.table[n].sum()) if n in c.table else 0 for n in names}])
    tested = compare_table(summed, c.exposures, comparisons=("previous", "baseline")).iloc[0]
    return Totals(current=int(summed["current"].iloc[0]), previous=int(summed["previous"].iloc[0]),
                  baseline_mean=float(tested["baseline_mean"]),
                  flag_previous=str(tested["flag_previous"]), q_previous=float(tested["q_previous"]),
                  flag_baseline=str(tested["flag_baseline"]), q_baseline=float(tested["q_baseline"]))


def verdict_text(flag: str, q: float) -> str:
    """'ökar (p = 0,003)', 'ingen säker förändring (p = 0,41)', 'ingen jämförelse'."""
    word = VERDICT_WORDS.get(flag, flag)
    return word if flag == "n/a" else f"{word} ({fmt_p(q)})"


def change_rows(c: Comparison, labels: dict[str, str], n: int = 8) -> list[tuple[str, ...]]:
    """The `n` largest significant changes (the overview's headlines) as table rows."""
    top = headlines(c.table, n=n)
    rows = []
    for _, r in top.iterrows():
        area = r["area_name"] if isinstance(r["area_name"], str) else "Okänt område"
        rows.append((area, labels.get(r["category_code"], r["category_code"]), fmt_int(r["current"]),
                     fmt_decimal(r["expected"], 1), REFERENCE_WORDS[r["comparison"]],
                     verdict_text(r["flag"], r["q"])))
    return rows


def grouped(c: Comparison, key: str, names: dict[str, str] | None = None) -> pd.DataFrame:
    """Current, previous and baseline mean summed per area (key area_name) or category (key category_code)."""
    table = c.table.assign(area_name=c.table["area_name"].where(c.table["area_name"].notna(), "Okänt område"))
    out = (table.groupby(key)[["current", "previous", "baseline_mean"]].sum(min_count=1)
           .sort_values(["current", "previous"], ascending=False).reset_index())
    out["label"] = out[key].map(lambda k: (names or {}).get(k, k))
    return out


def weekly_totals(engine: Engine, *, scope: Scope, flt: IncidentFilter, weeks: int) -> tuple[list[date], list[int],
                                                                                                 list[int]]:
    """(Mondays, incidents per week, incidents in the same ISO weeks 52 weeks earlier) for the `weeks` weeks up to
    the filter's end (the last week may be partial; its reference is cut the same way)."""
    first = week_start(flt.end) - timedelta(weeks=weeks - 1)
    mondays = [first + timedelta(weeks=k) for k in range(weeks)]

    def series(shift: timedelta) -> list[int]:
        found = weekly_counts(engine, scope=scope, flt=flt.with_period(first - shift, flt.end - shift))
        per = found.groupby("week_start")["count"].sum().to_dict() if len(found) else {}
        return [int(per.get(m - shift, 0)) for m in mondays]

    return mondays, series(timedelta(0)), series(timedelta(weeks=52))


# --- hotspots ------------------------------------------------------------------------------------------------------

def hotspot_table(engine: Engine, *, scope: Scope, flt: IncidentFilter,
                  resolution: int | None = None) -> tuple[pd.DataFrame, dict[str, int]]:
    """Cells that are Gi* hotspots (FDR-adjusted) in the period, with count, class, trend class and the area at the
    cell's centre, largest first; and how many cells fall in each trend class (the map page's computation)."""
    areas = reference.areas(engine)
    cells = hotspot_cells(engine, scope=scope, flt=flt, resolution=resolution)
    if resolution is None:  # the map's cell size for this extent, as hotspot_cells chose it
        resolution = h3.get_resolution(cells["cell"].iloc[0]) if len(cells) else 8
    by_category = mq.hex_counts(engine, scope=scope, flt=flt, resolution=resolution)
    trend_counts = {k: int(v) for k, v in cells["trend"].value_counts().items() if k != hotspots.NONE}
    hot = cells[cells["cls"].isin(hotspots.HOT)][["cell", "count", "cls", "z", "trend"]]
    hot = hot.rename(columns={"cls": "cls_fdr"}).sort_values(["count", "z"], ascending=False).reset_index(drop=True)
    if len(hot):
        centres = [h3.cell_to_latlng(c) for c in hot["cell"]]
        names = dict(zip(areas["code"], areas["name"]))
        with engine.connect() as conn:
            index = AreaIndex.load(conn)
        ids = index.assign(centres).area_ids
        by_id = _area_codes_by_id(engine)
        hot["area_name"] = [names.get(by_id.get(i), "–") if i is not None else "–" for i in ids]
        top_cats = by_category.sort_values(["count", "category_code"], ascending=[False, True])
        hot["top"] = hot["cell"].map(lambda cell: top_cats[top_cats["cell"] == cell]["category_code"].head(2).tolist())
    else:
        hot["area_name"], hot["top"] = [], []
    return hot, trend_counts


def _area_codes_by_id(engine: Engine) -> dict[int, str]:
    from data_layer.models import Area

    with engine.connect() as conn:
        return dict(conn.execute(select(Area.id, Area.code)).all())


# --- actions, coverage, effects ------------------------------------------------------------------------------------

def action_rows(actions: pd.DataFrame, *, limit: int | None = None) -> list[tuple[str, ...]]:
    """Open actions as rows: title, owner, area, status ('…, försenad' when overdue), due date."""
    from data_layer.reports.text import fmt_date

    shown = actions if limit is None else actions.head(limit)
    return [(r.title, r.owner_org_name, r.area_name if isinstance(r.area_name, str) else "–",
             f"{r.status}, försenad" if r.overdue else r.status, fmt_date(r.due_date))
            for r in shown.itertuples()]


def open_actions(engine: Engine, *, scope: Scope, flt: IncidentFilter, today: date) -> pd.DataFrame:
    """Open actions the scope may read in the filter's areas, overdue first (data_layer.queries.actions)."""
    return aq.actions_list(engine, scope=scope, flt=flt, today=today, open_only=True)


def coverage_rows(coverage: pd.DataFrame) -> list[tuple[str, ...]]:
    """Per source: name, in the period, expected, reporters, status."""
    return [(r.org_name, fmt_int(r.incidents), fmt_decimal(r.expected, 1), fmt_int(r.reporters),
             SOURCE_STATUS.get(r.status, r.status)) for r in coverage.itertuples()]


def coverage(engine: Engine, *, scope: Scope, flt: IncidentFilter) -> pd.DataFrame:
    """Source coverage with status (data_layer.overview_figures.coverage_status)."""
    return coverage_status(engine, scope=scope, flt=flt)


def comparison(engine: Engine, *, scope: Scope, flt: IncidentFilter, kind: str) -> Comparison:
    """The overview's comparison table (data_layer.overview_figures.build_comparison)."""
    return build_comparison(engine, scope=scope, flt=flt, kind=kind)


def effect_of(engine: Engine, *, scope: Scope, action_id: int, today: date) -> EffectResult | None:
    """The action's evaluated effect (8 weeks before/after), None when it has no place or start date."""
    return action_effect(engine, scope=scope, action_id=action_id, today=today)


def effect_sentence(result: EffectResult | None) -> tuple[str, str]:
    """(verdict words, one explaining sentence with the figures) for the reports' follow-up tables."""
    if result is None:
        return "kan inte utvärderas", "Åtgärden saknar plats eller startdatum."
    verdict = effect_text(f"effect.verdict.{result.verdict}")
    if result.verdict == "too_little_data":
        return verdict, "För få händelser eller hela veckor sedan starten för en bedömning."
    expected = "–" if result.expected_after is None else fmt_int(result.expected_after)
    text = (f"{fmt_int(result.target_before)} händelser {result.weeks} veckor före, {fmt_int(result.target_after)} "
            f"efter (väntat utan åtgärd: {expected}); förändring mot jämförelseområdena "
            f"{fmt_signed((result.did.ratio - 1) * 100)} % ({fmt_p(result.did.p_value)}). "
            f"Närområdet: {effect_text('effect.displacement.' + result.displacement)}.")
    return verdict, text
