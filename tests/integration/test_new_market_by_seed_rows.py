"""A report of a new market (lithium) with a new unit (LCE kilotons), a new count (EV sales in million
units), a new metric of another subject, a new segment taxonomy (whose "Battery" application is not the
anode market's "Battery"), a stated decline and a new claim type: added by seed
rows and a stored document only, no code. Beside it, a market sized in GWh (a quantity the anode
reports never use) and split by a dimension no model names (form_factor) enters the same way and is
served with its unit and with reported, not_reported and unallocated split rows. Its publisher contradicts itself (the values fall from
2023 to 2024 while it states growth from 2024): the refresh is blocked with both numbers, and loads
after `marketwh acknowledge`.

The fact sheet is written for this test; every figure below is read from its text."""

from __future__ import annotations

import csv
import hashlib
import re

import pytest

from marketwh.paths import ProjectPaths
from tests.added_reports import warehouse_rows
from tests.helpers import read_csv, run_marketwh, write_csv
from tests.integration.new_market_cited import assert_periods_and_cited_served
from tests.integration.new_market_in_gwh import add_ev_report, assert_gwh_market_served

REPORT_ID = "example_lithium_2024"
DOCUMENT = "reports/example-lithium-market-2024.md"
FRONT = {
    "title": "Lithium market fact sheet, 2023-2032",
    "publisher": "Example Research (a fictional publisher, for this test)",
    "url": "https://example.com/lithium-market-2024",
    "date_published": "2025-01-15",
    "date_accessed": "2026-11-25",
    "terms_of_use": "Written for this test; no terms apply.",
    "attribution": "Source: Example Research (test fixture)",
}
SENTENCES = {
    "value_2023": "The global lithium market was valued at USD 22.35 billion in 2023.",
    "outlook": (
        "The global lithium market is projected to grow from USD 13.90 billion in 2024 to USD 55.52 billion by 2032, "
        "exhibiting a CAGR of 18.9% during 2024-2032."
    ),
    "carbonate": "By product, lithium carbonate held more than 55% of the market in 2023.",
    "demand": "Global lithium demand reached 0.56 Thousand LCE kilotons in 2023.",
    "ev_2023": "Electric vehicle sales reached 14.1 million units in 2023.",
    "ev_2027": "Electric vehicle sales are expected to reach 28.2 million units in 2027.",
    "ev_cagr": "Electric vehicle sales are expected to grow at a CAGR of 18.9% from 2023 to 2027.",
    "producers": "Major producers include Albemarle and SQM.",
    "battery": "By application, Battery held 87% of lithium demand in 2023.",
    "decline": "The global lithium market value fell -37.8% in 2024.",
    # another publisher's estimate the document quotes: far from the report's own 2024 value, and no finding
    "cited": "Citing Wood Mackenzie (2023), the page puts the global lithium market at USD 99.0 billion in 2024.",
    "forecast_period": "Over the forecast period, the market is expected to grow at a CAGR of 18.9%.",
}
# the vocabulary a data engineer adds: rows only
VOCABULARY = {
    "markets.csv": ["lithium,Lithium,Lithium compounds for batteries and industry: carbonate and hydroxide."],
    "dimensions.csv": ["product,Product,true,7,The market by product."],
    "segments.csv": [
        "product,lithium_carbonate,Lithium carbonate,,,1,lithium",
        "product,lithium_hydroxide,Lithium hydroxide,,,2,lithium",
        # the anode market has a "Battery" application too: a market's taxonomy is its own namespace
        "application,lithium_battery,Battery,,,3,lithium",
        "company,albemarle,Albemarle,,,30,",
        "company,sqm,SQM,,,31,",
    ],
    "units.csv": [
        "kt_lce,thousand metric tons LCE,mass,,1000,t_lce,kt_lce",
        "million_t_lce,million metric tons LCE,mass,,1000000,t_lce,kt_lce",
        "million_units,million units,count,,1000000,units,million_units",
    ],
    "unit_spellings.csv": ["LCE kilotons,unit,t_lce,1000", "units,unit,units,1"],
    "metrics.csv": [
        "ev_sales,Electric vehicle sales,level,count,true,ev_sales,false,true,Electric vehicles sold in a year (not the report's market).",
        "ev_sales_cagr,Electric vehicle sales CAGR,rate,ratio,false,ev_sales,false,true,Compound annual growth of electric vehicle sales.",
    ],
    "claim_types.csv": ["producer_listed,company,false,false,The report names the company as a producer."],
}


