"""Superset's configuration for the warehouse's dashboard (read by Superset through SUPERSET_CONFIG_PATH).

A local, single-user Superset: its metadata in SQLite and its secret key under one folder of build/
(MARKETWH_SUPERSET_HOME, set by superset/run.py; build/superset by default), nothing loaded from another
host and nothing reported to one. The served warehouse is read-only to it: the database's URI says so
(see databases/marketwh_warehouse_read-only.yaml), and run.py fills in the served file's absolute path at import.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

# Superset loads this file in its own environment, where marketwh is not importable: run.py always sets
# MARKETWH_SUPERSET_HOME (marketwh.paths.ProjectPaths.superset_home); the fallback mirrors its default.
HOME = Path(os.environ.get("MARKETWH_SUPERSET_HOME") or Path(__file__).resolve().parent.parent.parent / "build" / "superset")
HOME.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """One random key per metadata folder, made on first use: it signs sessions and encrypts stored secrets."""
    path = HOME / "secret_key"
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
SQLALCHEMY_DATABASE_URI = f"sqlite:///{HOME / 'superset.db'}?check_same_thread=false"
# Superset's example data is never loaded; point its URI into the same folder all the same.
SQLALCHEMY_EXAMPLES_URI = f"sqlite:///{HOME / 'examples.db'}?check_same_thread=false"

APP_NAME = "marketwh"

# Chart data is never cached: every chart query opens the served file anew (Superset's analytics
# connections use SQLAlchemy's NullPool), so the first query after a publish shows the new build.
# A data cache here would keep serving the old build's numbers until its timeout.
DATA_CACHE_CONFIG = {"CACHE_TYPE": "NullCache"}
CACHE_CONFIG = {"CACHE_TYPE": "NullCache"}

# Nothing from another host. The web bundle of the PyPI wheel always renders Scarf's telemetry pixel;
# this content security policy makes the browser refuse it, like every other outside image, font,
# script or connection (map tiles, web fonts). SCARF_ANALYTICS=false is set by run.py as well.
THEME_FONT_URL_ALLOWED_DOMAINS: list[str] = []
STATIC_ASSETS_PREFIX = ""
TALISMAN_ENABLED = True
TALISMAN_CONFIG = {
    "content_security_policy": {
        "base-uri": ["'self'"],
        "default-src": ["'self'"],
        "img-src": ["'self'", "blob:", "data:"],
        "worker-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "object-src": "'none'",
        "style-src": ["'self'", "'unsafe-inline'"],
        "font-src": ["'self'", "data:"],
        "script-src": ["'self'", "'strict-dynamic'"],
    },
    "content_security_policy_nonce_in": ["script-src"],
    "force_https": False,
    "session_cookie_secure": False,
}
CONTENT_SECURITY_POLICY_WARNING = False
