"""Survey results ready to show: a value based on too few respondents is withheld, a missing value stays missing."""
from __future__ import annotations

import pandas as pd

MIN_RESPONDENTS = 30


def present_results(results: pd.DataFrame, *, min_n: int = MIN_RESPONDENTS) -> pd.DataFrame:
    """Add `shown`: True when the value exists and rests on at least `min_n` respondents (unknown n is not shown)."""
    out = results.copy()
    n = pd.to_numeric(out["n"], errors="coerce")
    value = pd.to_numeric(out["value"], errors="coerce")
    out["value"] = value
    out["shown"] = (n >= min_n).fillna(False).astype(bool) & value.notna()
    return out
