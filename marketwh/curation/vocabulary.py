"""The vocabulary seeds, read once for every use: markets, segments (each shared or of one market's
taxonomy) and their synonyms (resolved the way dbt's `int_segment_names` does: key, display name or
synonym), metrics, claim types, units and their printed spellings, and the audit thresholds that
input rules use. The validator checks them (validation/vocabulary.py); `marketwh extract` drafts with
them; dbt loads the same CSVs as seeds. Nothing here names a particular metric, unit or segment."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .amounts import Spellings
from .seedfiles import SeedRow, SeedTable, load_seed_schemas, read_seed, to_float

# What the code knows about a metric is its kind (seeds/metrics.csv says which metric has which):
# a level (a value at a year) and a growth (a change over one year) need a year; a rate covers a period;
# a share (of the market: a complete split sums to 100) or another ratio may be stated without a year.
METRIC_KINDS = ("level", "growth", "rate", "share", "ratio")
POINT_KINDS = ("level", "growth")
PERIOD_KINDS = ("rate",)
SPLIT_KINDS = ("share", "ratio")
# dimensions whose segments are a figure's region or its subject, never a split segment of a sentence
NOT_SPLIT_DIMENSIONS = ("total", "company", "country")
VOCABULARY_SEEDS = (
    "markets",
    "metrics",
    "claim_types",
    "units",
    "unit_spellings",
    "segments",
    "segment_synonyms",
    "audit_thresholds",
    "quantities",
    "dimensions",
    "qualifiers",
    "cue_words",
)
# where a qualifier puts the value against its printed number (seeds/qualifiers.csv: side)
QUALIFIER_SIDES = ("both", "below", "above")

UnitIndex = dict[tuple[str, float], str]  # (base_unit, multiplier) -> unit_key


@dataclass(frozen=True)
class Known:
    """Which vocabulary seeds could be read: checks against an unreadable one are skipped."""

    reports: bool = True
    units: bool = True
    segments: bool = True
    thresholds: bool = True
    metrics: bool = True
    markets: bool = True
    claim_types: bool = True
    quantities: bool = True
    dimensions: bool = True
    qualifiers: bool = True
    cue_words: bool = True


@dataclass
class Vocabulary:
    units: dict[str, SeedRow] = field(default_factory=dict)
    metrics: dict[str, SeedRow] = field(default_factory=dict)
    markets: dict[str, SeedRow] = field(default_factory=dict)
    claim_types: dict[str, SeedRow] = field(default_factory=dict)
    stated_metrics: tuple[str, ...] = ()  # metrics a seed row may state (not the ones dbt computes)
    spellings: Spellings = field(default_factory=Spellings)
    segments: dict[str, dict[str, SeedRow]] = field(default_factory=dict)  # dimension -> key -> row
    synonym_rows: list[SeedRow] = field(default_factory=list)
    thresholds: dict[str, float] = field(default_factory=dict)
    quantities: dict[str, SeedRow] = field(default_factory=dict)  # quantity -> row (seeds/quantities.csv)
    dimensions: dict[str, SeedRow] = field(default_factory=dict)  # dimension -> row (seeds/dimensions.csv)
    qualifiers: dict[str, SeedRow] = field(default_factory=dict)  # qualifier as curated -> its row
    cue_words: list[SeedRow] = field(default_factory=list)  # seeds/cue_words.csv: dimension cues and subject nouns
    known: Known = field(default_factory=Known)
    memo: dict = field(default_factory=dict, repr=False, compare=False)  # lookups worked out once per vocabulary

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
            metrics={row["metric"]: row for row in rows("metrics")},
            markets={row["market_key"]: row for row in rows("markets")},
            claim_types={row["claim_type"]: row for row in rows("claim_types")},
            stated_metrics=tuple(row["metric"] for row in rows("metrics") if row["stated_by_reports"] == "true"),
            spellings=Spellings.from_rows(rows("unit_spellings"), rows("units")),
            segments=dict(segments),
            synonym_rows=rows("segment_synonyms"),
            thresholds=thresholds,
            quantities={row["quantity"]: row for row in rows("quantities")},
            dimensions={row["dimension"]: row for row in rows("dimensions")},
            qualifiers={row["qualifier"]: row for row in rows("qualifiers")},
            cue_words=rows("cue_words"),
            known=Known(
                reports=tables.get("reports") is not None,
                units=tables.get("units") is not None,
                segments=tables.get("segments") is not None and tables.get("segment_synonyms") is not None,
                thresholds=tables.get("audit_thresholds") is not None,
                metrics=tables.get("metrics") is not None,
                markets=tables.get("markets") is not None,
                claim_types=tables.get("claim_types") is not None,
                quantities=tables.get("quantities") is not None,
                dimensions=tables.get("dimensions") is not None,
                qualifiers=tables.get("qualifiers") is not None,
                cue_words=tables.get("cue_words") is not None,
            ),
        )

    @classmethod
    def read(cls, seeds_dir: Path) -> Vocabulary:
        """Read the vocabulary seeds of a checkout (rows that cannot be read are left out)."""
        schemas = load_seed_schemas(seeds_dir)
        return cls.from_tables({name: read_seed(seeds_dir / f"{name}.csv", schemas[name])[0] for name in VOCABULARY_SEEDS})

    def is_positive(self, quantity: str) -> bool:
        """A value of the quantity is greater than 0 (seeds/quantities.csv: a money, mass or energy size)."""
        row = self.quantities.get(quantity)
        return row is not None and row["is_positive"] == "true"

    def quantity_line(self, quantity: str) -> list[str]:
        """The quantity and the quantities it belongs to (seeds/quantities.csv parent_quantity: energy,
        then volume), nearest first; a cycle is cut where it repeats."""
        line = [quantity]
        while (row := self.quantities.get(line[-1])) is not None and row["parent_quantity"] and row["parent_quantity"] not in line:
            line.append(row["parent_quantity"])
        return line

    def quantity_fits(self, unit_quantity: str, metric_quantity: str) -> bool:
        """A unit of `unit_quantity` may state a metric of `metric_quantity`: the same quantity, or one
        it belongs to (GWh, energy, states the market's volume, a physical volume)."""
        return not metric_quantity or metric_quantity in self.quantity_line(unit_quantity)

    def metric_kind(self, metric: str) -> str | None:
        row = self.metrics.get(metric)
        return row["kind"] if row else None

    def segment_market(self, dimension: str, key: str) -> str:
        """The market whose taxonomy a segment belongs to; "" when every market shares it."""
        row = self.segments.get(dimension, {}).get(key)
        return row["market"] if row else ""

    def resolve_segment(self, dimension: str, name: str, market: str | None = None) -> str | None:
        """The segment key `name` stands for in `dimension` (its key, a synonym or its display name,
        case-insensitively, as dbt's int_segment_names reads them), or None. A market's taxonomy is its
        own namespace: with `market`, only the segments it sees (shared, or its own) answer, so two
        markets may each have a "Batteries" application; without, any market's."""
        return self._segment_index(market).get((dimension, name.lower()))

    def _segment_index(self, market: str | None) -> dict[tuple[str, str], str]:
        """(dimension, lowercased name) -> key for the segments `market` sees; built once per market.
        Keys win over synonyms, synonyms over display names (the validator refuses any overlap)."""
        memo = self.memo.setdefault("segment_index", {})
        if market not in memo:
            visible = lambda dimension, key: market is None or self.segment_market(dimension, key) in ("", market)  # noqa: E731
            index: dict[tuple[str, str], str] = {}
            for dimension, segments in self.segments.items():
                index.update({(dimension, row["display_name"].lower()): key for key, row in segments.items() if visible(dimension, key)})
            for row in self.synonym_rows:
                if visible(row["dimension"], row["segment_key"]):
                    index[row["dimension"], row["synonym"].lower()] = row["segment_key"]
            for dimension, segments in self.segments.items():
                index.update({(dimension, key.lower()): key for key in segments if visible(dimension, key)})
            memo[market] = index
        return memo[market]

    @property
    def regions(self) -> dict[str, SeedRow]:
        if "regions" not in self.memo:
            self.memo["regions"] = {**self.segments.get("region", {}), **self.segments.get("country", {})}
        return self.memo["regions"]

    def is_region(self, name: str) -> bool:
        return name in self.regions or any(self.resolve_segment(d, name) is not None for d in ("region", "country"))

    def unit_index(self) -> UnitIndex:
        """(base_unit, multiplier) -> unit_key: how a printed amount finds its unit."""
        index: UnitIndex = {}
        for key, row in self.units.items():
            multiplier = to_float(row["multiplier_to_base"])
            if multiplier is not None:
                index.setdefault((row["base_unit"], multiplier), key)
        return index

    def segment_names(self, market: str | None = None) -> list[tuple[str, str, str]]:
        """(dimension, name, segment_key) for every split segment's display name, key and synonym
        (of the shared taxonomy and `market`'s own; of every market when None)."""
        split = [dimension for dimension in self.segments if dimension not in NOT_SPLIT_DIMENSIONS]
        # "global" is a figure's region, not a split segment
        return [name for name in self.names_of(split, market) if name[2] != "global"]

    def names_of(self, dimensions: list[str], market: str | None = None) -> list[tuple[str, str, str]]:
        """(dimension, name, segment_key) for every display name, key (spaced) and synonym by which a
        report may name a segment of `dimensions` (shared, or of `market`; of every market when None)."""
        wanted = set(dimensions)
        names = []
        for dimension in dimensions:
            for key, row in self.segments.get(dimension, {}).items():
                if market is None or row["market"] in ("", market):
                    names += [(dimension, row["display_name"], key), (dimension, key.replace("_", " "), key)]
        names += [
            (row["dimension"], row["synonym"], row["segment_key"])
            for row in self.synonym_rows
            if row["dimension"] in wanted and (market is None or self.segment_market(row["dimension"], row["segment_key"]) in ("", market))
        ]
        return names

    def cues(self, kind: str, market: str | None = None) -> dict[str, str]:
        """seeds/cue_words.csv's cues of `kind` read for `market`, lowercased -> meaning: the shared rows,
        overridden by the market's own row of the same cue."""
        found = {row["cue"].lower(): row["meaning"] for row in self.cue_words if row["kind"] == kind and not row["market"]}
        found.update({row["cue"].lower(): row["meaning"] for row in self.cue_words if row["kind"] == kind and row["market"] == market})
        return found
