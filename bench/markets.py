"""The benchmark's markets: ten publishers (series) to a market, each generated market declared in the
seeds as a curator adds one (a markets.csv row, its own copy of the home market's segments)."""

from __future__ import annotations

import csv
from pathlib import Path

from marketwh.curation.seedfiles import write_rows

# publishers (series) per market: the first ten series size anode_materials, each next ten a market of
# their own (bench_market_0001, ...), as a warehouse of many reports holds many markets of a handful to
# tens of publishers each. A consensus compares every publisher of a market with every other, so one
# market of 5,000 publishers would measure a warehouse no one has (and grows with its square).
SERIES_PER_MARKET = 10
HOME_MARKET = "anode_materials"
# the segments the reports split by that belong to anode_materials' own taxonomy (seeds/segments.csv):
# a generated market gets its own copy of each, with its synonyms, as a curator adds a market's taxonomy
HOME_SEGMENTS = (("type", "silicon_based"), ("application", "battery"))


def market_of(index: int) -> str:
    group = (index // 2) // SERIES_PER_MARKET
    return HOME_MARKET if group == 0 else f"bench_market_{group:04d}"


def segment_key(market: str, key: str) -> str:
    """The key a generated report names a home-market segment by in `market`."""
    return key if market == HOME_MARKET else f"{key}__{market}"


def append_rows(path: Path, rows: list[dict[str, str]]) -> None:
    """Append `rows` to the seed at `path`, in its header's column order."""
    with open(path, newline="", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    with open(path, "a", newline="", encoding="utf-8") as handle:
        write_rows(handle, header, rows, header=False)


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def add_markets(seeds: Path, markets: list[str]) -> None:
    """Declare the generated markets the seeds do not know yet: a markets.csv row each, and its copy of
    the home market's own segments (HOME_SEGMENTS) with their synonyms."""
    known = {row["market_key"] for row in _rows(seeds / "markets.csv")}
    markets = [market for market in markets if market not in known]
    if not markets:
        return
    home = [row for row in _rows(seeds / "segments.csv") if (row["dimension"], row["segment_key"]) in HOME_SEGMENTS]
    synonyms = [row for row in _rows(seeds / "segment_synonyms.csv") if (row["dimension"], row["segment_key"]) in HOME_SEGMENTS]
    described = "A generated market (bench/generate.py)."
    append_rows(
        seeds / "markets.csv", [{"market_key": m, "display_name": f"Benchmark market {m[-4:]}", "description": described} for m in markets]
    )
    append_rows(
        seeds / "segments.csv", [{**row, "segment_key": segment_key(m, row["segment_key"]), "market": m} for m in markets for row in home]
    )
    append_rows(
        seeds / "segment_synonyms.csv", [{**row, "segment_key": segment_key(m, row["segment_key"])} for m in markets for row in synonyms]
    )
