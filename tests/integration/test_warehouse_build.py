"""dbt builds the warehouse (seeds, staging, intermediate, marts, data tests, unit tests) and the
marts hold what the report says: reported figures as reported, derived years as derived, stated and
implied CAGR side by side, unstated splits as not_reported rows, and comments on every column."""

from __future__ import annotations

import re

import pytest

from marketwh.curation.documents import normalize_text, read_report_document
from tests.helpers import FIXTURE, read_csv, report_text_numbers

EXPECTED_MARTS = {
    "market_figures",
    "market_size_by_year",
    "market_splits",
    "cited_estimates",
    "market_by_type_year",
    "market_by_region_year",
    "market_by_application_year",
    "market_by_end_use_year",
    "cagr_check",
    "reports",
    "report_companies",
    "figure_sources",
    "claim_sources",
    "market_estimates_compared",
    "market_by_type_region_year",
    "report_edition_changes",
    "market_estimates_by_report",
    "market_consensus",
    "market_consensus_estimates",
    "market_consensus_excluded",
    "market_consensus_history",
    # every table of the warehouse is a dbt model: the findings, the audit results and the build stamp too
    "report_findings",
    "audit_results",
    "warehouse_build",
}


def rows(con, sql, *params):
    return con.execute(sql, list(params)).fetchall()


def test_headline_values_are_reported_and_years_between_are_derived(warehouse):
    text = report_text_numbers()
    series = rows(
        warehouse,
        """
        select market_year, value, basis, unit_key, derivation from marts.market_size_by_year
        where report_id = 'chem24_anode_2025' order by market_year""",
    )
    assert [r[0] for r in series] == list(range(text["start_year"], text["end_year"] + 1))
    first, *middle, last = series
    assert first[1:4] == (text["start_value"], "reported", "usd_bn")
    assert last[1:4] == (text["end_value"], "reported", "usd_bn")
    growth = (text["end_value"] / text["start_value"]) ** (1 / (text["end_year"] - text["start_year"]))
    for offset, (_year, value, basis, _unit, derivation) in enumerate(middle, start=1):
        assert basis == "derived" and "geometric interpolation" in derivation
        assert value == pytest.approx(text["start_value"] * growth**offset)


def test_years_have_dates_and_reports_a_short_publisher_label(warehouse):
    # a time-series chart needs a date column: 1 January of each year, in every mart with a year
    for mart, year, date in (("market_size_by_year", "market_year", "market_date"), ("market_figures", "figure_year", "figure_date")):
        assert rows(warehouse, f"select count(*) from marts.{mart} where {date} is distinct from make_date({year}, 1, 1)") == [(0,)]
        assert rows(warehouse, f"select count(*) from marts.{mart} where {date} is not null")[0][0] > 0
    labels = {r["report_id"]: r["publisher_label"] for r in read_csv(FIXTURE / "seeds" / "reports.csv")}
    assert dict(rows(warehouse, "select report_id, publisher_label from marts.reports")) == labels
    assert rows(warehouse, "select distinct publisher_label from marts.market_size_by_year where report_id = 'chem24_anode_2025'") == [
        (labels["chem24_anode_2025"],)
    ]


def test_market_size_is_long_by_quantity_with_the_market_named(warehouse):
    # CNCIC sizes China's anode market in tons ("... to 720 000 tons in 2021."), 24chem in US$ bn: one
    # value column, each row saying its quantity and unit, so a chart filters on one and never adds the two
    text = (FIXTURE / "reports" / "china-anode-shipments-cncic-2022.md").read_text(encoding="utf-8")
    tons, year = re.search(r"Shipments rose \d+% YoY to ([\d ]+) tons in (\d{4})\.", text).groups()
    volume = rows(
        warehouse,
        """
        select value, quantity, quantity_name, unit_key, unit_name, basis from marts.market_size_by_year
        where report_id = 'cncic_china_anode_2022' and market_year = ?""",
        int(year),
    )
    quantities = {r["quantity"]: r["display_name"] for r in read_csv(FIXTURE / "seeds" / "quantities.csv")}
    units = {r["unit_key"]: r["display_name"] for r in read_csv(FIXTURE / "seeds" / "units.csv")}
    assert volume == [(float(tons.replace(" ", "")), "mass", quantities["mass"], "tons", units["tons"], "reported")]
    assert rows(warehouse, "select distinct unit_key from marts.market_size_by_year where quantity = 'money'") == [("usd_bn",)]
    markets = {r["market_key"]: r["display_name"] for r in read_csv(FIXTURE / "seeds" / "markets.csv")}
    market_of = {r["report_id"]: r["market"] for r in read_csv(FIXTURE / "seeds" / "reports.csv")}
    for mart in ("market_size_by_year", "market_splits", "market_figures", "figure_sources", "cagr_check", "market_by_type_year"):
        served = set(rows(warehouse, f"select distinct report_id, market_key, market_name from marts.{mart}"))
        assert served and served == {(r, market_of[r], markets[market_of[r]]) for r, _, _ in served}, mart


