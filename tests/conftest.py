"""Fixtures shared by every layer of the suite: a copy of the project to break, a project refreshed
once through Dagster, and a warehouse built once by dbt (shared by the tests that only read it).
Every test module is marked by its folder (unit, integration, faults); integration and faults are
also `slow`, so `pytest -m "not slow"` is the inner loop."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from marketwh.paths import ProjectPaths
from tests.helpers import copy_project, dbt_build, run_marketwh

LAYERS = ("unit", "integration", "faults")
SLOW_LAYERS = ("integration", "faults")


# the longest modules start first, so that on two workers neither is left running one of them alone at
# the end (`make test` hands whole modules to pytest-xdist workers in collection order)
LONGEST_FIRST = ("test_spark_target.py", "test_superset.py", "test_bench.py", "test_operators.py")


def pytest_collection_modifyitems(config, items):
    items.sort(key=lambda item: LONGEST_FIRST.index(item.path.name) if item.path.name in LONGEST_FIRST else len(LONGEST_FIRST))
    for item in items:
        layer = next((part for part in Path(item.fspath).parts if part in LAYERS), None)
        if layer:
            item.add_marker(getattr(pytest.mark, layer))
            if layer in SLOW_LAYERS:
                item.add_marker(pytest.mark.slow)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh copy of the project sources to break on purpose."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def refreshed_project(tmp_path_factory) -> Path:
    """A project copy on which `marketwh refresh` has run once and published."""
    root = copy_project(tmp_path_factory.mktemp("refreshed") / "project")
    result = run_marketwh(root, "refresh")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return root


@pytest.fixture
def published_project(refreshed_project: Path, tmp_path: Path) -> Path:
    """A private copy of the refreshed project (sources, served file, Dagster instance)."""
    root = tmp_path / "project"
    shutil.copytree(refreshed_project, root, symlinks=True)
    return root


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory) -> Path:
    """A warehouse file built by `dbt build` (seeds, models, data and unit tests) from a copy of the project."""
    root = copy_project(tmp_path_factory.mktemp("build") / "project")
    db = ProjectPaths(root).default_served_db
    result = dbt_build(root, db)
    assert result.returncode == 0, result.stdout[-4000:]
    assert "unit_test" in result.stdout  # the unit tests ran as part of the build
    return db


@pytest.fixture(scope="session")
def warehouse(built_warehouse: Path):
    """A read-only connection to the `built_warehouse` file."""
    import duckdb

    con = duckdb.connect(str(built_warehouse), read_only=True)
    yield con
    con.close()
