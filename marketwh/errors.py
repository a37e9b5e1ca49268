"""The project's own error types.

Every problem with an input names the file, the line (1-based, as an editor shows it) and the rule
it breaks, so a person can open the file and fix it without reading code.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One broken rule in one place of one input file."""

    path: str
    line: int | None
    rule: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: [{self.rule}] {self.message}"


class MarketWarehouseError(Exception):
    """Base class of every error this project raises on purpose."""


class InputError(MarketWarehouseError):
    """A seed file or report document cannot be read or breaks a rule."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class RefreshError(MarketWarehouseError):
    """A refresh could not build, audit or publish the warehouse."""


def unwritable(path: Path, error: OSError) -> RefreshError:
    """The sentence for a generated file marketwh cannot write."""
    return RefreshError(
        f"cannot write {path}: {error.strerror or error}. marketwh writes everything it generates under build/ "
        "(the Dagster instance, dbt's target, the candidate and served files): make build/ writable by the user "
        "running marketwh, or set DAGSTER_HOME and WAREHOUSE_DB to a writable place."
    )