def figure(number, key, metric, value, unit, published, *, dimension="total", segment="total", year="", period=("", ""), **more):
    return {
        "figure_id": f"lith-{number:03d}",
        "report_id": REPORT_ID,
        "metric": metric,
        "dimension": dimension,
        "segment": segment,
        "region": "global",
        "year": year,
        "period_start_year": period[0],
        "period_end_year": period[1],
        "value": value,
        "unit": unit,
        "qualifier": more.get("qualifier", ""),
        "value_as_published": published,
        "basis": "reported",
        "section": "Lithium market, 2023-2032",
        "quote": SENTENCES[key],
        "period_source": more.get("source", "printed" if period[0] else ""),
        **{"cited_publisher": more.get("cited", ""), "cited_date": more.get("cited_date", "")},
    }


def number_in(key: str, pattern: str) -> float:
    return float(re.search(pattern, SENTENCES[key]).group(1))


FIGURES = [
    figure(1, "value_2023", "market_value", "22.35", "usd_bn", "USD 22.35 billion", year="2023"),
    figure(2, "outlook", "market_value", "13.90", "usd_bn", "USD 13.90 billion", year="2024"),
    figure(3, "outlook", "market_value", "55.52", "usd_bn", "USD 55.52 billion", year="2032"),
    figure(4, "outlook", "cagr", "18.9", "percent", "18.9%", period=("2024", "2032")),
    figure(
        5,
        "carbonate",
        "share",
        "55",
        "percent",
        "55%",
        dimension="product",
        segment="lithium carbonate",
        year="2023",
        qualifier="more than",
    ),
    figure(6, "demand", "volume", "0.56", "million_t_lce", "0.56 Thousand LCE kilotons", year="2023"),
    figure(7, "ev_2023", "ev_sales", "14.1", "million_units", "14.1 million units", year="2023"),
    figure(8, "ev_2027", "ev_sales", "28.2", "million_units", "28.2 million units", year="2027"),
    figure(9, "ev_cagr", "ev_sales_cagr", "18.9", "percent", "18.9%", period=("2023", "2027")),
    figure(10, "battery", "share", "87", "percent", "87%", dimension="application", segment="Battery", year="2023"),
    figure(11, "decline", "yoy_growth", "-37.8", "percent", "-37.8%", year="2024"),
    figure(12, "cited", "market_value", "99.0", "usd_bn", "USD 99.0 billion", year="2024", cited="Wood Mackenzie", cited_date="2023"),
    figure(13, "forecast_period", "cagr", "18.9", "percent", "18.9%", period=("2025", "2032"), source="report_forecast_period"),
]


