"""With LAGESBILD_ENV=production the app refuses to start on unfit settings (here: the demo store, with its known
passwords, in SQLite shared by seven organisations) and tells the visitor only that, not what is wrong."""
from __future__ import annotations

from tests.pages.test_pages_render import new_app, store  # noqa: F401 - fixture


def test_production_on_the_demo_store_shows_a_refusal_and_no_login(store, monkeypatch):
    monkeypatch.setenv("LAGESBILD_ENV", "production")
    at = new_app()
    assert not at.exception
    assert [e.value for e in at.error] == ["Lägesbild startar inte: inställningarna klarar inte produktionskontrollen. "
                                           "Driftansvarig ser problemen i serverloggen och med "
                                           "`python -m data_layer check-config`."]
    assert "login_username" not in [w.key for w in at.text_input]


def test_without_production_the_same_store_offers_the_login(store, monkeypatch):
    monkeypatch.delenv("LAGESBILD_ENV", raising=False)
    at = new_app()
    assert not at.error and "login_username" in [w.key for w in at.text_input]
