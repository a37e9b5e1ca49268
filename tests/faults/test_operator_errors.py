"""Errors an operator can act on: each says what failed and what to do, never a bare traceback or an
empty description."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time

import duckdb
import pytest

from marketwh.paths import ProjectPaths, ServedPaths
from tests.helpers import file_digest, mounted_tmpfs, project_env, read_csv, run_marketwh


@pytest.fixture
def read_only_build(project):
    with mounted_tmpfs(ProjectPaths(project).build_dir, "ro,size=1m") as build:
        yield build


def test_read_only_build_folder_says_what_cannot_be_written_and_what_to_do(project, read_only_build):
    result = run_marketwh(project, "refresh", timeout=300)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"cannot write {read_only_build}" in result.stderr and "Read-only file system" in result.stderr
    assert "make build/ writable" in result.stderr


def test_dagster_instance_deleted_during_a_run_is_explained_not_a_traceback(published_project, tmp_path):
    project = published_project  # parsed and served already: no first-time parse before the run starts
    before = file_digest(ProjectPaths(project).default_served_db)
    log = tmp_path / "refresh.log"
    with open(log, "w") as out:
        refresh = subprocess.Popen(
            [sys.executable, "-m", "marketwh.cli", "refresh"],
            cwd=project,
            env=project_env(project, MARKETWH_FAILPOINTS="dbt.before_build=sleep:5"),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 300
        while "failpoint dbt.before_build: sleeping" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
        # an operator cleaning up at the wrong moment, before dbt builds: the run fails at its next write to
        # the instance, without paying for a build first
        shutil.rmtree(ProjectPaths(project).default_dagster_home)
        assert refresh.wait(timeout=300) == 1
    text = log.read_text()
    assert "was removed or became unreadable during the run" in text and "Run the refresh again" in text
    assert "Traceback" not in text
    assert file_digest(ProjectPaths(project).default_served_db) == before  # nothing was published


def test_failing_dbt_test_names_its_model_rows_and_where_to_see_them(published_project):
    project = published_project  # parsed already: dbt parses only the new test
    # a model invariant that the stored reports break on purpose: no market figure may be reported
    (project / "dbt" / "tests" / "assert_no_reported_market_figures.sql").write_text(
        "select * from {{ ref('market_figures') }} where basis = 'reported'\n"
    )
    result = run_marketwh(project, "refresh")
    assert result.returncode == 1
    con = duckdb.connect(str(ServedPaths(ProjectPaths(project).default_served_db).candidate), read_only=True)
    failing = con.execute("select count(*) from marts.market_figures where basis = 'reported'").fetchall()[0][0]
    con.close()
    lines = [line for line in result.stderr.splitlines() if "check failed" in line and "assert_no_reported_market_figures" in line]
    assert len(lines) == 1, result.stderr[-3000:]
    (line,) = lines
    assert f"dbt test assert_no_reported_market_figures on model market_figures: {failing} failing row(s)" in line
    assert "compiled/marketwh/tests/assert_no_reported_market_figures.sql" in line
    # and where a curator would look: the seed lines of the first failing rows' figures
    where = re.findall(r"seeds/report_figures\.csv:(\d+) \(([\w-]+)\)", line)
    assert where, line
    figures = read_csv(project / "seeds" / "report_figures.csv")
    for number, figure_id in where:
        assert figures[int(number) - 2]["figure_id"] == figure_id  # the header is line 1
