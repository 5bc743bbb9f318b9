"""Lägesbild's data layer: store, models, scoped queries, importers and the CLI. Never imports streamlit."""
