"""Fixtures shared by every layer of the suite: a copy of the project to break, a project refreshed
once through Dagster, and a warehouse built once by dbt (shared by the tests that only read it).

Every test module is marked by its folder (unit, integration, faults); integration and faults are
also `slow`, so `pytest -m "not slow"` (`make check`) is the inner loop. The modules that need an
environment beyond the venv are marked `env` and by the environment (ENVIRONMENTS), so a developer can
leave them out: `pytest -m "not env"`.

The refreshed project and the dbt-built warehouse are made ONCE per run, whatever the number of
pytest-xdist workers: the first worker to ask builds them under the run's shared temporary folder,
behind a file lock, and the others wait for it and read the same files (pytest-xdist's documented
pattern). Tests that change them work on a copy (`published_project`)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from marketwh.paths import ProjectPaths
from tests.helpers import copy_project, dbt_build, run_marketwh

TESTS = Path(__file__).resolve().parent
LAYERS = ("unit", "integration", "faults")
SLOW_LAYERS = ("integration", "faults")
# modules that need more than the venv: a JVM, another venv, a browser, other clients, long-running services
ENVIRONMENTS = {
    "test_spark_target.py": "spark",
    "test_superset.py": "superset",
    "test_site_browser.py": "browser",
    "test_clients.py": "clients",
    "test_operators.py": "services",
    "test_bench.py": "bench",
}


# the longest modules start first, so that no worker is left running one of them alone at the end
# (`make test` and `make check` hand whole modules to pytest-xdist workers in collection order: they pass
# --no-loadscope-reorder, without which xdist orders modules by their number of tests and the Spark,
# Superset and benchmark modules, with few tests each, started last). Ordered by their seconds in a fresh
# clone's `make test` (2026-12-07); the rest, shorter, fill the workers' ends. The dbt unit tests are the
# longest of `make check`. Paths under tests/
LONGEST_FIRST = (
    "integration/test_spark_target.py",
    "integration/test_bench.py",
    "faults/test_faults.py",
    "integration/test_superset.py",
    "integration/test_operators.py",
    "integration/test_refresh_dagster.py",
    "integration/test_expectations.py",
    "faults/test_vocabulary_and_thresholds.py",
    "integration/test_incremental_build.py",
    "integration/test_new_market_by_seed_rows.py",
    "faults/test_operator_errors.py",
    "integration/test_live_data.py",
    "integration/test_market_consensus.py",
    "unit/test_dbt_unit_tests.py",
)


def pytest_collection_modifyitems(config, items):
    def place(item) -> int:
        module = item.path.resolve().relative_to(TESTS).as_posix()  # two folders may hold one file name
        return LONGEST_FIRST.index(module) if module in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=place)
    for item in items:
        # the folder under tests/, not any folder of the path (a checkout may itself sit in a folder named faults)
        layer = next((part for part in item.path.resolve().relative_to(TESTS).parts if part in LAYERS), None)
        if layer:
            item.add_marker(getattr(pytest.mark, layer))
            if layer in SLOW_LAYERS:
                item.add_marker(pytest.mark.slow)
        if item.path.name in ENVIRONMENTS:
            item.add_marker(pytest.mark.env)
            item.add_marker(getattr(pytest.mark, ENVIRONMENTS[item.path.name]))


def pytest_configure(config):
    """A worker started with SIGINT ignored (a run launched in the background: nohup, CI) would pass an
    ignored SIGTERM to everything it starts once Dagster runs in it: Dagster maps SIGTERM to SIGINT's
    handler (dagster._utils.interrupts), and an ignored signal stays ignored across exec. Processes the
    tests start and stop with SIGTERM (site servers, the benchmark's reader pool) would then never stop.
    Python's own SIGINT handler, as in a terminal, keeps both signals deliverable: the same repair the
    `marketwh` command makes when it starts (marketwh/processes.py)."""
    from marketwh.processes import stoppable

    stoppable()


TIMELINE_ENV = "MARKETWH_TEST_TIMELINE"  # a file: each test's worker, start and end appended (make test sets it)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """With MARKETWH_TEST_TIMELINE set, one JSON line per test (setup to teardown): which worker ran it,
    when it started and ended, and the CPU seconds it used with the processes it ran (those it waited
    for), so a run shows where its time went, when a worker sat idle and which tests load the cores."""
    import json
    import os
    import resource
    import time

    def cpu() -> float:
        mine, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return mine.ru_utime + mine.ru_stime + children.ru_utime + children.ru_stime

    path, start, cpu_start = os.environ.get(TIMELINE_ENV), time.time(), cpu()
    yield
    if path:
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        line = {"worker": worker, "test": item.nodeid, "start": start, "end": time.time(), "cpu": cpu() - cpu_start}
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(line) + "\n")


INSTALLER = pytest.StashKey()  # the background installer of the side environments (tests/environments.py)


def pytest_collection_finish(session):
    """Start installing the side environments the selected tests need (tests/environments.py), in the
    background, so the Spark, Superset and clients modules find them ready or wait for them."""
    from tests import environments

    if session.config.option.collectonly:
        return
    markers = {ENVIRONMENTS[item.path.name] for item in session.items if item.path.name in ENVIRONMENTS}
    session.config.stash[INSTALLER] = environments.start(markers)


def pytest_sessionfinish(session):
    """Wait for the background installer (a test that needed it waited already; nothing is left running)."""
    installer = session.config.stash.get(INSTALLER, None)
    if installer is not None and installer.poll() is None:
        installer.wait(timeout=1800)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh copy of the project sources to break on purpose."""
    return copy_project(tmp_path / "project")


def shared_once(tmp_path_factory, name: str, make) -> Path:
    """`make(folder)` run once per test run under the run's shared temporary folder (the parent of every
    xdist worker's own), behind a file lock: the first worker makes it, the others wait and reuse it.
    A failure is remembered, so every worker fails with the first one's message instead of making it again."""
    from filelock import FileLock

    base = tmp_path_factory.getbasetemp()
    shared = base.parent if base.name.startswith("popen-gw") else base  # under xdist, the run's folder
    folder, done, failed = shared / name, shared / f"{name}.done", shared / f"{name}.failed"
    with FileLock(shared / f"{name}.lock"):
        if failed.exists():
            pytest.fail(failed.read_text(encoding="utf-8"))
        if not done.exists():
            try:
                make(folder)
            except BaseException as error:
                failed.write_text(f"making the shared {name} failed (on another worker, maybe): {error}", encoding="utf-8")
                raise
            done.touch()
    return folder


def _refresh(folder: Path) -> None:
    root = copy_project(folder / "project")
    result = run_marketwh(root, "refresh")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


@pytest.fixture(scope="session")
def refreshed_project(tmp_path_factory) -> Path:
    """A project copy on which `marketwh refresh` has run once and published; one for the whole run.
    Read it, never change it: a test that changes it takes `published_project`."""
    return shared_once(tmp_path_factory, "refreshed", _refresh) / "project"


@pytest.fixture
def published_project(refreshed_project: Path, tmp_path: Path) -> Path:
    """A private copy of the refreshed project (sources, served file, Dagster instance)."""
    from dagster_project.runner import write_dagster_yaml

    root = tmp_path / "project"
    shutil.copytree(refreshed_project, root, symlinks=True)
    write_dagster_yaml(ProjectPaths(root).default_dagster_home)  # its events go to its own instance, from the first
    return root


def _dbt_build(folder: Path) -> None:
    root = copy_project(folder / "project")
    result = dbt_build(root, ProjectPaths(root).default_served_db)
    assert result.returncode == 0, result.stdout[-4000:]
    assert "unit_test" in result.stdout  # the unit tests ran as part of the build


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory) -> Path:
    """A warehouse file built by `dbt build` (seeds, models, data and unit tests) from a copy of the
    project; one for the whole run, read only."""
    return ProjectPaths(shared_once(tmp_path_factory, "built", _dbt_build) / "project").default_served_db


@pytest.fixture(scope="session")
def warehouse(built_warehouse: Path):
    """A read-only connection to the `built_warehouse` file."""
    import duckdb

    con = duckdb.connect(str(built_warehouse), read_only=True)
    yield con
    con.close()
