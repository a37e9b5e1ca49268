"""Serving analysts: the report site (static pages over the served warehouse)."""
