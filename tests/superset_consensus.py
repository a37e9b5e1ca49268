"""What the consensus charts must show for a revised report: its series counted once, by its newer edition,
and the history naming the newer edition as the report that moved the consensus. Expected values come from
the edition's printed figure and the other publishers' estimates in the served file, not from the consensus
mart the charts read."""

from __future__ import annotations

import math
import statistics

import duckdb

CONSENSUS_BY_YEAR = "Consensus by year: the publishers' median, lowest and highest global total"
CONSENSUS_MOVED = "How the consensus moved: each year's median as each report arrived"


def assert_one_voice_per_series(line: dict, moves: list[dict], served, newer: tuple[str, float, str], older: tuple[str, float, str]):
    """`line`: the consensus chart's cells {(date, metric): value}; `moves`: the history table's rows, both for
    the market and measure of the revised report; `newer`/`older`: (report_id, its printed 2032 value, its label)."""
    with duckdb.connect(str(served), read_only=True) as con:
        others = con.execute(
            "select o.value, o.value_decimals, n.value_decimals from marts.market_estimates_by_report as n"
            " left join marts.market_estimates_by_report as o on o.market_key = n.market_key and o.metric = n.metric"
            " and o.dimension = n.dimension and o.segment_key = n.segment_key and o.region_key = n.region_key"
            " and o.figure_year = n.figure_year and o.unit_key = n.unit_key and o.is_current_edition and o.series_id <> n.series_id"
            " where n.report_id = ? and n.figure_year = 2032 and n.dimension = 'total' and n.region_key = 'global'",
            [newer[0]],
        ).fetchall()
    counted = [newer[1]] + [value for value, _, _ in others if value is not None]
    decimals = min([others[0][2]] + [d for value, d, _ in others if value is not None])
    median = line[("2032-01-01", "consensus_median")]
    assert math.isclose(median, round(statistics.median(counted), decimals)), (median, counted)
    assert older[1] not in {line[("2032-01-01", side)] for side in ("consensus_low", "consensus_high")}, line
    rows = sorted((row for row in moves if row["figure_year"] == 2032), key=lambda row: row["as_of_date"])
    movers = [row["moved_by"] for row in rows]
    assert older[2] in movers and newer[2] in movers and movers.index(older[2]) < movers.index(newer[2]), movers
    replaced = movers.index(newer[2])
    assert rows[replaced]["publisher_count"] == rows[replaced - 1]["publisher_count"], "a new edition replaces, it adds no publisher"
    assert rows[-1]["median_shown"] == median, (rows[-1], median)
