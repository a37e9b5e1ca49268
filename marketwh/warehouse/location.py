"""The served file's location checked before a refresh builds anything, with one sentence per problem.

A refresh writes beside the served file (its candidate, the refresh lock, the published builds), so a
WAREHOUSE_DB that names a directory, or a folder that cannot be created or written, would otherwise be
found only after the whole build (~40 s), or as a long traceback from deep inside the lock or DuckDB.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from ..errors import RefreshError, unwritable
from ..paths import WAREHOUSE_DB_ENV, ServedPaths


def check_served_location(served: Path, build_dir: Path | None = None) -> None:
    """Raise RefreshError, in one sentence, when no refresh could publish to `served` (a file under the
    project's `build_dir`, when given, gets the sentence for build/)."""
    named = f"the served file {served} ({WAREHOUSE_DB_ENV} or its default)"
    if served.is_dir():
        raise RefreshError(f"{named} is a directory: {WAREHOUSE_DB_ENV} must name a DuckDB file such as {served / 'warehouse.duckdb'}")
    if served.exists() and not served.is_file():
        raise RefreshError(f"{named} is not a regular file (a device, FIFO or socket): {WAREHOUSE_DB_ENV} must name a DuckDB file")
    work = ServedPaths(served).candidate.parent  # where a refresh writes first (its candidate and lock)
    try:
        work.mkdir(parents=True, exist_ok=True)
        probe = work / f".writable.{uuid.uuid4().hex[:8]}"
        probe.touch()
        probe.unlink()
    except OSError as error:
        if build_dir is not None and served.parent.is_relative_to(build_dir):  # the default place: the sentence for build/
            raise unwritable(_first_missing_or(work), error) from None
        reason = error.strerror or type(error).__name__
        raise RefreshError(
            f"cannot write {_first_missing_or(work)} ({reason}), where a refresh of {named} builds its candidate: "
            f"point {WAREHOUSE_DB_ENV} at a file in a writable folder"
        ) from None
    if not os.access(served.parent, os.W_OK):
        raise RefreshError(f"cannot write {served.parent}, the folder of {named}: point {WAREHOUSE_DB_ENV} at a file in a writable folder")


def _first_missing_or(path: Path) -> Path:
    """The folder that stops the writing: the first of `path` and its ancestors that is not a directory
    (`path` itself when they all are)."""
    return next((folder for folder in reversed([path, *path.parents]) if not folder.is_dir()), path)
