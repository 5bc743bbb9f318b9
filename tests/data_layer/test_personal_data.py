"""The personal-data warning finds personnummer, phone numbers, plates and e-mail, and leaves ordinary text alone."""
from __future__ import annotations

import pytest

from data_layer.personal_data import (EMAIL, HINTS, PERSONNUMMER, PHONE, PLATE, luhn_ok, personal_data_hints,
                                      personal_data_kinds)


@pytest.mark.parametrize("text", [
    "Pojken hette 121212-1212 enligt en kompis",  # Skatteverket's test number (Tolvan Tolvansson)
    "19121212-1212",
    "191212121212",
    "1212121212",
    "121212+1212",  # the plus sign: 100 years or older
    "811218-9876",
    "121272-1219",  # samordningsnummer: day + 60
    "pnr 850709 9805",
])
def test_a_personnummer_with_a_valid_date_and_check_digit_is_found(text):
    assert PERSONNUMMER in personal_data_kinds(text)


@pytest.mark.parametrize("text", [
    "121212-1213",  # wrong check digit
    "851332-1234",  # no 32nd of the 13th month
    "Ordernummer 5566778899",
    "Org.nr 556677-8899",  # an organisation number: month 66
    "Hände 2026-11-26 kl 14:35",
    "20261126",
    "Kostade 12 500 kr",
])
def test_numbers_that_only_resemble_a_personnummer_are_not_flagged(text):
    assert PERSONNUMMER not in personal_data_kinds(text)


@pytest.mark.parametrize("text", [
    "ring 070-123 45 67",
    "0701234567",
    "073 123 45 67",
    "+46 70 123 45 67",
    "+46701234567",
    "+46 (0)70-123 45 67",
    "0046 8 123 456 78",
    "Tel 08-123 456 78",
    "08-12 34 56",
    "031-123 45 67",
    "0480-123 45",
])
def test_swedish_phone_numbers_in_their_usual_spellings_are_found(text):
    assert PHONE in personal_data_kinds(text)


@pytest.mark.parametrize("text", [
    "Hände 2026-11-26",
    "den 01-02-2026",
    "kl. 08.30",
    "Öppet 08-17 varje dag",
    "14:35",
    "Glimmervägen 12",
    "1 000 000 000 kr",
    "postnummer 123 45",
    "0,5 promille",
    "074-12",  # too short for a number
])
def test_dates_times_amounts_and_addresses_are_not_phone_numbers(text):
    assert PHONE not in personal_data_kinds(text)


@pytest.mark.parametrize("text", ["bilen ABC 123 stod där", "ABC123", "ABC 12A", "abc123", "xyz12a", "DEF-456"])
def test_registration_plates_old_and_new_format_are_found(text):
    assert PLATE in personal_data_kinds(text)


@pytest.mark.parametrize("text", [
    "Glimmervägen 12A",  # a house number: the street name is longer than three letters
    "SEK 500",
    "ABI 123",  # I never occurs on plates
    "ABC 12O",  # the last character of the new format is never O
    "tog 500 kr",  # lower case with a space: ordinary words before numbers
    "NTU 2025",
    "Buss 123",
])
def test_words_before_numbers_and_currency_amounts_are_not_plates(text):
    assert PLATE not in personal_data_kinds(text)


@pytest.mark.parametrize("text, found", [
    ("skriv till anna.svensson@example.se", True),
    ("a+b@sub.example.com", True),
    ("@kommunen på Instagram", False),
    ("möte kl 14@torget", False),
])
def test_email_addresses_are_found_and_handles_are_not(text, found):
    assert (EMAIL in personal_data_kinds(text)) is found


@pytest.mark.parametrize("text", [
    "",
    None,
    "Tio ungdomar samlade vid Glimmervägen 12, hög ljudnivå 2026-11-26 kl 14:35. Cirka 3 000 kr i skador.",
    "Klotter på busskuren vid hållplats 4B, ca 2x3 m",
])
def test_ordinary_descriptions_get_no_warning(text):
    assert personal_data_kinds(text) == []
    assert personal_data_hints(text) == []


def test_several_kinds_come_in_a_fixed_order_with_swedish_hints():
    text = "a@b.se ABC 123 ring 0701234568 pnr 121212-1212"
    assert personal_data_kinds(text) == [PERSONNUMMER, PHONE, PLATE, EMAIL]
    assert personal_data_hints(text) == ["ser ut som ett personnummer", "ser ut som ett telefonnummer",
                                         "ser ut som ett registreringsnummer", "ser ut som en e-postadress"]
    assert set(HINTS) == {PERSONNUMMER, PHONE, PLATE, EMAIL}


def test_the_hints_never_repeat_the_personal_data_itself():
    assert all("070" not in hint for hint in personal_data_hints("ring 070-123 45 67"))


@pytest.mark.parametrize("digits, ok", [("1212121212", True), ("1212121213", False), ("8112189876", True),
                                        ("0", True), ("18", True), ("17", False)])
def test_the_luhn_check_digit(digits, ok):
    assert luhn_ok(digits) is ok
