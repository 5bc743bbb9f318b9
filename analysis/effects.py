"""Did an action work? Weekly counts at the action's place against control areas and a surrounding buffer.

Three groups of weekly counts over the same N weeks before and N weeks after the action's start (effect_window):
target (where the action was carried out), control (comparable areas away from it: what would have happened anyway,
season and trends included) and buffer (the ring around the target, where displaced incidents would turn up).

Estimates
- Difference-in-differences on Poisson counts, as a ratio of ratios RR = (Ta/Tb) / (Ca/Cb), with a Wald interval on
  log RR: var = φT·(1/Ta + 1/Tb) + φC·(1/Ca + 1/Cb). When any of the four counts is 0, 0.5 is added to all four
  (Haldane–Anscombe) so the ratio and its variance stay finite. φ is each group's weekly overdispersion (Pearson χ²
  of the weekly counts around each period's mean over its degrees of freedom, floored at 1; 1 with fewer than
  MIN_DISPERSION_DF degrees of freedom): weeks that vary more than Poisson chance widen the interval instead of
  producing false certainty.
- The weighted displacement difference (WDD; Wheeler & Ratcliffe 2018, Crime Science 7:11) with its Poisson
  variance (the sum of the weighted counts) and z-test, in `wdd`. In `evaluate` the control series is scaled to
  each compared group's level before the action (weight = control before / group before, Wheeler's area-weight
  extension), so WDD reads as "incidents fewer (−) or more (+) than the control trend predicts", target and buffer.

Verdicts (codes; Swedish and English wording in EFFECT_TEXTS, keys effect.verdict.<code>)
- too_little_data: fewer than MIN_WEEKS complete weeks after the start, fewer than MIN_TARGET incidents in the
  target over both periods, or fewer than MIN_CONTROL control incidents in either period;
- clear_decrease / clear_increase: the DiD two-sided p < ALPHA_CLEAR (the 95 % interval excludes "no change");
- likely_decrease / likely_increase: ALPHA_CLEAR <= p < ALPHA_LIKELY (the 90 % interval excludes it);
- no_clear_change: otherwise.
With no true effect, about 90 % of evaluations say no_clear_change (more when φ > 1 is estimated by chance).

Displacement (keys effect.displacement.<code>), from the buffer's own ratio of ratios against the same control:
- too_little_data: no buffer, fewer than MIN_BUFFER buffer incidents over both periods, or the target verdict
  itself is too_little_data;
- displacement: the buffer rose relative to control with p < ALPHA_LIKELY ("tecken på förflyttning");
- diffusion: the buffer fell relative to control with p < ALPHA_LIKELY while the target shows a decrease
  ("spridning av nytta");
- no_displacement: otherwise.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import NormalDist
from typing import Sequence

import pandas as pd

ALPHA_CLEAR = 0.05
ALPHA_LIKELY = 0.10
MIN_WEEKS = 4  # complete weeks after the start; fewer is too early to say anything
MIN_TARGET = 10  # target incidents before + after
MIN_CONTROL = 10  # control incidents in EACH period
MIN_BUFFER = 10  # buffer incidents before + after
MIN_DISPERSION_DF = 4  # weekly degrees of freedom needed before overdispersion is estimated at all
CONTINUITY = 0.5

GROUPS = ("target", "control", "buffer")
PERIODS = ("before", "after")
CLEAR_DECREASE, LIKELY_DECREASE, NO_CLEAR_CHANGE = "clear_decrease", "likely_decrease", "no_clear_change"
LIKELY_INCREASE, CLEAR_INCREASE, TOO_LITTLE_DATA = "likely_increase", "clear_increase", "too_little_data"
VERDICTS = (CLEAR_DECREASE, LIKELY_DECREASE, NO_CLEAR_CHANGE, LIKELY_INCREASE, CLEAR_INCREASE, TOO_LITTLE_DATA)
DECREASES = (CLEAR_DECREASE, LIKELY_DECREASE)
DISPLACEMENT, NO_DISPLACEMENT, DIFFUSION = "displacement", "no_displacement", "diffusion"
DISPLACEMENTS = (DISPLACEMENT, NO_DISPLACEMENT, DIFFUSION, TOO_LITTLE_DATA)

# key: (Swedish, English), the format of ui/i18n.py TEXTS. Placeholders are str.format names: effect.summary takes
# the EffectResult totals, weeks and expected (rounded expected_after); effect.change takes percent, low and high as
# percent changes ((ratio − 1) · 100 of did.ratio, did.ci_low, did.ci_high) and p (did.p_value); effect.wdd takes
# total, low and high (wdd.total, wdd.ci_low, wdd.ci_high); effect.truncated takes weeks and requested.
EFFECT_TEXTS: dict[str, tuple[str, str]] = {
    "effect.verdict.clear_decrease": ("tydlig minskning", "clear decrease"),
    "effect.verdict.likely_decrease": ("trolig minskning", "probable decrease"),
    "effect.verdict.no_clear_change": ("ingen säker förändring", "no certain change"),
    "effect.verdict.likely_increase": ("trolig ökning", "probable increase"),
    "effect.verdict.clear_increase": ("tydlig ökning", "clear increase"),
    "effect.verdict.too_little_data": ("för lite data", "too little data"),
    "effect.explain.clear_decrease": (
        "Händelserna minskade mer här än i jämförelseområdena, och skillnaden är så stor att slumpen knappast "
        "förklarar den.",
        "Incidents fell more here than in the comparison areas, by more than chance is likely to explain."),
    "effect.explain.likely_decrease": (
        "Händelserna minskade mer här än i jämförelseområdena, men det kan inte helt uteslutas att det är slump.",
        "Incidents fell more here than in the comparison areas, but chance cannot be fully ruled out."),
    "effect.explain.no_clear_change": (
        "Utvecklingen här skiljer sig inte säkert från jämförelseområdena; skillnaden kan vara slump.",
        "The development here does not differ clearly from the comparison areas; the difference may be chance."),
    "effect.explain.likely_increase": (
        "Händelserna ökade mer här än i jämförelseområdena, men det kan inte helt uteslutas att det är slump.",
        "Incidents rose more here than in the comparison areas, but chance cannot be fully ruled out."),
    "effect.explain.clear_increase": (
        "Händelserna ökade mer här än i jämförelseområdena, och skillnaden är så stor att slumpen knappast "
        "förklarar den.",
        "Incidents rose more here than in the comparison areas, by more than chance is likely to explain."),
    "effect.explain.too_little_data": (
        "Det finns för få händelser, eller för få hela veckor sedan starten, för att säga något om effekten.",
        "There are too few incidents, or too few whole weeks since the start, to say anything about the effect."),
    "effect.displacement.displacement": ("tecken på förflyttning", "signs of displacement"),
    "effect.displacement.no_displacement": ("ingen förflyttning syns", "no displacement seen"),
    "effect.displacement.diffusion": ("spridning av nytta", "diffusion of benefits"),
    "effect.displacement.too_little_data": ("för lite data i närområdet", "too little data around the place"),
    "effect.displacement_explain.displacement": (
        "Närområdet ökade mer än jämförelseområdena; problemen kan ha flyttat dit.",
        "The surrounding area rose more than the comparison areas; the problems may have moved there."),
    "effect.displacement_explain.no_displacement": (
        "Närområdet har inte ökat mer än jämförelseområdena.",
        "The surrounding area has not risen more than the comparison areas."),
    "effect.displacement_explain.diffusion": (
        "Även närområdet minskade mer än jämförelseområdena; nyttan verkar ha spridit sig.",
        "The surrounding area also fell more than the comparison areas; the benefit seems to have spread."),
    "effect.displacement_explain.too_little_data": (
        "Det finns för få händelser i närområdet för att se om problemen flyttat.",
        "There are too few incidents around the place to tell whether the problems moved."),
    "effect.summary": (
        "{target_before} händelser under {weeks} veckor före starten och {target_after} under {weeks} veckor "
        "efter. Om utvecklingen hade följt jämförelseområdena ({control_before} före, {control_after} efter) "
        "hade ungefär {expected} händelser väntats efter starten.",
        "{target_before} incidents in the {weeks} weeks before the start and {target_after} in the {weeks} weeks "
        "after. Had the place followed the comparison areas ({control_before} before, {control_after} after), "
        "about {expected} incidents would have been expected after the start."),
    "effect.change": (
        "Förändring jämfört med jämförelseområdena: {percent:+.0f} % (95 % konfidensintervall {low:+.0f} till "
        "{high:+.0f} %, {p}).",
        "Change relative to the comparison areas: {percent:+.0f} % (95 % confidence interval {low:+.0f} to "
        "{high:+.0f} %, {p})."),
    "effect.wdd": (
        "Nettoeffekt på platsen och i närområdet (viktad förflyttningsdifferens, WDD): {total:+.0f} händelser "
        "jämfört med vad jämförelseområdena förutsäger (95 % konfidensintervall {low:+.0f} till {high:+.0f}).",
        "Net effect at the place and around it (weighted displacement difference, WDD): {total:+.0f} incidents "
        "against what the comparison areas predict (95 % confidence interval {low:+.0f} to {high:+.0f})."),
    "effect.truncated": (
        "Bara {weeks} av {requested} veckor efter starten har passerat; jämförelsen bygger på {weeks} veckor före "
        "och efter.",
        "Only {weeks} of {requested} weeks after the start have passed; the comparison uses {weeks} weeks before "
        "and after."),
    "effect.method": (
        "Jämförelsen gäller hela veckor (måndag–söndag). Startveckan räknas inte när åtgärden började mitt i "
        "veckan. Jämförelseområdena visar vad som hänt ändå (säsong, allmän trend); närområdet visar om problemen "
        "flyttat.",
        "The comparison uses whole weeks (Monday–Sunday). The starting week is left out when the action began "
        "mid-week. The comparison areas show what happened anyway (season, general trend); the surrounding area "
        "shows whether the problems moved."),
}


# --- the window ----------------------------------------------------------------------------------------------------

def monday(d: date) -> date:
    """Monday of the ISO week containing `d`."""
    return d - timedelta(days=d.weekday())


@dataclass(frozen=True)
class EffectWindow:
    """The whole weeks compared: `weeks` before the start's week and `weeks` from the first Monday on/after it."""

    start: date
    weeks_requested: int
    weeks: int
    before_from: date
    before_to: date
    after_from: date
    after_to: date

    @property
    def truncated(self) -> bool:
        """True when fewer weeks than requested have passed since the start (after is cut at today)."""
        return self.weeks < self.weeks_requested

    def week_starts(self, period: str) -> list[date]:
        """Mondays of the period's weeks, oldest first."""
        first = {"before": self.before_from, "after": self.after_from}[period]
        return [first + timedelta(days=7 * k) for k in range(self.weeks)]


