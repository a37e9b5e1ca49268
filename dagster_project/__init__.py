"""The market-intelligence warehouse: Dagster definitions, the seed/document validators and the
`marketwh` command line.

Importing this package imports nothing heavy: the validator and the command line must start fast,
so dbt, Dagster and Great Expectations are imported only by the modules that need them.
"""