def test_compared_estimates_show_their_vintage(warehouse):
    # 24chem states 2024 as an actual (base year 2024); QY's 2024 value lies after its base year: a
    # forecast. Set side by side, each says which it is, in the long form and in the wide summary.
    text = report_text_numbers()
    base_years = {r["report_id"]: int(r["base_year"]) for r in read_csv(FIXTURE / "seeds" / "reports.csv")}
    year = text["start_year"]
    estimates = rows(
        warehouse,
        """
        select report_id, value, basis, estimate_vintage, report_base_year from marts.market_estimates_by_report
        where metric = 'market_value' and dimension = 'total' and region_key = 'global' and figure_year = ?
        order by report_id""",
        year,
    )
    assert estimates == [
        ("chem24_anode_2025", text["start_value"], "reported", "actual", base_years["chem24_anode_2025"]),
        ("qy_battery_anode_2021", pytest.approx(estimates[1][1]), "derived", "forecast", base_years["qy_battery_anode_2021"]),
    ]
    assert base_years["qy_battery_anode_2021"] < year <= base_years["chem24_anode_2025"]
    ((count, forecasts, summary),) = rows(
        warehouse,
        """
        select report_count, forecast_count, estimates from marts.market_estimates_compared
        where metric = 'market_value' and dimension = 'total' and region_key = 'global' and figure_year = ?""",
        year,
    )
    assert (count, forecasts) == (2, 1)
    assert f"chem24_anode_2025={text['start_value']:g} (reported, actual)" in summary
    assert "qy_battery_anode_2021=" in summary and "(derived, forecast)" in summary


def test_stated_and_implied_cagr_stand_side_by_side_with_their_spans(warehouse):
    text = report_text_numbers()
    (row,) = rows(
        warehouse,
        """
        select stated_cagr_pct, stated_period_start_year, stated_period_end_year, stated_compounding_years,
               value_start_year, value_end_year, value_compounding_years, implied_cagr_pct,
               implied_cagr_over_stated_period_pct, agrees_within_tolerance, span_note
        from marts.cagr_check where report_id = 'chem24_anode_2025'""",
    )
    ratio = text["end_value"] / text["start_value"]
    value_years = text["end_year"] - text["start_year"]
    stated_years = text["cagr_end"] - text["cagr_start"]
    assert row[:7] == (
        text["cagr"],
        text["cagr_start"],
        text["cagr_end"],
        stated_years,
        text["start_year"],
        text["end_year"],
        value_years,
    )
    assert value_years == 8 and stated_years == 7
    assert row[7] == pytest.approx((ratio ** (1 / value_years) - 1) * 100)  # about 13.3 %
    assert row[8] == pytest.approx((ratio ** (1 / stated_years) - 1) * 100)  # about 15.4 %
    assert row[9] is True
    # the report gives no value at the stated start (2025): the nearest reported span is used, and said
    assert f"no value at {text['cagr_start']}" in row[10] and f"nearest reported span {text['start_year']}->{text['end_year']}" in row[10]
    assert "8 compounding years" in row[10]


@pytest.mark.parametrize(
    "mart, dimension, segment_count",
    [
        ("market_by_type_year", "type", 5),
        ("market_by_region_year", "region", 5),
        ("market_by_application_year", "application", 2),
        ("market_by_end_use_year", "end_use", 4),
    ],
)
def test_unstated_splits_exist_as_not_reported_rows_without_values(warehouse, mart, dimension, segment_count):
    listed = [
        c
        for c in read_csv(FIXTURE / "seeds" / "report_claims.csv")
        if c["claim_type"] == "segment_listed" and c["dimension"] == dimension and c["report_id"] == "chem24_anode_2025"
    ]
    assert len(listed) == segment_count
    found = rows(
        warehouse,
        f"""
        select segment_key, count(*), count(share_pct), count(segment_value), min(share_basis), max(share_basis)
        from marts.{mart} where report_id = 'chem24_anode_2025' group by segment_key""",
    )
    assert {r[0] for r in found} == {c["segment"] for c in listed}
    years = report_text_numbers()["end_year"] - report_text_numbers()["start_year"] + 1
    for segment, count, shares, values, low, high in found:
        assert (count, shares, values, low, high) == (years, 0, 0, "not_reported", "not_reported"), segment


def test_regions_show_the_countries_the_report_names(warehouse):
    named = dict(rows(warehouse, """select distinct segment_key, named_countries from marts.market_by_region_year"""))
    assert named["asia_pacific"] == "China, Japan, South Korea"
    assert named["middle_east_africa"] is None


