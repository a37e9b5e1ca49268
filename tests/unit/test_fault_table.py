"""The tables of bad inputs and faults in docs/rules.md promise that each row is a test: check that
every test they name exists, so the tables cannot drift from the suite."""

from __future__ import annotations

import re

from tests.helpers import REPO

RULES = REPO / "docs" / "rules.md"


def _table_rows() -> list[str]:
    text = RULES.read_text(encoding="utf-8")
    section = text.split("## Bad input and faults", 1)[1]
    return [line for line in section.splitlines() if line.startswith("| ") and "`tests/" in line]


def test_every_row_of_the_bad_input_and_fault_tables_names_an_existing_test():
    rows = _table_rows()
    assert len(rows) >= 20
    for row in rows:
        test_cell = row.rstrip(" |").rsplit("|", 1)[1]
        references = re.findall(r"`(tests/[^`:]+)(?:::([\w]+))?`", test_cell)
        assert references, row
        for path, function in references:
            target = REPO / path
            assert target.exists(), f"{path} (docs/rules.md row: {row[:60]})"
            if function:
                assert re.search(rf"def {function}\(", target.read_text(encoding="utf-8")), f"{path}::{function} missing"
