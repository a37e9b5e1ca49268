"""`marketwh acknowledge`: a person accepts a finding as the publisher's own inconsistency.

It writes one row into seeds/finding_acknowledgements.csv (finding key, report, reason, who, when): a
curated input like a figure, reviewed in a commit, validated like every seed. The row goes through the
seed writer (marketwh/curation/seedwriter.py): the file is read and the row checked by the seed's own
rules before the whole file is replaced in one rename. The next refresh then
publishes the finding with status `acknowledged` instead of blocking on it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import getpass
import subprocess
from pathlib import Path
from typing import Any

from ..errors import MarketWarehouseError
from .seedfiles import load_seed_schemas, read_seed
from .seedwriter import append_seed_row
from .validation.acknowledgements import row_problems, visible

SEED = "finding_acknowledgements.csv"


def who_acknowledges(root: Path) -> str:
    """The person: git's user.name of the checkout, else the login name."""
    try:
        name = subprocess.run(["git", "config", "user.name"], cwd=root, capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        name = ""
    return name or getpass.getuser()


def acknowledge(seeds_dir: Path, findings: list[dict[str, Any]], key: str, reason: str, by: str, on: dt.date) -> dict[str, str]:
    """Append the acknowledgement of finding `key` (one of `findings`) to the seed; returns the row."""
    by_key = {finding["finding_key"]: finding for finding in findings}
    if key not in by_key:
        close = difflib.get_close_matches(key, list(by_key), n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]!r}?" if close else "; `marketwh findings` lists the keys"
        raise MarketWarehouseError(f"no finding {key!r} in the last refresh attempt{hint}")
    if not visible(reason):
        raise MarketWarehouseError("--reason is empty: say why the finding is the report's own and shown as published")
    if not visible(by):
        raise MarketWarehouseError("--by is empty: say who acknowledges the finding (a name, not only spaces)")
    path = seeds_dir / SEED
    column_types = load_seed_schemas(seeds_dir)[path.stem]
    shown = f"seeds/{SEED}"
    existing, _ = read_seed(path, column_types, display_path=shown)
    if any(row["finding_key"] == key for row in existing.rows):
        raise MarketWarehouseError(f"finding {key!r} is acknowledged already ({path})")
    row = {
        "finding_key": key,
        "report_id": str(by_key[key]["report_id"]),
        "reason": reason.strip(),
        "acknowledged_by": by.strip(),
        "acknowledged_on": on.isoformat(),
    }
    return append_seed_row(path, column_types, row, row_problems, shown)
