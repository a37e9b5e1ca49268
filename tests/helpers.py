"""Shared test helpers: a throw-away copy of the project, running its commands, editing its seeds.

Tests that change seeds or documents never touch the checkout: they copy the sources (seeds,
reports, dbt project, Python packages) into a temporary folder and run the copy, with its own
build/ folder, served file and Dagster instance. The fixtures that use these live in conftest.py.
"""

from __future__ import annotations

import contextlib
import csv
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from marketwh.dbtrun import dbt_command, plain_dbt
from marketwh.paths import DAGSTER_HOME_ENV, DOCS_CACHE_ENV, SPARK_VENV_ENV, WAREHOUSE_DB_ENV, ProjectPaths, ServedPaths, copy_sources

REPO = Path(__file__).resolve().parent.parent
REPO_PATHS = ProjectPaths(REPO)
# The data the tests are written against (tests/fixtures/README.md): never the live seeds/ and reports/.
FIXTURE = REPO / "tests" / "fixtures" / "project"
FIXTURE_DATA = ("seeds", "reports")
REPORT_24CHEM = FIXTURE / "reports" / "global-anode-active-material-market-2025-2032.md"


def copy_project(destination: Path, data: Path = FIXTURE) -> Path:
    """A scratch project: the repository's code with the data of `data` (the frozen fixture by default;
    `data=REPO` for a test about whatever the live checkout holds)."""
    copy_sources(destination, REPO)
    if data != REPO:
        for name in FIXTURE_DATA:
            shutil.rmtree(destination / name)
            shutil.copytree(data / name, destination / name)
    return destination


def project_env(root: Path, **extra: str) -> dict[str, str]:
    paths = ProjectPaths(root)
    env = {k: v for k, v in os.environ.items() if k not in (WAREHOUSE_DB_ENV, DAGSTER_HOME_ENV)}
    env.update(
        {
            "PYTHONPATH": str(root),
            WAREHOUSE_DB_ENV: str(paths.default_served_db),
            DAGSTER_HOME_ENV: str(paths.default_dagster_home),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            # every copy with the repository's dbt sources shares one generation of the site's dbt docs
            DOCS_CACHE_ENV: str(REPO_PATHS.build_dir / "tests" / "dbt-docs"),
            # and one Spark environment (dbt-spark, pyspark), installed on first use
            SPARK_VENV_ENV: str(REPO_PATHS.default_spark_dir / "venv"),
        }
    )
    env.update(extra)
    return env


