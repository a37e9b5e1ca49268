"""The instance's event log (dagster_project/event_log.py): the instance marketwh generates stores its
events through the kept-connected log, in Dagster's own files and schema, so Dagster's default storage
(an older checkout, `dagster` commands without this project) reads what a refresh wrote; a copied
project's instance writes into its own folder; and a long-running reader keeps a bounded number of files
open."""

from __future__ import annotations

import shutil
import time

import pytest
from dagster import AssetKey, DagsterInstance, asset, materialize
from dagster._core.events.log import EventLogEntry
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage

from dagster_project import runner
from dagster_project.event_log import KEPT_ENGINES, ConnectedSqliteEventLogStorage
from dagster_project.runner import ensure_dagster_home
from marketwh.paths import DAGSTER_HOME_ENV, ProjectPaths


@pytest.fixture(autouse=True)
def no_dagster_home(monkeypatch):
    """Each project's own instance (ensure_dagster_home points DAGSTER_HOME at it; restored afterwards)."""
    monkeypatch.delenv(DAGSTER_HOME_ENV, raising=False)


@asset
def counted() -> int:
    return 3


def test_a_projects_instance_stores_events_that_dagsters_own_event_log_reads(tmp_path):
    home = ensure_dagster_home(ProjectPaths(tmp_path / "project"))
    assert home.is_relative_to(tmp_path)
    with DagsterInstance.from_config(str(home)) as instance:
        assert isinstance(instance.event_log_storage, ConnectedSqliteEventLogStorage)
        run_id = materialize([counted], instance=instance).run_id
    plain = SqliteEventLogStorage(str(home / "history" / "runs"))  # Dagster's default, on the same files
    materialized = plain.get_latest_materialization_events([AssetKey("counted")])[AssetKey("counted")]
    assert materialized is not None and materialized.run_id == run_id
    assert any(event.is_dagster_event and event.dagster_event_type.value == "STEP_SUCCESS" for event in plain.get_logs_for_run(run_id))


def test_a_copied_projects_instance_writes_into_its_own_folder(tmp_path, monkeypatch):
    original = ensure_dagster_home(ProjectPaths(tmp_path / "original"))
    shutil.copytree(tmp_path / "original", tmp_path / "copy")
    monkeypatch.delenv(DAGSTER_HOME_ENV)  # the copy's commands name the copy's instance
    home = ensure_dagster_home(ProjectPaths(tmp_path / "copy"))
    assert str(original) not in (home / "dagster.yaml").read_text()
    with DagsterInstance.from_config(str(home)) as instance:
        run_id = materialize([counted], instance=instance).run_id
    assert (home / "history" / "runs" / f"{run_id}.db").exists()
    assert not (original / "history" / "runs" / f"{run_id}.db").exists()


def test_a_reader_of_many_runs_keeps_few_files_open(tmp_path):
    storage = ConnectedSqliteEventLogStorage(str(tmp_path / "runs"))
    run_ids = [f"run-{number}" for number in range(3 * KEPT_ENGINES)]
    for run_id in run_ids:
        assert storage.get_logs_for_run(run_id) == []
    kept = storage.__dict__["_engines"]
    assert list(kept) == run_ids[-KEPT_ENGINES:]  # the ones used last
    storage.dispose()
    assert "_engines" not in storage.__dict__


def test_a_deleted_instance_fails_the_next_event_instead_of_writing_into_the_deleted_file(tmp_path):
    runs = tmp_path / "history" / "runs"
    storage = ConnectedSqliteEventLogStorage(str(runs))

    def message(text: str) -> EventLogEntry:
        return EventLogEntry(error_info=None, level=20, user_message=text, run_id="run-1", timestamp=time.time())

    storage.store_event(message("before"))  # the run's file is connected and kept
    shutil.rmtree(tmp_path / "history")  # an operator cleaning up during a run
    with pytest.raises(Exception, match="unable to open database file"):
        storage.store_event(message("after"))


def test_a_runs_events_are_written_ahead_and_synced_at_checkpoints_not_at_every_commit(tmp_path):
    storage = ConnectedSqliteEventLogStorage(str(tmp_path / "runs"))
    storage.store_event(EventLogEntry(error_info=None, level=20, user_message="hello", run_id="run-1", timestamp=time.time()))
    for shard in ("run-1", "index"):
        with storage._connect(shard) as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL; SQLite's default FULL is 2
    storage.dispose()


def test_a_fresh_instance_is_created_once_then_only_the_callers_open_reads_it(tmp_path, monkeypatch):
    """The first command on a fresh instance creates its storage under the lock; later commands do not open
    the instance a second time before their own open (each open is ~1 s of alembic checks), unless a
    database of it is gone or another Dagster version created it."""
    paths = ProjectPaths(tmp_path / "project")
    home = ensure_dagster_home(paths)
    assert all((home / name).exists() for name in runner.STORAGE_FILES)
    opened = []
    monkeypatch.setattr(DagsterInstance, "from_config", classmethod(lambda cls, *args, **kwargs: opened.append(args) or _Opened()))
    ensure_dagster_home(paths)
    assert opened == []
    (home / "schedules" / "schedules.db").unlink()
    ensure_dagster_home(paths)
    assert len(opened) == 1
    (home / "schedules" / "schedules.db").touch()  # as the real open would have created it
    (home / runner.STORAGE_READY).write_text("0.0.1")  # created by another Dagster version
    ensure_dagster_home(paths)
    assert len(opened) == 2


class _Opened:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