def add_report(root) -> None:
    front = "".join(f'{key}: "{value}"\n' for key, value in FRONT.items())
    body = "# Lithium market, 2023-2032\n\n" + "\n\n".join(SENTENCES.values()) + "\n"
    document = root / DOCUMENT
    document.write_text(f"---\n{front}---\n\n{body}", encoding="utf-8")
    reports = read_csv(root / "seeds" / "reports.csv")
    reports.append(
        {
            **{column: "" for column in reports[0]},
            **FRONT,
            "report_id": REPORT_ID,
            "series_id": "example_lithium",
            "publisher_label": "Example Research",
            "edition": "2024-2032",
            "document_path": DOCUMENT,
            "document_sha256": hashlib.sha256(document.read_bytes()).hexdigest(),
            "geography": "global",
            "market": "lithium",
            "history_start_year": "2023",
            "base_year": "2024",
            "forecast_start_year": "2025",
            "forecast_end_year": "2032",
            "currency": "USD",
            "status": "active",
            "licence": "none-stated",
            "reuse_permitted": "false",
        }
    )
    write_csv(root / "seeds" / "reports.csv", reports)
    write_csv(root / "seeds" / "report_figures.csv", read_csv(root / "seeds" / "report_figures.csv") + FIGURES)
    claims = read_csv(root / "seeds" / "report_claims.csv")
    for number, company in enumerate(("albemarle", "sqm"), start=1):
        claims.append(
            {
                **{column: "" for column in claims[0]},
                "claim_id": f"lith-c{number:02d}",
                "report_id": REPORT_ID,
                "claim_type": "producer_listed",
                "dimension": "company",
                "segment": company,
                "section": "Lithium market, 2023-2032",
                "quote": SENTENCES["producers"],
            }
        )
    write_csv(root / "seeds" / "report_claims.csv", claims)


def add_vocabulary(root, names) -> None:
    for name in names:
        rows = VOCABULARY[name]
        path = root / "seeds" / name
        with open(path, "a", encoding="utf-8", newline="") as handle:
            for row in csv.reader(rows):
                csv.writer(handle, lineterminator="\n").writerow(row)


def served_rows(root, sql, *params):
    return warehouse_rows(ProjectPaths(root).default_served_db, sql, *params)