def test_nine_key_companies_with_their_quote(warehouse):
    companies = rows(warehouse, "select company_name, quote from marts.report_companies where report_id = 'chem24_anode_2025'")
    quote = companies[0][1]
    assert len(companies) == 9
    for name, company_quote in companies:
        assert company_quote == quote and name in quote


def test_marts_schema_holds_only_marts_and_every_column_has_a_comment(warehouse):
    tables = {r[0] for r in rows(warehouse, "select table_name from duckdb_tables() where schema_name = 'marts'")}
    assert tables == EXPECTED_MARTS
    assert not rows(warehouse, "select view_name from duckdb_views() where schema_name = 'marts'")
    assert rows(warehouse, "select count(*) from duckdb_views() where schema_name = 'staging'")[0][0] >= 6
    # intermediate models are tables (each feeds several marts), and no view reads a file: what the
    # file serves is what its build audited, not the working tree's CSV at query time
    assert rows(warehouse, "select count(*) from duckdb_tables() where schema_name = 'intermediate'")[0][0] >= 5
    assert rows(warehouse, "select view_name from duckdb_views() where not internal and sql ilike '%read_csv%'") == []
    uncommented = rows(
        warehouse,
        """
        select table_name, column_name from duckdb_columns()
        where schema_name = 'marts' and (comment is null or comment = '')""",
    )
    assert uncommented == []
    assert not rows(warehouse, "select table_name from duckdb_tables() where schema_name = 'marts' and (comment is null or comment = '')")


def test_no_number_is_invented_for_unstated_figures(warehouse):
    # every value in the fact table is reported, or derived/estimated with a derivation and sources
    offenders = rows(
        warehouse,
        """
        select market_figure_id from marts.market_figures
        where (basis = 'not_reported' and value is not null)
           or (basis in ('derived', 'estimated') and (derivation is null or source_figure_ids is null))
           or (basis = 'reported' and source_figure_ids is null)""",
    )
    assert offenders == []
    # only money and volume totals are additive: a BI tool must never sum shares or rates
    assert rows(warehouse, "select count(*) from marts.market_figures where is_additive and unit_key = 'percent'") == [(0,)]


def test_restated_headline_figures_keep_both_sources(warehouse):
    sources = dict(
        rows(
            warehouse,
            """
        select figure_year, source_figure_ids from marts.market_figures
        where report_id = 'chem24_anode_2025' and metric = 'market_value' and basis = 'reported'""",
        )
    )
    assert all(len(ids.split(",")) == 2 for ids in sources.values())  # Introduction and FAQ both state them


def test_each_reported_value_joins_one_primary_quote(warehouse):
    # a value stated twice (Introduction and FAQ) has two quotes; joined on market_figure_id with
    # is_primary_quote it appears once, so a sum over the join does not double-count
    join = """
        select f.market_figure_id, f.value, s.quote from marts.market_figures f
        join marts.figure_sources s on s.market_figure_id = f.market_figure_id and s.is_primary_quote
        where f.basis = 'reported'"""
    joined = rows(warehouse, join)
    reported = rows(warehouse, "select market_figure_id, value from marts.market_figures where basis = 'reported'")
    assert sorted((r[0], r[1]) for r in joined) == sorted(reported)
    text = report_text_numbers()
    ((statements, primaries),) = rows(
        warehouse,
        """
        select count(*), count(*) filter (where is_primary_quote) from marts.figure_sources
        where report_id = 'chem24_anode_2025' and metric = 'market_value' and figure_year = ? and dimension = 'total'""",
        text["start_year"],
    )
    assert (statements, primaries) == (2, 1)


def test_served_file_is_readable_by_duckdb_1x(warehouse):
    path = warehouse.execute("select path from duckdb_databases() where database_name = 'warehouse'").fetchall()[0][0]
    with open(path, "rb") as handle:
        header = handle.read(20)
    assert header[8:12] == b"DUCK"
    assert int.from_bytes(header[12:20], "little") == 64  # storage format readable by DuckDB 0.10 - 1.x


def test_every_served_quote_is_the_plain_text_that_matched_its_stored_document(warehouse):
    """What a BI tool renders is the sentence as the document reads it: no markup, one line, and
    found verbatim in the stored document's text (markup removed, whitespace collapsed)."""
    quotes = rows(
        warehouse,
        "select r.document_path, s.quote from marts.figure_sources s join marts.reports r using (report_id) "
        "union all select r.document_path, c.quote from marts.claim_sources c join marts.reports r using (report_id)",
    )
    assert len(quotes) > 50
    documents = {path: read_report_document(FIXTURE / path).text for path in {path for path, _ in quotes}}  # the build's data
    for path, quote in quotes:
        assert quote == normalize_text(quote) and "<" not in quote, quote
        assert quote in documents[path], (path, quote)
