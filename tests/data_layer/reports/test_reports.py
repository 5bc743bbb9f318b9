"""Offline reports on the demo store (read-only): figures equal independent SQL counts, PDFs render page by page,
Markdown escapes free text, and the digest CLI works and refuses bad input in Swedish with exit code 2."""
from __future__ import annotations

import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from data_layer.__main__ import main
from data_layer.reports.acting import ReportError, actor
from data_layer.reports.digest import build_digest, parse_week
from data_layer.reports.document import Document, Paragraph, Section, Table
from data_layer.reports.lagesbild import build_lagesbild, lagesbild_filter
from data_layer.reports.markdown import render_markdown
from data_layer.reports.pdf import render_pdf
from data_layer.reports.protokoll import build_protokoll
from data_layer.reports.tertial import build_tertial
from tests.conftest import PROJECT_ROOT

SCREENSHOTS = PROJECT_ROOT / "test-artifacts" / "screenshots"
AREA = "DEMO-03"


def _last_week() -> str:
    year, week, _ = (date.today() - timedelta(days=7)).isocalendar()
    return f"{year}-W{week:02d}"


def _sql(engine, query: str, **params) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(query), params).scalar_one())


def _render_pages(pdf: bytes, stem: str, tmp_path: Path) -> list[Path]:
    """Render every page with pdftoppm into test-artifacts/screenshots/<stem>-N.png."""
    if shutil.which("pdftoppm") is None:
        pytest.fail("pdftoppm is missing: apt-get install -y poppler-utils")
    source = tmp_path / f"{stem}.pdf"
    source.write_bytes(pdf)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob(f"{stem}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(source), str(SCREENSHOTS / stem)], check=True,
                   capture_output=True, timeout=60)
    pages = sorted(SCREENSHOTS.glob(f"{stem}-*.png"))
    info = subprocess.run(["pdfinfo", str(source)], check=True, capture_output=True, text=True).stdout
    count = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert len(pages) == count >= 1
    assert all(p.stat().st_size > 2000 for p in pages)
    return pages


@pytest.fixture(scope="module")
def coordinator(demo_store_url):
    from data_layer.db import make_engine

    eng = make_engine(demo_store_url)
    yield eng, actor(eng)
    eng.dispose()


def test_the_lagesbild_states_the_counts_that_sql_finds(coordinator, tmp_path):
    engine, who = coordinator
    flt = lagesbild_filter(date.today())
    doc = build_lagesbild(engine, scope=who.scope, flt=flt, by=who.display_name)
    n = doc.numbers()
    prev = flt.previous()
    count = "SELECT COUNT(*) FROM incident WHERE occurred_date BETWEEN :a AND :b"
    assert n["total_current"] == _sql(engine, count, a=flt.start, b=flt.end)
    assert n["total_previous"] == _sql(engine, count, a=prev.start, b=prev.end)
    assert n["open_actions"] == _sql(engine, "SELECT COUNT(*) FROM action WHERE status IN "
                                             "('föreslagen','beslutad','pågår')")
    assert n["overdue_actions"] == _sql(engine, "SELECT COUNT(*) FROM action WHERE status IN "
                                                "('föreslagen','beslutad','pågår') AND due_date < :d", d=date.today())
    assert n["source_polisen"] == _sql(engine, count + " AND source_org_id = (SELECT id FROM organisation "
                                               "WHERE code = 'polisen')", a=flt.start, b=flt.end)
    markdown = render_markdown(doc)
    assert f"rapporterades {n['total_current']} händelser" in markdown.replace("\u00a0", "")
    _render_pages(render_pdf(doc), "report-lagesbild", tmp_path)


