"""The site names units, segments, regions, metrics, dimensions and quantities as the build's seeds do
(seeds.units, seeds.segments, seeds.metrics, seeds.dimensions, seeds.quantities), never from a label map
of its own: a unit, segment or dimension added as seed rows is named on the site; a period the mart
leaves empty is printed as not stated, never as "None–None"."""

from __future__ import annotations

from pathlib import Path

import pytest

from marketwh.site.build import _environment, year_span
from marketwh.site.data import SiteData

pytestmark = pytest.mark.unit

BUILD = {"run_id": "r", "git_commit": "c", "built_at": "t", "site_built_at": "t"}


def site_data(**names) -> SiteData:
    return SiteData(db=Path("unused.duckdb"), build=BUILD, reports=[], estimates=[], compared=[], findings=[], cagr=[], **names)


def test_market_page_names_units_segments_and_regions_from_the_seeds():
    data = site_data(
        unit_names={"gwh": "gigawatt-hours"},
        segment_names={("type", "solid_state"): "Solid-state cells", ("country", "cn"): "China"},
        labels={"metrics": {"capacity": "Cell capacity"}, "dimensions": {"type": "Cell type"}},
    )
    compared = {
        "metric": "capacity",
        "dimension": "type",
        "segment_key": "solid_state",
        "region_key": "cn",
        "figure_year": 2030,
        "unit_key": "gwh",
        "report_count": 2,
        "estimates": "",
        "relative_spread_pct": None,
        "comparison_status": "compared",
        "not_compared_reason": None,
        "reports_disagree": False,
        "min_value": None,
        "max_value": None,
        "forecast_count": 0,
        "compared": [],
        "not_compared": [],
        "mixes_vintages": False,
    }
    market = {"market_key": "m", "market_name": "M", "reports": []}
    html = (
        _environment(data)
        .get_template("market.html")
        .render(build=BUILD, up="../", market=market, consensus_sections=[], charts=[], compared=[compared], splits=[])
    )
    assert "<td>gigawatt-hours</td>" in html and "<td>Cell type: Solid-state cells</td>" in html and "<td>China</td>" in html
    assert "<td>Cell capacity</td>" in html


def test_a_key_the_seeds_do_not_name_is_shown_as_it_is():
    data = site_data(segment_names={("region", "europe"): "Europe"})
    assert data.region_name("europe") == "Europe"
    assert data.region_name("atlantis") == "atlantis"
    assert data.segment_name("type", "europe") == "europe"  # names are per dimension


def test_a_cagr_without_a_stated_period_is_not_printed_as_none():
    data = site_data(labels={"metrics": {"market_value": "Market value"}}, segment_names={("region", "global"): "Global"})
    row = {
        "report_id": "r1",
        "metric_series": "market",
        "stated_metric": "cagr",
        "value_metric": "market_value",
        "dimension": "total",
        "segment_key": "total",
        "region_key": "global",
        "stated_cagr_pct": 18.9,
        "stated_period_start_year": None,
        "stated_period_end_year": None,
        "implied_cagr_pct": None,
        "value_start_year": None,
        "value_end_year": None,
        "implied_basis": None,
        "difference_pp": None,
        "agrees_within_tolerance": None,
        "span_note": None,
    }
    html = _environment(data).get_template("findings.html").render(build=BUILD, up="", findings=[], audits=[], cagr=[row])
    assert "None" not in html and "not stated" in html
    assert year_span(2024, 2032) == "2024–2032" and year_span(None, None) == "not stated"
