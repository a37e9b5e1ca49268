"""Where a figure or claim is curated: the seed file and line of an id, so a message about a model
row (a failing dbt test, a finding) can send a person to the row they would edit."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

# seed file -> its id column; the columns of a model row that carry such ids (comma-separated lists too)
ID_SEEDS = {"report_figures.csv": "figure_id", "report_claims.csv": "claim_id"}
ID_COLUMNS = ("figure_id", "claim_id", "source_figure_ids", "source_claim_ids")


def ids_in_rows(rows: Iterable[dict]) -> list[str]:
    """The figure and claim ids a model's rows name, in order, each once."""
    found: dict[str, None] = {}
    for row in rows:
        for column in ID_COLUMNS:
            for value in str(row.get(column) or "").split(","):
                if value.strip():
                    found[value.strip()] = None
    return list(found)


def seed_lines(ids: Iterable[str], seeds_dir: Path) -> list[str]:
    """`seeds/<file>:<line> (<id>)` for each id found in the curated seeds, in the order given."""
    wanted = list(dict.fromkeys(ids))
    looked_for = set(wanted)
    where: dict[str, str] = {}
    for name, column in ID_SEEDS.items():
        path = seeds_dir / name
        if not path.exists():
            continue
        with open(path, newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            for row in reader:
                if row.get(column) in looked_for and row[column] not in where:
                    # the line a row starts on (a quoted field may span lines)
                    where[row[column]] = f"seeds/{name}:{reader.line_num - _extra_lines(row)} ({row[column]})"
    return [where[i] for i in wanted if i in where]


def _extra_lines(row: dict) -> int:
    return sum(str(value).count("\n") for value in row.values())
