"""The wizard's upload-independent parts: staging under the original name, the preview's verdict, property names."""
from __future__ import annotations

import json

import pytest

from data_layer.importers.common import ImportResult, RowProblem
from tests.data_layer.importers.helpers import UK_CSV
from ui.import_runs import Outcome, geojson_properties, preview_file, run_on_file, safe_name, staged


def test_uploads_are_staged_under_their_original_names_and_removed_afterwards():
    with staged({"main": ("Händelser mars.csv", b"a;b\n"), "population": ("Händelser mars.csv", b"x\n")}) as paths:
        assert paths["main"].name == "Händelser mars.csv" and paths["main"].read_bytes() == b"a;b\n"
        assert paths["population"].read_bytes() == b"x\n" and paths["population"] != paths["main"]
        folder = paths["main"].parent.parent
    assert not folder.exists()


@pytest.mark.parametrize("sent, kept", [("C:\\Users\\anna\\export.csv", "export.csv"), ("../../etc/passwd", "passwd"),
                                        ("  ", "fil")])
def test_a_folder_in_the_uploaded_name_is_dropped(sent, kept):
    assert safe_name(sent) == kept


def _outcome(accepted: int, rejected: int) -> Outcome:
    result = ImportResult("police-uk-csv", "f.csv", "0" * 64, True, rows_read=accepted + rejected, accepted=accepted,
                          rejected=[RowProblem(i + 2, "Month", "ogiltig") for i in range(rejected)])
    return Outcome("police-uk-csv", "f.csv", True, result=result)


def test_a_preview_with_bad_rows_may_be_imported_only_when_skipping_them():
    assert _outcome(5, 2).importable(skip_invalid=True)
    assert not _outcome(5, 2).importable(skip_invalid=False)
    assert _outcome(5, 0).importable(skip_invalid=False)
    assert not _outcome(0, 0).importable(skip_invalid=True)  # nothing new: nothing to import


def test_a_refused_file_is_never_importable():
    refused = Outcome("police-uk-csv", "f.csv", True, refused=[RowProblem(None, "Crime type", "kolumnen saknas")])
    assert not refused.importable(skip_invalid=True) and refused.writes == 0


def test_the_preview_is_a_dry_run_that_counts_the_valid_rows_and_the_import_then_refuses_them_whole(engine, tmp_path):
    lines = UK_CSV.read_text(encoding="utf-8").splitlines()[:6]
    lines[2] = lines[2].replace("2016-07", "juli 2016")
    path = tmp_path / "uk.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    preview = preview_file(engine, "police-uk-csv", path, options={})
    assert (preview.writes, [(p.row, p.column) for p in preview.problems]) == (4, [(3, "Month")])
    assert preview.batch_id is None
    refused = run_on_file(engine, "police-uk-csv", path, options={}, dry_run=False, skip_invalid=False)
    assert [(p.row, p.column) for p in refused.refused] == [(3, "Month")]
    done = run_on_file(engine, "police-uk-csv", path, options={}, dry_run=False, skip_invalid=True)
    assert done.writes == 4 and done.batch_id is not None


def test_the_property_names_of_a_geojson_file_are_offered_in_file_order():
    doc = {"type": "FeatureCollection", "features": [{"properties": {"kommun": "A", "kod": "1"}},
                                                     {"properties": {"kod": "2", "lan": "X"}}]}
    assert geojson_properties(json.dumps(doc).encode()) == ["kommun", "kod", "lan"]
    assert geojson_properties(b"not json") == [] and geojson_properties(b"[1, 2]") == []
