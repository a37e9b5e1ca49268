"""Run only the audit and publish part of the `refresh` job, in process, on the project in the current
directory: the dbt models of the audits schema and whatever dbt builds downstream of them, the audit
checks (GX suites, acknowledgements, nothing served dropped), the publish and the site. The dbt build of
the seeds, staging, intermediate and marts is not run: the candidate the test staged (a copy of a served
build, changed on purpose) is what gets audited and published.

A test runs it as `python tests/audit_and_publish.py` in a project copy (cwd and PYTHONPATH = the copy),
so that the copy's code and paths are the ones loaded, exactly as `marketwh refresh` would load them;
it costs the Dagster imports and the audit, not a dbt build. Prints one JSON line: the run's outcome."""

from __future__ import annotations

import json
import sys


def audit_and_publish_selection(job):
    """(asset keys, asset check keys) of the audit and publish part of `job`."""
    from dagster_project.defs.dbt import warehouse_dbt_assets
    from dagster_project.defs.keys import REPORT_DOCUMENTS_KEY, SERVED_WAREHOUSE_KEY

    graph = job.asset_layer.asset_graph
    keys = graph.get_all_asset_keys()
    audits = {key for key in keys if key.path[0] == "audits"}
    assets = {SERVED_WAREHOUSE_KEY} | audits
    for start in list(assets):
        assets |= graph.get(start).child_keys  # downstream, to the end of the graph
    frontier = set(assets)
    while frontier:
        frontier = {child for key in frontier for child in graph.get(key).child_keys} - assets
        assets |= frontier
    dbt_checks = set(warehouse_dbt_assets.check_keys)
    checks = {
        key
        for key in graph.asset_check_keys
        if (key in dbt_checks and key.asset_key in assets) or (key not in dbt_checks and key.asset_key != REPORT_DOCUMENTS_KEY)
    }
    return assets, checks


def stage_candidate() -> None:
    """The candidate the test staged, else a copy of the served build: the audit checks read it before
    the audits' dbt models are built (nothing upstream of them runs to order them)."""
    import shutil

    from marketwh.paths import ProjectPaths, candidate_db

    served = ProjectPaths.default().served_db()
    candidate = candidate_db(served)
    if not candidate.exists():
        candidate.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(served.resolve(), candidate)


def main() -> int:
    from dagster import DagsterInstance

    from dagster_project.definitions import defs
    from dagster_project.monitoring import TRIGGER_TAG
    from dagster_project.runner import ensure_dagster_home

    ensure_dagster_home()
    stage_candidate()
    job = defs().resolve_job_def("refresh")
    assets, checks = audit_and_publish_selection(job)
    with DagsterInstance.get() as instance:
        result = job.get_subset(asset_selection=assets, asset_check_selection=checks).execute_in_process(
            instance=instance, raise_on_error=False, tags={TRIGGER_TAG: "test: audit and publish"}
        )
    outcome = {
        "run_id": result.run_id,
        "success": result.success,
        "published": any(event.is_step_success and event.step_key == "served_warehouse" for event in result.all_events),
        "assets": sorted(key.to_user_string() for key in assets),
        "checks": {
            evaluation.check_name: {
                "passed": evaluation.passed,
                "severity": evaluation.severity.value,
                "description": evaluation.description,
            }
            for evaluation in result.get_asset_check_evaluations()
        },
        "failed_steps": [event.step_key for event in result.all_events if event.is_step_failure],
    }
    print(json.dumps(outcome))
    return 0


if __name__ == "__main__":
    sys.exit(main())
