"""The site's one number format, its CSV files and its dashboard links, and the checker the site
tests use (tests/site_checks.py) catching each thing an analyst must never see."""

from __future__ import annotations

import csv
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml

from marketwh.site.build import _environment
from marketwh.site.dashboard_link import SUPERSET_URL_ENV, read_dashboard, rison
from marketwh.site.data import SiteData
from marketwh.site.numbers import format_number, format_percent, format_year, full_number, number_html
from marketwh.site.pages import compared_rows, figure_groups, market_splits_stated, not_stated_line
from marketwh.site.tables import _Tables, add_csv_downloads
from tests.helpers import REPO
from tests.site_checks import NOT_STATED_COUNT, page_problems

pytestmark = pytest.mark.unit

BUILD = {"run_id": "r", "git_commit": "c", "built_at": "t", "site_built_at": "t"}


@pytest.mark.parametrize(
    ("value", "decimals", "shown"),
    [
        (939246.923077, 0, "939,247"),  # tonnage printed whole
        (2512345.0, -5, "2,500,000"),  # "2.5 million tons" served in tons
        (11.444226, 2, "11.44"),  # a derived value: its sources' one decimal, one more
        (14.7, 1, "14.7"),
        (2.5e6, None, "2,500,000"),  # never 2.5e+06
        (1.598e6, None, "1,598,000"),
        (1e-7, None, "0.0000001"),
        (0.125, 2, "0.13"),  # half up, as a person rounds
        (-0.01, 1, "0.0"),  # never -0.0
        (None, 1, "—"),
        (float("nan"), 1, "—"),
        (3, None, "3"),
    ],
)
def test_a_number_is_rounded_to_its_decimals_separated_and_never_scientific(value, decimals, shown):
    assert format_number(value, decimals) == shown


def test_a_figure_quoted_with_two_qualifiers_reads_as_its_first():
    template = _environment(SiteData(db=Path("unused"), build=BUILD, reports=[], estimates=[], compared=[], findings=[], cagr=[]))
    assert template.from_string("{{ q | qualifier }}").render(q="about;approximately") == "about"
    assert template.from_string("{{ q | qualifier }}").render(q="more_than") == "more than"


def test_a_missing_value_has_a_word_and_a_year_is_not_a_quantity():
    assert format_number(None, 1, missing="not reported") == "not reported"
    assert format_year(2027) == "2027" and format_year(2027.0) == "2027" and format_year(None) == "not stated"
    assert format_percent(67.560926) == "67.6" and format_percent(13.4, 1) == "13.4"


def test_a_cell_keeps_the_full_value_in_its_tooltip_and_for_the_csv():
    html = str(number_html(939246.923077, 0))
    assert 'data-value="939246.923077"' in html and 'title="as stored: 939,246.923077"' in html and ">939,247<" in html
    assert full_number(2.5e6) == "2,500,000" and "None" not in str(number_html(None, 1))


def test_every_table_gets_a_csv_file_with_full_values_linked_under_it(tmp_path):
    page = (
        "<h2>a</h2><table id='sizes'><thead><tr><th>year</th><th>value</th></tr></thead><tbody>"
        f"<tr><td>2024</td><td>{number_html(939246.923077, 0)}</td></tr></tbody></table>"
        "<table class='other'><tr><th>x</th></tr><tr><td>y <details><summary>quote</summary>said</details></td></tr></table>"
    )
    html = add_csv_downloads(page, tmp_path, "markets/m.html")
    assert html.count('<p class="csv-download"><a href="m.1-sizes.csv" download>') == 1 and 'href="m.2-other.csv"' in html
    with open(tmp_path / "markets" / "m.1-sizes.csv", encoding="utf-8") as file:
        assert list(csv.reader(file)) == [["year", "value"], ["2024", "939246.923077"]]
    assert (tmp_path / "markets" / "m.2-other.csv").read_text(encoding="utf-8") == "x\ny said\n"
    assert page_problems(html, "m.html", tmp_path / "markets") == []


def _parsed(page: str) -> list[dict]:
    """The tables of `page` as Python's HTMLParser reads them, with the site's handlers."""
    parser = _Tables(page)
    parser.feed(page)
    parser.close()
    return parser.tables


