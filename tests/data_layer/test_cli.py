"""The operator CLI: `python -m data_layer` migrates, reports stats as JSON, adds users, and fails with exit code 2."""
import json
import os
import subprocess
import sys

import pytest

from tests.conftest import PROJECT_ROOT


def run_cli(*args, url, stdin=""):
    env = {**os.environ, "LAGESBILD_DB_URL": url}
    return subprocess.run([sys.executable, "-m", "data_layer", *args], cwd=PROJECT_ROOT, env=env, input=stdin,
                          capture_output=True, text=True, timeout=120)


def test_init_migrates_and_seeds_the_categories_and_stats_reports_json(store_url):
    assert run_cli("init", url=store_url).returncode == 0
    result = run_cli("stats", url=store_url)
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    assert stats["tables"]["incident"] == 0
    assert stats["tables"]["category"] >= 10
    assert stats["incidents"]["first_date"] is None


def test_stats_on_an_unmigrated_store_says_what_to_do_on_stderr_with_exit_2(tmp_path):
    result = run_cli("stats", url=f"sqlite:///{tmp_path / 'new.db'}")
    assert result.returncode == 2
    assert "python -m data_layer init" in result.stderr and result.stdout == ""


def test_users_add_reads_the_password_from_stdin(store_url):
    run_cli("init", url=store_url)
    from data_layer.db import make_engine, session_scope
    from data_layer.models import Organisation
    from data_layer.users import authenticate

    engine = make_engine(store_url)
    with session_scope(engine) as session:
        session.add(Organisation(code="kommunen", name="Kommunen", kind="kommun"))
    result = run_cli("users", "add", "eva", "--role", "analytiker", "--organisation", "kommunen", url=store_url,
                     stdin="s3kret\n")
    assert result.returncode == 0, result.stderr
    assert authenticate(engine, username="eva", password="s3kret").scope.role == "analytiker"
    engine.dispose()


@pytest.mark.parametrize("args,needle", [
    (("users", "add", "eva", "--role", "kung", "--organisation", "kommunen"), "Okänd roll"),
    (("users", "add", "eva", "--role", "lasare", "--organisation", "saknas"), "Okänd organisation"),
])
def test_bad_user_data_exits_2_with_a_swedish_message(store_url, args, needle):
    run_cli("init", url=store_url)
    result = run_cli(*args, url=store_url, stdin="hemligt\n")
    assert result.returncode == 2 and needle in result.stderr


def test_bad_arguments_exit_2(tmp_path):
    result = run_cli("demo", "--today", "2026-13-01", url=f"sqlite:///{tmp_path / 'x.db'}")
    assert result.returncode == 2 and "ogiltigt datum" in result.stderr


def test_an_unreachable_database_is_reported_not_dumped(tmp_path):
    result = run_cli("init", url="postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert result.returncode == 2 and "kunde inte nå databasen" in result.stderr and "Traceback" not in result.stderr
