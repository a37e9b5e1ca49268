"""What each page of the report site shows, arranged from the marts' rows (the site computes no figure).

A report page's figures are grouped by metric, dimension and region, so no table mixes geographies;
cells the report does not state are summed up in one line ("No market value by type stated."), never
listed one by one. A market page draws one chart per metric, region and unit (reported points filled,
derived hollow), and its comparison table writes each publisher's estimate with its kind and vintage,
and each report's scope beside it. A report series speaks through its current edition: a superseded
edition stays on the chart (in its series' colour, faded) and in the tables (marked, linked to what the
next edition changed), named in the legend by its label, its printed date and the edition that replaced
it, and is never compared with other publishers.
"""

from __future__ import annotations

from collections import Counter
from itertools import groupby
from typing import Any

from ..safefs import path_inside
from .charts import series_chart
from .data import SiteData
from .numbers import format_published, format_year

CHART_SERIES = 12  # reports drawn on one market chart (all of them are in its table)
COMPARED_KEY = ("metric", "dimension", "segment_key", "region_key", "figure_year", "unit_key")
YEAR_KEY = ("metric", "dimension", "segment_key", "figure_year")


def metric_of(data: SiteData, row: dict[str, Any]) -> str:
    """A row's metric as people read it: the mart's metric_name, else the metrics seed's name."""
    return row.get("metric_name") or data.label("metrics", row["metric"])


def unit_of(data: SiteData, row: dict[str, Any]) -> str:
    """A row's unit as people read it: the mart's unit_name, else the units seed's name."""
    return row.get("unit_name") or data.unit_names.get(row["unit_key"], row["unit_key"])