def test_the_sites_table_reader_reads_each_page_as_htmlparser_does():
    # as the templates write a page: double-quoted attributes, escaped text, numbers and dates in spans
    cell = f'<td class="num">{number_html(1234.5678, 1)}</td><td>AT&amp;T &lt;b&gt; &#34;q&#34;</td>'
    page = (
        '<p>before <a href="x.html">x</a></p>\n<table class="estimates wide" data-x="a&gt;b">\n'
        "<thead><tr><th>value</th><th>who</th></tr></thead>"
        f'<tbody><tr data-basis="reported">{cell}</tr>\n<tr><td><details><summary>quote</summary>said <br/>it</details></td>'
        '<td><table id="inner"><tr><td>in</td></tr></table> out</td></tr></tbody></table>\n<p>after</p>'
        '<table id="two"><tr><td><span class="date" data-value="2024-10">October 2024</span></td></tr></table>'
    )
    scanned = _Tables(page)
    assert scanned._scan() and scanned.tables == _parsed(page) and len(scanned.tables) == 3
    assert [t["name"] for t in scanned.tables] == ["inner", "estimates", "two"]
    assert scanned.tables[1]["rows"][1] == ["1234.5678", 'AT&T <b> "q"'] and scanned.tables[2]["rows"] == [["2024-10"]]
    assert all(page[t["end"] - len("</table>") : t["end"]] == "</table>" for t in scanned.tables)
    # what the scan does not read as HTMLParser would (a comment, a single-quoted attribute) is read by HTMLParser
    for other in (page.replace("<td>in</td>", "<td>in<!-- <td>x</td> --></td>"), page.replace('id="two"', "id='two'")):
        assert not _Tables(other)._scan() and _Tables(other).read() == _parsed(other)
    assert _Tables("<p>no table</p>").read() == []


def test_the_dashboard_link_sets_the_bundles_native_filter_on_the_market(monkeypatch):
    monkeypatch.setenv(SUPERSET_URL_ENV, "http://superset.example:9000/")
    bundle = yaml.safe_load(next((REPO / "serving" / "superset" / "dashboards").glob("*.yaml")).read_text(encoding="utf-8"))
    market_filter = next(
        f["id"] for f in bundle["metadata"]["native_filter_configuration"] if f["targets"][0]["column"]["name"] == "market_name"
    )
    link = unquote(read_dashboard(REPO).link(market_name="Anode materials", not_a_filtered_column="x"))
    assert link.startswith(f"http://superset.example:9000/superset/dashboard/{bundle['slug']}/?native_filters=(")
    assert f"{market_filter}:(id:{market_filter}," in link
    assert "extraFormData:(filters:!((col:market_name,op:IN,val:!('Anode materials'))))" in link and "not_a_filtered" not in link
    assert rison({"a": [True, None, "it's!"]}) == "(a:!(!t,!n,'it!'s!!'))"


def test_the_site_checker_catches_each_thing_an_analyst_must_never_see(tmp_path):
    table = "<table><thead><tr><th>{head}</th></tr></thead><tbody>{rows}</tbody></table>{link}"
    link = '<p class="csv-download"><a href="t.csv" download>csv</a></p>'
    (tmp_path / "t.csv").write_text("x\n", encoding="utf-8")
    row = '<tr data-basis="{basis}"><td class="num value">{value}</td></tr>'
    rows = row.format(basis="reported", value="14.7") + row.format(basis="derived", value="11.44")
    good = table.format(head="value", rows=rows, link=link)
    assert page_problems(good, "p", tmp_path) == []
    # a run id or hash in <code> is no number: "2c56-9e09" is not scientific notation
    assert page_problems(good + "<p>run <code>d1fe8562-9e09-400b</code></p>", "p", tmp_path) == []
    bad = {
        "scientific": good.replace("14.7", "2.5e+06"),
        "None": good.replace("14.7", "None"),
        "nan": good.replace("14.7", "nan"),
        "6 decimals": good.replace("11.44", "11.444226"),
        "snake_case": good.replace("<th>value</th>", "<th>usd_bn</th>"),
        "no CSV link": good.replace(link, ""),
        "CSV file missing": good.replace("t.csv", "gone.csv"),
        "not stated counted": good + '<p class="basis-counts"><span class="badge">not reported</span> 144</p>',
        "empty cells counted": good + "<p>144 listed segment-years have no number in the report and are not shown.</p>",
        "key in a derivation": good + '<span class="derivation">reported share (18 %) x reported total (415 usd_bn) / 100</span>',
    }
    for name, html in bad.items():
        assert page_problems(html, "p", tmp_path), name


