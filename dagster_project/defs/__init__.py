"""What Dagster loads: one module per concern (sources, dbt, audits, publish, site, automation,
resources), collected by `load_from_defs_folder` in definitions.py. Asset modules never import each
other: the keys they share are in keys.py."""
