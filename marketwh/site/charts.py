"""The site's charts: matplotlib drawn to SVG files, so a page needs no script and no network.

Reported points are filled, derived points hollow; a report's forecast years are dashed. The same
convention on every chart, stated in each chart's legend. The value axis starts at zero and its
ticks use the site's number format (never 2.5e+06).

Every text a chart draws (titles, publisher labels, units) is data from the seeds and is drawn as
plain text: matplotlib's mathtext (a `$...$` pair read as TeX) and usetex are off, so a `$` in a
publisher's name is a dollar sign, never a parse error that fails the site build.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import groupby
from pathlib import Path
from typing import Any

from .numbers import format_number, format_year

_FILLED = {"reported"}


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {"svg.hashsalt": "marketwh", "svg.fonttype": "none", "font.size": 9, "text.parse_math": False, "text.usetex": False}
    )
    return plt


def series_chart(
    path: Path,
    title: str,
    y_label: str,
    series: Iterable[tuple[str, list[dict[str, Any]]]],
) -> Path:
    """One line per (label, rows); each row has `figure_year`, `value`, `basis` and `is_forecast`
    (a market_estimates_by_report row).
    Returns `path`, an SVG file."""
    plt = _pyplot()
    from matplotlib.lines import Line2D
    from matplotlib.ticker import FuncFormatter

    figure, axes = plt.subplots(figsize=(7.2, 3.6), layout="constrained")
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for index, (label, rows) in enumerate(series):
        rows = sorted((r for r in rows if r.get("value") is not None), key=lambda r: r["figure_year"])
        if not rows:
            continue
        colour = colours[index % len(colours)]
        # actual years solid, forecast years dashed (joined at the last actual year)
        actual = [r for r in rows if not r.get("is_forecast")]
        forecast = [r for r in rows if r.get("is_forecast")]
        if actual:
            axes.plot([r["figure_year"] for r in actual], [r["value"] for r in actual], "-", color=colour, label=label)
        if forecast:
            joined = actual[-1:] + forecast
            axes.plot(
                [r["figure_year"] for r in joined],
                [r["value"] for r in joined],
                "--",
                color=colour,
                label=None if actual else label,
            )
        for basis, points in groupby(rows, key=lambda r: r.get("basis")):
            points = list(points)
            axes.plot(
                [r["figure_year"] for r in points],
                [r["value"] for r in points],
                "o",
                color=colour,
                markerfacecolor=colour if basis in _FILLED else "white",
                markersize=5,
            )
    handles, _ = axes.get_legend_handles_labels()
    handles += [
        Line2D([], [], color="grey", marker="o", linestyle="", label="reported (stated in the report)"),
        Line2D([], [], color="grey", marker="o", markerfacecolor="white", linestyle="", label="derived (computed from reported values)"),
        Line2D([], [], color="grey", linestyle="--", label="forecast years"),
    ]
    axes.legend(handles=handles, fontsize=8, loc="best")  # never over the points (they may sit at the top)
    axes.set_title(title)
    axes.set_ylabel(y_label)
    axes.set_xlabel("year")
    axes.xaxis.get_major_locator().set_params(integer=True)
    values = [r["value"] for _, rows in series for r in rows if r.get("value") is not None]
    if values and min(values) >= 0:  # a market size from zero: a zoomed axis makes 706 against 750 look like a gulf
        axes.set_ylim(bottom=0, top=max(values) * 1.08 or 1)
    years = {r["figure_year"] for _, rows in series for r in rows if r.get("value") is not None}
    if len(years) == 1:  # one year alone: a span of three years around it, not matplotlib's two centuries
        (year,) = years
        axes.set_xlim(year - 1, year + 1)
    # the site's one number format: thousands separated, never 2.5e+06 (a tick is rounded to 9 places,
    # so 0.30000000000000004 prints 0.3)
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: format_number(round(value, 9))))
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _: format_year(value) if float(value).is_integer() else ""))
    axes.grid(alpha=0.3)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, format="svg", metadata={"Date": None})
    plt.close(figure)
    return path
