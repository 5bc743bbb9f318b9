"""The lines every download carries about itself: its period, the filter it was made with and, for roles that see
small counts hidden, that counts below the threshold are not shown (data_layer.suppression.export_notes)."""
from __future__ import annotations

from data_layer.queries.filters import IncidentFilter
from data_layer.scope import Scope, min_count
from data_layer.suppression import export_notes
from ui import state
from ui.i18n import t


def filter_text(flt: IncidentFilter, lang: str, *, extra: tuple[str, ...] = ()) -> str:
    """The filter in words: the chosen areas, categories and sources by name ("alla" where none is chosen)."""
    every = t("export.every")
    areas = state.area_names()
    labels = state.category_labels(lang)
    orgs = state.organisation_names()
    parts = [f"{t('col.area')}: {', '.join(areas.get(c, c) for c in flt.area_codes) or every}",
             f"{t('col.category')}: {', '.join(labels.get(c, c) for c in flt.category_codes) or every}",
             f"{t('col.source')}: {', '.join(orgs.get(c, c) for c in flt.source_codes) or every}", *extra]
    return "; ".join(parts)


def notes_for(flt: IncidentFilter, scope: Scope, lang: str, *, period: str, extra: tuple[str, ...] = ()) -> list[str]:
    """The notes of a download made by `scope` with `flt` over `period` (already in words)."""
    return export_notes(period=period, filter_text=filter_text(flt, lang, extra=extra), threshold=min_count(scope),
                        lang=lang)
