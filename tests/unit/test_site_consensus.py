"""A market page opens with the consensus of its publishers (issue 27): a chart per metric, geography and
unit with the band from the lowest to the highest counted estimate, the median line and each counted
estimate as a point (reported filled, derived hollow, named by its edition's report_label), its table by
year printed as the site prints numbers, what was left out and why, and how it moved. The chart is read
back from its SVG (tests/site_checks.consensus_geometry); every row is written here."""

from __future__ import annotations

import re
import statistics
from pathlib import Path

import pytest

from marketwh.site.build import _environment
from marketwh.site.consensus import CONSENSUS_CHARTS, consensus_keys, consensus_sections
from marketwh.site.data import SiteData
from marketwh.site.tables import add_csv_downloads
from tests.site_checks import consensus_geometry, page_problems, svg_problems

pytestmark = pytest.mark.unit

BUILD = {"run_id": "r", "git_commit": "c", "built_at": "t", "site_built_at": "t"}
KEY = {
    "market_key": "sep",
    "metric": "market_value",
    "dimension": "total",
    "segment_key": "total",
    "region_key": "global",
    "unit_key": "usd_bn",
}
LABELS = {"alpha": "Alpha · 2024-2030", "beta": "Beta · 2024-2030 · published 2024-10", "gamma": "Gamma · 2024-2030"}
# (report_id, year) -> (value, kind): gamma's 2024 is the acknowledged 3281.25, never counted
ESTIMATES = {
    ("alpha", 2024): (3.10, "reported"), ("beta", 2024): (3.25, "derived"), ("gamma", 2024): (3281.25, "reported"),
    ("alpha", 2030): (7.40, "reported"), ("beta", 2030): (6.90, "reported"), ("gamma", 2030): (7100.0, "reported"),
}  # fmt: skip
COUNTED = {2024: ["alpha", "beta"], 2030: ["alpha", "beta", "gamma"]}


def estimate(report_id, year, **more):
    value, kind = ESTIMATES[(report_id, year)]
    return {
        **KEY, "figure_year": year, "report_id": report_id, "report_label": LABELS[report_id], "publisher_label": report_id.title(),
        "value": value, "value_kind": kind, "basis": kind, "value_decimals": 2, "is_current_edition": True, **more,
    }  # fmt: skip


def consensus(year, **more):
    values = {rid: ESTIMATES[(rid, year)][0] for rid in COUNTED[year]}
    low, high = min(values, key=values.get), max(values, key=values.get)
    mean = statistics.mean(values.values())
    return {
        **KEY, "figure_year": year, "metric_name": "Market value", "region_name": "Global", "unit_name": "US$ billion",
        "publisher_count": len(values), "reported_count": sum(ESTIMATES[(r, year)][1] == "reported" for r in values),
        "derived_count": sum(ESTIMATES[(r, year)][1] == "derived" for r in values), "forecast_count": 1 if year == 2030 else 0,
        "median_value": statistics.median(values.values()), "mean_value": mean, "low_value": values[low], "high_value": values[high],
        "low_held_by": f"{low.title()} ({low})", "high_held_by": f"{high.title()} ({high})",
        "coefficient_of_variation_pct": statistics.stdev(values.values()) / mean * 100, "report_ids": ",".join(sorted(values)),
        "outlier_report_ids": "gamma" if year == 2030 else None, "value_decimals": 2, **more,
    }  # fmt: skip


EXCLUDED = {
    **KEY, "figure_year": 2024, "report_id": "gamma", "publisher_label": "Gamma", "exclusion": "excluded", "value": 3281.25,
    "reason": "excluded: acknowledged as the publisher's error", "finding_key": "outlier_vs_consensus:gamma:k",
}  # fmt: skip
TWO_VALUES = {
    **EXCLUDED, "report_id": "delta", "publisher_label": "Delta", "value": None, "finding_key": "one_value_per_figure:delta:d1/d2",
    "reason": "excluded: the document prints two values for this figure (3.28 and 3281.25): the warehouse serves neither",
}  # fmt: skip
HISTORY = [
    {**KEY, "figure_year": 2030, "as_of_date": "2024-05-14", "moved_by_report_ids": "alpha", "publisher_count": 1,
     "previous_publisher_count": None, "median_value": 7.40, "median_change": None, "median_change_pct": None, "value_decimals": 2},
    {**KEY, "figure_year": 2030, "as_of_date": "2024-10-31", "moved_by_report_ids": "beta", "publisher_count": 2,
     "previous_publisher_count": 1, "median_value": 7.15, "median_change": -0.25, "median_change_pct": -3.378, "value_decimals": 2},
]  # fmt: skip


