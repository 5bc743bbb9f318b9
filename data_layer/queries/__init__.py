"""Scoped read queries returning DataFrames with fixed columns (aggregated in SQL), plus the reporter form's write.

Every read of incidents, surveys and actions goes through data_layer.scope.visible(); nothing else filters for
permissions. Never imports streamlit.
"""
from data_layer.queries.filters import IncidentFilter

__all__ = ["IncidentFilter"]
