"""Great Expectations (1.x) audits of a candidate warehouse.

The suites run on pandas frames read from the candidate DuckDB file (GX's SQL path through
duckdb-engine is broken), and report every failing row with its report, figure id, value and rule.
Tolerances and bounds come from the `audit_thresholds` seed inside the audited file itself, so the
audit judges a build by the thresholds it was built with.
"""