def site_data(**more) -> SiteData:
    rows = [estimate(rid, year) for rid, year in ESTIMATES]
    counted = [estimate(rid, year) for year in (2024, 2030) for rid in COUNTED[year]]  # market_consensus_estimates
    return SiteData(db=Path("unused"), build=BUILD, reports=[], estimates=rows, compared=[], findings=[], cagr=[],
                    consensus=[consensus(2024), consensus(2030)], consensus_estimates=counted, consensus_excluded=[EXCLUDED, TWO_VALUES],
                    consensus_history=HISTORY, labels={"quantities": {"usd_bn": "Money"}}, **more)  # fmt: skip


MARKET = {"market_key": "sep", "market_name": "Example separators", "reports": []}


def test_the_chart_draws_the_band_from_low_to_high_the_median_and_each_counted_estimate(tmp_path):
    (section,) = consensus_sections(site_data(), MARKET, tmp_path)
    svg = (tmp_path / section["file"]).read_text()
    drawn = consensus_geometry(svg)
    for year in (2024, 2030):
        row = consensus(year)
        band = sorted(value for x, value in drawn["band"] if x == year)
        assert (band[0], band[-1]) == (pytest.approx(row["low_value"], rel=1e-3), pytest.approx(row["high_value"], rel=1e-3)), year
        assert [value for x, value in drawn["median"] if x == year] == [pytest.approx(row["median_value"], rel=1e-3)]
    # gamma's acknowledged 3281.25 is neither in the band nor a point; its open 7100 is both
    assert not any(abs(value - 3281.25) < 50 for _, value in drawn["band"])
    assert [(x, round(v)) for x, v, _ in drawn["points"]["consensus-points-gamma-reported"]] == [(2030, 7100)]
    # reported filled, derived hollow, each edition's points its own group
    near = lambda value: pytest.approx(value, rel=1e-3)  # noqa: E731
    assert drawn["points"]["consensus-points-alpha-reported"] == [(2024, near(3.10), True), (2030, near(7.40), True)]
    assert drawn["points"]["consensus-points-beta-derived"] == [(2024, near(3.25), False)]
    # the legend names each edition by its report_label
    assert all(f">{label}</text>" in svg.replace("&#183;", "·") for label in LABELS.values())
    assert svg_problems(svg, section["file"]) == []


def test_the_table_prints_median_low_high_with_who_holds_them_and_flags_outliers(tmp_path):
    data = site_data()
    sections = consensus_sections(data, MARKET, tmp_path / "charts")
    html = (
        _environment(data)
        .get_template("market.html")
        .render(build=BUILD, up="../", market=MARKET, consensus_sections=sections, charts=[], compared=[], splits=[])
    )
    html = add_csv_downloads(html, tmp_path, "markets/sep.html")
    assert page_problems(html, "markets/sep.html", tmp_path / "markets") == []
    assert html.index('id="consensus"') < html.index("Each publisher's estimates")  # the page opens with it
    table = re.search(r'<table class="consensus".*?</table>', html, re.S)[0]
    row = re.search(r'<tr data-year="2030">.*?</tr>', table, re.S)[0]
    cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    # year, publishers, median, low, held by, high, held by, CV %, forecasts, outliers, unit; to the value's 2 decimals
    assert cells == [
        "2030",
        "3",
        "7.40",
        "6.90",
        "Beta (beta)",
        "7,100.00",
        "Gamma (gamma)",
        f"{consensus(2030)['coefficient_of_variation_pct']:.1f}",
        "1",
        LABELS["gamma"],
        "US$ billion",
    ]
    first = re.search(r'<tr data-year="2024">.*?</tr>', table, re.S)[0]
    assert ">3.18<" in first and "(1 derived)" in first and "3,281.25" not in first
    excluded = re.search(r'<table class="consensus-excluded".*?</table>', html, re.S)[0]
    assert "acknowledged as the publisher&#39;s error" in excluded and "prints two values for this figure (3.28 and 3281.25)" in excluded
    history = re.search(r'<table class="consensus-history".*?</table>', html, re.S)[0]
    assert "first estimate" in history and ">-0.25<" in history and "1 → 2" in history and LABELS["beta"] in history
    csv = (tmp_path / "markets" / "sep.1-consensus.csv").read_text(encoding="utf-8").splitlines()
    assert csv[0].startswith("year,publishers,median,low,held by,high,held by,CV %")


def test_global_totals_of_two_publishers_or_more_are_charted_first_and_at_most_a_few():
    one = consensus(2024, region_key="china", publisher_count=1)  # one publisher: no consensus to chart
    europe = [consensus(2030, region_key="europe", unit_key=f"u{n}") for n in range(CONSENSUS_CHARTS + 2)]
    split = consensus(2030, dimension="type", segment_key="wet")  # a split keeps its own section
    data = site_data()
    data.consensus += [one, split, *europe]
    keys = [key for key, _ in consensus_keys(data, "sep")]
    assert len(keys) == CONSENSUS_CHARTS and keys[0][3] == "global"
    assert all(key[3] != "china" and key[1] == "total" for key in keys)
