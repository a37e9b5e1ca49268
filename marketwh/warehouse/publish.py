"""Write-audit-publish for the served DuckDB file.

A refresh builds into a candidate file beside the served one, audits it, and only then publishes it
by an atomic rename on the same filesystem. BI tools that hold the served file open keep reading
the old inode until they reconnect; nothing ever writes to the served file in place, so a reader
is never blocked and never sees a half-written warehouse. The previous served file is kept as a
rollback copy (a hard link, so keeping it costs no copy).
"""

from __future__ import annotations

import json
import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from ..errors import RefreshError
from ..failpoints import failpoint
from ..paths import candidate_db, previous_db
from .reader import BUILD_INFO_TABLE, read_only

# Readable by DuckDB 0.10+ CLIs and BI drivers (DuckDB 2.0 would otherwise write format 69).
STORAGE_COMPATIBILITY_VERSION = "v1.0.0"


def _remove(path: Path) -> None:
    for leftover in (path, path.with_name(path.name + ".wal"), path.with_name(path.name + ".tmp")):
        leftover.unlink(missing_ok=True)


def prepare_candidate(served: Path) -> Path:
    """A fresh, empty candidate location. A candidate left behind by a crashed run is discarded:
    it was never published, so nothing is lost."""
    candidate = candidate_db(served)
    candidate.parent.mkdir(parents=True, exist_ok=True)
    _remove(candidate)
    return candidate


def git_commit(root: Path) -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10)
        commit = out.stdout.strip() if out.returncode == 0 else "unknown"
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True, timeout=10)
        return commit + ("+uncommitted" if dirty.returncode == 0 and dirty.stdout.strip() else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def write_build_info(candidate: Path, *, run_id: str, commit: str, report_hashes: dict[str, str]) -> None:
    """Record in the candidate which run, commit and report documents produced it."""
    import duckdb

    con = duckdb.connect(str(candidate))
    try:
        con.execute(f"""
            create or replace table {BUILD_INFO_TABLE} (
                run_id varchar, git_commit varchar, built_at timestamp with time zone,
                report_hashes varchar, duckdb_version varchar, storage_compatibility_version varchar
            )""")
        con.execute(
            f"insert into {BUILD_INFO_TABLE} values (?, ?, ?, ?, ?, ?)",
            [
                run_id,
                commit,
                datetime.now(UTC),
                json.dumps(report_hashes, sort_keys=True),
                duckdb.__version__,
                STORAGE_COMPATIBILITY_VERSION,
            ],
        )
        comments = {
            "": "One row: which refresh built this warehouse file. Check it to know what you are reading.",
            "run_id": "Dagster run id of the refresh that built and published this file.",
            "git_commit": (
                "Commit of the project (seeds, models) the file was built from; +uncommitted when the checkout had local changes."
            ),
            "built_at": "When the candidate was audited and stamped (UTC).",
            "report_hashes": "JSON: report_id -> sha256 of the stored report document the figures were checked against.",
            "duckdb_version": "DuckDB library that wrote the file.",
            "storage_compatibility_version": "Oldest DuckDB storage version able to read the file.",
        }
        for column, text in comments.items():
            target = f"table {BUILD_INFO_TABLE}" if not column else f"column {BUILD_INFO_TABLE}.{column}"
            con.execute(f"comment on {target} is '{text.replace(chr(39), chr(39) * 2)}'")
        con.execute("checkpoint")
    finally:
        con.close()


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(candidate: Path, served: Path) -> Path | None:
    """Atomically replace the served file with the audited candidate.

    Returns the rollback copy of the previous served file (None on a first publish). On any error
    before the final rename the served file is untouched.
    """
    import duckdb

    if not candidate.exists():
        raise RefreshError(f"no candidate warehouse at {candidate}: nothing to publish")
    if candidate.parent.parent != served.parent:
        raise RefreshError(f"candidate {candidate} is not beside {served}: publishing must be a rename on one filesystem")
    # The candidate must be complete and closed: fold any WAL into the file, then prove it opens.
    con = duckdb.connect(str(candidate))
    con.execute("checkpoint")
    con.close()
    if candidate.with_name(candidate.name + ".wal").exists():
        raise RefreshError(f"candidate {candidate} still has a write-ahead log after checkpoint; refusing to publish")
    with read_only(candidate) as check:
        check.execute("select count(*) from information_schema.tables").fetchall()
    with open(candidate, "rb+") as handle:
        os.fsync(handle.fileno())

    served.parent.mkdir(parents=True, exist_ok=True)
    rollback = None
    if served.exists():
        rollback = previous_db(served)
        staging_link = rollback.with_name(rollback.name + ".tmp")
        _remove(staging_link)
        try:
            os.link(served, staging_link)
        except OSError:
            import shutil

            shutil.copy2(served, staging_link)
        os.replace(staging_link, rollback)
    failpoint("publish.before_rename")
    os.replace(candidate, served)  # the publish: atomic on POSIX
    _fsync_dir(served.parent)
    return rollback