def figure_groups(data: SiteData, figures: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """A report's stated and derived figures, one group per metric, dimension and region (market size
    first), and what the report does not state, in words, never as a count of empty cells: the groups
    with no number at all (one phrase each) and, for a group stated in some of its years only, those
    years."""
    order = {"total": 0}
    figures = sorted(figures, key=lambda f: (order.get(f["dimension"], 1), f["metric"], f["dimension"], f["region_key"] or ""))
    groups, missing_groups, partial = [], [], []
    for (metric, dimension, region), rows in groupby(figures, key=lambda f: (f["metric"], f["dimension"], f["region_key"])):
        rows = list(rows)
        stated = [f for f in rows if f["basis"] != "not_reported"]
        title = metric_of(data, rows[0]) + ("" if dimension == "total" else f" by {data.label('dimensions', dimension).lower()}")
        where = data.region_name(region) if region else ""
        named = title.lower() + (f" ({where})" if where and where != "Global" else "")
        if not stated:
            missing_groups.append(named)
            continue
        if len(stated) < len(rows) and (years := _stated_years(data, rows)):
            partial.append(f"{named[0].upper()}{named[1:]} is stated {years}.")
        groups.append({"metric": metric, "dimension": dimension, "title": title, "region": where, "rows": stated})
    return groups, {"groups": missing_groups, "partial": partial}


def _stated_years(data: SiteData, rows: list[dict[str, Any]]) -> str:
    """The years a split is stated for, in words: "for 2020 and 2027 only", or, where a year states
    some listed segments only, "in full for 2023; in 2022 only for BYD and CATL"."""
    years: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        if row["figure_year"] is not None and row["segment_key"] != "unallocated":
            years.setdefault(row["figure_year"], []).append(row)
    full, some, empty = [], {}, []
    for year, cells in sorted(years.items()):
        named = [data.segment_name(c["dimension"], c["segment_key"]) for c in cells if c["basis"] != "not_reported"]
        if not named:
            empty.append(year)
        elif len(named) == len(cells):
            full.append(format_year(year))
        else:
            some.setdefault(tuple(named), []).append(format_year(year))
    if not some:
        return f"for {_words(full, 'and')} only" if full else ""
    parts = [f"in full for {_words(full, 'and')}"] if full else []
    parts += [
        f"in {_words(stated_in, 'and')} only for {_words(list(names), 'and')}"
        if len(names) <= 4
        else f"in {_words(stated_in, 'and')} for some"
        for names, stated_in in some.items()
    ]
    return "; ".join(parts + (["for no other year"] if empty else []))


def _words(items: list[str], last: str) -> str:
    """`a, b or c`: a list as a sentence writes it."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {last} " + items[-1]


def not_stated_line(missing: dict[str, Any]) -> str:
    """One line for what a report does not state ("" when it states everything it lists): which
    metrics or splits it gives no number for, and the years a split is stated for; never a count or a
    list of the empty cells."""
    parts = [f"No {_words(missing['groups'], 'or')} stated."] if missing["groups"] else []
    return " ".join(parts + missing.get("partial", []))


def edition_name(report: dict[str, Any]) -> str:
    """An edition as people name it: its label and its publication date as printed ("2024-2032 edition,
    October 2024"); the label alone where it is that date, the base year where no date is printed."""
    printed, label, base = report.get("date_published_printed"), report.get("edition") or "", report.get("report_base_year")
    if base is None:
        base = report.get("base_year")
    when = format_published(printed) if printed else (f"base year {format_year(base)}" if base is not None else "date not stated")
    if not label or label == printed:
        return when
    return f"{label} edition, {when}"


def superseded_note(data: SiteData, report: dict[str, Any]) -> str:
    """Which edition replaced a superseded one ("superseded by the October 2024 edition"), named by its
    printed date (its label may be the same); empty for a current edition."""
    if report.get("edition_status") != "superseded":
        return ""
    newer = data.report(report.get("superseded_by_report_id"))
    if newer is None:
        return "superseded"
    printed = newer.get("date_published_printed")
    named = f"the {format_published(printed)} edition" if printed else f"edition {newer.get('edition_number')}"
    return f"superseded by {named}"


def legend_labels(data: SiteData, reports: list[dict[str, Any]]) -> list[str]:
    """One legend entry per report on a chart: publisher, edition label and printed publication date,
    and, for a superseded edition, what replaced it. Never the same entry twice: entries that would
    still repeat (one publisher's two reports with one label and one date) add their title, then their
    edition number, then a count."""
    labels = []
    for report in reports:
        note = superseded_note(data, report)
        labels.append(f"{report['publisher_label']}, {edition_name(report)}" + (f" ({note})" if note else ""))
    for more in (lambda r: f": {r.get('report_title')}", lambda r: f", edition {r.get('edition_number')}"):
        repeated = {label for label, count in Counter(labels).items() if count > 1}
        labels = [label + more(report) if label in repeated else label for label, report in zip(labels, reports, strict=True)]
    seen: Counter = Counter()
    for index, label in enumerate(labels):
        seen[label] += 1
        labels[index] = label if labels.count(label) == 1 else f"{label} ({seen[label]})"
    return labels


def _published_order(report: dict[str, Any]) -> tuple:
    """Newest first on a chart: current editions before superseded ones, then by printed date (as text
    it sorts: 2024-03 before 2024-10), then report id."""
    return (report.get("edition_status") != "superseded", report.get("date_published_printed") or "", report["report_id"])


def market_charts(data: SiteData, market: dict[str, Any], charts) -> list[dict[str, Any]]:
    """One chart per total metric, region and unit of a market: the reports' estimates side by side
    (the CHART_SERIES most recently published on the chart, every report in the table below it). The
    editions of a series are drawn in one colour, a superseded edition faded; each estimate row carries
    the edition that replaced its report (`replaced_by`)."""
    rows = [
        {**r, "replaced_by": data.report(r.get("superseded_by_report_id"))}
        for r in data.of_market("estimates", market["market_key"])
        if r["dimension"] == "total"
    ]
    rows.sort(
        key=lambda r: (
            r["metric"],
            r["region_key"],
            r["unit_key"],
            r.get("series_id") or "",
            r.get("edition_number") or 0,
            r["report_id"],
            r["figure_year"],
        )
    )
    result = []
    for (metric, region, unit), group in groupby(rows, key=lambda r: (r["metric"], r["region_key"], r["unit_key"])):
        group = list(group)
        name = f"compare-{market['market_key']}-{metric}-{region}-{unit}.svg"
        quantity = data.label("quantities", unit)
        title = f"{market['market_name']}: {metric_of(data, group[0])} ({quantity.lower()}), {data.region_name(region)}, by publisher"
        by_report = [list(items) for _, items in groupby(group, key=lambda r: r["report_id"])]
        newest = {items[0]["report_id"] for items in sorted(by_report, key=lambda s: _published_order(s[0]), reverse=True)[:CHART_SERIES]}
        charted = [items for items in by_report if items[0]["report_id"] in newest]  # a series' editions side by side
        series = list(zip(legend_labels(data, [items[0] for items in charted]), charted, strict=True))
        series_chart(path_inside(charts, name), title, unit_of(data, group[0]), series)
        scopes = {(e["publisher_label"], e.get("scope_quote")) for e in group}  # what each report says it covers, once
        superseded = any(items[0].get("edition_status") == "superseded" for items in charted)
        result.append(
            {"file": name, "title": title, "rows": group, "charted": len(charted), "reports": len(by_report),
             "scopes": sorted(scopes, key=str), "superseded": superseded}
        )  # fmt: skip
    return result


def compared_rows(data: SiteData, market_key: str) -> list[dict[str, Any]]:
    """The market's comparisons, each with the estimates it compares (market_estimates_by_report rows:
    publisher, value, its kind and vintage) and how many are forecasts made before the compared year."""
    estimates: dict[tuple, list[dict[str, Any]]] = {}
    by_year: dict[tuple, list[dict[str, Any]]] = {}  # the same metric, segment and year in any region or unit
    # a superseded edition is never compared: its series speaks through its current edition
    for row in data.of_market("estimates", market_key):
        if row.get("is_current_edition", True) is not False:
            estimates.setdefault(tuple(row[k] for k in COMPARED_KEY), []).append(row)
            by_year.setdefault(tuple(row[k] for k in YEAR_KEY), []).append(row)
    result = []
    for row in data.of_market("compared", market_key):
        compared = estimates.get(tuple(row[k] for k in COMPARED_KEY), [])
        vintages = Counter(e.get("estimate_vintage") for e in compared)
        # what is left out, in words: the other reports' estimates of the same year in another region or unit
        others = {
            f"{e['publisher_label']} ({data.region_name(e['region_key'])}, {unit_of(data, e)})"
            for e in by_year.get(tuple(row[k] for k in YEAR_KEY), [])
            if (e["region_key"], e["unit_key"]) != (row["region_key"], row["unit_key"])
        }
        result.append({**row, "compared": compared, "mixes_vintages": len(vintages) > 1, "not_compared": sorted(others)})
    return result


def market_splits_stated(data: SiteData, market: dict[str, Any]) -> list[dict[str, Any]]:
    """Which report states which split of the market (shares or values by type, application, region,
    ...), for which region and years: one row per report, metric, split and region, so an analyst sees
    at a glance who states shares by type, where, and when (and never a China split beside a global one
    unsaid)."""
    splits: dict[tuple, dict[str, Any]] = {}
    for row in data.of_market("estimates", market["market_key"]):
        if row["dimension"] == "total" or row["figure_year"] is None:
            continue
        key = (row["report_id"], row["metric"], row["dimension"], row["region_key"])
        entry = splits.setdefault(
            key,
            {
                "report_id": row["report_id"],
                "publisher": row["publisher_label"],
                "split": f"{metric_of(data, row)} by {data.label('dimensions', row['dimension']).lower()}",
                "region": data.region_name(row["region_key"]),
                "years": set(),
            },
        )
        entry["years"].add(row["figure_year"])
    rows = sorted(splits.values(), key=lambda s: (s["split"], s["publisher"], s["region"]))
    return [{**s, "years": _words([format_year(y) for y in sorted(s["years"])], "and")} for s in rows]
