"""The site shows a report series' editions as an analyst following revised forecasts expects (issue 28):
a publication date at the precision the report printed it ("October 2024", never "not stated" for a
month); each edition named in a chart's legend by its label and printed date, never two identical
entries; a superseded edition drawn faded, its rows marked and linked to what the next edition
changed, and never compared with other publishers. Pages rendered from fixture rows written here."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from marketwh.site.build import _environment
from marketwh.site.charts import series_chart
from marketwh.site.data import SiteData
from marketwh.site.numbers import format_published
from marketwh.site.pages import compared_rows, legend_labels
from marketwh.site.tables import add_csv_downloads

pytestmark = pytest.mark.unit

BUILD = {"run_id": "r", "git_commit": "c", "built_at": "t", "site_built_at": "t"}


def report(report_id, printed, status, replaced_by=None, **more):
    return {
        "report_id": report_id, "series_id": "anode_outlook", "edition": "2024-2032", "publisher_label": "Example Anode",
        "report_title": "Global Anode Market Outlook 2024-2032", "date_published_printed": printed, "edition_status": status,
        "edition_number": 1 if status == "superseded" else 2, "superseded_by_report_id": replaced_by, "base_year": 2023,
        "market_key": "anode", "market_name": "Anode materials", **more,
    }  # fmt: skip


SPRING = report("spring", "2024-03", "superseded", "autumn")
AUTUMN = report("autumn", "2024-10", "current")


def estimate(edition, year, value, **more):
    return {
        **edition, "market_key": "anode", "metric": "market_value", "metric_name": "Market value", "dimension": "total",
        "segment_key": "total", "region_key": "global", "region_name": "Global", "figure_year": year, "unit_key": "usd_bn",
        "unit_name": "US$ billion", "value": value, "value_decimals": 2, "basis": "reported", "value_kind": "reported",
        "is_forecast": True, "estimate_vintage": "forecast", "report_base_year": 2023, "qualifier": None, "scope_quote": None,
        "is_current_edition": edition["edition_status"] == "current", **more,
    }  # fmt: skip


def site_data(reports, estimates=(), compared=()) -> SiteData:
    return SiteData(
        db=Path("unused"), build=BUILD, reports=list(reports), estimates=list(estimates), compared=list(compared), findings=[], cagr=[]
    )


def test_a_publication_date_prints_at_the_precision_the_report_printed_it():
    assert format_published("2024-10") == "October 2024"
    assert format_published("2024-03-05") == "5 March 2024"
    assert format_published("2024") == "2024"
    assert format_published(None) == "not stated" and format_published("") == "not stated"


def test_two_editions_with_one_label_get_two_legend_entries_naming_date_and_successor():
    data = site_data([SPRING, AUTUMN])
    assert legend_labels(data, [SPRING, AUTUMN]) == [
        "Example Anode, 2024-2032 edition, March 2024 (superseded by the October 2024 edition)",
        "Example Anode, 2024-2032 edition, October 2024",
    ]
    # one publisher's two reports of one market, the same label and date: told apart by their titles
    other = {**AUTUMN, "report_id": "silicon", "series_id": "silicon_outlook", "report_title": "Silicon Anode Outlook"}
    labels = legend_labels(data, [AUTUMN, other])
    assert len(set(labels)) == 2 and labels[1].endswith(": Silicon Anode Outlook")
    # and where even the titles repeat, still never twice the same entry
    assert len(set(legend_labels(data, [AUTUMN, {**AUTUMN, "report_id": "again"}]))) == 2


def test_a_superseded_edition_is_drawn_faded_and_the_current_one_not(tmp_path):
    rows = {name: [estimate(edition, 2024, low), estimate(edition, 2032, high)] for name, edition, low, high in
            (("spring", SPRING, 26.88, 134.02), ("autumn", AUTUMN, 13.90, 55.52))}  # fmt: skip
    svg = series_chart(tmp_path / "c.svg", "t", "US$ billion", [("old", rows["spring"]), ("new", rows["autumn"])]).read_text()

    def stroke(report_id):
        group = re.search(rf'<g id="edition-{report_id}-forecast">\s*<path [^>]*style="([^"]+)"', svg)
        return group[1]

    assert "stroke-opacity: 0.4" in stroke("spring")
    assert "stroke-opacity" not in stroke("autumn")
    assert "faded: a superseded edition" in svg


def test_the_market_page_marks_a_superseded_edition_links_its_changes_and_compares_only_the_current(tmp_path):
    spring, autumn = estimate(SPRING, 2032, 134.02), estimate(AUTUMN, 2032, 55.52)
    compared = {
        **{key: autumn[key] for key in ("market_key", "metric", "dimension", "segment_key", "region_key", "figure_year", "unit_key")},
        "report_count": 1, "min_value": 55.52, "max_value": 55.52, "value_decimals": 2, "relative_spread_pct": None,
        "reports_disagree": False, "forecast_count": 1, "not_compared_reason": None,
    }  # fmt: skip
    data = site_data([SPRING, AUTUMN], [spring, autumn], [compared])
    rows = compared_rows(data, "anode")
    assert [e["report_id"] for e in rows[0]["compared"]] == ["autumn"]  # the series speaks with its newest edition
    chart = {
        "file": "c.svg", "title": "t", "charted": 2, "reports": 2, "scopes": [], "superseded": True,
        "rows": [{**spring, "replaced_by": AUTUMN}, {**autumn, "replaced_by": None}],
    }  # fmt: skip
    market = {"market_key": "anode", "market_name": "Anode materials", "reports": [SPRING, AUTUMN]}
    html = (
        _environment(data)
        .get_template("market.html")
        .render(build=BUILD, up="../", market=market, consensus_sections=[], charts=[chart], compared=rows, splits=[])
    )
    html = add_csv_downloads(html, tmp_path, "markets/anode.html")
    superseded = re.search(r'<tr class="superseded" data-report-id="spring".*?</tr>', html, re.S)[0]
    assert 'href="../reports/spring.html#edition-changes"' in superseded and "superseded by the" in superseded
    assert 'href="../reports/autumn.html">October 2024 edition</a>' in superseded
    current = re.search(r'<tr class="" data-report-id="autumn".*?</tr>', html, re.S)[0]
    assert "#edition-changes" not in current and '<td class="edition-status">yes</td>' in current
    assert ">March 2024<" in superseded and ">October 2024<" in current and "not stated" not in superseded + current
    assert "faded lines are superseded editions" in html
    # the CSV keeps the date as printed, which sorts
    table = (tmp_path / "markets" / "anode.1-estimates.csv").read_text(encoding="utf-8").splitlines()
    assert table[0].startswith("publisher,series,edition,published,current edition?") and ",2024-03," in table[1]


def test_the_report_page_lists_what_the_next_edition_changed_older_to_newer(tmp_path):
    def change(metric, year, older, newer, status, start=None, end=None):
        return {
            "older_report_id": "spring", "newer_report_id": "autumn", "metric": metric, "dimension": "total", "segment_key": "total",
            "region_key": "global", "figure_year": year, "period_start_year": start, "period_end_year": end,
            "unit_key": "percent" if metric == "cagr" else "usd_bn", "older_value": older, "newer_value": newer,
            "value_change": None if newer is None else newer - older, "value_change_pct": None, "change_status": status,
            "older_decimals": 1 if metric == "cagr" else 2, "newer_decimals": None if newer is None else 2,
        }  # fmt: skip

    changes = [change("cagr", None, 22.1, None, "not restated", 2024, 2032), change("market_value", 2024, 26.88, 13.90, "changed")]
    data = site_data([SPRING, AUTUMN])
    page = {**SPRING, "report_title": "t", "publisher": "p", "report_url": "", "date_accessed": "2026-12-06", "geography": "global",
            "history_start_year": 2023, "forecast_start_year": 2024, "forecast_end_year": 2032, "report_status": "active",
            "report_status_reason": None, "document_path": "reports/x.md", "document_sha256": "0", "attribution": "a",
            "terms_of_use": "", "licence": "none-stated", "reuse_permitted": False, "date_published_precision": "month"}  # fmt: skip
    html = (
        _environment(data)
        .get_template("report.html")
        .render(build=BUILD, up="../", report=page, groups=[], not_stated="", quotes={}, estimated_cells=[], claims=[], cited=[],
                findings=[], basis_counts=Counter(), editions=[SPRING, AUTUMN], changes_to_next=changes, changes_from_previous=[])
    )  # fmt: skip
    section = html[html.index('id="edition-changes"') :]
    cagr = re.search(r'<tr data-change-status="not restated" data-metric="cagr".*?</tr>', section, re.S)[0]
    assert ">22.1<" in cagr and "not restated</span>" in cagr
    value = re.search(r'<tr data-change-status="changed" data-metric="market_value" data-year="2024".*?</tr>', section, re.S)[0]
    assert value.index(">26.88<") < value.index(">13.90<")  # older, then newer
    assert "superseded by the October 2024 edition" in html and "March 2024" in html
