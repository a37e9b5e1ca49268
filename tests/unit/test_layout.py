"""The layout STYLE.md and docs/design.md describe, as checks: imports point one way (`dagster_project` ->
`marketwh` and `expectations`; the domain package never imports Dagster, dbt, GX or the Dagster
project, except the command line, lazily inside a subcommand), the domain package imports without
them, the Dagster asset modules share their keys through keys.py, and no module outgrows ~300 lines."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import REPO

pytestmark = pytest.mark.unit

FORBIDDEN_IN_DOMAIN = ("dagster", "dagster_dbt", "dagster_project", "dbt", "great_expectations", "expectations")
MAX_LINES = 300
PROJECT_CODE = ("marketwh", "dagster_project", "expectations", "serving", "bench", "tests")


def python_modules(*folders: str) -> list[Path]:
    return sorted(path for folder in folders for path in (REPO / folder).rglob("*.py") if "__pycache__" not in path.parts)


def imports(path: Path) -> list[tuple[str, bool]]:
    """(top-level package imported, whether the import is at module level) for each import of a module;
    relative imports are resolved against the module's package."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = path.relative_to(REPO).parent.parts
    found = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""] if node.level == 0 else [".".join(package[: len(package) - node.level + 1])]
        found += [(name.split(".")[0], node.col_offset == 0) for name in names]
    return found


def test_the_domain_package_imports_no_orchestration_or_audit_library():
    offenders = []
    for path in python_modules("marketwh"):
        in_cli = path.relative_to(REPO).parts[:2] == ("marketwh", "cli")
        for package, at_module_level in imports(path):
            if package in FORBIDDEN_IN_DOMAIN and (not in_cli or at_module_level):
                offenders.append(f"{path.relative_to(REPO)} imports {package}" + (" at module level" if in_cli else ""))
    assert offenders == []


def test_console_scripts_start_in_the_domain_package():
    import tomllib

    scripts = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts and {name: target for name, target in scripts.items() if not target.startswith("marketwh.")} == {}


def test_processes_and_dbt_are_started_by_the_domain_package_only():
    """Starting processes (dbt, the guard, process groups) is marketwh's (dbtrun.py, processes.py):
    the Dagster project and the audits only call it."""
    offenders = [
        f"{path.relative_to(REPO)} imports {package}"
        for path in python_modules("dagster_project", "expectations")
        for package, _ in imports(path)
        if package in ("subprocess", "ctypes", "signal")
    ]
    assert offenders == []


def test_expectations_do_not_import_dagster():
    offenders = [
        f"{path.relative_to(REPO)} imports {package}"
        for path in python_modules("expectations")
        for package, _ in imports(path)
        if package in ("dagster", "dagster_dbt", "dagster_project")
    ]
    assert offenders == []


def test_every_domain_module_imports_without_dagster_dbt_or_gx():
    modules = [
        ".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
        for path in python_modules("marketwh")
        if path.name != "__main__.py"
    ]
    probe = (
        f"import importlib, json, sys\nfor name in {modules!r}:\n    importlib.import_module(name)\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    loaded = json.loads(subprocess.run([sys.executable, "-c", probe], cwd=REPO, check=True, capture_output=True, text=True).stdout)
    assert len(modules) > 40
    assert [name for name in FORBIDDEN_IN_DOMAIN if name in loaded] == []


def test_asset_modules_share_keys_through_keys_py_not_through_each_other():
    defs = REPO / "dagster_project" / "defs"
    shared = {"keys", "resources"}
    offenders = []
    for path in python_modules("dagster_project/defs"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 1 and (node.module or "") not in shared:
                offenders.append(f"{path.relative_to(defs)} imports .{node.module}")
    assert offenders == []


def test_no_module_outgrows_three_hundred_lines():
    long = {
        str(path.relative_to(REPO)): lines
        for path in python_modules(*PROJECT_CODE)
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}
