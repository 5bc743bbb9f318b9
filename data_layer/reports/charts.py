"""Charts for the reports, drawn on the server with matplotlib's Agg backend into PNG bytes (no display, no
network). Colours are Okabe–Ito, distinct with the common colour-vision deficiencies; text in DejaVu Sans."""
from __future__ import annotations

import io
from datetime import date

import matplotlib

matplotlib.use("Agg")  # before pyplot: never a display
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

BLUE, VERMILION, GREY, DARK = "#0072B2", "#D55E00", "#9A9A9A", "#1A1A1A"
DPI = 200


def _style(ax) -> None:
    ax.spines[["top", "right"]].set_visible(False)
    ax.spines[["left", "bottom"]].set_color("#777777")
    ax.tick_params(colors=DARK, labelsize=8)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
    ax.grid(axis="y", color="#E4E4E4", linewidth=0.6)
    ax.set_axisbelow(True)


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, facecolor="white")
    plt.close(fig)
    return buf.getvalue()


def weekly_bars(weeks: list[date], counts: list[int], *, reference: list[float] | None = None,
                highlight_from: date | None = None, reference_label: str = "Samma veckor i fjol",
                ylabel: str = "Händelser per vecka") -> bytes:
    """Bars per ISO week (weeks from `highlight_from` in vermilion, earlier ones blue), an optional reference line
    (e.g. the same weeks a year earlier) and week numbers below."""
    fig, ax = plt.subplots(figsize=(7.2, 2.6))
    xs = list(range(len(weeks)))
    colours = [VERMILION if highlight_from is not None and w >= highlight_from else BLUE for w in weeks]
    ax.bar(xs, counts, color=colours, width=0.72, label="Antal händelser")
    if reference is not None:
        ax.plot(xs, reference, color=DARK, linewidth=1.2, linestyle="--", marker="o", markersize=2.5,
                label=reference_label)
    step = max(1, len(weeks) // 13)
    ax.set_xticks(xs[::step], [f"v{w.isocalendar().week}" for w in weeks][::step])
    ax.set_ylabel(ylabel, fontsize=8, color=DARK)
    ax.set_xlim(-0.6, len(weeks) - 0.4)
    _style(ax)
    ax.legend(fontsize=7, frameon=False, loc="lower left", bbox_to_anchor=(0, 1.0), ncols=2)
    fig.tight_layout()
    return _png(fig)


def monthly_bars(labels: list[str], counts: list[int], *, reference: list[float] | None = None,
                 reference_label: str = "Snitt tidigare år") -> bytes:
    """Bars per month with an optional reference line (the same months in earlier years)."""
    fig, ax = plt.subplots(figsize=(7.2, 2.6))
    xs = list(range(len(labels)))
    ax.bar(xs, counts, color=BLUE, width=0.65, label="Antal händelser")
    if reference is not None:
        ax.plot(xs, reference, color=DARK, linewidth=1.2, linestyle="--", marker="o", markersize=3,
                label=reference_label)
    ax.legend(fontsize=7, frameon=False, loc="lower left", bbox_to_anchor=(0, 1.0), ncols=2)
    ax.set_xticks(xs, labels)
    ax.set_ylabel("Händelser per månad", fontsize=8, color=DARK)
    _style(ax)
    fig.tight_layout()
    return _png(fig)


def horizontal_bars(labels: list[str], now: list[int], before: list[float], *, now_label: str,
                    before_label: str) -> bytes:
    """Paired horizontal bars (now in vermilion, the reference in grey), largest first from the top."""
    n = len(labels)
    fig, ax = plt.subplots(figsize=(7.2, 0.32 * n + 0.9))
    ys = list(range(n))[::-1]
    ax.barh([y + 0.19 for y in ys], now, height=0.38, color=VERMILION, label=now_label)
    ax.barh([y - 0.19 for y in ys], before, height=0.38, color=GREY, label=before_label)
    ax.set_yticks(ys, labels)
    ax.tick_params(axis="y", labelsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    ax.spines[["left", "bottom"]].set_color("#777777")
    ax.tick_params(colors=DARK, labelsize=8)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
    ax.grid(axis="x", color="#E4E4E4", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.legend(fontsize=7, frameon=False, loc="lower right")
    fig.tight_layout()
    return _png(fig)
