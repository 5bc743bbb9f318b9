"""Karta: hotspots per H3 cell (Gi* and their trend), area-level events on their areas, actions and the other
layers, with a side panel for the selected cell or area."""
from __future__ import annotations

import streamlit as st

from ui import map_view
from ui.auth import require_login
from ui.filters import current_filter
from ui.i18n import current_language, t

require_login()

lang = current_language()
flt = current_filter()
st.title(t("map.title"))
map_view.render_page(flt, lang)