def test_a_market_page_rounds_derived_values_and_says_kind_vintage_and_scope(tmp_path):
    estimate = {
        "market_key": "m", "metric": "market_value", "metric_name": "Market value", "dimension": "total", "segment_key": "total",
        "region_key": "global", "region_name": "Global", "figure_year": 2027, "unit_key": "usd_bn", "unit_name": "US$ billion",
        "report_id": "r1", "publisher_label": "QY Research", "date_published": None, "report_base_year": 2020, "qualifier": None,
        "estimate_vintage": "forecast", "basis": "derived", "value_kind": "derived", "value": 11.444226, "value_decimals": 2,
        "scope_quote": "Anode material for lithium-ion batteries.", "series_id": "qy_anode", "edition": "2020-2027",
        "date_published_printed": None, "edition_status": "current", "is_current_edition": True, "replaced_by": None,
    }  # fmt: skip
    reported = {**estimate, "report_id": "r2", "publisher_label": "24chem", "value": 14.7, "value_decimals": 1, "basis": "reported",
                "value_kind": "reported", "estimate_vintage": "actual", "scope_quote": None, "series_id": "chem_anode",
                "date_published_printed": "2025-07-01"}  # fmt: skip
    compared = {
        key: estimate[key] for key in ("market_key", "metric", "metric_name", "dimension", "segment_key", "region_key", "region_name",
                                       "figure_year", "unit_key")
    }  # fmt: skip
    compared.update(report_count=2, estimates="r1=11.444226 (derived, forecast); r2=14.7 (reported, actual)", forecast_count=1,
                    min_value=11.444226, max_value=14.7, value_decimals=1, relative_spread_pct=24.906542, reports_disagree=True,
                    comparison_status="compared", not_compared_reason=None, scopes_differ=True,
                    scopes="QY Research: Anode material for lithium-ion batteries. | 24chem: scope not stated")  # fmt: skip
    # a China split by type, stated for two years: listed with its region and years, never beside the global totals unsaid
    split = {**reported, "report_id": "r3", "publisher_label": "CNCIC", "metric": "share", "metric_name": "Share", "dimension": "type",
             "segment_key": "natural_graphite", "region_key": "china", "unit_key": "percent", "value": 14.0}  # fmt: skip
    splits = [{**split, "figure_year": year} for year in (2021, 2016)]
    data = SiteData(db=Path("unused"), build=BUILD, reports=[], estimates=[estimate, reported, *splits], compared=[compared], findings=[],
                    cagr=[], labels={"dimensions": {"type": "Type"}}, segment_names={("region", "china"): "China"})  # fmt: skip
    rows = compared_rows(data, "m")
    scopes = [("24chem", None), ("QY Research", estimate["scope_quote"])]
    chart = {"file": "c.svg", "title": "t", "rows": [reported, estimate], "charted": 2, "reports": 2, "scopes": scopes, "superseded": False}
    market = {"market_key": "m", "market_name": "M", "reports": []}
    stated = market_splits_stated(data, market)
    assert [(s["split"], s["publisher"], s["region"], s["years"]) for s in stated] == [("Share by type", "CNCIC", "China", "2016 and 2021")]
    html = (
        _environment(data)
        .get_template("market.html")
        .render(build=BUILD, up="../", market=market, consensus_sections=[], charts=[chart], compared=rows, splits=stated)
    )
    html = add_csv_downloads(html, tmp_path, "market.html")
    assert page_problems(html, "market.html", tmp_path) == []
    assert "11.44<" in html and "11.444226<" not in html and ">12.3<" not in html  # shown rounded, stored whole
    assert (
        "forecast against actual" in html
        and "scopes differ or are not stated" in html
        and "covers: “Anode material for lithium-ion batteries.”" in html
    )
    assert "24.9<" in html and "scope not stated in the document" in html


def test_a_report_page_says_what_is_not_stated_in_one_line_and_counts_no_empty_cell(tmp_path):
    def figure(dimension, segment, year, basis, value=None):
        return {"market_figure_id": f"{dimension}-{segment}-{year}", "metric": "market_value", "metric_name": "Market value",
                "dimension": dimension, "segment_key": segment, "region_key": "global", "figure_year": year,
                "period_start_year": None, "period_end_year": None, "basis": basis, "value": value, "value_decimals": 1,
                "unit_key": "usd_bn", "unit_name": "US$ billion", "qualifier": "", "is_forecast": False,
                "source_figure_ids": "f1", "derivation_text": None}  # fmt: skip

    figures = [figure("total", "total", 2021, "reported", 3.2), figure("total", "total", 2026, "reported", 14.1)]
    stated = {("natural", 2021): 40.0}
    figures += [
        figure("type", t, y, "reported" if (t, y) in stated else "not_reported", stated.get((t, y)))
        for t in ("natural", "artificial", "silicon")
        for y in (2021, 2026)
    ]
    figures += [figure("application", a, y, "not_reported") for a in ("ev", "storage") for y in (2021, 2026)]
    names = {"labels": {"dimensions": {"type": "Type", "application": "Application"}}, "segment_names": {("region", "global"): "Global"}}
    data = SiteData(db=Path("unused"), build=BUILD, reports=[], estimates=[], compared=[], findings=[], cagr=[], **names)
    groups, missing = figure_groups(data, figures)
    line = not_stated_line(missing)
    assert line == "No market value by application stated. Market value by type is stated in 2021 only for natural; for no other year."
    assert [len(g["rows"]) for g in groups] == [2, 1]  # only what is stated is listed
    assert not NOT_STATED_COUNT.search(line)
