"""The instance's event log: Dagster's own SQLite event log, kept connected.

Dagster's `SqliteEventLogStorage` creates a SQLAlchemy engine and opens a SQLite connection for every
event it stores (two for an asset event: the run's database and the cross-run index), and one more to
ask whether a table exists, which it asks for every asset check event. A refresh stores ~790 events
(each dbt model and test, each step), and that reconnecting was most of their cost: ~4.5 s of CPU a
refresh, against ~1 s here (measured in the docs' scale page). This storage keeps one engine per
database file, its one connection pooled, for the few files last used (a long-running webserver reads
many runs' files), and remembers the tables that exist. A kept connection is dropped when its file is
gone, so a storage whose instance was deleted during a run fails at its next event, as Dagster's does,
instead of writing on into a deleted file.

Each connection also writes ahead (`journal_mode=WAL`, which Dagster sets on its index file only) and
syncs at checkpoints, not at every commit (`synchronous=NORMAL`): a run's own file kept SQLite's
rollback journal, and every event paid its creation, deletion and two fsyncs (~20 ms of a loaded disk a
commit, ~0.6 ms of CPU; ~0.02 ms written ahead). A refresh commits ~2,500 times, ~700 of them while the
run is created, before its first step. Written ahead, a commit survives the process being killed; a power
cut may lose the last events of a run (never the database): a run record, not the served data.

Same files, schema and rows: an instance written by either class is read by the other. The generated
dagster.yaml names it (dagster_project/runner.py), so the refresh, the webserver and the daemon all use it.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from contextlib import contextmanager

from dagster._core.storage.event_log.sqlite.sqlite_event_log import SQLITE_BUSY_TIMEOUT_SECONDS, SqliteEventLogStorage
from dagster._core.storage.sql import create_engine
from sqlalchemy import event

KEPT_ENGINES = 8  # the index, the run being written and the few a webserver page reads


class ConnectedSqliteEventLogStorage(SqliteEventLogStorage):
    @classmethod
    def from_config_value(cls, inst_data, config_value) -> ConnectedSqliteEventLogStorage:
        return cls(inst_data=inst_data, **config_value)

    def _engine(self, shard: str):
        """The engine of one database file (a run's, or the index), created once; the least recently
        used is disposed beyond KEPT_ENGINES. Called under the storage's lock."""
        engines: OrderedDict = self.__dict__.setdefault("_engines", OrderedDict())
        if shard in engines and os.path.exists(self.path_for_shard(shard)):
            engines.move_to_end(shard)
            return engines[shard]
        if shard in engines:  # its file was deleted (the instance removed during a run): connect again and
            engines.pop(shard).dispose()  # fail as Dagster's own storage fails, never write into a deleted file
        engine = create_engine(
            self.conn_string_for_shard(shard),
            pool_size=1,
            max_overflow=2,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS},
        )
        event.listen(engine, "connect", _write_ahead)
        if shard not in self._initialized_dbs:
            self._initdb(engine)
            self._initialized_dbs.add(shard)
        engines[shard] = engine
        while len(engines) > KEPT_ENGINES:
            engines.popitem(last=False)[1].dispose()
        return engine

    @contextmanager
    def _connect(self, shard: str):
        with self._db_lock, self._engine(shard).connect() as conn, conn.begin():
            yield conn

    def has_table(self, table_name: str) -> bool:
        """Whether the index has the table: a table once there stays (an upgrade only adds them)."""
        tables: set = self.__dict__.setdefault("_tables", set())
        if table_name not in tables and super().has_table(table_name):
            tables.add(table_name)
        return table_name in tables

    def _dispose_engines(self) -> None:
        with self._db_lock:
            for engine in self.__dict__.pop("_engines", {}).values():
                engine.dispose()

    def wipe(self) -> None:
        self._dispose_engines()  # the files are deleted: no connection may outlive them
        super().wipe()

    def upgrade(self) -> None:
        self._dispose_engines()
        self.__dict__.pop("_tables", None)
        super().upgrade()

    def dispose(self) -> None:
        self._dispose_engines()
        super().dispose()


def _write_ahead(dbapi_connection, _record) -> None:
    """A new SQLite connection's journal: written ahead, synced at checkpoints (the module's docstring)."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()
