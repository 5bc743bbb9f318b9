"""Swedish numbers, dates and Markdown escaping for the reports: pure functions (copies of ui/formatting.py's, which
the data layer may not import)."""
from __future__ import annotations

import math
from datetime import date, datetime
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")
NBSP = "\u00a0"
MINUS = "\u2212"
MONTHS = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
MONTHS_LONG = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
               "november", "december")
_MARKDOWN_SPECIAL = "\\`*_{}[]()#+-.!|<>~$:"


def missing(x) -> bool:
    """True for None and NaN (pandas' NA included)."""
    if x is None:
        return True
    try:
        return bool(x != x) or (isinstance(x, float) and math.isnan(x))
    except TypeError:  # pandas.NA refuses bool()
        return True


def fmt_int(n) -> str:
    """'12 345' with a no-break space; '–' when missing."""
    return "–" if missing(n) else f"{int(round(float(n))):,}".replace(",", NBSP)


def fmt_decimal(x, digits: int = 1) -> str:
    """'0,165' with a decimal comma; '–' when missing."""
    if missing(x):
        return "–"
    return f"{float(x):,.{digits}f}".replace(",", " ").replace(".", ",").replace(" ", NBSP)


def fmt_signed(n) -> str:
    """'+9', '−3' (true minus), '0'; '–' when missing (a hidden count)."""
    if missing(n):
        return "–"
    n = int(round(float(n)))
    return f"+{fmt_int(n)}" if n > 0 else f"{MINUS}{fmt_int(-n)}" if n < 0 else "0"


def fmt_pct_change(now, before) -> str:
    """'+12 %' / '−30 %' from two counts; '–' when the reference is zero or missing."""
    if missing(now) or missing(before) or float(before) == 0:
        return "–"
    change = 100.0 * (float(now) - float(before)) / float(before)
    return f"{fmt_signed(change)}{NBSP}%"


def fmt_p(p) -> str:
    """'p < 0,001', 'p = 0,004', 'p = 0,41'."""
    if missing(p):
        return "–"
    if p < 0.001:
        return f"p{NBSP}<{NBSP}0,001"
    return f"p{NBSP}={NBSP}" + fmt_decimal(p, 3 if p < 0.01 else 2)


def fmt_date(d, *, year: bool = True) -> str:
    """'25 nov 2026'; '–' when missing."""
    if missing(d):
        return "–"
    if isinstance(d, str):
        d = date.fromisoformat(d[:10])
    if isinstance(d, datetime):
        d = d.astimezone(STOCKHOLM).date() if d.tzinfo else d.date()
    if hasattr(d, "to_pydatetime"):
        d = d.to_pydatetime().date()
    text = f"{d.day} {MONTHS[d.month - 1]}"
    return f"{text} {d.year}" if year else text


def fmt_range(start: date, end: date) -> str:
    """'1–14 nov 2026', '28 okt–10 nov 2026', '28 dec 2026–3 jan 2027'."""
    dash = "\u2013"
    if start.year != end.year:
        return f"{fmt_date(start)}{dash}{fmt_date(end)}"
    if start.month == end.month:
        return f"{start.day}{dash}{end.day} {MONTHS[start.month - 1]} {end.year}"
    return f"{fmt_date(start, year=False)}{dash}{fmt_date(end)}"


def plain(text) -> str:
    """Free text as one clean line: None becomes '', line breaks and tabs become spaces."""
    if missing(text):
        return ""
    return " ".join(str(text).split())


def escape_markdown(text) -> str:
    """Backslash-escape Markdown syntax so text from the store is shown as written, never as markup or links."""
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIAL else ch for ch in str(text))
