"""Two builds of the same inputs are compared mart by mart (marketwh/warehouse/compare.py): the same
numbers summed in another row order differ in their last bits and must compare equal, even where
rounding them to nine significant digits falls on either side of a boundary; a number that differs
in a digit people read must not."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from marketwh.warehouse.compare import mart_differences


def _mart(path: Path, rows: list[tuple[str, float]]) -> Path:
    con = duckdb.connect(str(path))
    try:
        con.execute("create schema marts")
        con.execute("create table marts.spread (market_key varchar, relative_spread_pct double)")
        con.executemany("insert into marts.spread values (?, ?)", rows)
    finally:
        con.close()
    return path


# each pair: the same value computed in two orders (the second the first's neighbour in binary)
SUMMED_IN_ANOTHER_ORDER = [
    (100.0, 99.99999999999999),  # a power of ten and just below it: different exponents
    (108.7890625, 108.78906249999999),  # a mantissa on the half-way point of its 8th decimal
    (0.1 + 0.2, 0.3),
]


@pytest.mark.parametrize(("left", "right"), SUMMED_IN_ANOTHER_ORDER)
def test_the_last_bits_of_a_sum_do_not_differ(tmp_path, left, right):
    one = _mart(tmp_path / "one.duckdb", [("anode_materials", left), ("cobalt", 7.5)])
    other = _mart(tmp_path / "other.duckdb", [("cobalt", 7.5), ("anode_materials", right)])
    assert mart_differences(one, other) == []


def test_a_number_people_read_differently_differs(tmp_path):
    one = _mart(tmp_path / "one.duckdb", [("anode_materials", 108.79), ("cobalt", 7.5)])
    other = _mart(tmp_path / "other.duckdb", [("anode_materials", 108.78), ("cobalt", 7.5)])
    assert mart_differences(one, other) == [
        f"marts.spread: 1 rows of {one} are not in the other",
        f"marts.spread: 1 rows of {other} are not in the other",
    ]


def test_a_row_of_another_market_differs(tmp_path):
    one = _mart(tmp_path / "one.duckdb", [("anode_materials", 100.0), ("cobalt", 7.5)])
    other = _mart(tmp_path / "other.duckdb", [("anode_materials", 100.0), ("nickel", 7.5)])
    assert len(mart_differences(one, other)) == 2
