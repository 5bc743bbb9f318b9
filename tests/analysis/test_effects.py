"""The effect evaluation finds effects that were built into constructed counts, finds none where none was built in
(at about the promised rate), reproduces Wheeler & Ratcliffe's worked WDD figures, and survives zeros."""
from __future__ import annotations

import math
import string
from collections import Counter
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from analysis import effects as e
from analysis.effects import WeeklyCounts, effect_window, evaluate, rate_ratio, wdd


def poisson_weeks(rng, mean: float, weeks: int = 8) -> tuple[int, ...]:
    return tuple(int(x) for x in rng.poisson(mean, weeks))


def simulate(seed: int, *, target: float, control: float, effect: float, buffer: float | None = None,
             buffer_effect: float = 1.0, weeks: int = 8) -> e.EffectResult:
    rng = np.random.default_rng(seed)
    t = WeeklyCounts(poisson_weeks(rng, target, weeks), poisson_weeks(rng, target * effect, weeks))
    c = WeeklyCounts(poisson_weeks(rng, control, weeks), poisson_weeks(rng, control, weeks))
    b = None
    if buffer is not None:
        b = WeeklyCounts(poisson_weeks(rng, buffer, weeks), poisson_weeks(rng, buffer * buffer_effect, weeks))
    return evaluate(target=t, control=c, buffer=b)


# --- the window ----------------------------------------------------------------------------------------------------

def test_an_action_starting_on_a_monday_is_compared_from_that_monday():
    w = effect_window(date(2026, 3, 2), weeks=8, today=date(2026, 9, 1))
    assert (w.before_from, w.before_to) == (date(2026, 1, 5), date(2026, 3, 1))
    assert (w.after_from, w.after_to) == (date(2026, 3, 2), date(2026, 4, 26))
    assert w.weeks == 8 and not w.truncated
    assert w.week_starts("after")[0] == date(2026, 3, 2) and len(w.week_starts("before")) == 8


def test_an_action_starting_mid_week_leaves_its_starting_week_out_of_both_periods():
    w = effect_window(date(2026, 3, 4), weeks=2, today=date(2026, 9, 1))  # a Wednesday
    assert w.before_to == date(2026, 3, 1) and w.after_from == date(2026, 3, 9)
    assert w.week_starts("before") == [date(2026, 2, 16), date(2026, 2, 23)]
    assert w.week_starts("after") == [date(2026, 3, 9), date(2026, 3, 16)]


def test_today_cuts_the_after_period_to_whole_weeks_and_the_before_period_to_match():
    # Start Monday 2 March; today Sunday 29 March: weeks 2, 9 and 16 March are over, the week of the 23rd is not.
    w = effect_window(date(2026, 3, 2), weeks=8, today=date(2026, 3, 29))
    assert w.weeks == 3 and w.truncated and w.weeks_requested == 8
    assert w.after_to == date(2026, 3, 22) and w.before_from == date(2026, 2, 9)
    assert effect_window(date(2026, 3, 2), weeks=8, today=date(2026, 3, 30)).weeks == 4


def test_an_action_that_has_not_started_has_no_weeks_to_compare():
    w = effect_window(date(2026, 6, 1), weeks=8, today=date(2026, 5, 20))
    assert w.weeks == 0 and w.truncated and w.week_starts("after") == []
    with pytest.raises(ValueError):
        effect_window(date(2026, 6, 1), weeks=0, today=date(2026, 5, 20))


# --- the difference-in-differences ---------------------------------------------------------------------------------

def test_the_ratio_of_ratios_and_its_interval_follow_the_log_rate_ratio_variance():
    rr = rate_ratio(100, 50, 200, 200)
    se = math.sqrt(1 / 100 + 1 / 50 + 1 / 200 + 1 / 200)
    assert rr.ratio == pytest.approx(0.5) and rr.percent == pytest.approx(-50)
    assert rr.ci_low == pytest.approx(math.exp(math.log(0.5) - 1.959964 * se), rel=1e-5)
    assert rr.ci_high == pytest.approx(math.exp(math.log(0.5) + 1.959964 * se), rel=1e-5)
    assert rr.z == pytest.approx(math.log(0.5) / se)
    assert rr.p_value == pytest.approx(math.erfc(abs(math.log(0.5) / se) / math.sqrt(2)))
    assert not rr.corrected


def test_a_zero_count_adds_one_half_to_all_four_counts():
    rr = rate_ratio(12, 0, 40, 40)
    assert rr.corrected
    assert rr.ratio == pytest.approx((0.5 / 12.5) / (40.5 / 40.5))
    assert math.isfinite(rr.ci_low) and math.isfinite(rr.ci_high) and 0 < rr.p_value < 1


