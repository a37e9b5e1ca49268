"""Dagster definitions: every module under defs/ (sources, dbt, audits, publish, automation,
resources), loaded the way Dagster's `dg` lays a project out, plus the in-process executor so a run's
refresh lock spans all its steps.

Importing this module does nothing: the definitions are built when Dagster (or `marketwh refresh`)
calls `defs`, which first makes sure the dbt manifest matches the dbt sources (parsing only when they
changed). That is what lets `dagster definitions validate`, `dg check defs`, `dagster dev` and
`marketwh refresh` all load a fresh clone without a manual step.
"""

from pathlib import Path

from dagster import Definitions, definitions, in_process_executor, load_from_defs_folder

from .project import ensure_manifest


@definitions
def defs() -> Definitions:
    ensure_manifest()
    return Definitions.merge(
        load_from_defs_folder(path_within_project=Path(__file__).parent),
        Definitions(executor=in_process_executor),
    )
