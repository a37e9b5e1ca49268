"""The one dbt project, as Dagster sees it, and the manifest its asset graph is read from.

Constructing DbtProject reads no dbt code. The manifest is written by `dbt parse` when the dbt sources
changed since it was last written (`ensure_manifest`), which `marketwh refresh`, `marketwh ui` and the
definitions loader call before the dbt assets are built: never at import time, and never twice for the
same sources, so `dagster definitions validate` and `dg check defs` work on a fresh clone without a
manual step.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import threading
from pathlib import Path

from dagster_dbt import DbtProject

from marketwh import dbtrun
from marketwh.errors import unwritable
from marketwh.paths import REPO_ROOT, ProjectPaths, dbt_sources_digest

PATHS = ProjectPaths.default()
# target_path is relative to the dbt project directory: build/dbt/target at the repository root.
DBT_TARGET_PATH = Path(os.path.relpath(PATHS.dbt_target, PATHS.dbt_dir))
FINGERPRINT_FILE = "manifest.sources.sha256"
PARTIAL_PARSE_FILE = "partial_parse.msgpack"

dbt_project = DbtProject(
    project_dir=PATHS.dbt_dir,
    profiles_dir=PATHS.dbt_dir,
    target_path=DBT_TARGET_PATH,
)


def build_vars(served: Path, root: Path = REPO_ROOT) -> str:
    """The `--vars` of a refresh's `dbt build`: the candidate file beside the served one. The manifest
    is parsed with the same vars, so every build reuses that parse (dbt parses everything again when
    its vars change, ~4 s here)."""
    from marketwh.warehouse.engine import DuckDBEngine

    return json.dumps(DuckDBEngine(served, root).dbt_vars())


def parse_env(root: Path = REPO_ROOT) -> dict[str, str]:
    """The environment of the manifest's parse: the seeds through the served file's inputs link, the
    path its builds read them through (marketwh/inputs.py), so the first build reuses this parse."""
    from marketwh.inputs import SEEDS_DIR_ENV, dbt_seeds_path, parse_inputs

    paths = ProjectPaths(root)
    return {SEEDS_DIR_ENV: dbt_seeds_path(parse_inputs(paths.inputs_link(paths.served_db()), root) / "seeds", root)}


def reuse_parse(run_target: Path, served: Path, root: Path = REPO_ROOT) -> None:
    """Give a run's own target folder a saved parse state, so its `dbt build` parses only what changed
    since (dbt's partial parsing) instead of the whole project: the last build's of this served file,
    which read the seeds through the same inputs link (`save_parse`), else the one `prepare_manifest`
    saved (parsed from the working tree's seeds/: dbt parses everything once more)."""
    for saved in (ProjectPaths(root).dbt_parse_state(served), ProjectPaths(root).dbt_target / PARTIAL_PARSE_FILE):
        if saved.exists():
            run_target.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(saved, run_target / PARTIAL_PARSE_FILE)
            return


def save_parse(run_target: Path, served: Path, root: Path = REPO_ROOT) -> None:
    """Keep the parse state of a finished build for the next build of the same served file."""
    state, saved = run_target / PARTIAL_PARSE_FILE, ProjectPaths(root).dbt_parse_state(served)
    if state.exists():
        saved.parent.mkdir(parents=True, exist_ok=True)
        scratch = saved.with_name(f".{saved.name}.{os.getpid()}")
        shutil.copyfile(state, scratch)
        os.replace(scratch, saved)


def dbt_sources_fingerprint(root: Path = REPO_ROOT) -> str:
    """sha256 over what the dbt manifest is parsed from: the dbt project, the seed schema and the vars
    of the refresh's build."""
    return hashlib.sha256((build_vars(ProjectPaths(root).served_db(), root) + dbt_sources_digest(root)).encode()).hexdigest()


def prepare_manifest(root: Path = REPO_ROOT, *, only_if_stale: bool = False) -> Path:
    """Write the dbt manifest Dagster builds its asset graph from (`dbt parse`, ~3 s).

    Several processes load the definitions at once (the webserver's and the daemon's code servers, a
    refresh): one parses at a time (a lock beside the target), into its own folder, and the manifest
    is moved into place with one atomic rename, so a reader never sees half a file."""
    target = ProjectPaths(root).dbt_target
    try:  # dbt says only "parse failed" when it cannot write its target: say what and where
        target.mkdir(parents=True, exist_ok=True)
        (target / ".writable").touch()
    except OSError as error:
        raise unwritable(target, error) from None
    with open(target.parent / ".parse.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        fingerprint = dbt_sources_fingerprint(root)
        if only_if_stale and _manifest_is_current(target, fingerprint):
            return target / "manifest.json"  # another process parsed it while this one waited
        scratch = target.parent / f"target.parse-{os.getpid()}"
        shutil.rmtree(scratch, ignore_errors=True)
        scratch.mkdir()
        if (target / PARTIAL_PARSE_FILE).exists():  # parse only what changed since
            shutil.copyfile(target / PARTIAL_PARSE_FILE, scratch / PARTIAL_PARSE_FILE)
        try:
            dbtrun.parse(ProjectPaths(root), scratch, build_vars(ProjectPaths(root).served_db(), root), env=parse_env(root))
            for name in (PARTIAL_PARSE_FILE, "manifest.json"):
                os.replace(scratch / name, target / name)
            (scratch / FINGERPRINT_FILE).write_text(fingerprint + "\n")
            os.replace(scratch / FINGERPRINT_FILE, target / FINGERPRINT_FILE)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    return target / "manifest.json"


def _manifest_is_current(target: Path, fingerprint: str) -> bool:
    recorded = target / FINGERPRINT_FILE
    return (target / "manifest.json").exists() and recorded.exists() and recorded.read_text().strip() == fingerprint


def run_target_path(run_id: str, keep: int = 3) -> Path:
    """dbt's target folder for one run, under build/dbt/runs/ (never beside the dbt sources); the
    folders of older runs are pruned so that only the last `keep` remain for debugging. The pruning
    runs in a thread, while dbt builds: deleting a run's ~650 files took ~2 s of this machine's loaded
    disk before the build could start (~0.07 s of CPU). A prune cut short is finished by the next run's."""
    runs = PATHS.dbt_runs
    runs.mkdir(parents=True, exist_ok=True)
    old = sorted(runs.iterdir(), key=lambda p: p.stat().st_mtime)[: -(keep - 1) or None]
    threading.Thread(target=_remove_folders, args=(old,), name="prune dbt runs", daemon=True).start()
    return runs / run_id


def _remove_folders(folders: list[Path]) -> None:
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


def ensure_manifest(root: Path = REPO_ROOT) -> Path:
    """The manifest, parsed again only when the dbt sources changed since it was written."""
    target = ProjectPaths(root).dbt_target
    if _manifest_is_current(target, dbt_sources_fingerprint(root)):
        return target / "manifest.json"
    return prepare_manifest(root, only_if_stale=True)
