"""Dagster only: `definitions.py` loads the modules under `defs/` (sources, dbt, audits, publish,
automation, resources, and `keys.py`); `project.py` is the dbt project and its manifest; `runner.py`
runs the refresh job in process for `marketwh refresh`. No domain logic lives here: it calls
`marketwh` (curation, warehouse) and `expectations`.

Importing this package imports nothing: the definitions are built only when Dagster asks for them.
"""