def run_marketwh(root: Path, *args: str, timeout: float = 600, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "marketwh.cli", *args],
        cwd=root,
        env=project_env(root, **env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def dbt_build(root: Path, db_path: Path, *extra: str, dbt: str = "", **env: str) -> subprocess.CompletedProcess:
    """dbt build (seeds, models, data tests, unit tests) of a project copy into db_path (on DuckDB;
    `dbt` and `env` may select another environment and target)."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    paths = ProjectPaths(root)
    return subprocess.run(
        dbt_command(dbt or plain_dbt(), "build", root, paths.dbt_target, "--vars", f"{{duckdb_path: '{db_path}'}}", *extra),
        cwd=root,
        env=project_env(root, DBT_LOG_PATH=str(paths.dbt_logs), **env),
        capture_output=True,
        text=True,
        timeout=1200,
    )


def check_build(root: Path = REPO) -> tuple[Path, Path]:
    """An empty build (`dbt build --empty`: every seed and model, no rows from the models) of the
    checkout at `root`, under build/check/, which dbt unit tests need to exist; cached by the dbt
    sources' digest, so it is built again only when the dbt project or the seed schema changed.
    Returns the DuckDB file and dbt's target folder."""
    from filelock import FileLock

    from marketwh.paths import dbt_sources_digest

    folder = root / "build" / "check"
    folder.mkdir(parents=True, exist_ok=True)
    db, target, stamp = folder / "warehouse.duckdb", folder / "target", folder / "sources.sha256"
    with FileLock(folder / ".build.lock"):
        digest = dbt_sources_digest(root)
        if not (db.exists() and stamp.exists() and stamp.read_text().strip() == digest):
            stamp.unlink(missing_ok=True)
            db.unlink(missing_ok=True)
            built = check_dbt(root, "build", "--empty", "--exclude-resource-type", "test", "--exclude-resource-type", "unit_test")
            assert built.returncode == 0, f"dbt build --empty failed:\n{built.stdout[-4000:]}{built.stderr[-2000:]}"
            stamp.write_text(digest + "\n")
    return db, target


def check_dbt(root: Path, verb: str, *args: str) -> subprocess.CompletedProcess:
    """`dbt <verb>` on the empty build of `check_build` (its own file, target and logs under build/check/)."""
    folder = root / "build" / "check"
    return subprocess.run(
        dbt_command(plain_dbt(), verb, root, folder / "target", "--vars", f"{{duckdb_path: '{folder / 'warehouse.duckdb'}'}}", *args),
        cwd=root,
        env=project_env(root, DBT_LOG_PATH=str(folder / "logs"), MARKETWH_TARGET="candidate"),
        capture_output=True,
        text=True,
        timeout=600,
    )


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def edit_seed_row(path: Path, key_column: str, key: str, **changes: str) -> int:
    """Change one row of a seed CSV; returns the row's line number in the file (header is line 1)."""
    rows = read_csv(path)
    for index, row in enumerate(rows):
        if row[key_column] == key:
            row.update(changes)
            write_csv(path, rows)
            return index + 2
    raise KeyError(key)


def append_seed_row(path: Path, **values: str) -> int:
    rows = read_csv(path)
    rows.append({column: values.get(column, "") for column in rows[0]})
    write_csv(path, rows)
    return len(rows) + 1


def report_text_numbers(path: Path = REPORT_24CHEM) -> dict[str, float]:
    """The headline figures, read from the report's own words (not from the seeds)."""
    text = path.read_text(encoding="utf-8")
    values = {year: float(v) for v, year in re.findall(r"US\$\s([\d.]+)\sbillion\s(?:in|by)\s(\d{4})", text)}
    cagr = re.search(r"\(CAGR\)\sof\s([\d.]+)%</strong>\s+during\sthe\sforecast\speriod\s\((\d{4})–(\d{4})\)", text)
    return {
        "start_year": int(min(values)),
        "start_value": values[min(values)],
        "end_year": int(max(values)),
        "end_value": values[max(values)],
        "cagr": float(cagr.group(1)),
        "cagr_start": int(cagr.group(2)),
        "cagr_end": int(cagr.group(3)),
    }


def file_digest(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def restate_in_document(root: Path, report_id: str, old: str, new: str) -> None:
    """Make the copy's report say something else (a different edition of the text): replace `old`
    by `new` in the document and in every seed quote, and record the document's new sha256."""
    reports = read_csv(root / "seeds" / "reports.csv")
    report = next(r for r in reports if r["report_id"] == report_id)
    document = root / report["document_path"]
    document.write_text(document.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    report["document_sha256"] = file_digest(document)
    write_csv(root / "seeds" / "reports.csv", reports)
    for seed in ("report_figures.csv", "report_claims.csv"):
        rows = read_csv(root / "seeds" / seed)
        for row in rows:
            row["quote"] = row["quote"].replace(old, new)
        write_csv(root / "seeds" / seed, rows)


def add_sentence_to_document(root: Path, report_id: str, sentence: str) -> None:
    reports = read_csv(root / "seeds" / "reports.csv")
    report = next(r for r in reports if r["report_id"] == report_id)
    document = root / report["document_path"]
    document.write_text(document.read_text(encoding="utf-8") + f"\n<p>{sentence}</p>\n", encoding="utf-8")
    report["document_sha256"] = file_digest(document)
    write_csv(root / "seeds" / "reports.csv", reports)


@contextlib.contextmanager
def mounted_tmpfs(mount_point: Path, options: str):
    """A tmpfs mounted at `mount_point` for the block (a small or read-only filesystem); the test is
    skipped where this machine does not allow mounting."""
    import pytest

    mount_point.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(mount_point)], capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs ({options}) here: {mounted.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], capture_output=True)


def wait_until(condition, timeout: float = 240, what: str = "a condition", poll: float = 0.2) -> None:
    """Wait for `condition()` to hold, or fail naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(poll)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def stage_candidate(source: Path, served: Path, run_id: str) -> Path:
    """A candidate beside `served` holding a copy of the warehouse at `source`, stamped with `run_id`:
    what a refresh leaves for publish()."""
    candidate = ServedPaths(served).candidate
    candidate.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, candidate)
    import duckdb

    con = duckdb.connect(str(candidate))  # the stamp dbt would have written for that run
    try:
        con.execute("update marts.warehouse_build set run_id = ?, git_commit = 'test'", [run_id])
    finally:
        con.close()
    return candidate


def run_events(root: Path, run_id: str) -> tuple[set[str], dict[str, tuple[bool, str]]]:
    """What a run recorded on the project's Dagster instance (build/dagster): the asset keys it
    materialized, and each asset check's (passed, severity)."""
    from dagster import DagsterEventType, DagsterInstance

    with DagsterInstance.from_config(str(ProjectPaths(root).default_dagster_home)) as instance:
        logs = instance.all_logs(run_id, of_type={DagsterEventType.ASSET_MATERIALIZATION, DagsterEventType.ASSET_CHECK_EVALUATION})
    materialized, checks = set(), {}
    for entry in logs:
        event = entry.dagster_event
        if event.event_type == DagsterEventType.ASSET_MATERIALIZATION:
            materialized.add(event.asset_key.to_user_string())
        else:
            evaluation = event.event_specific_data
            checks[evaluation.check_name] = (evaluation.passed, evaluation.severity.value)
    return materialized, checks


def market_value_row(report_id: str, figure_id: str, year: str, value: str, qualifier: str, published: str, quote: str) -> dict[str, str]:
    """A global total market value in US$ bn, as a report_figures.csv row (the FAQ section of the fixture's report)."""
    return dict(
        figure_id=figure_id,
        report_id=report_id,
        metric="market_value",
        dimension="total",
        segment="total",
        region="global",
        year=year,
        value=value,
        unit="usd_bn",
        qualifier=qualifier,
        value_as_published=published,
        basis="reported",
        section="FAQ Section",
        quote=quote,
    )
