"""The vocabulary seeds, read once for every use: segments and their synonyms (resolved the way dbt's
`int_segment_names` does: key, display name or synonym), units, metrics and the audit thresholds that
input rules use. The validator checks them (validation/vocabulary.py); `marketwh extract` drafts with
them; dbt loads the same CSVs as seeds."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .seedfiles import SeedRow, SeedTable, load_seed_schemas, read_seed, to_float

# metrics a seed row may state (implied_cagr is computed by dbt, never curated)
SPLIT_METRICS = ("share", "concentration", "cost_share")
# a total must have a year; a share or cost share may be stated without one ("more than 90%")
POINT_METRICS = ("market_value", "volume", "yoy_growth")
PERIOD_METRICS = ("cagr",)
METRICS = (*POINT_METRICS, *PERIOD_METRICS, *SPLIT_METRICS)
# dimensions whose segments are a figure's region or its subject, never a split segment of a sentence
NOT_SPLIT_DIMENSIONS = ("total", "company", "country")

UnitIndex = dict[tuple[str, str, float], str]  # (quantity, currency or "", multiplier) -> unit_key


@dataclass(frozen=True)
class Known:
    """Which vocabulary seeds could be read: checks against an unreadable one are skipped."""

    reports: bool = True
    units: bool = True
    segments: bool = True
    thresholds: bool = True


@dataclass
class Vocabulary:
    units: dict[str, SeedRow] = field(default_factory=dict)
    segments: dict[str, dict[str, SeedRow]] = field(default_factory=dict)  # dimension -> key -> row
    synonyms: dict[tuple[str, str], str] = field(default_factory=dict)  # (dimension, lowercased synonym) -> key
    synonym_rows: list[SeedRow] = field(default_factory=list)
    thresholds: dict[str, float] = field(default_factory=dict)
    known: Known = field(default_factory=Known)

    @classmethod
    def from_tables(cls, tables: dict[str, SeedTable | None]) -> Vocabulary:
        """From seed tables as read (None: unreadable, its problems already reported)."""

        def rows(name: str) -> list[SeedRow]:
            table = tables.get(name)
            return table.rows if table else []

        segments: dict[str, dict[str, SeedRow]] = defaultdict(dict)
        for row in rows("segments"):
            segments[row["dimension"]][row["segment_key"]] = row
        # a threshold that is not a number is a type problem, reported by the seed reader
        thresholds = {row["rule"]: float(row["threshold"]) for row in rows("audit_thresholds") if to_float(row["threshold"]) is not None}
        return cls(
            units={row["unit_key"]: row for row in rows("units")},
            segments=dict(segments),
            synonyms={(row["dimension"], row["synonym"].lower()): row["segment_key"] for row in rows("segment_synonyms")},
            synonym_rows=rows("segment_synonyms"),
            thresholds=thresholds,
            known=Known(
                reports=tables.get("reports") is not None,
                units=tables.get("units") is not None,
                segments=tables.get("segments") is not None and tables.get("segment_synonyms") is not None,
                thresholds=tables.get("audit_thresholds") is not None,
            ),
        )

    @classmethod
    def read(cls, seeds_dir: Path) -> Vocabulary:
        """Read the vocabulary seeds of a checkout (rows that cannot be read are left out)."""
        schemas = load_seed_schemas(seeds_dir)
        names = ("units", "segments", "segment_synonyms", "audit_thresholds")
        return cls.from_tables({name: read_seed(seeds_dir / f"{name}.csv", schemas[name])[0] for name in names})

    def resolve_segment(self, dimension: str, name: str) -> str | None:
        """The segment key `name` stands for in `dimension` (key, synonym or display name), or None."""
        if name in self.segments.get(dimension, {}):
            return name
        mapped = self.synonyms.get((dimension, name.lower()))
        if mapped:
            return mapped
        for key, row in self.segments.get(dimension, {}).items():
            if row["display_name"].lower() == name.lower():
                return key
        return None

    @property
    def regions(self) -> dict[str, SeedRow]:
        return {**self.segments.get("region", {}), **self.segments.get("country", {})}

    def is_region(self, name: str) -> bool:
        return name in self.regions or any(self.resolve_segment(d, name) is not None for d in ("region", "country"))

    def unit_index(self) -> UnitIndex:
        """(quantity, currency, multiplier) -> unit_key: how a printed amount finds its unit."""
        return {(row["quantity"], row["currency"], float(row["multiplier_to_base"])): key for key, row in self.units.items()}

    def segment_names(self) -> list[tuple[str, str, str]]:
        """(dimension, name, segment_key) for every split segment's display name, key and synonym."""
        names = []
        for dimension, segments in self.segments.items():
            if dimension in NOT_SPLIT_DIMENSIONS:
                continue
            for key, row in segments.items():
                if key == "global":
                    continue  # "global" is a figure's region, not a split segment
                names.append((dimension, row["display_name"], key))
                names.append((dimension, key.replace("_", " "), key))
        names += [
            (row["dimension"], row["synonym"], row["segment_key"])
            for row in self.synonym_rows
            if row["dimension"] not in NOT_SPLIT_DIMENSIONS
        ]
        return names


def unit_index(seeds_dir: Path) -> UnitIndex:
    """(quantity, currency, multiplier) -> unit_key, from seeds/units.csv: the one place units live."""
    return Vocabulary.read(seeds_dir).unit_index()


def taxonomy_names(seeds_dir: Path) -> list[tuple[str, str, str]]:
    """(dimension, name, segment_key) for every segment display name, key and synonym."""
    return Vocabulary.read(seeds_dir).segment_names()
