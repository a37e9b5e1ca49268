"""One snapshot of the inputs per refresh run: the seeds and documents it validates are the ones it builds.

A refresh reads its inputs several times: the validator reads seeds/ and reports/, dbt reads the seeds
seconds later, the publish and the report site read the documents later still. Read from the working
tree, an edit made in between (a quote replaced by markup, a document appended to) would be built and
published without any validation having seen it. So a run copies both folders once, into
build/inputs/<run id>/ (small files: the curated CSVs and the stored documents), and every step reads
that copy: the validator, dbt, the build stamp, the publish's document hashes and the site. An edit
made during a run waits for the next run.

dbt reads the snapshot through a link per served file (`ProjectPaths.inputs_link`, under build/) that a
run points at its own snapshot for its dbt build, while it holds the served file's refresh lock, and
back at the working tree afterwards, where the parse of Dagster's manifest reads it: the path dbt is
given stays the same, so every build reuses a parse instead of parsing the whole project again (dbt
parses everything when a path in dbt_project.yml or a --vars value changes).
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from pathlib import Path

from .paths import ProjectPaths

# the seed folder dbt reads (dbt_project.yml's seed-paths; default: the working tree's seeds/)
SEEDS_DIR_ENV = "MARKETWH_SEEDS_DIR"
KEEP = 3  # snapshots kept under build/inputs, for looking into a recent run


def dbt_seeds_path(seeds: Path, root: Path) -> str:
    """`seeds` as dbt's seed-paths must name it: relative to the dbt project. dbt writes each seed's run
    SQL to target/run/<project>/<the seed's path>, and an absolute path there is the seed file itself:
    every build overwrote the snapshot's (or, through the link, the working tree's) CSVs with SQL."""
    return os.path.relpath(seeds, ProjectPaths(root).dbt_dir)


def run_inputs(root: Path, run_id: str) -> Path:
    """The snapshot of run `run_id`: taken by the first step of the run that asks (the validation, or
    the first step of a part run that skips both), then the same folder for every later step."""
    paths = ProjectPaths(root)
    snapshot = paths.inputs_snapshot(run_id)
    if snapshot.is_dir():
        return snapshot
    paths.inputs_snapshots.mkdir(parents=True, exist_ok=True)
    scratch = paths.inputs_snapshots / f".{run_id}.{uuid.uuid4().hex[:8]}.tmp"
    try:
        _copy_seeds(paths.seeds_dir, scratch / "seeds")
        _copy_documents(paths.reports_dir, scratch / "reports", paths.reports_dir.resolve(), set())
        os.rename(scratch, snapshot)  # whole or not at all; another step that took it first wins
    except OSError:
        shutil.rmtree(scratch, ignore_errors=True)
        if not snapshot.is_dir():
            raise
    _prune(paths.inputs_snapshots, snapshot)
    return snapshot


def _copy_seeds(source: Path, destination: Path) -> None:
    destination.mkdir(parents=True)
    if source.is_dir():
        for path in source.iterdir():
            if path.is_file():  # regular files (links followed); never a device or FIFO
                shutil.copyfile(path, destination / path.name)


def _copy_documents(source: Path, destination: Path, reports: Path, seen: set[Path]) -> None:
    """Copy the documents folder. A link that resolves inside reports/ is copied as the file it names;
    one that leads outside stays a link to the same place, so the validator refuses it exactly as it
    refuses it in the working tree (documents must lie inside reports/)."""
    destination.mkdir(parents=True, exist_ok=True)
    if not source.is_dir() or source.resolve() in seen:
        return
    seen = seen | {source.resolve()}
    for entry in os.scandir(source):
        path, target = Path(entry.path), destination / entry.name
        if entry.is_symlink():
            resolved = path.resolve()
            if not resolved.is_relative_to(reports) or resolved == reports:
                target.symlink_to(resolved)
                continue
            path = resolved
        if path.is_dir():
            _copy_documents(path, target, reports, seen)
        elif path.is_file():
            shutil.copyfile(path, target)


def _prune(snapshots: Path, current: Path, keep: int = KEEP) -> None:
    """Remove all but the newest `keep` snapshots, and the scratch copies a killed run left behind (not
    one being copied now: a refresh of another served file may be taking its snapshot)."""
    now = time.time()
    folders = sorted(
        (p for p in snapshots.iterdir() if p != current and not (p.name.startswith(".") and now - p.stat().st_mtime < 600)),
        key=lambda p: p.stat().st_mtime,
    )
    for old in folders[: max(len(folders) - (keep - 1), 0)]:
        shutil.rmtree(old, ignore_errors=True)


def parse_inputs(link: Path, root: Path) -> Path:
    """The inputs link as dbt parses the project for Dagster's manifest, outside a run: pointing at
    the working tree (its seeds/), unless a refresh points it at its snapshot now. Parsed with the same
    path as the builds, dbt's first build reuses that parse instead of parsing everything again."""
    if not link.exists():  # never made, or left naming a pruned snapshot by a killed run
        point_inputs(link, root)
    return link


def point_inputs(link: Path, snapshot: Path) -> Path:
    """Point `link` (an engine's inputs link) at `snapshot` (or the checkout, for the working tree), in
    one rename; returns the link."""
    from .warehouse.publish import point_link

    link.parent.mkdir(parents=True, exist_ok=True)
    point_link(link, snapshot)
    return link
