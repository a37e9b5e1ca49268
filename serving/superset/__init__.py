"""Superset: the dashboard bundle in its own import format, run.py (make superset) and api.py."""
