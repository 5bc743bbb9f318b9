"""The overview's wording: what a period is compared with, p-values and verdicts as table cells, a row's names and
short dates. Pure functions of their arguments and the language (texts from ui/i18n.py)."""
from __future__ import annotations

import math
from datetime import date

import pandas as pd

from analysis.change import DECREASE, INCREASE, NORMAL
from analysis.periods import Windows
from ui.formatting import STOCKHOLM, comparison_sentence, fmt_date, fmt_decimal, fmt_range
from ui.i18n import t

ARROWS = {INCREASE: "▲", DECREASE: "▼", NORMAL: ""}
WEEKDAYS = {"sv": ("mån", "tis", "ons", "tors", "fre", "lör", "sön"),
            "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}


def range_year(start: date, end: date, lang: str) -> str:
    """A date range with its year: '1–26 nov 2026' (a range across the new year names both years)."""
    text = fmt_range(start, end, lang)
    return text if start.year != end.year else f"{text} {end.year}"


def period_sentence(windows: Windows, lang: str) -> str:
    """What the page shows and what it is compared with first: 'Vecka 47 jämfört med vecka 46', '30 okt–26 nov
    jämfört med föregående 28 dagar', 'Vecka 48 hittills (23–26 nov) jämfört med samma dagar vecka 47 (16–19
    nov)', '1–26 nov 2026 jämfört med 1–26 okt 2026'."""
    p = windows.period
    if p.kind == "days" or (p.kind == "week" and p.days == 7):
        return comparison_sentence(p.start, p.end, lang)
    prev_start, prev_end = windows.previous
    if p.kind == "week" and p.days < 7:
        return t("overview.sentence_week_part", week=p.start.isocalendar().week, range=fmt_range(p.start, p.end, lang),
                 prev_week=prev_start.isocalendar().week, prev_range=fmt_range(prev_start, prev_end, lang))
    return t("overview.sentence", current=range_year(p.start, p.end, lang),
             previous=range_year(prev_start, prev_end, lang))


def windows_caption(windows: Windows, available: dict[str, bool], lang: str) -> str:
    """Which windows the earlier-years and year-to-date columns mean, naming only the years that hold data."""
    years = sorted({end.year for k, (_, end) in enumerate(windows.baseline, start=1) if available.get(f"base_{k}")})
    if not years:
        baseline = t("overview.baseline_none")
    else:
        span = str(years[0]) if len(years) == 1 else f"{years[0]}\u2013{years[-1]}"
        key = "overview.baseline_weeks" if windows.period.kind == "week" else "overview.baseline_dates"
        baseline = t(key, years=span, n=len(years))
    ytd = t("overview.ytd_caption", ytd=range_year(*windows.ytd, lang),
            previous=range_year(*windows.ytd_previous, lang))
    return f"{baseline} {ytd}"


def fdr_line(tests: int) -> str:
    """The one line that says how many tests were made and how the false discovery rate is held."""
    return t("overview.fdr", tests=tests)


def p_text(p: float, lang: str) -> str:
    """'p <0,001', 'p 0,004', 'p 0,41': three decimals only where they matter."""
    if p < 0.001:
        return "p\u00a0<" + fmt_decimal(0.001, 3, lang)
    return "p\u00a0" + fmt_decimal(p, 3 if p < 0.01 else 2, lang)


def verdict(flag: str, q: float, lang: str) -> str:
    """A table cell's verdict: arrow, word and adjusted p-value ('▲ ökar p 0,003', 'normal p 0,41')."""
    if flag == "n/a" or q is None or (isinstance(q, float) and math.isnan(q)):
        return t("overview.verdict_na")
    return f"{ARROWS[flag]} {t(f'overview.verdict_short_{flag}')} {p_text(q, lang)}".strip()


def cell_names(row, labels: dict[str, str]) -> tuple[str, str]:
    """(category label, area name) of a table row; incidents without an area are 'Okänt område'."""
    area = row["area_name"] if isinstance(row["area_name"], str) else t("common.unknown_area")
    return labels.get(row["category_code"], row["category_code"]), area


def short_when(ts, lang: str) -> str:
    """An instant in Stockholm time with its weekday, without the year: 'lör 28 nov 15:00'."""
    moment = pd.Timestamp(ts)
    local = moment.tz_convert(STOCKHOLM) if moment.tzinfo else moment
    day = WEEKDAYS.get(lang, WEEKDAYS["sv"])[local.weekday()]
    return f"{day} {fmt_date(local.date(), lang, year=False)} {local:%H:%M}"