def test_a_new_market_unit_metric_and_claim_type_need_only_seed_rows(project):
    root = project
    add_report(root)

    # without the vocabulary rows the report cannot be entered: the seeds are what teach the validator
    refused = run_marketwh(root, "validate")
    assert refused.returncode == 1
    for expected in (
        "[unknown_market] market 'lithium' is not in seeds/markets.csv",
        "[unknown_unit] unit 'million_t_lce' is not in seeds/units.csv",
        "[unknown_metric] metric 'ev_sales' is not in seeds/metrics.csv",
        "[unknown_claim_type] claim_type 'producer_listed' is not in seeds/claim_types.csv",
        "[unknown_unit] unit 'million_units' is not in seeds/units.csv",
    ):
        assert expected in refused.stderr, refused.stderr

    # with everything but the printed spellings, the new units' numbers cannot be read yet
    add_vocabulary(root, [name for name in VOCABULARY if name != "unit_spellings.csv"])
    unread = run_marketwh(root, "validate")
    assert {line.split(": ", 1)[1].split(" cannot read ")[1].split(" as ")[0] for line in unread.stderr.splitlines()[:-1]} == {
        "'0.56 Thousand LCE kilotons'",
        "'14.1 million units'",
        "'28.2 million units'",
    }, unread.stderr
    add_vocabulary(root, ["unit_spellings.csv"])
    validated = run_marketwh(root, "validate")
    assert validated.returncode == 0, validated.stdout
    # the GWh market with its new dimension: seed rows and a document, and the validator accepts them
    add_ev_report(root)
    validated = run_marketwh(root, "validate")
    assert validated.returncode == 0, validated.stdout + validated.stderr

    # `marketwh extract` reads the new spellings and units from the same seeds
    drafted = run_marketwh(root, "extract", DOCUMENT, "--report-id", REPORT_ID)
    drafts = {row["value_as_published"]: row for row in csv.DictReader(drafted.stdout.splitlines())}
    assert drafts["0.56 Thousand LCE kilotons"]["unit"] == "million_t_lce"
    assert drafts["14.1 million units"]["unit"] == "million_units"

    # the publisher contradicts itself: values fall 2023 -> 2024 while it states growth from 2024
    blocked = run_marketwh(root, "refresh")
    assert blocked.returncode == 1
    stated = number_in("outlook", r"CAGR of ([\d.]+)%")
    fall = (number_in("outlook", r"from USD ([\d.]+) billion in 2024") / number_in("value_2023", r"USD ([\d.]+) billion") - 1) * 100
    key = f"stated_growth_not_contradicted_by_values:{REPORT_ID}:lith-004"
    assert f"marketwh acknowledge {key}" in blocked.stderr, blocked.stderr[-3000:]
    (line,) = [line for line in run_marketwh(root, "findings").stdout.splitlines() if line.startswith(key)]
    assert f"stated {stated:g}," in line and f"compared {fall:.6g}" in line

    acknowledged = run_marketwh(root, "acknowledge", key, "--reason", "The 2023 value is of another scope.", "--by", "test")
    assert acknowledged.returncode == 0, acknowledged.stderr
    published = run_marketwh(root, "refresh")
    assert published.returncode == 0, published.stderr[-3000:]

    ((status, stated_value, compared_value),) = served_rows(
        root, "select status, stated_value, compared_value from marts.report_findings where finding_key = ?", key
    )
    assert (status, stated_value) == ("acknowledged", stated) and compared_value == pytest.approx(fall)
    # the stated CAGR is checked over its own stated period, whose both ends the report gives
    ((start, end, implied),) = served_rows(
        root,
        "select value_start_year, value_end_year, implied_cagr_pct from marts.cagr_check "
        "where report_id = ? and stated_metric = 'cagr' and stated_period_start_year = 2024",
        REPORT_ID,
    )
    low, high = number_in("outlook", r"USD ([\d.]+) billion in 2024"), number_in("outlook", r"USD ([\d.]+) billion by 2032")
    assert (start, end) == (2024, 2032) and implied == pytest.approx(((high / low) ** (1 / 8) - 1) * 100)
    # EV sales keep their own metric and unit and are checked against their own values, not the market's
    ((series, value_metric, unit, ev_implied),) = served_rows(
        root,
        "select metric_series, value_metric, value_unit, implied_cagr_pct from marts.cagr_check "
        "where report_id = ? and stated_metric = 'ev_sales_cagr'",
        REPORT_ID,
    )
    ev_low, ev_high = number_in("ev_2023", r"([\d.]+) million units"), number_in("ev_2027", r"([\d.]+) million units")
    assert (series, value_metric, unit) == ("ev_sales", "ev_sales", "million_units")
    assert ev_implied == pytest.approx(((ev_high / ev_low) ** (1 / 4) - 1) * 100)
    # the market's size series holds its value and volume, never the EV sales
    sizes = served_rows(root, "select distinct metric from marts.market_size_by_year where report_id = ? order by 1", REPORT_ID)
    assert sizes == [("market_value",), ("volume",)]
    assert served_rows(root, "select market_name, attribution from marts.reports where report_id = ?", REPORT_ID) == [
        ("Lithium", FRONT["attribution"])
    ]
    # "Battery" of a lithium report is the lithium taxonomy's application, not the anode market's
    assert served_rows(
        root,
        "select segment_key, value from marts.market_figures where report_id = ? and dimension = 'application' and basis = 'reported'",
        REPORT_ID,
    ) == [("lithium_battery", number_in("battery", r"([\d.]+)%"))]
    # a decline is a figure like any other: stated with its sign, served with it
    assert served_rows(
        root, "select value from marts.market_figures where report_id = ? and metric = 'yoy_growth' and figure_year = 2024", REPORT_ID
    ) == [(number_in("decline", r"fell (-[\d.]+)%"),)]
    producers = served_rows(root, "select segment_key from marts.claim_sources where claim_type = 'producer_listed'")
    assert sorted(producers) == [("albemarle",), ("sqm",)]
    served = lambda sql, *params: served_rows(root, sql, *params)  # noqa: E731
    own_2024 = number_in("outlook", r"USD ([\d.]+) billion in 2024")
    assert_periods_and_cited_served(served, REPORT_ID, SENTENCES["cited"], own_2024, key)
    assert_gwh_market_served(served)