def test_overdispersion_is_estimated_from_the_weeks_and_floored_at_poisson():
    assert e.dispersion((5, 5, 5, 5), (5, 5, 5, 5)) == 1.0  # less variation than Poisson: still 1
    swings = (0, 20, 0, 20, 0, 20, 0, 20)
    assert e.dispersion(swings, swings) == pytest.approx(2 * 8 * 10 ** 2 / 10 / 14)  # Pearson χ² 160 on 14 df
    assert e.dispersion((0, 9), (3, 1)) == 1.0  # two degrees of freedom: too few to estimate


def test_weeks_that_swing_more_than_chance_widen_the_interval_instead_of_giving_false_certainty():
    target = WeeklyCounts((0, 20, 0, 20, 0, 20, 0, 20), (0, 10, 0, 10, 0, 10, 0, 10))
    control = WeeklyCounts((50,) * 8, (50,) * 8)
    result = evaluate(target=target, control=control)
    naive = rate_ratio(80, 40, 400, 400)
    assert result.did.dispersion_group > 5 and result.did.ratio == pytest.approx(naive.ratio)
    assert naive.p_value < 0.01 and result.did.p_value > 0.05
    assert result.verdict == e.NO_CLEAR_CHANGE


# --- WDD: Wheeler & Ratcliffe (2018) and the ptools tests of it --------------------------------------------------

def test_wdd_reproduces_wheeler_and_ratcliffes_worked_example():
    # Table in Wheeler & Ratcliffe (2018): treated 207 → 110, control 308 → 318, displacement 178 → 157,
    # displacement control 150 → 140: WDD −118, variance 1568, z −2.98, 95 % interval −196 to −40.
    r = wdd(treated=(207, 110), control=(308, 318), disp_treated=(178, 157), disp_control=(150, 140))
    assert (r.local, r.displacement, r.total) == (-107, -11, -118)
    assert r.total_se == pytest.approx(math.sqrt(1568))
    assert round(r.z, 2) == -2.98
    assert (round(r.ci_low), round(r.ci_high)) == (-196, -40)
    assert r.p_value == pytest.approx(math.erfc(abs(r.z) / math.sqrt(2)))


def test_wdd_area_weights_divide_each_series_as_in_wheelers_extension():
    r = wdd(treated=(207, 110), control=(308, 318), disp_treated=(178, 157), disp_control=(150, 140),
            control_weight=0.9, treated_weight=1.2, disp_control_weight=1.6, disp_treated_weight=1.5)
    assert r.total == pytest.approx(-99.69444444)
    assert r.total_se == pytest.approx(35.4280755)
    assert r.z == pytest.approx(-2.813995483)
    assert (r.ci_low, r.ci_high) == (pytest.approx(-169.1321965), pytest.approx(-30.25669241))


def test_wdd_local_displacement_and_total_parts_match_the_small_ptools_examples():
    local = wdd(treated=(20, 10), control=(20, 20), alpha=0.1)
    assert local.local == -10 and local.displacement == 0 and local.total_se == pytest.approx(8.3666, abs=1e-4)
    assert (local.ci_low, local.ci_high) == (pytest.approx(-23.761833), pytest.approx(3.761833))
    disp = wdd(treated=(20, 20), control=(20, 20), disp_treated=(20, 10), disp_control=(20, 20))
    assert (disp.local, disp.displacement) == (0, -10)
    both = wdd(treated=(20, 10), control=(20, 20), disp_treated=(20, 10), disp_control=(20, 20))
    assert both.total == -20


def test_a_control_shared_by_target_and_buffer_enters_the_variance_once_with_both_multipliers():
    r = wdd(treated=(30, 20), control=(100, 120), disp_treated=(40, 50), control_weight=2.0,
            disp_control_weight=4.0)
    assert r.local == pytest.approx(-10 - 20 / 2) and r.displacement == pytest.approx(10 - 20 / 4)
    assert r.total_se ** 2 == pytest.approx(50 + 90 + 220 * (1 / 2 + 1 / 4) ** 2)


def test_evaluate_scales_the_control_to_the_targets_level_so_wdd_counts_incidents_fewer_than_expected():
    target = WeeklyCounts((10,) * 8, (5,) * 8)  # 80 → 40
    control = WeeklyCounts((100,) * 8, (110,) * 8)  # 800 → 880: +10 %
    buffer = WeeklyCounts((20,) * 8, (22,) * 8)  # 160 → 176: follows control
    r = evaluate(target=target, control=control, buffer=buffer)
    assert r.expected_after == pytest.approx(88)
    assert r.wdd.local == pytest.approx(40 - 88) and r.wdd.displacement == pytest.approx(0)
    assert r.wdd.total == pytest.approx(-48)
    assert r.wdd.total_se ** 2 == pytest.approx(120 + 336 + 1680 * (80 / 800 + 160 / 800) ** 2)