def test_the_tertial_report_follows_the_law_and_renders(coordinator, tmp_path):
    engine, who = coordinator
    year = date.today().year
    doc = build_tertial(engine, scope=who.scope, period=str(year), by=who.display_name)
    headings = [s.heading for s in doc.sections]
    assert headings == ["1. Kartläggning", "2. Annan information", "3. Analys", "4. Åtgärdsplan", "5. Uppföljning"]
    assert doc.numbers()["total_current"] == _sql(
        engine, "SELECT COUNT(*) FROM incident WHERE occurred_date BETWEEN :a AND :b", a=date(year, 1, 1),
        b=date.today())
    assert doc.numbers()["followed_up"] > 0
    _render_pages(render_pdf(doc), "report-tertial", tmp_path)
    with pytest.raises(ReportError, match="Ogiltig period"):
        build_tertial(engine, scope=who.scope, period=f"{year}-T4")


def test_the_protocol_renders_a_closed_meeting_and_is_refused_to_a_reporter(coordinator, tmp_path):
    engine, who = coordinator
    doc = build_protokoll(engine, scope=who.scope)
    assert doc.numbers()["agenda_items"] >= 2
    _render_pages(render_pdf(doc), "report-protokoll", tmp_path)
    reporter = actor(engine, "ombud")
    with pytest.raises(ReportError, match="får inte skriva ut mötesprotokoll"):
        build_protokoll(engine, scope=reporter.scope)


def test_the_digest_counts_the_area_week_and_renders(coordinator, tmp_path):
    engine, who = coordinator
    week = _last_week()
    start, end = parse_week(week)
    doc = build_digest(engine, scope=who.scope, area_code=AREA, week=week, org_code="bostadsbolaget_a")
    in_area = ("SELECT COUNT(*) FROM incident WHERE occurred_date BETWEEN :a AND :b AND area_id IN "
               "(SELECT id FROM area WHERE code = :c)")
    assert doc.numbers()["total_current"] == _sql(engine, in_area, a=start, b=end, c=AREA)
    assert doc.numbers()["earlier_reports"] == _sql(engine, in_area, a=start - timedelta(weeks=4),
                                                    b=start - timedelta(days=1), c=AREA)
    assert doc.numbers()["open_actions"] == _sql(
        engine, "SELECT COUNT(*) FROM action WHERE status IN ('föreslagen','beslutad','pågår') AND area_id = "
                "(SELECT id FROM area WHERE code = :c) AND owner_org_id = (SELECT id FROM organisation WHERE "
                "code = 'bostadsbolaget_a')", c=AREA)
    _render_pages(render_pdf(doc), "report-digest", tmp_path)


def test_markdown_escapes_free_text_so_it_never_becomes_markup():
    doc = Document(kind="x", title="T", subtitle="S", sections=[Section("H", (
        Paragraph("[klicka](http://evil) **fet** <b>"), Table(("a",), (("x | y\nz",),))))])
    out = render_markdown(doc)
    assert "\\[klicka\\]\\(http\\://evil\\)" in out and "\\*\\*fet\\*\\*" in out and "\\<b\\>" in out
    assert "x \\| y z" in out


def test_the_digest_cli_writes_markdown_and_pdf(demo_store_url, tmp_path, capsys):
    out = tmp_path / "digest.md"
    assert main(["--db", demo_store_url, "digest", "--area", AREA, "--week", _last_week(), "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("# Veckobrev vecka")
    pdf = tmp_path / "digest.pdf"
    assert main(["--db", demo_store_url, "digest", "--area", AREA, "--week", _last_week(), "--format", "pdf",
                 "--out", str(pdf), "--user", "omradeschef"]) == 0
    assert pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("args, message", [
    (["--area", "FINNS-INTE", "--week", "2026-W10"], "Okänt område 'FINNS-INTE'"),
    (["--area", AREA, "--week", "2026-10"], "Ogiltig vecka '2026-10'"),
    (["--area", AREA, "--week", "2026-W54"], "Vecka 54 finns inte år 2026"),
    (["--area", AREA, "--week", "2026-W10", "--format", "docx"], "Okänt format 'docx'"),
    (["--area", AREA, "--week", "2026-W10", "--user", "ingen"], "Okänd eller inaktiv användare 'ingen'"),
])
def test_the_digest_cli_refuses_bad_input_in_swedish_with_exit_code_2(demo_store_url, capsys, args, message):
    assert main(["--db", demo_store_url, "digest", *args]) == 2
    assert message in capsys.readouterr().err
