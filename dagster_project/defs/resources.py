"""Resources: the dbt CLI, the warehouse files (served and candidate) and the refresh lock.

The served path comes from WAREHOUSE_DB, resolved when a run starts (not at import time), so one
environment variable names the DuckDB file for dbt (passed as `duckdb_path`) and for Dagster.
"""

import os
from contextlib import ExitStack, contextmanager
from functools import cached_property
from importlib import metadata
from pathlib import Path

from dagster import ConfigurableResource, Definitions, InitResourceContext, definitions
from dagster_dbt import DbtCliResource
from packaging import version

from marketwh.dbtrun import guarded_dbt
from marketwh.paths import ProjectPaths
from marketwh.warehouse.engine import Engine, refresh_engine

from ..project import dbt_project

REFRESH_WAIT_ENV = "MARKETWH_REFRESH_WAIT_SECONDS"


class WarehouseDbtCliResource(DbtCliResource):
    """dagster-dbt's CLI resource, without two things it does in this process before every command:
    - the dbt adapter it opens (it loads dbt's project and profile again, ~3 s a refresh) to fetch row
      counts or column metadata afterwards, which this project never asks for: the build runs in dbt's
      own process either way;
    - `dbt --version`, a whole dbt process (~1.8 s of CPU a refresh) to learn which dbt it starts: the
      executable is the project's guard, which becomes the dbt-core of this environment or of the Spark
      one, pinned to the same version (marketwh/dbtrun.py SPARK_PACKAGES)."""

    def _initialize_dbt_core_adapter(self, args):  # dagster-dbt 0.29: the adapter is optional
        return None

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(metadata.version("dbt-core"))


def served_file(served_path: str) -> Path:
    """The served file a resource names: its `served_path`, else WAREHOUSE_DB, else build/warehouse.duckdb."""
    return Path(served_path).resolve() if served_path else ProjectPaths.default().served_db()


class WarehouseResource(ConfigurableResource):
    """The served DuckDB file (which also names the refresh lock) and the engine a refresh builds on."""

    served_path: str = ""  # empty: WAREHOUSE_DB, else build/warehouse.duckdb
    engine_name: str = ""  # duckdb or spark; empty: MARKETWH_TARGET, else duckdb
    # every refresh with this resource builds everything into a fresh candidate (else: incremental on a
    # copy of the served build when only reports' own inputs changed; one run: the run tag FULL_BUILD_TAG)
    full_build: bool = False

    def served(self) -> Path:
        return served_file(self.served_path)

    def engine(self, run_id: str) -> Engine:
        """The run's engine: where its candidate is built, read, written and published from."""
        return refresh_engine(self.served(), run_id, configured=self.engine_name)


class RefreshLockResource(ConfigurableResource):
    """Held for the whole run (the refresh job runs in one process), so two refreshes of the same
    served file never interleave: the second waits, then refuses. The run is tagged with the served
    path, and with its owner process once it holds the lock (or as refused), so `marketwh status` can
    tell a killed run from a running one and skip refusals (dagster_project/monitoring.py)."""

    wait_seconds: float = 600.0  # overridden by MARKETWH_REFRESH_WAIT_SECONDS
    served_path: str = ""

    @contextmanager
    def yield_for_execution(self, context: InitResourceContext):
        from marketwh.errors import RefreshError
        from marketwh.processes import record_stop_requests
        from marketwh.warehouse.lock import refresh_lock

        from ..monitoring import OWNER_TAG, REFUSED_TAG, SERVED_TAG, process_owner, served_tag

        record_stop_requests()  # a stop the run's interrupt loses still stops the publish (served_warehouse)
        served = served_file(self.served_path)
        wait = float(os.environ.get(REFRESH_WAIT_ENV, self.wait_seconds))

        def tag(tags: dict[str, str]) -> None:
            if context.instance is not None and context.run is not None:
                context.instance.add_run_tags(context.run.run_id, tags)

        tag({SERVED_TAG: served_tag(served)})
        with ExitStack() as held:
            try:
                held.enter_context(refresh_lock(served, wait_seconds=wait))
            except RefreshError:
                tag({REFUSED_TAG: "true"})  # never an attempt at the served file: another refresh was running
                raise
            tag({OWNER_TAG: process_owner()})
            yield self


@definitions
def resources() -> Definitions:
    return Definitions(
        resources={
            "dbt": WarehouseDbtCliResource(project_dir=dbt_project, dbt_executable=guarded_dbt()),
            "warehouse": WarehouseResource(),
            "refresh_lock": RefreshLockResource(),
        }
    )