# --- verdicts on constructed data ----------------------------------------------------------------------------------

def test_a_halving_at_the_target_with_none_in_control_is_a_clear_decrease_at_large_counts():
    verdicts = Counter(simulate(seed, target=40, control=400, effect=0.5).verdict for seed in range(200))
    assert verdicts == {e.CLEAR_DECREASE: 200}


def test_a_doubling_at_the_target_is_a_clear_increase_at_large_counts():
    verdicts = Counter(simulate(seed, target=40, control=400, effect=2.0).verdict for seed in range(100))
    assert verdicts == {e.CLEAR_INCREASE: 100}


def test_without_an_effect_nine_in_ten_evaluations_say_no_certain_change():
    verdicts = Counter(simulate(seed, target=5, control=50, effect=1.0).verdict for seed in range(1000))
    assert verdicts[e.NO_CLEAR_CHANGE] >= 900
    assert verdicts[e.CLEAR_DECREASE] + verdicts[e.LIKELY_DECREASE] <= 60  # ~5 % one-sided
    assert verdicts[e.TOO_LITTLE_DATA] == 0


def test_without_an_effect_overdispersed_weeks_still_mostly_say_no_certain_change():
    rng = np.random.default_rng(5)
    verdicts = Counter()
    for _ in range(500):
        def nb(mean):  # negative binomial with shape 3: variance = mean + mean² / 3
            return tuple(int(x) for x in rng.negative_binomial(3, 3 / (3 + mean), 8))
        verdicts[evaluate(target=WeeklyCounts(nb(8), nb(8)), control=WeeklyCounts(nb(80), nb(80))).verdict] += 1
    assert verdicts[e.NO_CLEAR_CHANGE] >= 0.85 * 500


def test_a_strong_reduction_at_small_counts_is_still_found_most_of_the_time():
    verdicts = Counter(simulate(seed, target=3, control=50, effect=0.3).verdict for seed in range(300))
    assert verdicts[e.CLEAR_DECREASE] + verdicts[e.LIKELY_DECREASE] >= 0.8 * 300
    assert verdicts[e.CLEAR_INCREASE] + verdicts[e.LIKELY_INCREASE] == 0


def test_all_zero_target_after_with_enough_before_is_a_clear_decrease_not_a_crash():
    r = evaluate(target=WeeklyCounts((3,) * 8, (0,) * 8), control=WeeklyCounts((30,) * 8, (30,) * 8))
    assert r.did.corrected and r.verdict == e.CLEAR_DECREASE and math.isfinite(r.did.ratio)


@pytest.mark.parametrize("target, control, weeks", [
    ((1, 0, 1, 0, 2, 0, 0, 0), (30,) * 8, 8),  # 8 target incidents in both periods
    ((5,) * 8, (1,) * 8, 8),  # 8 control incidents per period
    ((20,) * 3, (50,) * 3, 3),  # three weeks after the start
    ((0,) * 8, (0,) * 8, 8),  # nothing at all
])
def test_too_few_incidents_or_weeks_say_too_little_data(target, control, weeks):
    t = WeeklyCounts(target[:weeks], target[:weeks])
    c = WeeklyCounts(control[:weeks], control[:weeks])
    r = evaluate(target=t, control=c, buffer=WeeklyCounts(control[:weeks], control[:weeks]))
    assert r.verdict == e.TOO_LITTLE_DATA and r.displacement == e.TOO_LITTLE_DATA


def test_no_weeks_at_all_evaluates_to_too_little_data():
    r = evaluate(target=WeeklyCounts((), ()), control=WeeklyCounts((), ()))
    assert (r.weeks, r.verdict, r.displacement, r.expected_after) == (0, e.TOO_LITTLE_DATA, e.TOO_LITTLE_DATA, None)


# --- displacement --------------------------------------------------------------------------------------------------

def test_a_buffer_that_rises_while_the_target_falls_is_a_sign_of_displacement():
    r = simulate(1, target=40, control=400, effect=0.5, buffer=40, buffer_effect=1.6)
    assert (r.verdict, r.displacement) == (e.CLEAR_DECREASE, e.DISPLACEMENT)


