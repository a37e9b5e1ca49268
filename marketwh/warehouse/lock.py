"""One refresh per served file at a time, and one build of its report site at a time.

Each lock is an flock on a file beside the served file, so a killed process releases it with its
process: no manual clean-up. A second refresh (or site build) waits for the first to finish (up to a
limit), then refuses with a clear error; it never interleaves. The holder writes its pid into the
file, so the refusal says who holds it.
"""

from __future__ import annotations

import errno
import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from ..errors import RefreshError
from ..paths import ServedPaths


@contextmanager
def refresh_lock(served: Path, wait_seconds: float = 600.0, poll_seconds: float = 0.5) -> Iterator[Path]:
    """Hold the refresh lock of `served` for the block; wait up to `wait_seconds` for it."""
    refusal = "another refresh of {served} is running ({holder}); waited {wait} s. It was not interrupted; try again when it has finished."
    with _held(ServedPaths(served).lock, served, wait_seconds, poll_seconds, refusal) as path:
        yield path


@contextmanager
def site_lock(served: Path, wait_seconds: float = 600.0, poll_seconds: float = 0.2) -> Iterator[Path]:
    """Hold the report site's build lock of `served` for the block: two builds at once would switch the
    site link to each other's folders and prune them; the second waits for the first instead."""
    refusal = "another build of the report site of {served} is running ({holder}); waited {wait} s. Try again when it has finished."
    with _held(ServedPaths(served).site_lock, served, wait_seconds, poll_seconds, refusal) as path:
        yield path


@contextmanager
def _held(lock_path: Path, served: Path, wait_seconds: float, poll_seconds: float, refusal: str) -> Iterator[Path]:
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(lock_path, "a+")  # noqa: SIM115 - held open for the whole block: closing it releases the lock
    deadline = time.monotonic() + wait_seconds
    try:
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as error:
                if error.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "another process"
                    raise RefreshError(refusal.format(served=served, holder=holder, wait=f"{wait_seconds:.0f}")) from None
                time.sleep(poll_seconds)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {datetime.now(UTC).isoformat(timespec='seconds')}\n")
        handle.flush()
        yield lock_path
    finally:
        handle.close()  # releases the flock
