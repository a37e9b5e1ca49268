"""marketwh: the market-intelligence warehouse's domain package and its `marketwh` command line.

Four verbs, each with a room: curate (`marketwh.curation`: stored documents, seed CSVs, amounts,
validation, extraction), build (the dbt project in dbt/), audit (dbt tests and expectations/), serve
(`marketwh.warehouse`: the refresh lock, write-audit-publish of the served DuckDB file, the read-only
reader). Nothing here imports Dagster, dbt or Great Expectations; the command line reaches the Dagster
refresh runner lazily, inside the subcommands that need it.
"""
