"""Swedish (and English) numbers, dates and period wording; pure functions, safe to unit-test without Streamlit."""
from __future__ import annotations

import math
from datetime import date, datetime
from zoneinfo import ZoneInfo

from analysis.periods import describe, previous_period

STOCKHOLM = ZoneInfo("Europe/Stockholm")
NBSP = "\u00a0"
MONTHS = {
    "sv": ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}


def fmt_int(n, lang: str = "sv") -> str:
    """An integer with thousands grouped: '12 345' (no-break space) in Swedish, '12,345' in English."""
    if n is None or (isinstance(n, float) and math.isnan(n)):
        return "–"
    text = f"{int(n):,}"
    return text.replace(",", NBSP) if lang == "sv" else text


def fmt_decimal(x, digits: int = 1, lang: str = "sv") -> str:
    """A decimal number with a decimal comma in Swedish: 0,165."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    text = f"{x:,.{digits}f}"
    if lang == "sv":
        text = text.replace(",", " ").replace(".", ",").replace(" ", NBSP)
    return text


def fmt_p(p, lang: str = "sv") -> str:
    """A p-value: three decimals, '< 0,001' for very small values."""
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return "–"
    if p < 0.001:
        return f"<{NBSP}" + fmt_decimal(0.001, 3, lang)
    return fmt_decimal(p, 3, lang)


def fmt_p_clause(p, lang: str = "sv") -> str:
    """'p = 0,012', or 'p < 0,001' for very small values (never 'p = 0,000')."""
    text = fmt_p(p, lang)
    return f"p{NBSP}{text}" if text.startswith("<") else f"p{NBSP}={NBSP}{text}"


def fmt_pct(share, digits: int = 0, lang: str = "sv") -> str:
    """A share 0–1 as percent: '12 %' in Swedish (space before the sign), '12%' in English."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "–"
    number = fmt_decimal(share * 100, digits, lang)
    return f"{number}{NBSP}%" if lang == "sv" else f"{number}%"


def fmt_signed(n, lang: str = "sv") -> str:
    """A difference with its sign: '+9', '−3' (true minus sign), '0'."""
    n = int(n)
    if n > 0:
        return "+" + fmt_int(n, lang)
    if n < 0:
        return "\u2212" + fmt_int(-n, lang)
    return "0"


def fmt_date(d, lang: str = "sv", *, year: bool = True) -> str:
    """A date as '25 nov 2026' (or 'Nov 25, 2026' in English)."""
    if d is None:
        return "–"
    if isinstance(d, datetime):
        d = d.astimezone(STOCKHOLM).date() if d.tzinfo else d.date()
    month = MONTHS.get(lang, MONTHS["sv"])[d.month - 1]
    if lang == "en":
        return f"{month} {d.day}, {d.year}" if year else f"{month} {d.day}"
    return f"{d.day} {month} {d.year}" if year else f"{d.day} {month}"


def fmt_datetime(ts, lang: str = "sv") -> str:
    """An instant shown in Europe/Stockholm: '25 nov 2026 19:30'."""
    if ts is None or (isinstance(ts, float) and math.isnan(ts)):
        return "–"
    if hasattr(ts, "to_pydatetime"):
        ts = ts.to_pydatetime()
    local = ts.astimezone(STOCKHOLM) if ts.tzinfo else ts
    return f"{fmt_date(local.date(), lang)} {local:%H:%M}"


def fmt_range(start: date, end: date, lang: str = "sv") -> str:
    """A date range, compact: '1–28 nov', '28 okt–24 nov', '28 dec 2026–3 jan 2027'."""
    dash = "\u2013"
    months = MONTHS.get(lang, MONTHS["sv"])
    if start.year != end.year:
        return f"{fmt_date(start, lang)}{dash}{fmt_date(end, lang)}"
    if lang == "en":
        if start.month == end.month:
            return f"{months[start.month - 1]} {start.day}{dash}{end.day}"
        return f"{fmt_date(start, lang, year=False)}{dash}{fmt_date(end, lang, year=False)}"
    if start.month == end.month:
        return f"{start.day}{dash}{end.day} {months[start.month - 1]}"
    return f"{fmt_date(start, lang, year=False)}{dash}{fmt_date(end, lang, year=False)}"


def period_name(start: date, end: date, lang: str = "sv") -> str:
    """'Vecka 47' for one ISO week, otherwise the compact date range."""
    d = describe(start, end)
    if d.kind == "week":
        return f"Vecka {d.week}" if lang == "sv" else f"Week {d.week}"
    return fmt_range(start, end, lang)


def comparison_sentence(start: date, end: date, lang: str = "sv") -> str:
    """'Vecka 47 jämfört med vecka 46' or '1–28 nov jämfört med föregående 28 dagar'."""
    d = describe(start, end)
    if d.kind == "week":
        p_start, p_end = previous_period(start, end)
        previous = period_name(p_start, p_end, lang)
        previous = previous[0].lower() + previous[1:]
        joiner = "jämfört med" if lang == "sv" else "compared with"
        return f"{period_name(start, end, lang)} {joiner} {previous}"
    if lang == "sv":
        return f"{fmt_range(start, end, lang)} jämfört med föregående {d.days} dagar"
    return f"{fmt_range(start, end, lang)} compared with the previous {d.days} days"


_MARKDOWN_SPECIAL = "\\`*_{}[]()#+-.!|<>~$:"


def escape_markdown(text: str) -> str:
    """Backslash-escape Markdown syntax so free text from the store is shown as written, never as markup or links."""
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIAL else ch for ch in str(text))
