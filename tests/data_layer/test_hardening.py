"""The production self-check: shipped settings pass, each weakened setting is named in Swedish, the CLI exits 1."""
from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from data_layer import hardening
from data_layer.__main__ import main
from data_layer.db import make_engine
from data_layer.migrate import upgrade_to_head
from tests.conftest import PROJECT_ROOT

SHIPPED = hardening.read_toml(PROJECT_ROOT / ".streamlit" / "config.toml")
GOOD_SECRET = {"auth": {"cookie_secret": "x" * 40}}


def _config(**changes) -> dict:
    config = hardening.effective_config(SHIPPED, {})
    for dotted, value in changes.items():
        section, option = dotted.split("__")
        config[section][option] = value
    return config


def test_the_shipped_streamlit_config_passes_the_check():
    assert hardening.problems(hardening.effective_config(SHIPPED, {}), {}, {}) == []


def test_the_options_streamlit_loads_from_the_project_pass_the_check():
    import streamlit.config

    config: dict = {}
    for section, option in hardening.CHECKED_OPTIONS:
        config.setdefault(section, {})[option] = streamlit.config.get_option(f"{section}.{option}")
    assert hardening.problems(config, {}, {}) == []


@pytest.mark.parametrize(("change", "needle"), [
    ({"client__showErrorDetails": "full"}, "showErrorDetails"),
    ({"client__showErrorDetails": True}, "showErrorDetails"),
    ({"client__toolbarMode": "developer"}, "toolbarMode"),
    ({"server__enableXsrfProtection": False}, "XSRF"),
    ({"server__enableCORS": False}, "CORS"),
    ({"server__maxUploadSize": 500}, "maxUploadSize"),
    ({"global__developmentMode": True}, "utvecklarläget"),
    ({"browser__gatherUsageStats": True}, "gatherUsageStats"),
    ({"logger__level": "debug"}, "debug"),
])
def test_each_weakened_setting_is_named(change, needle):
    found = hardening.problems(_config(**change), GOOD_SECRET, {})
    assert len(found) == 1 and needle in found[0]


def test_streamlit_defaults_are_not_enough_for_production():
    found = hardening.problems(hardening.effective_config({}, {}), {}, {})
    assert any("showErrorDetails" in p for p in found) and any("toolbarMode" in p for p in found)


def test_an_environment_override_counts_like_streamlit_applies_it():
    config = hardening.effective_config(SHIPPED, {"STREAMLIT_SERVER_ENABLE_XSRF_PROTECTION": "false",
                                                  "STREAMLIT_CLIENT_SHOW_ERROR_DETAILS": "full"})
    found = hardening.problems(config, {}, {})
    assert len(found) == 2


@pytest.mark.parametrize(("secret", "bad"), [("kort", True), ("", True), ("s" * 31, True), ("s" * 32, False)])
def test_a_short_auth_cookie_secret_is_refused(secret, bad):
    found = hardening.problems(_config(), {"auth": {"cookie_secret": secret}}, {})
    assert bool(found) is bad
    if bad:
        assert "cookie_secret" in found[0] and "32" in found[0]


@pytest.mark.parametrize(("value", "bad"), [("1", True), ("2", True), ("tre", True), ("3", False), ("10", False)])
def test_a_lowered_small_count_threshold_is_refused(value, bad):
    assert bool(hardening.problems(_config(), {}, {"LAGESBILD_MIN_COUNT": value})) is bad


@pytest.mark.parametrize(("url", "organisations", "demo", "count"), [
    ("sqlite:///x.db", 1, False, 0),
    ("sqlite:///x.db", 3, False, 1),
    ("postgresql+psycopg://u:p@db.example.se/l", 3, False, 1),
    ("postgresql+psycopg://u:p@db.example.se/l?sslmode=require", 3, False, 0),
    ("postgresql+psycopg://u:p@127.0.0.1/l", 3, False, 0),
    ("postgresql+psycopg://u:p@localhost/l", 3, True, 1),
])
def test_the_store_is_judged(url, organisations, demo, count):
    found = hardening.problems(_config(), {}, {}, db_url=url, organisations=organisations, demo=demo)
    assert len(found) == count


def test_production_is_read_from_lagesbild_env():
    assert hardening.is_production({"LAGESBILD_ENV": "production"})
    assert not hardening.is_production({"LAGESBILD_ENV": "development"}) and not hardening.is_production({})


def test_check_reads_the_project_files_and_the_demo_store(demo_store_url, tmp_path):
    (tmp_path / ".streamlit").mkdir()
    shutil.copyfile(PROJECT_ROOT / ".streamlit" / "config.toml", tmp_path / ".streamlit" / "config.toml")
    (tmp_path / ".streamlit" / "secrets.toml").write_text('[auth]\ncookie_secret = "abc"\n', encoding="utf-8")
    found = hardening.check({"LAGESBILD_DB_URL": demo_store_url}, root=tmp_path)
    assert [p.split(" ")[0] for p in found] == ["[auth]", "Lagret", "Lagret"]


def test_cli_check_config_exits_1_and_lists_the_problems(demo_store_url, capsys):
    assert main(["--db", demo_store_url, "check-config"]) == 1
    out = capsys.readouterr().out
    assert "demodata" in out and "PostgreSQL" in out and "problem hittades" in out


def test_cli_check_config_exits_0_on_a_fit_store(tmp_path):
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    upgrade_to_head(make_engine(url))
    done = subprocess.run([sys.executable, "-m", "data_layer", "--db", url, "check-config"], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"}, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "klarar" in done.stdout
