"""Figures the reports share, each from scoped queries and pure analysis functions: names, totals with their
significance verdicts, weekly series, hotspots, actions, source coverage and evaluated effects. Returns plain
pandas frames and values; the report builders turn them into text."""
from __future__ import annotations

from dataclasses import dataclass, field
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
from analysis.privacy import is_small
from data_layer.overview_figures import Comparison, build_comparison, coverage_status
from data_layer.overview_suppression import HIDDEN, SuppressedComparison, suppress_comparison, suppress_coverage
from data_layer.queries import actions as aq
from data_layer.queries import map as mq
from data_layer.queries import reference
from data_layer.queries.effects import action_effect
from data_layer.queries.filters import IncidentFilter
from data_layer.queries.hotspots import hotspot_cells
from data_layer.queries.incidents import weekly_counts
from data_layer.reports.text import fmt_decimal, fmt_int, fmt_p, fmt_pct_change, fmt_signed  # noqa: F401
from data_layer.scope import Scope, min_count
from data_layer.suppression import suppress_list

DEFAULT_FORUM = "Trygghetsforum"
VERDICT_WORDS = {INCREASE: "ökar", DECREASE: "minskar", "normal": "ingen säker förändring", "n/a": "ingen jämförelse",
                 HIDDEN: "–"}
REFERENCE_WORDS = {"previous": "föregående period", "baseline": "samma period tidigare år", "ytd": "året hittills"}
SOURCE_STATUS = {"silent": "inga rapporter – tyst källa?", "low": "klart färre än normalt", "new": "ny källa",
                 "normal": "som vanligt", HIDDEN: "–"}
GI_WORDS = {"hot99": "hotspot (99 %)", "hot95": "hotspot (95 %)"}
TREND_WORDS = {code: sv for code, (sv, _) in hotspots.TREND_LABELS.items()}


def suppression_fact(scope: Scope) -> list[tuple[str, str]]:
    """[("Små antal", "Antal under 3 visas inte …")] for a role not shown small counts, else []: the report says so."""
    from data_layer.suppression import note

    threshold = min_count(scope)
    return [("Små antal", note(threshold))] if threshold > 1 else []


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


@dataclass(frozen=True)
class PublishedComparison(SuppressedComparison):
    """The comparison as a role not shown small counts sees it (SuppressedComparison), with the counts behind it
    (`raw`, never shown) for the area and category totals, which are published unless small."""

    raw: pd.DataFrame = field(default_factory=pd.DataFrame)


def _threshold(c: Comparison) -> int:
    return int(getattr(c, "threshold", 1) or 1)


def _raw(c: Comparison) -> pd.DataFrame:
    raw = getattr(c, "raw", None)
    return c.table if raw is None or (isinstance(raw, pd.DataFrame) and raw.empty and len(c.table)) else raw


def totals(c: Comparison) -> Totals:
    """Sum every cell of the comparison and test the total with the overview's own test (analysis.comparison). For a
    suppressed comparison a small total is NaN and a test that involves one gets the verdict HIDDEN."""
    names = [n for n, _, _ in c.windows.named()]
    table = _raw(c)
    summed = pd.DataFrame([{n: int(table[n].sum()) if n in table else 0 for n in names}])
    tested = compare_table(summed, c.exposures, comparisons=("previous", "baseline")).iloc[0]
    out = Totals(current=int(summed["current"].iloc[0]), previous=int(summed["previous"].iloc[0]),
                 baseline_mean=float(tested["baseline_mean"]),
                 flag_previous=str(tested["flag_previous"]), q_previous=float(tested["q_previous"]),
                 flag_baseline=str(tested["flag_baseline"]), q_baseline=float(tested["q_baseline"]))
    threshold = _threshold(c)
    if threshold <= 1:
        return out
    bases = c.exposures.baseline_names()
    base_sum = int(sum(int(table[b].sum()) for b in bases if b in table))
    current = float("nan") if is_small(out.current, threshold) else out.current
    previous = float("nan") if is_small(out.previous, threshold) else out.previous
    baseline = float("nan") if is_small(base_sum, threshold) else out.baseline_mean
    gone_prev, gone_base = current != current or previous != previous, current != current or baseline != baseline
    return Totals(current=current, previous=previous, baseline_mean=baseline,
                  flag_previous=HIDDEN if gone_prev else out.flag_previous,
                  q_previous=float("nan") if gone_prev else out.q_previous,
                  flag_baseline=HIDDEN if gone_base else out.flag_baseline,
                  q_baseline=float("nan") if gone_base else out.q_baseline)


