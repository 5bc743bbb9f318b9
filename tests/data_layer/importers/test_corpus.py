"""The malformed-file corpus: the real CLI refuses every bad file with exit 2 and a Swedish message naming row,
column and reason, without a traceback, and the store (which already holds the demo) is exactly as it was.

The files, their options and the expected message parts are listed in corpus/manifest.toml (see corpus/README.md).
"""
from __future__ import annotations

import contextlib
import io
import json
import re
import sqlite3
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import SQLModel

import data_layer.models  # noqa: F401  (fills SQLModel.metadata with every table)
from data_layer.__main__ import main as data_layer_main
from data_layer.db import make_engine
from data_layer.models import StoreInfo
from tests.conftest import PROJECT_ROOT

CORPUS = Path(__file__).resolve().parent / "corpus"
_MANIFEST = tomllib.loads((CORPUS / "manifest.toml").read_text(encoding="utf-8"))
MANIFEST: list[dict] = _MANIFEST["file"]  # the bad files
CONTROLS: list[dict] = _MANIFEST["control"]  # the good files most bad ones are made from
# The issue's list, one tag per item: every item needs at least one file in the corpus.
ISSUE_ITEMS = {"empty", "header_only", "wrong_columns", "ragged_rows", "unparseable_dates", "outside_region",
               "binary_as_csv", "xlsx_zip_bomb", "over_size_limit", "formula_like", "html_script"}
OTHER_TAGS = {"missing_value", "bad_number", "bad_encoding", "corrupt_xlsx", "unknown_value", "not_json",
              "out_of_range", "bad_geometry"}
KINDS = {"incidents", "polisen-json", "police-uk-csv", "areas", "survey"}
NOT_CORPUS = {"manifest.toml", "README.md", "make_corpus.py"}
MAX_CORPUS_FILE_BYTES = 1024 * 1024  # the bombs are ~0.5 MB; nothing bigger belongs in the repository
CLI_TIMEOUT_S = 180
DEMO_ARGS = ("demo", "--seed", "7", "--today", "2025-12-31", "--scale", "0.02")
PG_HANDFUL = ("inc_bad_date_text.csv", "inc_formula_hyperlink.csv", "inc_zip_bomb.xlsx", "pol_outside_region.json",
              "uk_bad_month.csv", "areas_missing_name.geojson", "survey_unknown_area.csv")
_PROBLEM_LINE = re.compile(r"^\s+(?:Filen|Rad (?P<row>\d+))(?:, kolumn '(?P<column>.*?)')?: (?P<reason>.*)$")


def _param(entry: dict):
    marks = [pytest.mark.xfail(strict=True, reason=entry["known_bug"])] if entry.get("known_bug") else []
    return pytest.param(entry, id=entry["name"], marks=marks)


def cli(url: str, *args: str) -> subprocess.CompletedProcess:
    """Run `python -m data_layer --db URL ARGS…` from the project root, as an operator would."""
    return subprocess.run([sys.executable, "-m", "data_layer", "--db", url, *args], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=CLI_TIMEOUT_S)


def cli_in_process(url: str, *args: str) -> subprocess.CompletedProcess:
    """The same CLI called in this process (no ~1 s interpreter start per file); an uncaught exception fails the test
    just as a traceback would. The postgresql variant below keeps real subprocesses."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = data_layer_main(["--db", url, *args])
        except SystemExit as exc:  # argparse refusing the arguments
            code = exc.code
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


def import_args(entry: dict, *, dry_run: bool) -> list[str]:
    """The CLI arguments that import the entry's file with its profile and options."""
    args = ["import", entry["kind"], str(CORPUS / entry["name"])]
    if entry.get("profile"):
        args += ["--profile", str(CORPUS / entry["profile"])]
    args += entry.get("options", [])
    return args + (["--dry-run"] if dry_run else [])


def prepare_store(url: str) -> None:
    """Migrate the store and load a small demo through the CLI, so that "unchanged" has something to compare."""
    for args in (("init",), DEMO_ARGS):
        done = cli(url, *args)
        assert done.returncode == 0, done.stderr


