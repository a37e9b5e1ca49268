"""Rules of the vocabulary seeds themselves (unique keys, synonyms pointing at real segments), and
the problem a figure or claim gets when it names a dimension or segment the vocabulary lacks."""

from __future__ import annotations

from ..seedfiles import SeedRow, SeedTable
from ..vocabulary import Vocabulary
from .common import Add, at, check_unique, suggest


def load_vocabulary(tables: dict[str, SeedTable | None], add: Add) -> Vocabulary:
    """Index the vocabulary seeds (None: unreadable, already reported) and check them."""
    vocabulary = Vocabulary.from_tables(tables)
    check_unique(tables.get("segments"), ("dimension", "segment_key"), add)
    # two segments of a dimension that print the same are one segment entered twice (or a look-alike key)
    check_unique(tables.get("segments"), ("dimension", "display_name"), add)
    check_unique(tables.get("units"), ("unit_key",), add)
    check_unique(tables.get("audit_thresholds"), ("rule",), add)
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
