"""A market sized by several series (demand and mine supply, as the Cobalt Institute reports cobalt)
is added by seed rows only: new level metrics with a series each, a share metric per series, a market
and a document. Each segment share is applied to the total of its own series (a share of demand x the
demand total, a share of mine supply x the mine-supply total), one row per segment, and the build holds.

Before, every share metric whose series had a market-size metric was cross joined onto every split
row, and a year with two totals derived no segment value: two series made the build fail its grain
tests. The fact sheet is written for this test; every expected number is read from its text."""

from __future__ import annotations

import csv
import hashlib
import re

import duckdb

from tests.added_reports import validated_build
from tests.helpers import copy_project, read_csv, write_csv

REPORT_ID = "example_metal_2021"
DOCUMENT = "reports/example-metal-market-2021.md"
FRONT = {
    "title": "Example metal market report 2021",
    "publisher": "Example Metals Research (a fictional publisher, for this test)",
    "url": "https://example.com/metal-market-2021",
    "date_published": "2022-05-18",
    "date_accessed": "2026-12-05",
    "terms_of_use": "Written for this test; no terms apply.",
    "attribution": "Source: Example Metals Research (test fixture)",
}
SENTENCES = {
    "demand": "Global metal demand reached 200 kt in 2021.",
    "supply": "Global mine supply reached 180 kt in 2021.",
    "automotive": "The automotive industry took 40% of demand in 2021.",
    "asia": "Asia Pacific provided 60% of mine supply in 2021.",
}
VOCABULARY = {
    "markets.csv": ["example_metal,Example metal,A metal sized by its demand and its mine supply."],
    "metrics.csv": [
        "demand,Demand,level,volume,true,demand,true,true,What users consume in a year.",
        "demand_share,Share of demand,share,ratio,false,demand,false,true,A segment's share of demand.",
        "mine_supply,Mine supply,level,volume,true,mine_supply,true,true,What mines produce in a year.",
        "mine_supply_share,Share of mine supply,share,ratio,false,mine_supply,false,true,A segment's share of mine supply.",
    ],
}


def figure(number, key, metric, published, unit, *, dimension="total", segment="total"):
    value = re.match(r"[\d.]+", published).group(0)
    return {
        "figure_id": f"metal-{number:03d}",
        "report_id": REPORT_ID,
        "metric": metric,
        "dimension": dimension,
        "segment": segment,
        "region": "global",
        "year": "2021",
        "period_start_year": "",
        "period_end_year": "",
        "value": value,
        "unit": unit,
        "qualifier": "",
        "value_as_published": published,
        "basis": "reported",
        "section": "Example metal market, 2021",
        "quote": SENTENCES[key],
    }


FIGURES = [
    figure(1, "demand", "demand", "200 kt", "kilotons"),
    figure(2, "supply", "mine_supply", "180 kt", "kilotons"),
    figure(3, "automotive", "demand_share", "40%", "percent", dimension="end_use", segment="automotive industry"),
    figure(4, "asia", "mine_supply_share", "60%", "percent", dimension="region", segment="Asia Pacific"),
]


def number_in(key: str, pattern: str) -> float:
    return float(re.search(pattern, SENTENCES[key]).group(1))


def add_report(root) -> None:
    front = "".join(f'{key}: "{value}"\n' for key, value in FRONT.items())
    document = root / DOCUMENT
    document.write_text(f"---\n{front}---\n\n# Example metal market, 2021\n\n" + "\n\n".join(SENTENCES.values()) + "\n", encoding="utf-8")
    for name, rows in VOCABULARY.items():
        with open(root / "seeds" / name, "a", encoding="utf-8", newline="") as handle:
            for row in csv.reader(rows):
                csv.writer(handle, lineterminator="\n").writerow(row)
    reports = read_csv(root / "seeds" / "reports.csv")
    reports.append(
        {
            **{column: "" for column in reports[0]},
            **FRONT,
            "report_id": REPORT_ID,
            "series_id": "example_metal",
            "publisher_label": "Example Metals",
            "edition": "2021",
            "document_path": DOCUMENT,
            "document_sha256": hashlib.sha256(document.read_bytes()).hexdigest(),
            "geography": "global",
            "market": "example_metal",
            "history_start_year": "2021",
            "base_year": "2021",
            "status": "active",
            "licence": "none-stated",
            "reuse_permitted": "false",
        }
    )
    write_csv(root / "seeds" / "reports.csv", reports)
    write_csv(root / "seeds" / "report_figures.csv", read_csv(root / "seeds" / "report_figures.csv") + FIGURES)


def test_shares_of_two_series_apply_each_to_its_own_total(tmp_path):
    root = copy_project(tmp_path / "project")
    add_report(root)
    db = validated_build(root, "series")

    con = duckdb.connect(str(db), read_only=True)
    try:
        splits = con.execute(
            "select share_metric, dimension, segment_key, share_pct, total_metric, segment_value, segment_value_basis "
            "from intermediate.int_segment_splits where report_id = ? order by dimension, segment_key",
            [REPORT_ID],
        ).fetchall()
        sizes = con.execute(
            "select metric, value from marts.market_size_by_year where report_id = ? order by metric", [REPORT_ID]
        ).fetchall()
    finally:
        con.close()
    demand, supply = number_in("demand", r"([\d.]+) kt") * 1000, number_in("supply", r"([\d.]+) kt") * 1000
    automotive, asia = number_in("automotive", r"([\d.]+)%"), number_in("asia", r"([\d.]+)%")
    # one row per series' segment: the demand share x the demand total, the supply share x the supply total
    assert splits == [
        ("demand_share", "end_use", "automotive", automotive, "demand", automotive * demand / 100, "derived"),
        ("demand_share", "end_use", "unallocated", 100 - automotive, "demand", (100 - automotive) * demand / 100, "derived"),
        ("mine_supply_share", "region", "asia_pacific", asia, "mine_supply", asia * supply / 100, "derived"),
        ("mine_supply_share", "region", "unallocated", 100 - asia, "mine_supply", (100 - asia) * supply / 100, "derived"),
    ]
    # the two series stay apart in the market-size mart
    assert sizes == [("demand", demand), ("mine_supply", supply)]
