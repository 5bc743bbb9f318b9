"""`make run`'s path through the CLI: init + demo at full scale gives a living municipality; rerunning keeps it."""
import json

import pytest

from tests.data_layer.test_cli import run_cli


@pytest.fixture(scope="module")
def full_demo_url(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('fulldemo') / 'demo.db'}"
    assert run_cli("init", url=url).returncode == 0
    result = run_cli("demo", "--if-empty", "--seed", "11", "--today", "2026-11-25", url=url)
    assert result.returncode == 0, result.stderr
    return url


def _stats(url):
    result = run_cli("stats", url=url)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_full_demo_meets_the_foundation_thresholds(full_demo_url):
    stats = _stats(full_demo_url)
    assert stats["incidents"]["total"] >= 50_000
    assert stats["incidents"]["years_covered"] >= 4
    assert stats["incidents"]["last_date"] == "2026-11-25"
    assert len(stats["areas"]) >= 8
    assert len(stats["incidents"]["by_source"]) >= 6
    for table in ("survey", "surveyresult", "action", "meeting", "event", "user"):
        assert stats["tables"][table] > 0, table
    assert stats["store"]["demo"] == "true"


def test_rerunning_make_runs_demo_step_keeps_the_store(full_demo_url):
    before = _stats(full_demo_url)
    result = run_cli("demo", "--if-empty", url=full_demo_url)
    assert result.returncode == 0 and "redan" in result.stdout
    assert _stats(full_demo_url)["tables"] == before["tables"]


def test_loading_the_demo_again_without_force_is_refused_with_exit_2(full_demo_url):
    before = _stats(full_demo_url)["tables"]
    result = run_cli("demo", url=full_demo_url)
    assert result.returncode == 2 and "--force" in result.stderr
    assert _stats(full_demo_url)["tables"] == before
