"""What a build's rows depend on besides the reports' own inputs, as one digest.

A refresh builds incrementally (docs/scale.md "Build what changed"): its candidate starts as a copy of
the served build and the per-report chain rebuilds only the reports whose own inputs (their catalogue
row with the document's sha256, their figures, their claims) changed, decided in SQL
(intermediate.int_reports_changed). Anything else that can change a report's rows without changing its
inputs forces a full build: the dbt project (models, macros, project file), every other seed (the
vocabulary, thresholds, exchange rates, ...), the package and the engine versions. Their digest is
stamped in the build (marts.warehouse_build.definitions_digest); a refresh whose digest differs from the
served build's, or with nothing served, builds everything into a fresh candidate.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

from ..paths import ProjectPaths
from .reader import read_build_info

DEFINITIONS_DIGEST_ENV, BUILD_MODE_ENV = "MARKETWH_DEFINITIONS_DIGEST", "MARKETWH_BUILD_MODE"
FULL_BUILD_TAG = "marketwh/full_build"  # a run tagged "true" builds everything (`marketwh refresh --full`)
# the seeds that are a report's own inputs (their rows are fingerprinted per report, not digested here),
# and the acknowledgements of findings, fingerprinted with their report's market (int_markets_changed:
# the consensus models rebuild its market) and read whole by the models rebuilt whole (findings)
REPORT_SEEDS = ("reports.csv", "report_figures.csv", "report_claims.csv", "finding_acknowledgements.csv")
_PROJECT_FOLDERS = ("models", "macros")
_VERSIONS = ("marketwh", "dbt-core", "dbt-duckdb", "duckdb")


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "none"


def definitions_digest(root: Path, seeds: Path) -> str:
    """sha256 over the dbt project of `root`, the seeds in `seeds` but the reports' own, and the versions."""
    digest = hashlib.sha256()
    dbt_dir = ProjectPaths(root).dbt_dir
    files = [dbt_dir / "dbt_project.yml"]
    files += sorted(path for folder in _PROJECT_FOLDERS for path in (dbt_dir / folder).rglob("*") if path.is_file())
    named = [(str(path.relative_to(dbt_dir)), path) for path in files if path.is_file()]
    if seeds.is_dir():
        named += sorted((f"seeds/{path.name}", path) for path in seeds.iterdir() if path.is_file() and path.name not in REPORT_SEEDS)
    for name, path in named:
        digest.update(f"{name}\0{hashlib.sha256(path.read_bytes()).hexdigest()}\n".encode())
    for package in _VERSIONS:
        digest.update(f"{package}=={_version(package)}\n".encode())
    return digest.hexdigest()


def served_definitions_digest(served: Path) -> str | None:
    """The digest the served build was stamped with; None when nothing is served or it has none."""
    if not served.exists():
        return None
    try:
        return read_build_info(served).get("definitions_digest")
    except Exception:  # no stamp at all: build everything (an older stamp without the column gives None)
        return None


# what makes a node's rows depend on more than its parents' rows: the environment, the clock, files
_OUTSIDE_INPUTS = ("env_var(", "var(", "run_started_at", "invocation_id", "current_date", "current_timestamp", "now(", "read_csv", "glob(")


def kept_from_the_copy(manifest: Mapping[str, Any]) -> list[str]:
    """The dbt nodes an incremental build does not run again, as `fqn:` selectors for `--exclude`: the
    seeds in the definitions digest (every seed but REPORT_SEEDS) and every model and data test all of
    whose parents are such nodes. The digest being the served build's, the copied candidate already holds
    their rows and views, the same as a build would write them. A node whose SQL, or a macro it calls,
    reads the environment, the clock or a file (`_OUTSIDE_INPUTS`) is always run, as is one with no parent."""
    nodes, macros = manifest["nodes"], manifest.get("macros", {})
    kept = {
        uid for uid, node in nodes.items() if node["resource_type"] == "seed" and Path(node["original_file_path"]).name not in REPORT_SEEDS
    }
    grown = True
    while grown:
        grown = False
        for uid, node in nodes.items():
            parents = node.get("depends_on", {}).get("nodes", [])
            if uid in kept or node["resource_type"] not in ("model", "test") or not parents:
                continue
            if all(parent in kept for parent in parents) and not _reads_outside(node, macros):
                kept.add(uid)
                grown = True
    return sorted("fqn:" + ".".join(nodes[uid]["fqn"]) for uid in kept)


def leave_out_args(kept: list[str]) -> list[str]:
    """The `dbt build` arguments that leave out the `kept` selectors (`kept_from_the_copy`), for a build
    that selects every node itself (`fqn:*`): a data test is then left out only when named, never because
    one of its parents was (dbt's default indirect selection, eager, would drop the relationships tests
    of rebuilt models into the vocabulary)."""
    return ["--exclude", " ".join(kept), "--indirect-selection", "empty"] if kept else []


def _reads_outside(node: Mapping[str, Any], macros: Mapping[str, Any]) -> bool:
    """Whether the node's SQL or any macro it calls (and they call) names one of `_OUTSIDE_INPUTS`."""
    seen, texts, pending = set(), [node.get("raw_code", "")], list(node.get("depends_on", {}).get("macros", []))
    while pending:
        name = pending.pop()
        if name in seen or name not in macros:
            continue
        seen.add(name)
        texts.append(macros[name].get("macro_sql", ""))
        pending += macros[name].get("depends_on", {}).get("macros", [])
    return any(token in text for text in texts for token in _OUTSIDE_INPUTS)
