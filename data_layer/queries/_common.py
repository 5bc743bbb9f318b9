"""Small helpers shared by the query modules: run a statement into a DataFrame with fixed columns."""
from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine


def frame(engine: Engine, stmt, columns: list[str]) -> pd.DataFrame:
    """Execute `stmt` and return its rows as a DataFrame with exactly `columns` (also when empty)."""
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=columns)


def empty(columns: list[str]) -> pd.DataFrame:
    """An empty DataFrame with `columns`."""
    return pd.DataFrame({c: [] for c in columns})