def fingerprint(url: str) -> dict:
    """Row count and highest id of every table, the data version and the number of import batches."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            out = {}
            for table in SQLModel.metadata.sorted_tables:
                out[table.name] = conn.execute(select(func.count()).select_from(table)).scalar_one()
                if "id" in table.c:
                    out[f"{table.name}.max_id"] = conn.execute(select(func.max(table.c.id))).scalar_one()
            out["data_version"] = conn.execute(select(StoreInfo.value).where(StoreInfo.key == "data_version")
                                               ).scalar_one_or_none()
    finally:
        engine.dispose()
    assert out["importbatch"] > 0 and out["incident"] > 0  # the store really holds data
    return out


def problem_lines(stderr: str) -> list[tuple[int | None, str | None, str]]:
    """(row or None for the file, column or None, reason) for every problem line of a refusal message."""
    found = []
    for line in stderr.splitlines():
        if m := _PROBLEM_LINE.match(line):
            found.append((int(m["row"]) if m["row"] else None, m["column"], m["reason"]))
    return found


def assert_refused(done: subprocess.CompletedProcess, entry: dict) -> None:
    """Exit 2, no traceback, the Swedish refusal for this file, and a problem line naming row, column and reason."""
    shown = f"exit {done.returncode}\nstdout: {done.stdout[-2000:]}\nstderr: {done.stderr[-3000:]}"
    assert done.returncode == 2, shown
    assert "Traceback" not in done.stderr, shown
    assert done.stderr.startswith(f"Fel: Filen {entry['name']} lästes inte in"), shown
    assert "Ingenting har sparats." in done.stderr, shown
    assert json.loads(done.stdout) == [], shown  # no summary: not one file of the call was imported
    keywords = [k.casefold() for k in entry["reason"]]
    matching = [(row, column, reason) for row, column, reason in problem_lines(done.stderr)
                if row == entry.get("row")
                and ("column" not in entry or entry["column"].casefold() in (column or "").casefold())
                and any(k in reason.casefold() for k in keywords)]
    where = f"Rad {entry['row']}" if "row" in entry else "Filen"
    assert matching, f"expected a line '{where}, kolumn {entry.get('column', '-')}: …{entry['reason']}…'\n{shown}"


@pytest.fixture(scope="module")
def template_store(tmp_path_factory) -> Path:
    """A SQLite store holding the demo, built once per module through the CLI."""
    path = tmp_path_factory.mktemp("corpus") / "template.db"
    prepare_store(f"sqlite:///{path}")
    return path


@pytest.fixture
def sqlite_store(template_store, tmp_path) -> str:
    """A fresh copy of the template store (SQLite's backup API: safe with WAL), as a URL."""
    path = tmp_path / "store.db"
    src, dst = sqlite3.connect(template_store), sqlite3.connect(path)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return f"sqlite:///{path}"


@pytest.mark.parametrize("entry", [_param(e) for e in MANIFEST])
def test_each_bad_file_is_refused_in_swedish_with_the_store_unchanged(entry, sqlite_store):
    before = fingerprint(sqlite_store)
    assert_refused(cli_in_process(sqlite_store, *import_args(entry, dry_run=False)), entry)
    assert fingerprint(sqlite_store) == before


@pytest.mark.parametrize("entry", [_param(e) for e in MANIFEST])
def test_a_dry_run_of_each_bad_file_is_refused_too_and_writes_nothing(entry, sqlite_store):
    before = fingerprint(sqlite_store)
    assert_refused(cli_in_process(sqlite_store, *import_args(entry, dry_run=True)), entry)
    assert fingerprint(sqlite_store) == before


@pytest.mark.parametrize("store_url", [pytest.param("postgresql", marks=pytest.mark.postgresql)], indirect=True)
@pytest.mark.parametrize("entry", [_param(e) for e in MANIFEST if e["name"] in PG_HANDFUL])
def test_bad_files_are_refused_on_postgresql_with_the_store_unchanged(entry, store_url):
    prepare_store(store_url)
    before = fingerprint(store_url)
    for dry_run in (True, False):
        assert_refused(cli(store_url, *import_args(entry, dry_run=dry_run)), entry)
        assert fingerprint(store_url) == before


@pytest.mark.parametrize("entry", [pytest.param(e, id=e["name"]) for e in CONTROLS])
def test_the_good_files_the_bad_ones_are_made_from_pass_a_dry_run(entry, sqlite_store):
    before = fingerprint(sqlite_store)
    done = cli_in_process(sqlite_store, *import_args(entry, dry_run=True))
    assert done.returncode == 0, done.stderr[-3000:]
    summary = json.loads(done.stdout)
    assert {key: summary[key] for key in entry["expect"]} == entry["expect"]
    assert fingerprint(sqlite_store) == before


def test_the_corpus_covers_every_item_of_the_issues_list_and_every_import_kind():
    covered = {tag for entry in MANIFEST for tag in entry["covers"]}
    assert ISSUE_ITEMS <= covered, f"no file for: {sorted(ISSUE_ITEMS - covered)}"
    assert all(entry["covers"] and set(entry["covers"]) <= ISSUE_ITEMS | OTHER_TAGS for entry in MANIFEST)
    assert {entry["kind"] for entry in MANIFEST} == KINDS
    assert len(MANIFEST) >= 30


def test_the_manifest_lists_every_corpus_file_once_with_what_its_message_must_say():
    names = [entry["name"] for entry in MANIFEST + CONTROLS]
    assert len(names) == len(set(names))
    profiles = {entry["profile"] for entry in MANIFEST + CONTROLS if entry.get("profile")}
    on_disk = {p.name for p in CORPUS.iterdir() if p.is_file()} - NOT_CORPUS - profiles
    assert on_disk == set(names)
    for entry in MANIFEST:
        assert entry["reason"] and all(isinstance(k, str) and k for k in entry["reason"]), entry["name"]
        assert (entry.get("profile") is not None) == (entry["kind"] in ("incidents", "survey")), entry["name"]
        assert (CORPUS / entry["name"]).stat().st_size <= MAX_CORPUS_FILE_BYTES, entry["name"]
