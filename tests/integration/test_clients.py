"""The analysts' clients open the served file as docs/reading.md tells them to: the DuckDB 1.5 command
line (`duckdb -readonly`) and a DuckDB 1.x Python driver run that page's example queries on the
published warehouse and see the rows the warehouse's own reader sees. They live in their own
environment under build/ (.venv holds DuckDB 2), created on first use."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import duckdb
import pytest

from marketwh.envs import SideEnvironmentError, ensure_venv
from marketwh.paths import ProjectPaths
from tests.environments import CLIENT_PACKAGES
from tests.helpers import REPO


@pytest.fixture(scope="module")
def clients() -> Path:
    """build/clients: a virtualenv with the DuckDB 1.5 command line and Python driver."""
    try:
        return ensure_venv(ProjectPaths(REPO).clients_venv, CLIENT_PACKAGES)
    except SideEnvironmentError as error:
        pytest.fail(str(error))


def example_queries() -> list[str]:
    """The SQL block after 'example queries' in docs/reading.md, one statement each."""
    page = (REPO / "docs" / "reading.md").read_text(encoding="utf-8")
    block = re.search(r"example queries:\s*```sql\n(.*?)```", page, re.DOTALL).group(1)
    statements = [s.strip() for s in block.split(";")]
    return [s for s in statements if any(line and not line.startswith("--") for line in s.splitlines())]


def _plain(value):
    """A value as JSON would carry it: floats to 9 decimals, dates and decimals as text."""
    if isinstance(value, float):
        return round(value, 9)
    return value if value is None or isinstance(value, (int, str)) else str(value)


def _rows(rows) -> list[tuple]:
    return [tuple(_plain(v) for v in r) for r in rows]


def test_duckdb_1x_cli_and_driver_read_the_served_file_read_only(refreshed_project, clients):
    served = ProjectPaths(refreshed_project).default_served_db
    queries = example_queries()
    assert len(queries) == 4

    with duckdb.connect(str(served), read_only=True) as con:
        expected = [_rows(con.execute(q).fetchall()) for q in queries]
    assert all(expected), "every example query returns rows"

    # the DuckDB 1.5 Python driver, read-only
    script = (
        "import duckdb, json, sys\n"
        "con = duckdb.connect(sys.argv[1], read_only=True)\n"
        "print(duckdb.__version__)\n"
        "for q in json.loads(sys.stdin.read()):\n"
        "    print(json.dumps([list(r) for r in con.execute(q).fetchall()], default=str))\n"
    )
    driver = subprocess.run(
        [str(clients / "bin" / "python"), "-c", script, str(served)], input=json.dumps(queries), capture_output=True, text=True, timeout=120
    )
    assert driver.returncode == 0, driver.stderr
    version, *results = driver.stdout.splitlines()
    assert version.startswith("1.")
    assert [_rows(json.loads(r)) for r in results] == expected

    # the DuckDB 1.5 command line, -readonly, as docs/reading.md's recipe
    for query, rows in zip(queries, expected, strict=True):
        cli = subprocess.run(
            [str(clients / "bin" / "duckdb"), "-readonly", "-json", str(served), "-c", query], capture_output=True, text=True, timeout=120
        )
        assert cli.returncode == 0, cli.stderr
        shown = [tuple(record.values()) for record in json.loads(cli.stdout)]
        assert len(shown) == len(rows)
        assert _rows(shown) == rows

    # read-only means read-only: a write is refused
    refused = subprocess.run(
        [str(clients / "bin" / "duckdb"), "-readonly", str(served), "-c", "create table marts.scratch (x integer)"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "read-only" in (refused.stdout + refused.stderr).lower()
