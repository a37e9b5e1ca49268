"""Reading the curated seed CSVs the way dbt will, but with line numbers and all problems at once.

The expected columns and types of each seed, and which hold identifiers, are read from seeds/_seeds.yml
(seedschema.py), so the validator and dbt can never disagree about a seed's shape.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError, Problem
from ..safefs import UnsafePathError, open_regular
from .seedschema import IDENTIFIER, SEED_SCHEMA_FILE, SeedSchema, load_seed_schemas  # noqa: F401 (read from here too)

_TEXT_TYPES = ("varchar", "text", "string")
_DECIMAL = re.compile(r"-?(?P<whole>[0-9]+)(?:\.(?P<fraction>[0-9]+))?")
_DECIMAL_TYPE = re.compile(r"decimal\((?P<precision>[0-9]+),\s*(?P<scale>[0-9]+)\)")
_INTEGER = re.compile(r"-?[0-9]+")  # ASCII digits: float() and \d read "５.４" and "٢٠١٨", dbt's cast does not


class SeedRow(dict):
    """One CSV row: column -> cell text ("" for a column the row does not have), and its line."""

    __slots__ = ("line",)

    def __init__(self, line: int, values: dict[str, str]):
        super().__init__(values)
        self.line = line

    def __missing__(self, column: str) -> str:
        return ""


@dataclass
class SeedTable:
    name: str
    path: Path
    display_path: str
    columns: list[str]
    rows: list[SeedRow] = field(default_factory=list)  # empty when the rows were streamed (read_seed's on_row)
    row_count: int = 0


def cell_problem(column: str, kind: str, value: str, identifier: bool = False) -> tuple[str, str] | None:
    """(rule, message) for a cell that does not fit its column (an `identifier` column: IDENTIFIER), or None."""
    if value != value.strip():
        return "cell_whitespace", f"column {column}: {value!r} has spaces or a line break at its start or end; remove them"
    if value and identifier and not IDENTIFIER.fullmatch(value):
        return "bad_identifier", (
            f"column {column}: {value!r} is not an identifier: use lowercase ASCII letters, digits, '_' and '-', "
            "starting with a letter or digit (no '/', '.', spaces or look-alike letters from other alphabets)"
        )
    found = _type_problem(kind, value)
    return (found[0], f"column {column}: {found[1]}") if found else None


def _type_problem(kind: str, value: str) -> tuple[str, str] | None:
    """(rule, message) when `value` is not of the seed column type `kind` (as _seeds.yml declares it)."""
    kind = kind.lower()
    if value == "":
        return None  # emptiness is checked by the rules that require a value
    if kind.startswith("decimal") or kind in ("double", "float"):
        number = _DECIMAL.fullmatch(value)
        if not number:
            return "not_a_number", f"{value!r} is not a number (write digits with a '.' decimal point, no thousands separators or units)"
        declared = _DECIMAL_TYPE.fullmatch(kind.replace(" ", ""))
        if declared:
            scale, whole_digits = int(declared["scale"]), int(declared["precision"]) - int(declared["scale"])
            if len(number["whole"].lstrip("0")) > whole_digits:
                return "number_too_large", f"{value!r} has more than {whole_digits} digits before the decimal point ({kind})"
            if len((number["fraction"] or "").rstrip("0")) > scale:
                return "too_many_decimals", (
                    f"{value!r} has more than {scale} decimals: the warehouse keeps {scale} ({kind}) "
                    "and would store another number than the report prints"
                )
    elif kind in ("integer", "int", "bigint"):
        if not _INTEGER.fullmatch(value):
            return "not_a_number", f"{value!r} is not a whole number (digits 0-9)"
    elif kind == "boolean":
        if value not in ("true", "false"):
            return "bad_type", f"{value!r} is not true or false"
    elif kind == "date":
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return "bad_type", f"{value!r} is not a date in YYYY-MM-DD form"
    return None


_CHUNK = 1 << 24  # the file is checked and read in pieces: a 2-million-row seed never sits in memory whole


def _scan_bytes(path: Path, problem: Callable[[int | None, str, str], None]) -> tuple[bool, bool] | None:
    """One pass over the raw bytes: (has a BOM, has any text), or None after reporting why the file
    cannot be read as UTF-8 text (missing, unreadable, a NUL byte, an invalid byte)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines_before, has_text, bom = 0, False, False
    try:
        with open_regular(path) as handle:
            first = True
            while chunk := handle.read(_CHUNK):
                if first and chunk.startswith(b"\xef\xbb\xbf"):
                    bom, chunk = True, chunk[3:]
                first = False
                if b"\x00" in chunk:
                    line = lines_before + chunk[: chunk.index(b"\x00")].count(b"\n") + 1
                    problem(line, "csv_encoding", "the file contains a NUL byte: it is not a text CSV")
                    return None
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as error:
                    problem(
                        lines_before + chunk[: error.start].count(b"\n") + 1,
                        "csv_encoding",
                        f"not valid UTF-8 (byte 0x{chunk[error.start]:02x}); save the file as UTF-8",
                    )
                    return None
                has_text = has_text or bool(chunk.strip())
                lines_before += chunk.count(b"\n")
            decoder.decode(b"", final=True)
    except FileNotFoundError:
        problem(None, "seed_missing", "the seed file does not exist")
        return None
    except UnsafePathError as error:
        problem(None, "seed_unreadable", f"cannot read the seed file: {error}")
        return None
    except UnicodeDecodeError:
        problem(lines_before + 1, "csv_encoding", "not valid UTF-8 (the file ends inside a character); save the file as UTF-8")
        return None
    except OSError as error:
        problem(None, "seed_unreadable", f"cannot read the seed file: {error.strerror}")
        return None
    return bom, has_text


