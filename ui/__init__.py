"""Streamlit building blocks: state and caches, auth, filters, figures, maps, i18n and formatting."""
