"""The overview offers the period's lägesbild as PDF and Markdown, built on request for the logged-in user."""
from __future__ import annotations

from tests.pages.test_pages_render import logged_in, store  # noqa: F401 (fixture)


def test_the_overview_builds_the_lagesbild_and_offers_pdf_and_markdown(store):
    at = logged_in()
    assert not at.get("download_button")
    next(b for b in at.button if b.label == "Skapa lägesbild").click().run()
    assert not at.exception, at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert {"Ladda ned PDF", "Ladda ned Markdown"} <= set(labels)
