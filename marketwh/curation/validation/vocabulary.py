"""Rules of the vocabulary seeds themselves (unique keys, synonyms pointing at real segments), and
the problem a figure or claim gets when it names a dimension or segment the vocabulary lacks."""

from __future__ import annotations

from ..seedfiles import SeedRow, SeedTable
from ..vocabulary import Vocabulary
from .common import Add, at, check_unique, suggest

# columns of the vocabulary seeds that may never be empty
REQUIRED = {
    "segments": ("dimension", "segment_key", "display_name"),
    "segment_synonyms": ("dimension", "synonym", "segment_key"),
    "units": ("unit_key", "quantity", "multiplier_to_base", "mart_unit"),
    "audit_thresholds": ("rule", "threshold"),
}
QUANTITIES = ("money", "volume", "ratio")


def load_vocabulary(tables: dict[str, SeedTable | None], add: Add) -> Vocabulary:
    """Index the vocabulary seeds (None: unreadable, already reported) and check them."""
    vocabulary = Vocabulary.from_tables(tables)
    for name, columns in REQUIRED.items():
        table = tables.get(name)
        for row in table.rows if table else []:
            for column in columns:
                if not row[column]:
                    add(at(table, row, "value_missing", f"column {column} is empty: every {name} row needs it"))
    units = tables.get("units")
    for row in units.rows if units else []:
        if row["quantity"] and row["quantity"] not in QUANTITIES:
            add(at(units, row, "unknown_quantity", f"quantity {row['quantity']!r} is not one of {', '.join(QUANTITIES)}"))
        if row["mart_unit"] and row["mart_unit"] not in vocabulary.units:
            add(at(units, row, "unknown_unit", f"mart_unit {row['mart_unit']!r} is not a unit_key of seeds/units.csv"))
    check_unique(tables.get("segments"), ("dimension", "segment_key"), add)
    # two segments of a dimension that print the same are one segment entered twice (or a look-alike key)
    check_unique(tables.get("segments"), ("dimension", "display_name"), add)
    check_unique(tables.get("units"), ("unit_key",), add)
    check_unique(tables.get("audit_thresholds"), ("rule",), add)
    check_unique(tables.get("segment_synonyms"), ("dimension", "synonym"), add)
    for row in vocabulary.synonym_rows:
        known = list(vocabulary.segments.get(row["dimension"], {}))
        if row["segment_key"] not in known:
            add(
                at(
                    tables["segment_synonyms"],
                    row,
                    "unknown_segment",
                    f"synonym {row['synonym']!r} maps to unknown segment {row['dimension']}:{row['segment_key']}"
                    + suggest(row["segment_key"], known),
                )
            )
    return vocabulary


def segment_problem(vocabulary: Vocabulary, table: SeedTable, row: SeedRow, dimension: str, name: str):
    """The problem with naming `name` in `dimension`, or None when the vocabulary knows it."""
    if dimension not in vocabulary.segments:
        return at(
            table,
            row,
            "unknown_dimension",
            f"dimension {dimension!r} is not in the taxonomy" + suggest(dimension, list(vocabulary.segments)),
        )
    if vocabulary.resolve_segment(dimension, name) is None:
        known = list(vocabulary.segments[dimension]) + [s for (d, s) in vocabulary.synonyms if d == dimension]
        return at(
            table,
            row,
            "unknown_segment",
            f"segment {name!r} is not a {dimension} in seeds/segments.csv or seeds/segment_synonyms.csv" + suggest(name, known),
        )
    return None
