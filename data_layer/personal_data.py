"""Does a free-text description look like it holds personal data? Pure pattern checks for a warning, never a block.

Detects Swedish personnummer and samordningsnummer (date part checked, Luhn check digit), Swedish phone numbers
(mobile 07x, landline 0x/0xx/0xxx area codes, +46 / 0046), Swedish registration plates (ABC 123 and the newer
ABC 12A) and e-mail addresses. Names cannot be told from ordinary words by patterns, so they are not detected;
the form's help text asks for no names instead. The matched text itself is never returned, so a warning shown on
screen or written to a log cannot repeat the personal data.
"""
from __future__ import annotations

import re
from datetime import date

PERSONNUMMER = "personnummer"
PHONE = "telefonnummer"
PLATE = "registreringsnummer"
EMAIL = "e-post"
KINDS = (PERSONNUMMER, PHONE, PLATE, EMAIL)

HINTS = {
    PERSONNUMMER: "ser ut som ett personnummer",
    PHONE: "ser ut som ett telefonnummer",
    PLATE: "ser ut som ett registreringsnummer",
    EMAIL: "ser ut som en e-postadress",
}

# YYMMDD-NNNN, YYMMDD+NNNN (100 years or older), YYMMDDNNNN, YYYYMMDD-NNNN, YYYYMMDDNNNN (a space is also seen).
_PNR = re.compile(r"(?<![\d\w-])(\d{2})?(\d{2})(\d{2})(\d{2})([-+ ]?)(\d{4})(?![\d\w])")
# A Swedish number: +46 / 0046 / 0, then digits in groups separated by single spaces or hyphens, optionally with
# the area code in parentheses; the digit count is checked after normalising.
_PHONE = re.compile(r"(?<![\w+])(?:\+46|0046|\(0\)|0)[ -]?(?:\(0\))?[ -]?\d(?:[ -]?\d){5,10}(?![\d\w])")
_DATE_LIKE = re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}$")
# Letters in plates: no I, Q, V (nor Å Ä Ö); the last character of the newer format is never O.
_PLATE_UPPER = re.compile(r"(?<![\w])([A-HJ-PR-UW-Z]{3})[ -]?(\d{2}[A-HJ-NPR-UW-Z\d])(?![\w])")
_PLATE_LOWER = re.compile(r"(?<![\w])([a-hj-pr-uw-z]{3})(\d{2}[a-hj-npr-uw-z\d])(?![\w])")
_NOT_PLATES = {"SEK", "EUR", "USD", "NOK", "DKK", "GBP", "CHF", "KSH"}  # "SEK 500" is an amount
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")


def luhn_ok(digits: str) -> bool:
    """True when the last digit is the Luhn check digit of the others (as in the personnummer's NNNN part)."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _valid_birth_date(century: str | None, yy: str, mm: str, dd: str) -> bool:
    if century not in (None, "18", "19", "20"):
        return False
    day = int(dd)
    if day > 60:  # samordningsnummer: the day plus 60
        day -= 60
    year = int(century + yy) if century else 2000 + int(yy)  # 20YY is a leap year exactly when YY % 4 == 0
    try:
        date(year, int(mm), day)
    except ValueError:
        return False
    return True


def _has_personnummer(text: str) -> bool:
    for m in _PNR.finditer(text):
        century, yy, mm, dd, sep, tail = m.groups()
        if century and sep == " ":
            continue  # "2026 1126" style groupings are not how twelve-digit numbers are written
        if not _valid_birth_date(century, yy, mm, dd):
            continue
        if luhn_ok(yy + mm + dd + tail):
            return True
    return False


def _has_phone(text: str) -> bool:
    for m in _PHONE.finditer(text):
        candidate = m.group(0)
        if _DATE_LIKE.match(candidate):
            continue  # 01-02-2026 is a date
        digits = re.sub(r"\D", "", candidate.replace("(0)", ""))
        if candidate.startswith("+46"):
            national = "0" + digits[2:]
        elif candidate.startswith("0046"):
            national = "0" + digits[4:]
        else:
            national = digits if digits.startswith("0") else "0" + digits
        if national.startswith("00"):
            continue
        if national.startswith("07"):
            if len(national) == 10 and national[2] in "02369":
                return True
            continue
        if 8 <= len(national) <= 10:
            return True
    return False


def _has_plate(text: str) -> bool:
    for m in _PLATE_UPPER.finditer(text):
        if m.group(1) not in _NOT_PLATES:
            return True
    return any(m.group(1).upper() not in _NOT_PLATES for m in _PLATE_LOWER.finditer(text))


def personal_data_kinds(text: str | None) -> list[str]:
    """The kinds of personal data (KINDS, in that order) that `text` seems to contain; [] for none."""
    if not text:
        return []
    found = []
    if _has_personnummer(text):
        found.append(PERSONNUMMER)
    if _has_phone(text):
        found.append(PHONE)
    if _has_plate(text):
        found.append(PLATE)
    if _EMAIL.search(text):
        found.append(EMAIL)
    return found


def personal_data_hints(text: str | None) -> list[str]:
    """Swedish hints ("ser ut som ett personnummer", …), one per kind of personal data `text` seems to contain."""
    return [HINTS[kind] for kind in personal_data_kinds(text)]