def read_seed(
    path: Path,
    column_types: dict[str, str],
    display_path: str | None = None,
    on_row: Callable[[SeedRow], None] | None = None,
    check_cells: bool = True,
) -> tuple[SeedTable, list[Problem]]:
    """Read one seed CSV. Returns the rows that could be read and every problem found. With `on_row`,
    each row is handed to it as it is read and not kept (the bulk seeds: memory stays flat). Without
    `check_cells` its cells are not checked against their types: the caller does (`cell_problems`)."""
    shown = display_path or str(path)
    table = SeedTable(path.stem, path, shown, list(column_types))
    problems: list[Problem] = []

    def problem(line: int | None, rule: str, message: str) -> None:
        problems.append(Problem(shown, line, rule, message))

    scanned = _scan_bytes(path, problem)
    if scanned is None:
        return table, problems
    bom, has_text = scanned
    if not has_text:
        problem(1, "csv_empty", "the file is empty: it needs at least the header line")
        return table, problems
    if bom:
        problem(1, "csv_bom", "the file starts with a byte-order mark (BOM); save it as UTF-8 without BOM")
    with open(path, encoding="utf-8-sig", newline="") as handle:
        _read_rows(csv.reader(handle, strict=True), table, column_types, problem, on_row, check_cells)
    return table, problems


def cell_checks(column_types: dict[str, str]) -> list[tuple[str, str, bool, bool]]:
    """What `cell_problems` checks of each column: (column, type, typed, holds identifiers)."""
    identifiers = getattr(column_types, "identifiers", frozenset())
    return [(column, kind, kind.lower() not in _TEXT_TYPES, column in identifiers) for column, kind in column_types.items()]


def cell_problems(values: dict[str, str], checks: list[tuple[str, str, bool, bool]]):
    """(rule, message) for each cell of a row that does not fit its column (`cell_checks`)."""
    for column, kind, typed, identifier in checks:
        value = values[column]
        if not value:
            continue
        # the common case costs two comparisons; cell_problem says what is wrong
        if value[0].isspace() or value[-1].isspace() or typed or (identifier and not IDENTIFIER.fullmatch(value)):
            found = cell_problem(column, kind, value, identifier)
            if found:
                yield found


def _read_rows(reader, table: SeedTable, column_types: dict[str, str], problem, on_row, check_cells: bool) -> None:
    expected = list(column_types)
    checks = cell_checks(column_types)
    header: list[str] | None = None
    start_line = 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            problem(
                start_line,
                "csv_quoting",
                f"malformed CSV quoting ({error}); a field with a comma or quote must be in double quotes, quotes inside doubled",
            )
            return
        line, start_line = start_line, reader.line_num + 1
        if header is None:
            header = [column.strip() for column in record]
            if header != expected:
                missing = [c for c in expected if c not in header]
                extra = [c for c in header if c not in expected]
                detail = []
                if missing:
                    detail.append(f"missing {', '.join(missing)}")
                if extra:
                    detail.append(f"unexpected {', '.join(extra)}")
                if not detail:
                    detail.append("columns are in a different order")
                problem(line, "csv_header", f"header changed ({'; '.join(detail)}); expected: {','.join(expected)}")
                return
            continue
        if record == [] or all(not value.strip() for value in record):
            continue  # blank line
        if len(record) != len(expected):
            problem(
                line,
                "csv_column_count",
                f"{len(record)} fields where the header has {len(expected)}; quote fields that contain commas",
            )
            continue
        values = dict(zip(expected, record, strict=True))
        for found in cell_problems(values, checks) if check_cells else ():
            problem(line, *found)
        table.row_count += 1
        if on_row is None:
            table.rows.append(SeedRow(line, values))
        else:
            on_row(SeedRow(line, values))
    if header is None:
        problem(1, "csv_empty", "the file is empty: it needs at least the header line")


def load_seed(path: Path, column_types: dict[str, str], display_path: str | None = None) -> SeedTable:
    """Read one seed CSV or raise InputError listing every problem in it."""
    table, problems = read_seed(path, column_types, display_path)
    if problems:
        raise InputError(problems)
    return table


def to_int(text: str) -> int | None:
    """A seed cell as a whole number, None when it is not one (the reader reports that)."""
    try:
        return int(text)
    except ValueError:
        return None


def to_float(text: str) -> float | None:
    """A seed cell as a number, None when it is not one (the reader reports that)."""
    try:
        return float(text)
    except ValueError:
        return None


_PLAIN_NUMBER = re.compile(r"[-+−]?[0-9][0-9.,  ]*%?")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: str) -> str:
    """A text cell as it may go into a CSV a person opens in a spreadsheet: a cell starting with
    =, +, -, @ (a formula to Excel or LibreOffice) gets a leading apostrophe, unless it is a plain
    number such as '-5.4' or '-5.4%', which a spreadsheet reads as the number it is."""
    if value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def write_rows(handle, fieldnames: list[str], rows, header: bool = True) -> list[dict[str, str]]:
    """Write rows as every CSV the project writes is written (seeds, drafts, acknowledgements): its
    columns in `fieldnames` order, `\n` line ends, every cell spreadsheet-safe. Returns the rows as written."""
    writer = csv.DictWriter(handle, fieldnames=fieldnames, lineterminator="\n")
    if header:
        writer.writeheader()
    written = [{column: spreadsheet_safe(str(row.get(column, ""))) for column in fieldnames} for row in rows]
    writer.writerows(written)
    return written
