"""Side environments: a virtualenv under build/ for tools that cannot share .venv.

Superset (duckdb < 2), the DuckDB 1.x clients and the Spark target (pyspark: with it in .venv, GX
imports pyspark.sql.connect, which exits a daemon-launched Dagster run) each get their own virtualenv,
created on first use. A stamp file naming the pinned packages makes later uses skip the install, and a
changed pin reinstalls. A lock beside the environment lets one process install it while the others that
need it wait.
"""

from __future__ import annotations

import fcntl
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from .errors import MarketWarehouseError

STAMP = "installed.txt"


class SideEnvironmentError(MarketWarehouseError):
    """A side environment could not be installed; the message names the packages and pip's error."""


def ensure_venv(venv: Path, packages: Sequence[str], log: Callable[[str], None] = print, what: str = "") -> Path:
    """`venv` with exactly `packages` installed (pip pins), created or reinstalled unless its stamp
    already names them. Returns `venv`."""
    stamp = venv / STAMP
    wanted = "\n".join(packages)
    if stamp.exists() and stamp.read_text(encoding="utf-8") == wanted:
        return venv
    venv.parent.mkdir(parents=True, exist_ok=True)
    # one installer at a time: a process that needs the environment while another installs it (the tests
    # install them in the background from the start of a run) waits for it, then finds the stamp
    with open(venv.parent / f".{venv.name}.install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if stamp.exists() and stamp.read_text(encoding="utf-8") == wanted:
            return venv
        _install(venv, packages, log, what)
        stamp.write_text(wanted, encoding="utf-8")
    return venv


def _install(venv: Path, packages: Sequence[str], log: Callable[[str], None], what: str) -> None:
    log(f"installing {what or ', '.join(packages)} into {venv} (once; later runs reuse it)")
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    uv = Path(sys.executable).parent / "uv"  # a dependency of .venv: pip's choices at a tenth of its CPU
    install = subprocess.run(
        # every .pyc written now, as pip does: uv writes none, and with PYTHONDONTWRITEBYTECODE=1 each
        # Superset or dbt process would compile its packages from source (the Makefile installs .venv so)
        [str(uv), "pip", "install", "--quiet", "--compile-bytecode", "--python", python, *packages]
        if uv.exists()
        else [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *packages],
        capture_output=True,
        text=True,
    )
    if install.returncode != 0:
        raise SideEnvironmentError(
            f"cannot install {', '.join(packages)} into {venv} (is the package index reachable?):\n{install.stderr[-3000:]}"
        )
