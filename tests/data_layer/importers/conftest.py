"""Fixtures for importer tests: a store that already knows Sweden's municipalities and counties."""
from __future__ import annotations

import pytest

from data_layer.importers.areas import import_areas
from tests.data_layer.importers.helpers import GEO


@pytest.fixture
def sweden(engine):
    """An engine whose store holds the 290 municipalities (SCB, simplified) and the 21 counties."""
    import_areas(engine, GEO / "kommuner_scb_simplified.geojson", name_field="kommun", code_field="kommun_kod",
                 level="kommun")
    import_areas(engine, GEO / "lan_scb_simplified.geojson", name_field="lan", code_field="lan_kod", level="lan")
    return engine
