"""Adding a row to a curated seed the way a person would, but safely: read the whole file with the
seed reader, refuse it when it is broken, check the new row by the seed's own rules, and write the
whole file again to a temporary file beside it that replaces it in one rename.

Appending in place went wrong in every way a hand-edited file allows: a last line without a newline
got the new row glued onto it, an empty file got a row without a header, and a row the validator
refuses was written anyway. A crash or a full disk mid-write leaves the old file, never half of one.
"""

from __future__ import annotations

import csv
import io
import os
import uuid
from collections.abc import Callable
from pathlib import Path

from ..errors import InputError, Problem
from .seedfiles import cell_problem, read_seed, write_rows

# an empty or missing seed is the start of one: the writer gives it its header
_STARTS_EMPTY = ("csv_empty", "seed_missing")
RowRules = Callable[[dict[str, str]], list[tuple[str, str]]]


def append_seed_row(path: Path, column_types: dict[str, str], row: dict[str, str], rules: RowRules, shown: str = "") -> dict[str, str]:
    """Append `row` to the seed at `path` (columns `column_types`, as seeds/_seeds.yml declares them)
    after checking it by the column types and `rules`; returns the row as written (spreadsheet-safe).
    Raises InputError naming the file (and line) when the file is broken or the row breaks a rule."""
    shown = shown or str(path)
    table, problems = read_seed(path, column_types, display_path=shown)
    problems = [p for p in problems if p.rule not in _STARTS_EMPTY]
    if problems:
        raise InputError(problems)
    columns = list(column_types)
    existing = [dict(r) for r in table.rows]
    new_line = (table.rows[-1].line if table.rows else 1) + 1
    with _replacing(path) as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(existing)  # as they were read: the validator judges a hand-edited row where it is
        (written,) = write_rows(handle, columns, [row], header=False)
        identifiers = getattr(column_types, "identifiers", ())  # the columns _seeds.yml marks as identifiers
        found = [cell_problem(column, kind, written[column], column in identifiers) for column, kind in column_types.items()]
        found = [f for f in found if f] + rules(written)
        if found:
            raise InputError([Problem(shown, new_line, rule, f"the new row: {message}") for rule, message in found])
    return written


class _replacing:
    """A text file beside `path` that replaces it when the block ends without an error (and is
    removed when it does not)."""

    def __init__(self, path: Path):
        self.path = path
        self.temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")

    def __enter__(self):
        self.handle = open(self.temporary, "x", newline="", encoding="utf-8")
        return self.handle

    def __exit__(self, kind, error, trace) -> None:
        try:
            if kind is None:
                self.handle.flush()
                os.fsync(self.handle.fileno())
                if self.path.exists():
                    os.chmod(self.temporary, self.path.stat().st_mode & 0o777)
        finally:
            self.handle.close()
        if kind is None:
            os.replace(self.temporary, self.path)
        else:
            self.temporary.unlink(missing_ok=True)


def records_of(text: str) -> list[tuple[list[str], str, int]]:
    """Every CSV record of the seed with its raw text and first line (lines split as the seed reader
    splits them), so rows other than the registered one keep their bytes."""
    lines = list(io.StringIO(text, newline=""))
    reader = csv.reader(lines, strict=True)
    found, start = [], 0
    for record in reader:
        found.append((record, "".join(lines[start : reader.line_num]), start + 1))
        start = reader.line_num
    return found


def with_row(text: str, records: list[tuple[list[str], str, int]], existing: dict | None, columns: list[str], row: dict) -> str:
    """The seed's text with `row` in place of the existing one, or appended."""
    buffer = io.StringIO()
    write_rows(buffer, columns, [row], header=False)
    if existing is None:
        return text + ("" if not text or text.endswith("\n") else "\n") + buffer.getvalue()
    old = [existing[c] for c in columns]
    return "".join(buffer.getvalue() if record == old else raw for record, raw, _ in records)
