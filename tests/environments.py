"""The side environments the environment tests need, installed in the background from the start of a run.

The Spark target (dbt-spark, pyspark), Superset and the DuckDB 1.x clients each live in a virtualenv of
their own under build/, installed on first use (marketwh/envs.py), up to a minute each on a fresh clone, and
mostly waiting on disk and the package index. A test module used to install its environment in its
setup, on the critical path of its worker. Now the first worker starts one background process that
installs every environment the selected tests need, side by side, as soon as the tests are collected;
the modules' fixtures call the same `ensure_venv`, which waits on the environment's install lock until
the background install is done (or installs it itself if it failed), so they find it ready or wait.

Run as `python -m tests.environments spark superset clients` (what the conftest starts).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

from marketwh.dbtrun import SPARK_PACKAGES
from marketwh.envs import ensure_venv
from marketwh.paths import ProjectPaths

REPO = Path(__file__).resolve().parent.parent
CLIENT_PACKAGES = ("duckdb-cli==1.5.6", "duckdb==1.5.6")
# the environment tests' markers (conftest.ENVIRONMENTS) whose module installs a side environment
INSTALLED_FOR = ("spark", "superset", "clients")
LOG = ProjectPaths(REPO).build_dir / "tests" / "side-environments.log"


def install(marker: str) -> None:
    """Install the side environment of the tests marked `marker` (the same venv and pins their fixtures use)."""
    paths = ProjectPaths(REPO)
    if marker == "spark":  # the one every project copy shares (tests.helpers.project_env)
        ensure_venv(paths.default_spark_dir / "venv", SPARK_PACKAGES, what="dbt-spark and pyspark for the Spark target")
    elif marker == "superset":
        from serving.superset import run as superset_run

        superset_run.ensure_installed()
    elif marker == "clients":
        ensure_venv(paths.clients_venv, CLIENT_PACKAGES)


def start(markers: set[str]) -> subprocess.Popen | None:
    """The background installer of the environments `markers` need (None when none does); started by
    one worker only (the first, or the only process without xdist)."""
    wanted = [marker for marker in INSTALLED_FOR if marker in markers]
    if not wanted or os.environ.get("PYTEST_XDIST_WORKER", "gw0") != "gw0":
        return None
    LOG.parent.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen(
        [sys.executable, "-m", "tests.environments", *wanted],
        cwd=REPO,
        stdout=open(LOG, "w"),
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )


def main(markers: list[str]) -> int:
    failed = []

    def run(marker: str) -> None:
        try:
            install(marker)
            print(f"{marker}: ready", flush=True)
        except Exception as error:  # the test's own fixture installs it again and reports the error
            failed.append(marker)
            print(f"{marker}: {error}", flush=True)

    threads = [threading.Thread(target=run, args=(marker,)) for marker in markers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