def test_a_buffer_that_falls_with_the_target_is_a_diffusion_of_benefits():
    r = simulate(2, target=40, control=400, effect=0.5, buffer=40, buffer_effect=0.6)
    assert (r.verdict, r.displacement) == (e.CLEAR_DECREASE, e.DIFFUSION)


def test_a_buffer_that_follows_the_control_shows_no_displacement():
    shown = Counter(simulate(s, target=40, control=400, effect=0.5, buffer=40).displacement for s in range(200))
    assert shown[e.NO_DISPLACEMENT] >= 0.88 * 200


def test_a_buffer_that_falls_while_the_target_does_not_is_no_diffusion():
    r = simulate(3, target=40, control=400, effect=1.0, buffer=40, buffer_effect=0.5)
    assert r.verdict == e.NO_CLEAR_CHANGE and r.displacement == e.NO_DISPLACEMENT


def test_without_a_buffer_or_with_a_tiny_one_displacement_cannot_be_judged():
    assert simulate(4, target=40, control=400, effect=0.5).displacement == e.TOO_LITTLE_DATA
    r = simulate(4, target=40, control=400, effect=0.5, buffer=0.3)
    assert r.buffer_before + r.buffer_after < e.MIN_BUFFER and r.displacement == e.TOO_LITTLE_DATA


# --- inputs and texts ----------------------------------------------------------------------------------------------

def test_the_frame_from_the_query_becomes_weekly_counts_with_missing_weeks_as_zero():
    w = effect_window(date(2026, 3, 2), weeks=4, today=date(2026, 9, 1))
    rows = [("target", w.before_from + timedelta(days=7), 3), ("control", w.after_from, 40),
            ("buffer", w.after_from + timedelta(days=21), 2)]
    df = pd.DataFrame(rows, columns=["group", "week_start", "count"])
    r = e.evaluate_frame(df, window=w)
    assert (r.target_before, r.target_after, r.control_before, r.control_after) == (3, 0, 0, 40)
    assert (r.buffer_before, r.buffer_after) == (0, 2) and r.window == w and not r.truncated
    assert e.weekly_counts(df, group="target", window=w).before == (0, 3, 0, 0)


def test_groups_with_different_numbers_of_weeks_are_refused():
    with pytest.raises(ValueError):
        WeeklyCounts((1, 2), (1,))
    with pytest.raises(ValueError):
        evaluate(target=WeeklyCounts((1, 2), (1, 2)), control=WeeklyCounts((1,), (1,)))


def test_every_verdict_and_displacement_code_has_a_swedish_and_english_text_with_the_same_placeholders():
    keys = [f"effect.verdict.{v}" for v in e.VERDICTS] + [f"effect.explain.{v}" for v in e.VERDICTS]
    keys += [f"effect.displacement.{d}" for d in e.DISPLACEMENTS]
    keys += [f"effect.displacement_explain.{d}" for d in e.DISPLACEMENTS]
    assert [k for k in keys if k not in e.EFFECT_TEXTS] == []
    for sv, en in e.EFFECT_TEXTS.values():
        fields = [{n for _, n, _, _ in string.Formatter().parse(text) if n} for text in (sv, en)]
        assert sv.strip() and en.strip() and fields[0] == fields[1]


def test_the_verdicts_read_in_plain_swedish_as_the_forum_says_them():
    said = {v: e.EFFECT_TEXTS[f"effect.verdict.{v}"][0] for v in e.VERDICTS}
    assert said == {"clear_decrease": "tydlig minskning", "likely_decrease": "trolig minskning",
                    "no_clear_change": "ingen säker förändring", "likely_increase": "trolig ökning",
                    "clear_increase": "tydlig ökning", "too_little_data": "för lite data"}
    assert [e.EFFECT_TEXTS[f"effect.displacement.{d}"][0] for d in (e.DISPLACEMENT, e.NO_DISPLACEMENT, e.DIFFUSION)] \
        == ["tecken på förflyttning", "ingen förflyttning syns", "spridning av nytta"]


def test_the_summary_texts_format_with_a_results_figures():
    r = simulate(7, target=10, control=100, effect=0.5, buffer=20)
    sv, en = e.EFFECT_TEXTS["effect.change"]
    kw = dict(percent=r.did.percent, low=(r.did.ci_low - 1) * 100, high=(r.did.ci_high - 1) * 100, p="p = 0,012")
    assert "%" in sv.format(**kw) and "p = 0,012)" in en.format(**kw)
    summary = e.EFFECT_TEXTS["effect.summary"][0].format(
        target_before=r.target_before, target_after=r.target_after, weeks=r.weeks, control_before=r.control_before,
        control_after=r.control_after, expected=round(r.expected_after))
    assert str(r.target_before) in summary