def verdict_text(flag: str, q: float) -> str:
    """'ökar (p = 0,003)', 'ingen säker förändring (p = 0,41)', 'ingen jämförelse'."""
    word = VERDICT_WORDS.get(flag, flag)
    return word if flag in ("n/a", HIDDEN) else f"{word} ({fmt_p(q)})"


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
    """Current, previous and baseline mean summed per area (key area_name) or category (key category_code). For a
    suppressed comparison these totals are published as the overview publishes them (a filter away, so shown unless
    small): a small sum is NaN, and so is a baseline mean resting on a small count."""
    raw = _raw(c)
    table = raw.assign(area_name=raw["area_name"].where(raw["area_name"].notna(), "Okänt område"))
    bases = [b for b in c.exposures.baseline_names() if b in table]
    table = table.assign(_base=table[bases].sum(axis=1) if bases else 0)
    out = (table.groupby(key)[["current", "previous", "baseline_mean", "_base"]].sum(min_count=1)
           .sort_values(["current", "previous"], ascending=False).reset_index())
    threshold = _threshold(c)
    if threshold > 1:
        for column in ("current", "previous", "_base"):
            small = out[column].map(lambda n: n == n and is_small(n, threshold)).to_numpy(dtype=bool)
            out[column] = out[column].astype("float64").mask(small)
        out["baseline_mean"] = out["baseline_mean"].astype("float64").mask(out["_base"].isna().to_numpy())
    out["label"] = out[key].map(lambda k: (names or {}).get(k, k))
    return out.drop(columns="_base")


def weekly_totals(engine: Engine, *, scope: Scope, flt: IncidentFilter, weeks: int) -> tuple[list[date], list[int],
                                                                                                 list[int]]:
    """(Mondays, incidents per week, incidents in the same ISO weeks 52 weeks earlier) for the `weeks` weeks up to
    the filter's end (the last week may be partial; its reference is cut the same way)."""
    first = week_start(flt.end) - timedelta(weeks=weeks - 1)
    mondays = [first + timedelta(weeks=k) for k in range(weeks)]

    threshold = min_count(scope)

    def series(shift: timedelta) -> list:
        found = weekly_counts(engine, scope=scope, flt=flt.with_period(first - shift, flt.end - shift))
        per = found.groupby("week_start")["count"].sum().to_dict() if len(found) else {}
        counts = [int(per.get(m - shift, 0)) for m in mondays]
        if threshold <= 1:
            return counts
        # Small weeks are NaN (a gap in the chart, not a zero); the series' sum is not published.
        return [float("nan") if pd.isna(n) else int(n) for n in suppress_list(counts, threshold=threshold,
                                                                              total=False)]

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
    threshold = min_count(scope)
    if threshold > 1:  # a hotspot's count below the threshold is hidden, as the map hides it
        hot["count"] = hot["count"].astype("float64").mask(hot["count"].map(lambda n: is_small(n, threshold)))
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
    """Source coverage with status (data_layer.overview_figures.coverage_status), suppressed as the overview publishes
    it for roles not shown small counts."""
    threshold = min_count(scope)
    found = coverage_status(engine, scope=scope, flt=flt)
    return suppress_coverage(found, threshold=threshold) if threshold > 1 else found


def comparison(engine: Engine, *, scope: Scope, flt: IncidentFilter, kind: str) -> Comparison:
    """The overview's comparison table (data_layer.overview_figures.build_comparison); for roles not shown small
    counts as the overview publishes it (PublishedComparison: hidden cells, no verdict on a hidden count)."""
    found = build_comparison(engine, scope=scope, flt=flt, kind=kind)
    threshold = min_count(scope)
    if threshold <= 1:
        return found
    shown = suppress_comparison(found, threshold=threshold)
    return PublishedComparison(shown.windows, shown.exposures, shown.table, shown.tests, shown.first_date,
                               shown.totals, shown.threshold, found.table)


def effect_of(engine: Engine, *, scope: Scope, action_id: int, today: date) -> EffectResult | None:
    """The action's evaluated effect (8 weeks before/after), None when it has no place or start date."""
    return action_effect(engine, scope=scope, action_id=action_id, today=today)


def effect_sentence(result: EffectResult | None, *, threshold: int = 1) -> tuple[str, str]:
    """(verdict words, one explaining sentence with the figures) for the reports' follow-up tables; counts below
    `threshold` said as 'färre än N'."""
    def count(n) -> str:
        return f"färre än {threshold}" if n is not None and is_small(n, threshold) else fmt_int(n)

    if result is None:
        return "kan inte utvärderas", "Åtgärden saknar plats eller startdatum."
    verdict = effect_text(f"effect.verdict.{result.verdict}")
    if result.verdict == "too_little_data":
        return verdict, "För få händelser eller hela veckor sedan starten för en bedömning."
    expected = "–" if result.expected_after is None else fmt_int(result.expected_after)
    text = (f"{count(result.target_before)} händelser {result.weeks} veckor före, {count(result.target_after)} "
            f"efter (väntat utan åtgärd: {expected}); förändring mot jämförelseområdena "
            f"{fmt_signed((result.did.ratio - 1) * 100)} % ({fmt_p(result.did.p_value)}). "
            f"Närområdet: {effect_text('effect.displacement.' + result.displacement)}.")
    return verdict, text
