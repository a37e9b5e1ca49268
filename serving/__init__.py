"""Dashboards as code: each BI tool's bundle and the script that serves it (serving/superset/)."""
