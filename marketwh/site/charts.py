"""The site's charts: matplotlib drawn to SVG files, so a page needs no script and no network.

Reported points are filled, derived points hollow; a report's forecast years are dashed. The editions
of one report series share a colour; a superseded edition is drawn faded (dashes already mean forecast
years), its legend entry saying so. The same convention on every chart, stated in each chart's legend.
Each line's SVG group is named after its report (`edition-<report_id>-actual`, `-forecast`, `-points`),
so a test can tell which report a line draws. The value axis starts at zero and its
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
SUPERSEDED_ALPHA = 0.4  # a superseded edition's line and points
PLOT_HEIGHT, LEGEND_LINE = 3.2, 0.17  # inches: the plot, and each legend entry under it


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
    """One line per (label, rows); each row has `figure_year`, `value`, `basis` and `is_forecast`,
    and may have `report_id`, `series_id` and `edition_status` (a market_estimates_by_report row).
    Returns `path`, an SVG file."""
    plt = _pyplot()
    from matplotlib.lines import Line2D

    figure, axes = plt.subplots(figsize=(7.2, PLOT_HEIGHT), layout="constrained")
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    series_colours: dict[str, str] = {}  # the editions of one series share a colour
    superseded_drawn = False
    for index, (label, rows) in enumerate(series):
        rows = sorted((r for r in rows if r.get("value") is not None), key=lambda r: r["figure_year"])
        if not rows:
            continue
        first = rows[0]
        colour = series_colours.setdefault(first.get("series_id") or f"{index}", colours[len(series_colours) % len(colours)])
        superseded = first.get("edition_status") == "superseded"
        superseded_drawn |= superseded
        style = {"color": colour, "alpha": SUPERSEDED_ALPHA if superseded else 1.0, "linewidth": 1.2 if superseded else 1.6}
        name = f"edition-{first.get('report_id', index)}"
        # actual years solid, forecast years dashed (joined at the last actual year)
        actual = [r for r in rows if not r.get("is_forecast")]
        forecast = [r for r in rows if r.get("is_forecast")]
        if actual:
            axes.plot([r["figure_year"] for r in actual], [r["value"] for r in actual], "-", label=label, gid=f"{name}-actual", **style)
        if forecast:
            joined = actual[-1:] + forecast
            axes.plot(
                [r["figure_year"] for r in joined],
                [r["value"] for r in joined],
                "--",
                label=None if actual else label,
                gid=f"{name}-forecast",
                **style,
            )
        for number, (basis, points) in enumerate(groupby(rows, key=lambda r: r.get("basis")), 1):
            points = list(points)
            axes.plot(
                [r["figure_year"] for r in points],
                [r["value"] for r in points],
                "o",
                color=colour,
                alpha=style["alpha"],
                markerfacecolor=colour if basis in _FILLED else "white",
                markersize=5,
                gid=f"{name}-points-{number}",
            )
    handles, _ = axes.get_legend_handles_labels()
    handles += [
        Line2D([], [], color="grey", marker="o", linestyle="", label="reported (stated in the report)"),
        Line2D([], [], color="grey", marker="o", markerfacecolor="white", linestyle="", label="derived (computed from reported values)"),
        Line2D([], [], color="grey", linestyle="--", label="forecast years"),
    ]
    if superseded_drawn:
        handles.append(Line2D([], [], color="grey", alpha=SUPERSEDED_ALPHA, label="faded: a superseded edition (see what changed below)"))
    values = [r["value"] for _, rows in series for r in rows if r.get("value") is not None]
    years = {r["figure_year"] for _, rows in series for r in rows if r.get("value") is not None}
    _finish(path, figure, axes, handles, title, y_label, values, years)
    plt.close(figure)
    return path


def _finish(path: Path, figure, axes, handles: list, title: str, y_label: str, values: list[float], years: set[int]) -> None:
    """The legend under the plot, titles, the site's axes (from zero, in the site's number format) and the
    SVG file: the same on every chart."""
    from matplotlib.ticker import FuncFormatter

    # under the plot, one entry a line: an entry names a publisher's edition and what replaced it, too long
    # to sit over the lines without hiding some (the figure grows by a line per entry)
    figure.set_figheight(PLOT_HEIGHT + LEGEND_LINE * len(handles))
    figure.legend(handles=handles, fontsize=8, loc="outside lower left", frameon=False)
    axes.set_title(title)
    axes.set_ylabel(y_label)
    axes.set_xlabel("year")
    axes.xaxis.get_major_locator().set_params(integer=True)
    if values and min(values) >= 0:  # a market size from zero: a zoomed axis makes 706 against 750 look like a gulf
        axes.set_ylim(bottom=0, top=max(values) * 1.08 or 1)
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


def consensus_chart(
    path: Path, title: str, y_label: str, years: list[dict[str, Any]], points: list[tuple[str, list[dict[str, Any]]]]
) -> Path:
    """The consensus of one market, metric, geography and unit: a band from the lowest to the highest
    counted estimate of each year (`years`: market_consensus rows), the median as a line, and each counted
    estimate as a point, one colour per edition (`points`: (legend label, its market_estimates_by_report
    rows)), reported filled, derived hollow. SVG groups: `consensus-band`, `consensus-median` and
    `consensus-points-<report_id>-reported` / `-derived`. Returns `path`."""
    plt = _pyplot()
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    figure, axes = plt.subplots(figsize=(7.2, PLOT_HEIGHT), layout="constrained")
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    years = sorted((r for r in years if r.get("median_value") is not None), key=lambda r: r["figure_year"])
    x = [r["figure_year"] for r in years]
    axes.fill_between(
        x, [r["low_value"] for r in years], [r["high_value"] for r in years], color="#9db4cc", alpha=0.45, linewidth=0, gid="consensus-band"
    )
    axes.plot(x, [r["median_value"] for r in years], "-", color="#24323f", linewidth=2, gid="consensus-median")
    handles = [
        Patch(color="#9db4cc", alpha=0.45, label="range: lowest to highest estimate"),
        Line2D([], [], color="#24323f", linewidth=2, label="median"),
    ]
    drawn = []
    for index, (label, rows) in enumerate(points):
        colour = colours[index % len(colours)]
        rows = sorted((r for r in rows if r.get("value") is not None), key=lambda r: r["figure_year"])
        for kind in ("reported", "derived"):
            kept = [r for r in rows if (r.get("value_kind") or r.get("basis")) == kind]
            if kept:
                face = colour if kind in _FILLED else "white"
                gid = f"consensus-points-{kept[0]['report_id']}-{kind}"
                axes.plot([r["figure_year"] for r in kept], [r["value"] for r in kept], "o", color=colour, mfc=face, ms=5, gid=gid)
        handles.append(Line2D([], [], color=colour, marker="o", linestyle="", label=label))
        drawn += [r["value"] for r in rows]
    handles += [
        Line2D([], [], color="grey", marker="o", linestyle="", label="reported (stated in the report)"),
        Line2D([], [], color="grey", marker="o", markerfacecolor="white", linestyle="", label="derived (computed from reported values)"),
    ]
    values = drawn + [r["high_value"] for r in years] + [r["low_value"] for r in years]
    _finish(path, figure, axes, handles, title, y_label, values, set(x))
    plt.close(figure)
    return path
