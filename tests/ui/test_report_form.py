"""The report form's plain parts: the chosen time, how a window reads, what the place becomes, the status wording."""
from __future__ import annotations

from datetime import date, datetime, time

import pandas as pd
import pytest

from analysis.periods import STOCKHOLM
from ui import report_form as rf

NOW = datetime(2026, 11, 26, 14, 35, tzinfo=STOCKHOLM)
NO_TIMES = dict(day=None, at=None, from_day=None, from_time=None, to_day=None, to_time=None)


def test_now_is_the_moment_of_sending():
    assert rf.timing("nu", now=NOW, **NO_TIMES) == (NOW, None)


def test_a_moment_is_a_stockholm_date_and_time():
    chosen = rf.timing("vid", now=NOW, **{**NO_TIMES, "day": date(2026, 11, 25), "at": time(22, 15)})
    assert chosen == (datetime(2026, 11, 25, 22, 15, tzinfo=STOCKHOLM), None)


def test_a_window_gives_both_ends():
    chosen = rf.timing("mellan", now=NOW, day=None, at=None, from_day=date(2026, 11, 25), from_time=time(23, 0),
                       to_day=date(2026, 11, 26), to_time=time(1, 30))
    assert chosen == (datetime(2026, 11, 25, 23, 0, tzinfo=STOCKHOLM), datetime(2026, 11, 26, 1, 30, tzinfo=STOCKHOLM))


def test_an_incomplete_window_falls_back_to_now_rather_than_half_a_window():
    assert rf.timing("mellan", now=NOW, **{**NO_TIMES, "from_day": date(2026, 11, 25)}) == (NOW, None)


@pytest.mark.parametrize("start, end, text", [
    ("2026-11-24 20:31Z", None, "24 nov 2026 21:31"),
    ("2026-11-24 19:00Z", "2026-11-24 20:30Z", "24 nov 2026 20:00\u201321:30"),
    ("2026-11-24 22:00Z", "2026-11-25 00:30Z", "24 nov 2026 23:00 \u2013 25 nov 2026 01:30"),
])
def test_a_report_time_reads_as_a_moment_or_a_compact_window_in_stockholm_time(start, end, text):
    assert rf.when_text(pd.Timestamp(start), pd.Timestamp(end) if end else None, "sv") == text


def test_a_naive_stored_time_is_read_as_utc():
    assert rf.when_text(datetime(2026, 11, 24, 20, 31), datetime(2026, 11, 24, 21, 0), "sv") == (
        "24 nov 2026 21:31\u201322:00")


@pytest.mark.parametrize("words, text", [([], ""), (["a"], "a"), (["a", "b"], "a och b"),
                                         (["a", "b", "c"], "a, b och c")])
def test_words_are_joined_the_swedish_way(words, text):
    assert rf.join_words(words, "och") == text


def test_the_personal_data_phrase_names_each_kind():
    assert rf.pii_phrase(["telefonnummer", "registreringsnummer"]) == "ett telefonnummer och ett registreringsnummer"


@pytest.mark.parametrize("location, kwargs", [
    (rf.Location("point", area_code="A", lat=57.6, lon=14.7, cell="x"), {"lat": 57.6, "lon": 14.7}),
    (rf.Location("place", area_code="A", place_id=3), {"place_id": 3}),
    (rf.Location("area", area_code="A"), {"area_code": "A"}),
    (rf.Location("none"), {}),
])
def test_only_the_chosen_way_of_giving_the_place_reaches_create_incident(location, kwargs):
    assert location.create_kwargs() == kwargs


@pytest.mark.parametrize("title, status, text", [
    (None, None, "Mottagen"),
    (float("nan"), float("nan"), "Mottagen"),
    ("Belysning", "pågår", "Åtgärd pågår i området: Belysning"),
    ("Belysning", "beslutad", "Åtgärd beslutad i området: Belysning"),
    ("Belysning", "föreslagen", "Åtgärd föreslagen i området: Belysning"),
])
def test_the_status_says_received_or_names_the_open_action_and_its_stage(title, status, text):
    assert rf.status_text(title, status) == text
