"""Running dbt: which dbt, guarded how, in which environment, with which folders.

Every dbt command the project starts is made here: the refresh's build (run by dagster-dbt, which takes
its executable and arguments from here), the parse that writes Dagster's manifest, the Spark target's
operations, the site's docs, the tests' and the benchmark's builds.

- Which dbt: the one installed beside this Python (the project's .venv), or, for the Spark target,
  the one of its own environment (build/spark/venv, installed on first use: pyspark must never be
  importable in .venv, where Great Expectations would import pyspark.sql.connect, whose dependency
  check exits a run the Dagster daemon launches).
- The guard: `marketwh-dbt` (pyproject's console script, `guard` below) asks the kernel to kill it when
  the process that started it dies, however it dies, then becomes the dbt that MARKETWH_DBT names
  (default: the plain one). A `dbt build` left running without the refresh lock would keep writing
  the candidate.
- The environment: telemetry off, logs under build/dbt/logs, and MARKETWH_TARGET (dbt/profiles.yml)
  picking the target: `candidate` (DuckDB) or `spark`.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .errors import RefreshError
from .paths import SPARK_DIR_ENV, ProjectPaths

DBT_ENV = "MARKETWH_DBT"  # the dbt the guard becomes (the Spark environment's on a Spark refresh)
TARGET_ENV = "MARKETWH_TARGET"  # dbt/profiles.yml's target: candidate (DuckDB, the default) or spark
GUARD = "marketwh-dbt"
# measured together on this machine's Java 17 (pyspark 4.3.0 is the newest that dbt-spark 1.11.0's session
# method runs; dbt-core pinned as in pyproject.toml)
SPARK_PACKAGES = ("dbt-core==1.11.16", "dbt-spark[session]==1.11.0", "pyspark==4.3.0")


def plain_dbt() -> str:
    """The dbt command installed beside this Python (the project's venv), else the one on PATH."""
    candidate = Path(sys.executable).parent / "dbt"
    return str(candidate) if candidate.exists() else "dbt"


def guarded_dbt(fallback: str = "") -> str:
    """`marketwh-dbt`, dbt ended with the process that started it; where the guard is not installed,
    `fallback` (default the plain dbt)."""
    candidate = Path(sys.executable).parent / GUARD
    return str(candidate) if candidate.exists() else (fallback or plain_dbt())


def guard() -> None:
    """The `marketwh-dbt` console script: die with the parent, then become dbt (MARKETWH_DBT, else the
    dbt beside this Python) with the same arguments."""
    from .processes import die_with_parent

    die_with_parent(signal.SIGKILL)
    dbt = os.environ.get(DBT_ENV) or plain_dbt()
    os.execvp(dbt, [dbt, *sys.argv[1:]])


def dbt_command(dbt: str, verb: str, root: Path, target: Path, *args: str) -> list[str]:
    """`dbt <verb>` (one word or two: "docs generate") on the dbt project of the checkout at `root`,
    writing its artifacts to `target`."""
    project = str(ProjectPaths(root).dbt_dir)
    return [dbt, *verb.split(), "--project-dir", project, "--profiles-dir", project, "--target-path", str(target), *args]


def refresh_build_args(dbt_vars: Mapping[str, str]) -> list[str]:
    """The arguments of a refresh's `dbt build` (after the executable). dbt unit tests check the models'
    logic, not the data: the tests run them; a refresh skips them (~2 s, nothing it builds needs them)."""
    return ["build", "--exclude-resource-type", "unit_test", "--vars", json.dumps(dbt_vars)]


def dbt_environment(paths: ProjectPaths, log_path: Path | None = None, **extra: str) -> dict[str, str]:
    """This process's environment for a dbt command: telemetry off, logs under build/dbt/logs (or
    `log_path`), and `extra`."""
    return {
        **os.environ,
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DBT_LOG_PATH": str(log_path or paths.dbt_logs),
        **extra,
    }


def run_dbt(
    verb: str,
    *args: str,
    paths: ProjectPaths,
    target: Path,
    dbt: str = "",
    env: Mapping[str, str] | None = None,
    log_path: Path | None = None,
) -> subprocess.CompletedProcess:
    """Run `dbt <verb> <args>` (guarded) on the project at `paths` and raise RefreshError, with dbt's
    output, when it fails."""
    command = dbt_command(dbt or guarded_dbt(), verb, paths.root, target, *args)
    environment = dbt_environment(paths, log_path, **(env or {}))
    result = subprocess.run(command, cwd=paths.dbt_dir, env=environment, capture_output=True, text=True)
    if result.returncode != 0:
        what = f"dbt {verb} {args[0]}" if verb == "run-operation" else f"dbt {verb}"
        if verb == "run-operation":  # on Spark: its log is long, the error is at the end
            raise RefreshError(f"{what} failed:\n{result.stdout[-3000:]}{result.stderr[-2000:]}")
        raise RefreshError(f"{what} failed:\n{result.stdout}\n{result.stderr}".strip())
    return result


def parse(paths: ProjectPaths, target: Path, dbt_vars: str, env: Mapping[str, str] | None = None) -> None:
    """`dbt parse` into `target` with the refresh's vars (and `env`), on the default target: .venv's dbt
    has no Spark adapter, and a Spark refresh builds the same nodes, run by the Spark environment's dbt."""
    run_dbt("parse", "--vars", dbt_vars, "--quiet", paths=paths, target=target, env={**(env or {}), TARGET_ENV: "candidate"})


def run_operation(paths: ProjectPaths, macro: str, args: Mapping[str, Any], env: Mapping[str, str]) -> None:
    """`dbt run-operation <macro>` with `env` (a Spark build's: spark_command_env), guarded, so the
    operation ends with the refresh that started it."""
    target = paths.dbt_operations
    run_dbt(
        "run-operation",
        macro,
        "--args",
        json.dumps(args),
        paths=paths,
        target=target,
        dbt=guarded_dbt(fallback=env.get(DBT_ENV, "")),
        env=env,
        log_path=target / "logs",
    )


def docs_generate(paths: ProjectPaths, work: Path, dbt_vars: Mapping[str, str]) -> Path:
    """`dbt docs generate --static` with its target and logs under `work`; returns the one HTML file."""
    run_dbt(
        "docs generate",
        "--static",
        "--quiet",
        "--vars",
        json.dumps(dbt_vars),
        paths=paths,
        target=work / "target",
        log_path=work / "logs",
    )
    return work / "target" / "static_index.html"


def spark_dbt(paths: ProjectPaths | None = None) -> str:
    """The dbt executable of the Spark environment, installed on first use (~30 s, 630 MB)."""
    from .envs import ensure_venv

    venv = (paths or ProjectPaths.default()).spark_venv()
    if shutil.which("java") is None:
        raise RefreshError("the Spark target needs Java 17 on the PATH (java not found): apt-get install openjdk-17-jre-headless")
    ensure_venv(venv, SPARK_PACKAGES, what="dbt-spark and pyspark for the Spark target")
    return str(venv / "bin" / "dbt")


def spark_env(spark_dir: Path) -> dict[str, str]:
    """The environment of a dbt command that builds on Spark with its files under `spark_dir`."""
    return {TARGET_ENV: "spark", SPARK_DIR_ENV: str(spark_dir), "SPARK_LOCAL_IP": "127.0.0.1"}


def spark_command_env(spark_dir: Path, paths: ProjectPaths | None = None) -> dict[str, str]:
    """`spark_env`, and the Spark environment's dbt as the one the guard becomes."""
    return {**spark_env(spark_dir), DBT_ENV: spark_dbt(paths)}


def configured_target() -> str:
    """The target MARKETWH_TARGET names ("" when unset)."""
    return os.environ.get(TARGET_ENV, "")


@contextmanager
def patched_environ(values: Mapping[str, str]) -> Iterator[None]:
    """os.environ with `values` set for the block (the dbt command dagster-dbt starts inherits it)."""
    before = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
