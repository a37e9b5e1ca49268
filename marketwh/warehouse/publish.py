"""Write-audit-publish for the served DuckDB file.

A refresh builds into a candidate file beside the served one and audits it. Publishing gives the
audited build its own name under `.<name>.builds/` (read-only permissions) and then switches the
served path, a symbolic link, to it with one atomic rename. BI tools that hold the served file keep
reading the build they opened until they reconnect; a reader is never blocked and never sees a
half-written warehouse.

A BI tool that opens the served path read-write by mistake (DBeaver's and `duckdb.connect()`'s
default) can only ever change the build it opened: DuckDB resolves the link, so its write-ahead log
sits beside that build, never beside the next one, and the next publish points new readers at a
file it has never opened. The rollback copy (`<name>.previous.duckdb`) is a pristine byte copy made
when that build was published, which no client has ever opened.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from datetime import UTC, datetime
from pathlib import Path

from ..errors import RefreshError
from ..failpoints import failpoint
from ..paths import ServedPaths
from .reader import read_only


def _remove(path: Path) -> None:
    for leftover in (path, path.with_name(path.name + ".wal"), path.with_name(path.name + ".tmp")):
        leftover.unlink(missing_ok=True)


def prepare_candidate(served: Path) -> Path:
    """A fresh, empty candidate location. A candidate left behind by a crashed run is discarded:
    it was never published, so nothing is lost."""
    candidate = ServedPaths(served).candidate
    candidate.parent.mkdir(parents=True, exist_ok=True)
    _remove(candidate)
    return candidate


def copy_served_candidate(served: Path) -> Path:
    """The candidate as a writable byte copy of the served build (sealed at its publish: no log beside it).
    Only the copy is written: a failed run leaves the served build as it was."""
    candidate = prepare_candidate(served)
    shutil.copyfile(served.resolve(), candidate)
    candidate.chmod(0o644)  # published builds are read-only
    return candidate


def git_commit(root: Path) -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10)
        commit = out.stdout.strip() if out.returncode == 0 else "unknown"
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True, timeout=10)
        return commit + ("+uncommitted" if dirty.returncode == 0 and dirty.stdout.strip() else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


# what the build stamp marts.warehouse_build (dbt/models/marts/warehouse_build.sql) reads from the
# environment dbt runs in: set by the refresh, never passed as --vars (a changed var makes dbt parse
# the whole project again, a changed environment variable only the model that reads it)
STAMP_RUN_ID_ENV, STAMP_COMMIT_ENV, STAMP_BUILD_ID_ENV = "MARKETWH_RUN_ID", "MARKETWH_GIT_COMMIT", "MARKETWH_BUILD_ID"
# "true" when the run was told the vocabulary changed on purpose (`marketwh refresh --accept-vocabulary-change`,
# the run tag below): stamped as warehouse_build.accepted_vocabulary_change, which the publish guard reads
STAMP_ACCEPT_VOCABULARY_ENV = "MARKETWH_ACCEPT_VOCABULARY_CHANGE"
ACCEPT_VOCABULARY_TAG = "marketwh/accept_vocabulary_change"


def build_stamp_env(*, run_id: str, root: Path, build_id: str | None = None) -> dict[str, str]:
    """The environment dbt stamps the build with: the run, the commit of `root`, the Spark build id."""
    return {STAMP_RUN_ID_ENV: run_id, STAMP_COMMIT_ENV: git_commit(root), STAMP_BUILD_ID_ENV: build_id or ""}


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(candidate: Path, served: Path) -> Path | None:
    """Publish the audited candidate as the served file, atomically.

    Returns the rollback copy of the previous served build (None on a first publish). On any error
    before the final rename the served path still names the build it named before.
    """
    if not candidate.exists():
        raise RefreshError(f"no candidate warehouse at {candidate}: nothing to publish")
    if candidate.parent.parent != served.parent:
        raise RefreshError(f"candidate {candidate} is not beside {served}: publishing must be a rename on one filesystem")
    _seal(candidate)
    builds = ServedPaths(served).builds
    builds.mkdir(parents=True, exist_ok=True)
    builds = builds.resolve()
    previous_pristine = _pristine_of_current(served, builds)
    # A reader that resolved the link an instant before the switch opens this build next: it stays
    # until the following publish, so resolving and opening never race with pruning.
    previously_served = served.resolve() if served.is_symlink() else None
    build_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
    published = builds / f"{build_id}.duckdb"
    try:
        _read_only_copy(candidate, _pristine(published))  # the next publish's rollback copy
        os.replace(candidate, published)
        published.chmod(0o444)
        failpoint("publish.before_rename")
        point_link(served, published)  # the publish: one atomic rename of a link
    except BaseException:
        # nothing was published: drop this publish's files, or a copy cut short by a full disk would
        # hold the space the next publish needs (the candidate is rebuilt by the next refresh)
        for leftover in (_pristine(published), published):
            leftover.unlink(missing_ok=True)
        raise
    rollback = None
    if previous_pristine is not None:
        rollback = ServedPaths(served).previous
        point_link(rollback, previous_pristine)
    _fsync_dir(served.parent)
    _prune(builds, keep={published, _pristine(published), previous_pristine, previously_served})
    return rollback


def _seal(candidate: Path) -> None:
    """The candidate must be complete and closed: fold any WAL into the file, prove it opens, sync it."""
    import duckdb

    con = duckdb.connect(str(candidate))
    con.execute("checkpoint")
    con.close()
    if candidate.with_name(candidate.name + ".wal").exists():
        raise RefreshError(f"candidate {candidate} still has a write-ahead log after checkpoint; refusing to publish")
    with read_only(candidate) as check:
        check.execute("select count(*) from information_schema.tables").fetchall()
    with open(candidate, "rb+") as handle:
        os.fsync(handle.fileno())


_pristine = ServedPaths.pristine


def _read_only_copy(source: Path, destination: Path) -> None:
    """A synced, read-only byte copy; nothing is left at `destination` when copying fails (a full disk)."""
    try:
        shutil.copyfile(source, destination)
        with open(destination, "rb") as handle:
            os.fsync(handle.fileno())
        destination.chmod(0o444)
    except BaseException:
        destination.unlink(missing_ok=True)
        raise


def _pristine_of_current(served: Path, builds: Path) -> Path | None:
    """The untouched copy of the build the served path names now (None when nothing is served). A
    served file from before builds had their own names is copied once, as it is now."""
    if not served.exists():
        return None
    if served.is_symlink():
        pristine = _pristine(served.resolve())
        if pristine.exists():
            return pristine
    legacy = _pristine(builds / ("unnamed-" + uuid.uuid4().hex[:8] + ".duckdb"))
    _read_only_copy(served, legacy)
    return legacy


def point_link(link: Path, target: Path) -> None:
    """Make `link` a relative symbolic link to `target`, replacing whatever it was in one rename."""
    staging = link.with_name(f".{link.name}.{uuid.uuid4().hex[:8]}.link")
    staging.symlink_to(os.path.relpath(target, link.parent))
    os.replace(staging, link)


def _prune(builds: Path, keep: set[Path | None]) -> None:
    """Remove builds nothing points at any more (and a careless writer's log beside them), except the
    one served until this publish; a reader still holding an older one keeps its open file until it
    disconnects."""
    kept = {path.resolve() for path in keep if path is not None}
    for path in builds.iterdir():
        if path.resolve() not in kept and path.with_suffix("").resolve() not in kept:
            path.unlink(missing_ok=True)
