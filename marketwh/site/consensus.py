"""What a market page opens with: the consensus of its publishers (issue 27), arranged from the consensus
marts' rows (market_consensus, market_consensus_excluded, market_consensus_history); the site computes
no figure.

One chart per metric, geography and unit of the market's total where at least one year has estimates of
two publishers (a consensus of one is a single estimate): the global ones first, then the other
geographies, at most CONSENSUS_CHARTS, so the page stays readable; the market's splits keep their own
sections below. Each chart draws the band from the lowest to the highest counted estimate, the median,
and each counted estimate (each series' current edition) as a point named by its edition's report_label,
reported filled, derived hollow. Under it: the consensus by year, what was left out and why (one line
per edition and reason, with its years) and how the consensus moved as each report arrived.
"""

from __future__ import annotations

from itertools import groupby
from typing import Any

from ..safefs import path_inside
from .charts import consensus_chart
from .data import SiteData
from .numbers import format_year

CONSENSUS_CHARTS = 4  # consensus charts on one market page (global first)
KEY = ("metric", "dimension", "segment_key", "region_key", "unit_key")


def _key(row: dict[str, Any]) -> tuple:
    return tuple(row[column] for column in KEY)


def _ids(text: Any) -> list[str]:
    """A mart's comma-separated report ids as a list ([] when null)."""
    return [part.strip() for part in str(text or "").split(",") if part.strip()]


def edition_label(data: SiteData, report_id: str, labels: dict[str, str]) -> str:
    """An edition as chart legends name it: its report_label (`labels`, from market_estimates_by_report,
    else marts.reports), its id when neither has one."""
    if labels.get(report_id):
        return labels[report_id]
    report = data.report(report_id) or {}
    return report.get("report_label") or report_id


def consensus_keys(data: SiteData, market_key: str) -> list[tuple[tuple, list[dict[str, Any]]]]:
    """The market's total consensus keys worth a chart, each with its market_consensus rows by year: a
    year of two publishers or more; global first, then by metric, geography and unit; CONSENSUS_CHARTS
    of them."""
    rows = [r for r in data.of_market("consensus", market_key) if r["dimension"] == "total" and r["segment_key"] == "total"]
    keys = []
    for key, group in groupby(sorted(rows, key=lambda r: (_key(r), r["figure_year"])), key=_key):
        group = list(group)
        if max(r["publisher_count"] or 0 for r in group) >= 2:
            keys.append((key, group))
    keys.sort(key=lambda item: (item[0][3] != "global", item[0][0], item[0][3], item[0][4]))
    return keys[:CONSENSUS_CHARTS]


def excluded_lines(data: SiteData, market_key: str, key: tuple, labels: dict[str, str]) -> list[dict[str, Any]]:
    """What a consensus key leaves out: one line per edition, exclusion and reason, with the years it
    applies to, excluded (of this key, not counted) before not compared."""
    lines: dict[tuple, dict[str, Any]] = {}
    for row in data.of_market("consensus_excluded", market_key):
        if _key(row) != key:
            continue
        line = lines.setdefault(
            (row["exclusion"] != "excluded", row["report_id"], row["reason"]),
            {**row, "label": edition_label(data, row["report_id"], labels), "years": []},
        )
        line["years"].append(row["figure_year"])
    result = []
    for _, line in sorted(lines.items(), key=lambda item: (item[0][0], item[1]["label"], item[0][2])):
        years = sorted(set(y for y in line["years"] if y is not None))
        result.append({**line, "years": ", ".join(format_year(y) for y in years) if years else "no year"})
    return result


def history_rows(data: SiteData, market_key: str, key: tuple, labels: dict[str, str]) -> list[dict[str, Any]]:
    """How a consensus key moved: its market_consensus_history rows, one year after another, each with
    the editions that moved it named by their labels."""
    rows = [r for r in data.of_market("consensus_history", market_key) if _key(r) == key]
    rows.sort(key=lambda r: (r["figure_year"], str(r["as_of_date"])))
    return [{**r, "moved_by": [edition_label(data, rid, labels) for rid in _ids(r["moved_by_report_ids"])]} for r in rows]


def consensus_sections(data: SiteData, market: dict[str, Any], charts) -> list[dict[str, Any]]:
    """The consensus sections of a market page: per key a chart (written into `charts`), its rows by
    year (with the flagged outliers named), what was left out and how it moved."""
    market_key = market["market_key"]
    labels: dict[str, str] = {}  # report_id -> its report_label
    for row in data.of_market("estimates", market_key):
        labels.setdefault(row["report_id"], row.get("report_label"))
    counted: dict[tuple, list[dict[str, Any]]] = {}  # key -> the estimates its consensus counts
    for row in data.of_market("consensus_estimates", market_key):
        counted.setdefault(_key(row), []).append(row)
        labels.setdefault(row["report_id"], row.get("report_label"))
    sections = []
    for key, years in consensus_keys(data, market_key):
        metric, _, _, region, unit = key
        points: dict[str, list[dict[str, Any]]] = {}
        for row in counted.get(key, []):
            # drawn as its kind: a conversion from another currency is derived (hollow)
            points.setdefault(row["report_id"], []).append({**row, "basis": row["value_kind"]})
        first = years[0]
        metric_name = first.get("metric_name") or data.label("metrics", metric)
        region_name = first.get("region_name") or data.region_name(region)
        unit_name = first.get("unit_name") or data.unit_names.get(unit, unit)
        quantity = data.label("quantities", unit).lower()
        title = f"{market['market_name']}: {metric_name} ({quantity}), {region_name}, consensus of the publishers"
        name = f"consensus-{market_key}-{metric}-{region}-{unit}.svg"
        labelled = sorted(((edition_label(data, rid, labels), rows) for rid, rows in points.items()), key=lambda item: item[0])
        consensus_chart(path_inside(charts, name), title, unit_name, years, labelled)
        rows = [{**r, "outliers": [edition_label(data, rid, labels) for rid in _ids(r.get("outlier_report_ids"))]} for r in years]
        sections.append(
            {
                "file": name,
                "title": title,
                "unit_name": unit_name,
                "rows": rows,
                "excluded": excluded_lines(data, market_key, key, labels),
                "history": history_rows(data, market_key, key, labels),
            }
        )
    return sections
