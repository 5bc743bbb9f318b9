"""The README's promises about imports match the code: every import kind is documented, every path it names exists."""
from __future__ import annotations

import re

from data_layer.importers.registry import KINDS
from tests.conftest import PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
GETTING_DATA_IN = README.split("## Getting data in", 1)[1].split("\n## ", 1)[0]


def test_the_import_table_lists_exactly_the_import_kinds_the_cli_offers():
    documented = set(re.findall(r"^\| `([a-z-]+)` \|", GETTING_DATA_IN, flags=re.MULTILINE))
    assert documented == set(KINDS)


def test_every_profile_and_example_path_the_readme_names_exists():
    paths = set(re.findall(r"(import_profiles/[\w./-]+)", README))
    assert paths, "the README should point at the example profiles"
    assert [p for p in paths if not (PROJECT_ROOT / p.rstrip(".")).exists()] == []
