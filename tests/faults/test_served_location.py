"""Where the served file lives (issue 23, class 11): a WAREHOUSE_DB that no refresh could publish to is
refused before the build, in one sentence; a path with a quote in it works; a publish that runs out of
disk leaves no partial copy behind to block the next one."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import duckdb
import pytest

from marketwh.errors import RefreshError
from marketwh.paths import ServedPaths
from marketwh.warehouse.compare import mart_differences
from marketwh.warehouse.location import check_served_location
from marketwh.warehouse.publish import publish
from tests.helpers import mounted_tmpfs, run_marketwh


def _refused_at_once(project, served: Path) -> str:
    started = time.monotonic()
    result = run_marketwh(project, "refresh", timeout=120, WAREHOUSE_DB=str(served))
    assert result.returncode == 1
    assert time.monotonic() - started < 30  # before Dagster, dbt or the validation (a build takes ~40 s)
    assert "Traceback" not in result.stderr
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1 and message.startswith("marketwh refresh: "), message
    assert message.count(". ") == 0, message  # one sentence
    return message


def test_warehouse_db_naming_a_directory_is_refused_before_the_build(project, tmp_path):
    message = _refused_at_once(project, tmp_path)
    assert f"{tmp_path} (WAREHOUSE_DB or its default) is a directory" in message


def test_warehouse_db_on_a_read_only_filesystem_is_refused_before_the_build(project, tmp_path):
    with mounted_tmpfs(tmp_path / "ro", "ro,size=1m") as read_only:
        message = _refused_at_once(project, read_only / "warehouse.duckdb")
    assert f"cannot write {read_only}/.candidate (Read-only file system)" in message


def test_warehouse_db_under_a_file_is_refused_before_the_build(project, tmp_path):
    (tmp_path / "a-file").write_text("not a folder\n")
    message = _refused_at_once(project, tmp_path / "a-file" / "warehouse.duckdb")
    assert f"cannot write {tmp_path / 'a-file'} (Not a directory)" in message


def test_served_location_checks_create_a_missing_folder(tmp_path):
    check_served_location(tmp_path / "new" / "folder" / "warehouse.duckdb")
    assert (tmp_path / "new" / "folder" / ".candidate").is_dir()
    with pytest.raises(RefreshError, match="is a directory"):
        check_served_location(tmp_path / "new")


def test_a_quote_in_the_served_path_stays_a_path(tmp_path):
    folder = tmp_path / "o'brien's"
    served = folder / "ware'house.duckdb"
    check_served_location(served)
    candidate = _duckdb_file(ServedPaths(served).candidate, 10)
    assert "'" not in candidate.name  # dbt-duckdb names the database after the file and quotes it into SQL
    publish(candidate, served)  # seals it: opens, checkpoints and reads it
    assert mart_differences(served, served, schema="main") == []  # ATTACH of a path with quotes
    assert mart_differences(served, _duckdb_file(folder / "none's.duckdb", 0), schema="main") == [
        f"main.t: 10 rows of {served} are not in the other"
    ]


def _duckdb_file(path: Path, rows: int) -> Path:
    """A DuckDB file of about 8 bytes a row (random doubles do not compress)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    con.execute(f"create table t as select random() as x from range({rows})")
    con.close()
    return path


def test_publish_that_runs_out_of_disk_leaves_no_partial_copy(tmp_path):
    small, large = _duckdb_file(tmp_path / "small.duckdb", 1000), _duckdb_file(tmp_path / "large.duckdb", 400_000)
    kib = 1024
    first, size = small.stat().st_size // kib + 1, large.stat().st_size // kib + 1
    # room for the first build, its pristine copy, the large candidate and half its pristine copy
    with mounted_tmpfs(tmp_path / "disk", f"size={2 * first + size + size // 2 + 64}k") as disk:
        served = disk / "warehouse.duckdb"
        candidate = ServedPaths(served).candidate
        candidate.parent.mkdir(parents=True)
        shutil.copyfile(small, candidate)
        publish(candidate, served)
        builds_before = sorted(p.name for p in ServedPaths(served).builds.iterdir())
        shutil.copyfile(large, candidate)
        with pytest.raises(OSError, match="No space left on device"):
            publish(candidate, served)
        assert sorted(p.name for p in ServedPaths(served).builds.iterdir()) == builds_before  # no partial copy left
        assert mart_differences(served, small, schema="main") == []  # still serving the first build
        # a little more room, not enough for the next publish if the partial copy were still there
        subprocess.run(["mount", "-o", f"remount,size={2 * first + 2 * size + size // 4 + 64}k", str(disk)], check=True)
        publish(candidate, served)
        assert mart_differences(served, large, schema="main") == []
