"""Audit and publish scenarios on a copy of the shared refreshed project, without a full refresh.

A scenario changes the copy's seeds, then runs only what the change needs, on the code a refresh runs:
1. `build_candidate`: the candidate starts as a copy of what is served (the start of a partial refresh,
   `DuckDBEngine.prepare(partial=True)`), and `dbt build` with the refresh's arguments and stamp
   environment (`refresh_build_args`, `DuckDBEngine.dbt_env`) rebuilds what descends from the changed
   seeds, sources or models, and the build stamp, into it, in its own dbt process as in a refresh;
2. `audit_and_publish`: the `refresh` job, executed in this process on the copy's Dagster instance under
   the run id the stamp carries (`run_refresh` with a selection), selecting the audit gate (the GX
   suites, the served-data guard) and the publish (the dbt assets are left out: step 1 built them).
   It returns the RefreshOutcome `marketwh refresh` prints.
A full refresh costs ~40-60 s on a busy machine (imports, a dbt parse and build of every node, the site);
a scenario costs a dbt build of the changed nodes and the gate. The real end-to-end runs (cold refresh,
kills, disk full, two refreshes at once, a failing dbt test) stay subprocesses of `marketwh refresh`.
"""

from __future__ import annotations

import shutil
import subprocess
import uuid
from pathlib import Path

from marketwh.dbtrun import dbt_command, dbt_environment, patched_environ, plain_dbt, refresh_build_args
from marketwh.inputs import parse_inputs
from marketwh.paths import DAGSTER_HOME_ENV, WAREHOUSE_DB_ENV, ProjectPaths
from marketwh.warehouse.engine import DuckDBEngine
from tests.helpers import project_env

# the checks of the audit gate a scenario runs (the dbt tests ran in its dbt build)
GATE_CHECKS = ("gx_shares_suite", "gx_growth_suite", "gx_growth_advisories", "gx_figures_suite", "candidate_keeps_served_data")
SCENARIO_TRIGGER = "test scenario: audit and publish"


def new_run_id() -> str:
    return str(uuid.uuid4())


def build_candidate(root: Path, run_id: str, select: str, served: Path | None = None) -> subprocess.CompletedProcess:
    """`dbt build` of the `select`ed nodes (dbt selection syntax) and the build stamp into a candidate that
    starts as a copy of what the project at `root` serves (at `served`, as WAREHOUSE_DB may name it; by
    default its build/warehouse.duckdb), stamped with `run_id`."""
    from dagster_project.project import reuse_parse

    paths = ProjectPaths(root)
    served = served or paths.default_served_db
    engine = DuckDBEngine(served, root, run_id)
    engine.prepare(partial=False)  # the candidate an earlier scenario left is discarded, as a refresh does
    engine.prepare(partial=True)  # and starts as a copy of what is served
    target = paths.dbt_runs / run_id
    # dbt parses only what changed since the last parse in this copy: an earlier scenario's build, else
    # the refresh's (made at another path, with other vars: dbt parses the whole project once)
    earlier = sorted(paths.dbt_runs.glob("*/partial_parse.msgpack"), key=lambda path: path.stat().st_mtime)
    if earlier:
        target.mkdir(parents=True)
        shutil.copyfile(earlier[-1], target / earlier[-1].name)
    else:
        reuse_parse(target, served, root)
    parse_inputs(engine.inputs, root)  # dbt reads the copy's seeds through its inputs link, as a refresh's parse does
    args = refresh_build_args(engine.dbt_vars())
    command = dbt_command(plain_dbt(), args[0], root, target, *args[1:], "--select", *select.split(), "warehouse_build")
    env = dbt_environment(paths, target / "logs", **project_env(root, **{WAREHOUSE_DB_ENV: str(served)}), **engine.dbt_env())
    return subprocess.run(command, cwd=paths.dbt_dir, env=env, capture_output=True, text=True, timeout=600)


def audit_and_publish(root: Path, run_id: str, *, site: bool = False, served: Path | None = None, **env: str):
    """The audit gate and the publish of the `refresh` job, in this process, on the project at `root`
    (its served file, or `served`, and its Dagster instance) under `run_id`; `site` adds the report
    site, the step after the publish; `env` is set for the run (e.g. MARKETWH_FAILPOINTS)."""
    from dagster_project.definitions import defs
    from dagster_project.defs.keys import REPORT_SITE_KEY
    from dagster_project.runner import run_refresh

    paths = ProjectPaths(root)
    # the definitions of this checkout (the same dbt project as the copy's), loaded before the copy's
    # environment is set: their manifest is parsed with the checkout's own served path
    definitions = defs()
    graph = definitions.resolve_asset_graph()
    served_keys = [key for key in graph.get_all_asset_keys() if key.path[0] in ("served", "served_warehouse")]
    assets = {key for key in served_keys if site or key != REPORT_SITE_KEY}
    checks = {key for key in graph.asset_check_keys if key.name in GATE_CHECKS}
    job = definitions.resolve_job_def("refresh").get_subset(asset_selection=assets, asset_check_selection=checks)
    environment = {
        WAREHOUSE_DB_ENV: str(served or paths.default_served_db),
        DAGSTER_HOME_ENV: str(paths.default_dagster_home),
        **{name: value for name, value in project_env(root).items() if name.startswith("MARKETWH_")},
        **env,
    }
    with patched_environ(environment):
        return run_refresh(paths, job=job, run_id=run_id, trigger=SCENARIO_TRIGGER)


def rebuild_and_publish(root: Path, select: str, served: Path | None = None, **env: str):
    """`build_candidate` (which must succeed), then `audit_and_publish`: the outcome of the scenario."""
    run_id = new_run_id()
    built = build_candidate(root, run_id, select, served)
    assert built.returncode == 0, built.stdout[-4000:] + built.stderr[-2000:]
    return audit_and_publish(root, run_id, served=served, **env)
