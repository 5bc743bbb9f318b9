"""The Data page's reads about imports: one batch's skipped rows, and how many incidents carry each source type."""
from __future__ import annotations

from collections import Counter

import pytest

from data_layer.importers.registry import run_import_kind
from data_layer.queries.admin import batch_rejections, source_type_counts
from data_layer.scope import Scope
from tests.data_layer.factories import make_orgs_and_users
from tests.data_layer.importers.helpers import UK_CSV, load_uk_rows


@pytest.fixture
def users(engine):
    ids = make_orgs_and_users(engine)
    return {role: Scope(ids[name], role, ids["org_a"]) for name, role in
            (("samordnare", "samordnare"), ("analytiker", "analytiker"), ("lasare", "lasare"),
             ("medlem_a", "medlem"))}


def _uk_file(tmp_path, rows: int, bad_month_rows: tuple[int, ...] = ()):
    lines = UK_CSV.read_text(encoding="utf-8").splitlines()[:rows + 1]
    for number in bad_month_rows:  # file row numbers: the header is row 1
        lines[number - 1] = lines[number - 1].replace("2016-07", "2016/07", 1)
    path = tmp_path / "uk.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_batchs_skipped_rows_come_back_with_row_column_and_reason(engine, users, tmp_path):
    batch_id = run_import_kind(engine, "police-uk-csv", _uk_file(tmp_path, 20, (4, 9)), skip_invalid=True).batch_id
    rows = batch_rejections(engine, scope=users["samordnare"], batch_id=batch_id)
    assert rows[["row", "column"]].values.tolist() == [[4, "Month"], [9, "Month"]]
    assert all("2016/07" in reason for reason in rows["reason"])


def test_a_batch_without_skipped_rows_or_a_role_without_import_rights_gets_an_empty_table(engine, users, tmp_path):
    batch_id = run_import_kind(engine, "police-uk-csv", _uk_file(tmp_path, 5)).batch_id
    assert batch_rejections(engine, scope=users["samordnare"], batch_id=batch_id).empty
    assert list(batch_rejections(engine, scope=users["lasare"], batch_id=batch_id).columns) == ["row", "column",
                                                                                                "reason"]


def test_source_types_are_counted_per_import_kind_most_first(engine, users, tmp_path):
    run_import_kind(engine, "police-uk-csv", _uk_file(tmp_path, 400))
    expected = Counter(r["Crime type"] for r in load_uk_rows()[:400])
    counts = source_type_counts(engine, scope=users["analytiker"], source_kind="police-uk-csv")
    assert dict(zip(counts["source_type"], counts["incidents"])) == dict(expected)
    assert list(counts["incidents"]) == sorted(counts["incidents"], reverse=True)
    assert source_type_counts(engine, scope=users["analytiker"], source_kind="polisen-json").empty
    assert source_type_counts(engine, scope=users["medlem"], source_kind="police-uk-csv").empty
