"""Every user-facing string exists in Swedish and English, with the same placeholders."""
import re
import string

import pytest

from analysis.change import FLAGS
from data_layer.audit import AUDIT_EVENTS
from data_layer.models import ACTION_STATUSES, MEETING_STATUSES, ROLES
from data_layer.permissions import OPERATIONS, RESOURCES
from tests.conftest import PROJECT_ROOT
from ui.i18n import TEXTS, t

SOURCES = [PROJECT_ROOT / "app.py", *sorted((PROJECT_ROOT / "pages").glob("*.py")),
           *sorted((PROJECT_ROOT / "ui").glob("*.py"))]


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_each_text_has_both_languages_with_the_same_placeholders(key):
    sv, en = TEXTS[key]
    assert sv.strip() and en.strip()
    assert _fields(sv) == _fields(en)


def test_every_literal_key_used_in_the_interface_exists():
    used = set()
    for path in SOURCES:
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_]+\.[a-z_0-9.]+)["']""", path.read_text(encoding="utf-8")))
    assert used, "the scan found no keys at all"
    assert sorted(used - set(TEXTS)) == []


@pytest.mark.parametrize("prefix, names", [
    ("status", ACTION_STATUSES), ("meeting_status", MEETING_STATUSES), ("role", ROLES), ("resource", RESOURCES),
    ("operation", OPERATIONS), ("audit", AUDIT_EVENTS), ("change", FLAGS)])
def test_every_value_shown_through_a_key_family_has_a_text(prefix, names):
    assert [n for n in names if f"{prefix}.{n}" not in TEXTS] == []


def test_swedish_is_the_default_and_english_is_selectable():
    assert t("login.failed") == "Fel användarnamn eller lösenord"
    assert t("login.failed", lang="en") == "Wrong username or password"


def test_placeholders_are_filled():
    assert t("meeting.past_caption", n=3) == "3 tidigare möten."


def test_the_significance_verdicts_read_as_the_forum_says_them():
    assert [t(f"change.{f}") for f in ("increase", "decrease", "normal")] == [
        "tydlig ökning", "tydlig minskning", "inom normal variation"]


def test_an_unknown_key_shows_itself_rather_than_crashing():
    assert t("no.such.key") == "no.such.key"
