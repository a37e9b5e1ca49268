"""Great Expectations (1.x): the gate on a candidate warehouse's findings.

Every audit rule is judged once, in dbt (dbt/models/audits, with the thresholds of the audit_thresholds
seed inside the audited build); the suites here read the findings dbt built (marts.report_findings) as
pandas frames (GX's SQL path through duckdb-engine is broken) and block publishing on any open blocking
finding of their rules, reporting each with its key, its numbers and its rule.
"""
