"""The schema of seeds/audit_thresholds.csv: which rules a threshold may name and the range each may take.

The audits read their bounds and tolerances from this seed by rule name (dbt's audit views, the
validator, the publish guard). A rule name typed wrong, a deleted row or an absurd value would switch
an audit off with every gate passing: a misspelt `cagr_tolerance` empties `cagr_check`, a tolerance of
99999999 hides every contradiction. So the seed has a schema, kept as data beside its column types in
seeds/_seeds.yml (the seed's `meta: rules:`): every rule listed there is required, no other is
accepted, each value lies in its rule's range, and a lower bound is not above its upper bound
(`not_above`). Each problem is reported once, at the threshold's own line; a threshold with a problem
is left out of the vocabulary, so the rules of other seeds that use it are not judged by it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ...errors import Problem
from ..seedfiles import SEED_SCHEMA_FILE, SeedTable, to_float
from ..seedschema import seed_schema_document
from ..vocabulary import Vocabulary
from .common import Add, at, rows, suggest

SEED = "audit_thresholds"


@dataclass(frozen=True)
class ThresholdRule:
    """One rule a threshold may name: its allowed range and the rule it may not exceed."""

    name: str
    low: float
    high: float
    not_above: str = ""


def threshold_rules(seeds_dir: Path) -> dict[str, ThresholdRule]:
    """The rules of `meta: rules:` of the audit_thresholds seed in seeds/_seeds.yml ({} when absent)."""
    document = seed_schema_document(seeds_dir)
    seed = next((s for s in document.get("seeds", []) if s.get("name") == SEED), {})
    declared = (seed.get("config", {}).get("meta") or {}).get("rules") or {}
    return {
        name: ThresholdRule(name, float(spec["min"]), float(spec["max"]), str(spec.get("not_above") or ""))
        for name, spec in declared.items()
    }


def check_thresholds(table: SeedTable | None, seeds_dir: Path, vocabulary: Vocabulary, add: Add) -> None:
    """Check the thresholds against their schema; drop every threshold with a problem from `vocabulary`."""
    if table is None:
        return  # unreadable: reported by the seed reader
    schema = threshold_rules(seeds_dir)
    if not schema:
        add(Problem(f"seeds/{SEED_SCHEMA_FILE}", None, "threshold_schema_missing", f"the {SEED} seed declares no meta: rules:"))
        return
    bad: set[str] = set()
    lines = {row["rule"]: row for row in rows(table)}
    for row in rows(table):
        rule, value = schema.get(row["rule"]), to_float(row["threshold"])
        if rule is None:
            add(
                at(
                    table,
                    row,
                    "unknown_threshold_rule",
                    f"no audit reads a threshold named {row['rule']!r}"
                    + suggest(row["rule"], list(schema))
                    + f" (the rules are listed in seeds/{SEED_SCHEMA_FILE}, {SEED}: meta: rules)",
                )
            )
        elif value is not None and not rule.low <= value <= rule.high:
            bad.add(rule.name)
            add(
                at(
                    table,
                    row,
                    "threshold_out_of_range",
                    f"{rule.name} = {row['threshold']} is outside {rule.low:g}..{rule.high:g}, the range seeds/{SEED_SCHEMA_FILE} allows",
                )
            )
    for rule in schema.values():
        row = lines.get(rule.name)
        if row is None:
            bad.add(rule.name)
            add(
                Problem(
                    table.display_path,
                    1,  # a missing row has no line: its file's header (line None would not sort with the others)
                    "threshold_missing",
                    f"no row for rule {rule.name!r}: every rule an audit reads needs its threshold (a missing one switches the audit off)",
                )
            )
            continue
        upper = lines.get(rule.not_above)
        low, high = to_float(row["threshold"]), to_float(upper["threshold"]) if upper else None
        if low is not None and high is not None and low > high:
            bad.update((rule.name, rule.not_above))
            add(
                at(
                    table,
                    row,
                    "threshold_bounds_crossed",
                    f"{rule.name} = {row['threshold']} is above {rule.not_above} = {upper['threshold']} (line {upper.line}): "
                    "nothing could lie between them",
                )
            )
    for name in bad:
        vocabulary.thresholds.pop(name, None)
