"""Serving: the refresh lock, write-audit-publish of the served DuckDB file, and the one read-only
reader the audits, the status command and the tests use."""
