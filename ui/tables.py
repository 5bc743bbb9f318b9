"""Table helpers for st.dataframe: cell styles that mark significant changes (text carries the meaning too)."""
from __future__ import annotations

from typing import Callable

from analysis.change import DECREASE, INCREASE

# Light backgrounds with near-black text: contrast well above 4.5:1; the verdict text says the same thing.
FLAG_STYLES = {
    INCREASE: "background-color: #FFE3C2; color: #1A1A1A; font-weight: 600",
    DECREASE: "background-color: #D3E8F7; color: #1A1A1A; font-weight: 600",
}
OVERDUE_STYLE = "background-color: #FFE3C2; color: #1A1A1A; font-weight: 600"


def flag_style(flags: list[str]) -> Callable:
    """A Styler.apply function colouring only cells whose row's flag is a significant change."""
    def apply(column):
        return [FLAG_STYLES.get(f, "") for f in flags]
    return apply


def overdue_style(overdue: list[bool]) -> Callable:
    """A Styler.apply function marking overdue rows' cells."""
    def apply(column):
        return [OVERDUE_STYLE if o else "" for o in overdue]
    return apply
