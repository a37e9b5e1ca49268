"""Benchmark of the refresh path: how long each command takes and how much memory it needs.

Targets are recorded here, not asserted in tests (a timed test fails on a busy machine, not on slow
code). Runs on a throw-away copy of the project so the served warehouse is untouched, and writes
bench/results.md.

    make bench            # or: .venv/bin/python bench/run.py [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from marketwh.paths import copy_sources  # noqa: E402  (the checkout being measured)

# what we hold ourselves to on the reference machine (2 cores, 24 GiB)
TARGETS = {
    "validate": ("marketwh validate", 1.0, "s"),
    "refresh": ("marketwh refresh (full, through Dagster)", 60.0, "s"),
    "refresh_rss": ("peak memory of a refresh (largest process)", 1024.0, "MiB"),
}


# A fresh wrapper process per command, so RUSAGE_CHILDREN's peak belongs to that command alone.
_MEASURE = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE).returncode\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "sys.exit(code)\n"
)


def run(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and the peak RSS (MiB) of the largest process the command started."""
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", _MEASURE, *command], cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr[-3000:]}")
    return elapsed, int(result.stdout.strip().splitlines()[-1]) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per command (median is reported)")
    args = parser.parse_args()

    work = copy_sources(Path(tempfile.mkdtemp(prefix="marketwh-bench-")), REPO)
    env = {
        **os.environ,
        "PYTHONPATH": str(work),
        "WAREHOUSE_DB": str(work / "build" / "warehouse.duckdb"),
        "DAGSTER_HOME": str(work / "build" / "dagster"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    cli = [sys.executable, "-m", "marketwh.cli"]
    dbt = str(Path(sys.executable).parent / "dbt")

    measured: dict[str, list[tuple[float, float]]] = {"validate": [], "dbt_parse": [], "dbt_build": [], "refresh": []}
    for _ in range(args.repeat):
        measured["validate"].append(run([*cli, "validate"], work, env))
        measured["dbt_parse"].append(
            run(
                [
                    dbt,
                    "parse",
                    "--project-dir",
                    "dbt",
                    "--profiles-dir",
                    "dbt",
                    "--no-partial-parse",
                    "--target-path",
                    str(work / "build" / "bench-target"),
                    "--quiet",
                ],
                work,
                env,
            )
        )
        candidate = work / "build" / "bench" / "warehouse.duckdb"
        candidate.parent.mkdir(parents=True, exist_ok=True)
        candidate.unlink(missing_ok=True)
        measured["dbt_build"].append(
            run(
                [
                    dbt,
                    "build",
                    "--project-dir",
                    "dbt",
                    "--profiles-dir",
                    "dbt",
                    "--quiet",
                    "--target-path",
                    str(work / "build" / "bench-target"),
                    "--vars",
                    f"{{duckdb_path: '{candidate}'}}",
                ],
                work,
                env,
            )
        )
        measured["refresh"].append(run([*cli, "refresh"], work, env))
    served = work / "build" / "warehouse.duckdb"
    size_mib = served.stat().st_size / 2**20

    def median(key: str, index: int = 0) -> float:
        return statistics.median(m[index] for m in measured[key])

    rows = [
        ("marketwh validate (pure Python, no dbt/Dagster/GX import)", median("validate"), median("validate", 1)),
        ("dbt parse (full)", median("dbt_parse"), median("dbt_parse", 1)),
        ("dbt build alone (seeds, models, data and unit tests)", median("dbt_build"), median("dbt_build", 1)),
        ("marketwh refresh (Dagster: validate, dbt build, GX, publish)", median("refresh"), median("refresh", 1)),
    ]
    verdicts = [
        ("validate", median("validate")),
        ("refresh", median("refresh")),
        ("refresh_rss", max(m[1] for m in measured["refresh"])),
    ]
    lines = [
        "# Benchmark results",
        "",
        f"Recorded {datetime.now(UTC).isoformat(timespec='seconds')} by `bench/run.py --repeat {args.repeat}` "
        f"on {platform.machine()} with {os.cpu_count()} cores, Python {platform.python_version()}.",
        "Median wall time of the runs; peak RSS is the largest process the command started.",
        "",
        "| command | wall time (s) | peak RSS (MiB) |",
        "|---|---:|---:|",
        *[f"| {name} | {seconds:.2f} | {rss:.0f} |" for name, seconds, rss in rows],
        "",
        f"Served DuckDB file: {size_mib:.1f} MiB.",
        "",
        "| target | limit | measured | met |",
        "|---|---:|---:|---|",
        *[
            f"| {TARGETS[key][0]} | {TARGETS[key][1]:g} {TARGETS[key][2]} | {value:.1f} {TARGETS[key][2]} "
            f"| {'yes' if value <= TARGETS[key][1] else 'NO'} |"
            for key, value in verdicts
        ],
        "",
    ]
    (REPO / "bench" / "results.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