def effect_window(start: date, *, weeks: int, today: date) -> EffectWindow:
    """The compared weeks for an action starting on `start`, judged on `today` (only weeks ended before today's week).

    A start on a Monday makes that week the first after; a start mid-week leaves its week out of both periods. The
    before period has as many weeks as the after period (at most `weeks`), ending the Sunday before the start's week.
    """
    if weeks < 1:
        raise ValueError("weeks måste vara minst 1")
    start_monday = monday(start)
    after_from = start if start.weekday() == 0 else start_monday + timedelta(days=7)
    complete = max(0, (monday(today) - after_from).days // 7)
    n = min(weeks, complete)
    return EffectWindow(start=start, weeks_requested=weeks, weeks=n,
                        before_from=start_monday - timedelta(days=7 * n), before_to=start_monday - timedelta(days=1),
                        after_from=after_from, after_to=after_from + timedelta(days=7 * n - 1))


# --- the statistics ------------------------------------------------------------------------------------------------

def _two_sided_p(z: float) -> float:
    return math.erfc(abs(z) / math.sqrt(2.0))


def _z_crit(alpha: float) -> float:
    return NormalDist().inv_cdf(1.0 - alpha / 2.0)


@dataclass(frozen=True)
class RateRatio:
    """Difference-in-differences of Poisson counts: (after/before in the group) / (after/before in control)."""

    ratio: float
    ci_low: float
    ci_high: float
    z: float
    p_value: float
    corrected: bool  # 0.5 was added to every count because one was zero
    dispersion_group: float  # φ applied to the group's variance terms
    dispersion_control: float

    @property
    def percent(self) -> float:
        """The ratio as a percent change (−50 = halved relative to control)."""
        return (self.ratio - 1.0) * 100.0


def rate_ratio(group_before: float, group_after: float, control_before: float, control_after: float, *,
               dispersion_group: float = 1.0, dispersion_control: float = 1.0, alpha: float = 0.05) -> RateRatio:
    """The ratio of ratios with a Wald interval on its log; zeros get the 0.5 continuity correction on all four."""
    counts = [group_before, group_after, control_before, control_after]
    if min(counts) < 0:
        raise ValueError("counts must be non-negative")
    corrected = min(counts) == 0
    gb, ga, cb, ca = (c + CONTINUITY for c in counts) if corrected else counts
    log_rr = math.log(ga / gb) - math.log(ca / cb)
    se = math.sqrt(dispersion_group * (1 / ga + 1 / gb) + dispersion_control * (1 / ca + 1 / cb))
    z = log_rr / se
    half = _z_crit(alpha) * se
    return RateRatio(ratio=math.exp(log_rr), ci_low=math.exp(log_rr - half), ci_high=math.exp(log_rr + half), z=z,
                     p_value=_two_sided_p(z), corrected=corrected, dispersion_group=dispersion_group,
                     dispersion_control=dispersion_control)


def dispersion(before: Sequence[float], after: Sequence[float]) -> float:
    """Weekly overdispersion φ of one group: Pearson χ² around each period's mean over its df, floored at 1.

    Periods with a zero mean add nothing; with fewer than MIN_DISPERSION_DF degrees of freedom φ is 1 (Poisson).
    """
    chi2, df = 0.0, 0
    for weeks in (before, after):
        n = len(weeks)
        mean = sum(weeks) / n if n else 0.0
        if n < 2 or mean <= 0:
            continue
        chi2 += sum((x - mean) ** 2 for x in weeks) / mean
        df += n - 1
    if df < MIN_DISPERSION_DF:
        return 1.0
    return max(1.0, chi2 / df)


@dataclass(frozen=True)
class Wdd:
    """Weighted displacement difference (negative = fewer incidents than the control predicts) and its z-test."""

    local: float
    local_se: float
    displacement: float
    displacement_se: float
    total: float
    total_se: float
    z: float
    p_value: float
    ci_low: float
    ci_high: float


def wdd(*, treated: tuple[float, float], control: tuple[float, float],
        disp_treated: tuple[float, float] | None = None, disp_control: tuple[float, float] | None = None,
        treated_weight: float = 1.0, control_weight: float = 1.0, disp_treated_weight: float = 1.0,
        disp_control_weight: float = 1.0, alpha: float = 0.05) -> Wdd:
    """Wheeler & Ratcliffe's WDD from (before, after) counts; each count is divided by its series' weight.

    WDD = ΔT/wT − ΔC/wC + ΔD/wD − ΔCd/wCd with Δ = after − before, and Var = Σ count/w² over the eight counts (Poisson).
    Without `disp_treated` the displacement part is 0. With `disp_treated` but no `disp_control`, the displacement
    area is compared with `control` itself (weighted by disp_control_weight); the shared control counts then enter
    the variance once, with the sum of both multipliers.
    """
    def delta(pair, w):
        return (pair[1] - pair[0]) / w

    def var(pair, m):
        return (pair[0] + pair[1]) * m * m

    m_t, m_c, m_d, m_cd = 1 / treated_weight, 1 / control_weight, 1 / disp_treated_weight, 1 / disp_control_weight
    local = delta(treated, treated_weight) - delta(control, control_weight)
    local_var = var(treated, m_t) + var(control, m_c)
    if disp_treated is None:
        displacement, disp_var, total_var = 0.0, 0.0, local_var
    elif disp_control is None:
        displacement = delta(disp_treated, disp_treated_weight) - delta(control, disp_control_weight)
        disp_var = var(disp_treated, m_d) + var(control, m_cd)
        total_var = var(treated, m_t) + var(disp_treated, m_d) + var(control, m_c + m_cd)
    else:
        displacement = delta(disp_treated, disp_treated_weight) - delta(disp_control, disp_control_weight)
        disp_var = var(disp_treated, m_d) + var(disp_control, m_cd)
        total_var = local_var + disp_var
    total = local + displacement
    se = math.sqrt(total_var)
    z = total / se if se > 0 else 0.0
    half = _z_crit(alpha) * se
    return Wdd(local=local, local_se=math.sqrt(local_var), displacement=displacement,
               displacement_se=math.sqrt(disp_var), total=total, total_se=se, z=z,
               p_value=_two_sided_p(z) if se > 0 else 1.0, ci_low=total - half, ci_high=total + half)


# --- the evaluation ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class WeeklyCounts:
    """One group's weekly counts, oldest week first, before and after the start (equally many weeks)."""

    before: tuple[int, ...]
    after: tuple[int, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "before", tuple(int(x) for x in self.before))
        object.__setattr__(self, "after", tuple(int(x) for x in self.after))
        if len(self.before) != len(self.after):
            raise ValueError("before and after must have equally many weeks")
        if min((*self.before, *self.after), default=0) < 0:
            raise ValueError("counts must be non-negative")

    @property
    def total_before(self) -> int:
        return sum(self.before)

    @property
    def total_after(self) -> int:
        return sum(self.after)


@dataclass(frozen=True)
class EffectResult:
    """Everything the effect evaluation found: totals, the DiD ratio, WDD, and the verdict codes."""

    weeks: int
    target_before: int
    target_after: int
    control_before: int
    control_after: int
    buffer_before: int | None  # None when there is no buffer
    buffer_after: int | None
    expected_after: float | None  # target before × control after / control before; None when control before is 0
    did: RateRatio  # target against control
    buffer_did: RateRatio | None  # buffer against control
    wdd: Wdd  # control scaled to the target's (and buffer's) level before the start
    verdict: str  # one of VERDICTS
    displacement: str  # one of DISPLACEMENTS
    window: EffectWindow | None = None

    @property
    def truncated(self) -> bool:
        """True when fewer weeks than requested could be used (the window is known and was cut at today)."""
        return self.window is not None and self.window.truncated


def _verdict(rr: RateRatio) -> str:
    if rr.p_value < ALPHA_CLEAR:
        return CLEAR_DECREASE if rr.ratio < 1 else CLEAR_INCREASE
    if rr.p_value < ALPHA_LIKELY:
        return LIKELY_DECREASE if rr.ratio < 1 else LIKELY_INCREASE
    return NO_CLEAR_CHANGE


def _displacement(verdict: str, buffer: WeeklyCounts | None, rr: RateRatio | None) -> str:
    if verdict == TOO_LITTLE_DATA or buffer is None or rr is None:
        return TOO_LITTLE_DATA
    if buffer.total_before + buffer.total_after < MIN_BUFFER:
        return TOO_LITTLE_DATA
    if rr.p_value < ALPHA_LIKELY and rr.ratio > 1:
        return DISPLACEMENT
    if rr.p_value < ALPHA_LIKELY and rr.ratio < 1 and verdict in DECREASES:
        return DIFFUSION
    return NO_DISPLACEMENT


def _scale(group_before: int, control_before: int) -> float:
    """Multiplier bringing the control to the group's level before the start (0 when either is empty)."""
    return group_before / control_before if group_before > 0 and control_before > 0 else 0.0


def _wdd_scaled(target: WeeklyCounts, control: WeeklyCounts, buffer: WeeklyCounts | None) -> Wdd:
    t = (target.total_before, target.total_after)
    c = (control.total_before, control.total_after)
    s_t = _scale(t[0], c[0])
    # A zero multiplier means "no control trend": give the control an infinite weight (it drops out).
    weight = (lambda s: 1 / s if s > 0 else math.inf)
    if buffer is None:
        return wdd(treated=t, control=c, control_weight=weight(s_t))
    d = (buffer.total_before, buffer.total_after)
    return wdd(treated=t, control=c, disp_treated=d, control_weight=weight(s_t),
               disp_control_weight=weight(_scale(d[0], c[0])))


def evaluate(*, target: WeeklyCounts, control: WeeklyCounts, buffer: WeeklyCounts | None = None,
             window: EffectWindow | None = None, alpha: float = 0.05) -> EffectResult:
    """Evaluate an action from its groups' weekly counts (all with the same number of weeks)."""
    weeks = len(target.before)
    if len(control.before) != weeks or (buffer is not None and len(buffer.before) != weeks):
        raise ValueError("every group must cover the same weeks")
    if window is not None and window.weeks != weeks:
        raise ValueError("the counts do not cover the window's weeks")
    tb, ta, cb, ca = target.total_before, target.total_after, control.total_before, control.total_after
    phi_t, phi_c = dispersion(target.before, target.after), dispersion(control.before, control.after)
    did = rate_ratio(tb, ta, cb, ca, dispersion_group=phi_t, dispersion_control=phi_c, alpha=alpha)
    buffer_did = None
    if buffer is not None:
        buffer_did = rate_ratio(buffer.total_before, buffer.total_after, cb, ca,
                                dispersion_group=dispersion(buffer.before, buffer.after), dispersion_control=phi_c,
                                alpha=alpha)
    enough = weeks >= MIN_WEEKS and tb + ta >= MIN_TARGET and min(cb, ca) >= MIN_CONTROL
    verdict = _verdict(did) if enough else TOO_LITTLE_DATA
    return EffectResult(
        weeks=weeks, target_before=tb, target_after=ta, control_before=cb, control_after=ca,
        buffer_before=buffer.total_before if buffer is not None else None,
        buffer_after=buffer.total_after if buffer is not None else None,
        expected_after=tb * ca / cb if cb > 0 else None, did=did, buffer_did=buffer_did,
        wdd=_wdd_scaled(target, control, buffer), verdict=verdict,
        displacement=_displacement(verdict, buffer, buffer_did), window=window)


def weekly_counts(counts: pd.DataFrame, *, group: str, window: EffectWindow) -> WeeklyCounts:
    """One group's WeeklyCounts from a frame with columns group, week_start, count (missing weeks count 0)."""
    rows = counts[counts["group"] == group]
    by_week = {pd.Timestamp(w).date(): int(n) for w, n in zip(rows["week_start"], rows["count"])}
    return WeeklyCounts(before=tuple(by_week.get(w, 0) for w in window.week_starts("before")),
                        after=tuple(by_week.get(w, 0) for w in window.week_starts("after")))


def evaluate_frame(counts: pd.DataFrame, *, window: EffectWindow, alpha: float = 0.05) -> EffectResult:
    """Evaluate from the frame data_layer.queries.effects.action_effect_counts returns (buffer optional)."""
    has_buffer = bool((counts["group"] == "buffer").any()) if len(counts) else False
    return evaluate(target=weekly_counts(counts, group="target", window=window),
                    control=weekly_counts(counts, group="control", window=window),
                    buffer=weekly_counts(counts, group="buffer", window=window) if has_buffer else None,
                    window=window, alpha=alpha)
