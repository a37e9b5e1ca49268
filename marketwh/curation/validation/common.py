"""What every table's rules share: the result of a validation, where a problem is, and the small
helpers that turn a seed row into a problem with its file, line and rule."""

from __future__ import annotations

import difflib
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import InputError, Problem
from ...paths import ProjectPaths
from ..documents import ReportDocument, inside_reports, read_report_document
from ..seedfiles import SeedRow, SeedTable

# problems that make a whole file unusable: rows of other seeds that refer to it are not also reported
FILE_LEVEL_RULES = ("seed_missing", "seed_unreadable", "csv_empty", "csv_encoding", "csv_quoting", "csv_header")

Add = Callable[[Problem], None]


class DocumentStore:
    """The usable report documents by report id. A report's rules run together (per_report.py): its
    document is parsed once, by its row's checks or by the first quote rule that asks (a report whose
    checks the cache skips is never parsed), and kept in a small cache while its figure and claim rows
    are checked; memory stays flat however many reports there are. Only a report whose figure rows are
    not grouped in the file has its document parsed again."""

    def __init__(self, cache_size: int = 8):
        self._paths: dict[str, tuple[Path, str]] = {}
        self._cache: OrderedDict[str, ReportDocument] = OrderedDict()
        self._cache_size = cache_size

    def add(self, report_id: str, document: ReportDocument, display_path: str) -> None:
        self._paths[report_id] = (document.path, display_path)
        self._remember(report_id, document)

    def register(self, report_id: str, path: Path, display_path: str) -> None:
        """A usable document, parsed only when a rule asks for it."""
        self._paths[report_id] = (path, display_path)

    def get(self, report_id: str) -> ReportDocument | None:
        if report_id in self._cache:
            self._cache.move_to_end(report_id)
            return self._cache[report_id]
        if report_id not in self._paths:
            return None
        path, shown = self._paths[report_id]
        try:
            document = read_report_document(path, display_path=shown)
        except InputError:
            return None  # changed on disk since it was checked: the next validation says how
        self._remember(report_id, document)
        return document

    def _remember(self, report_id: str, document: ReportDocument) -> None:
        self._cache[report_id] = document
        self._cache.move_to_end(report_id)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    def __len__(self) -> int:
        return len(self._paths)

    def __contains__(self, report_id: str) -> bool:
        return report_id in self._paths


@dataclass
class ValidationResult:
    problems: list[Problem] = field(default_factory=list)
    tables: dict[str, SeedTable] = field(default_factory=dict)
    documents: DocumentStore = field(default_factory=DocumentStore)
    # reports whose per-row rules ran, and those the validation cache skipped (unchanged and clean)
    reports_checked: list[str] = field(default_factory=list)
    reports_skipped: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return sorted(p for p in self.problems if p.severity == "error")

    @property
    def ok(self) -> bool:
        return not self.errors

    def raise_for_errors(self) -> None:
        if self.errors:
            raise InputError(self.errors)


def suggest(value: str, known: list[str]) -> str:
    """'; did you mean X?' for the nearest known name, else a short list of known names."""
    close = difflib.get_close_matches(value.lower(), [k.lower() for k in known], n=1, cutoff=0.5)
    if close:
        original = next(k for k in known if k.lower() == close[0])
        return f"; did you mean {original!r}?"
    return f"; known: {', '.join(sorted(known)[:12])}" if known else ""


def relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def rows(table: SeedTable | None) -> list[SeedRow]:
    return table.rows if table else []


def index(table: SeedTable | None, column: str) -> dict[str, SeedRow]:
    return {row[column]: row for row in rows(table)}


def at(table: SeedTable, row: SeedRow, rule: str, message: str, severity: str = "error") -> Problem:
    return Problem(table.display_path, row.line, rule, message, severity)


def check_unique(table: SeedTable | None, key: tuple[str, ...], add: Add) -> None:
    seen: dict[tuple[str, ...], int] = {}
    for row in rows(table):
        value = tuple(row[c] for c in key)
        if value in seen:
            add(at(table, row, "duplicate_key", f"{'/'.join(key)} {'/'.join(value)!r} already defined on line {seen[value]}"))
        else:
            seen[value] = row.line


def check_id(table: SeedTable, row: SeedRow, column: str, seen: dict[str, int], add: Add) -> None:
    """The row's id is set and not used by an earlier row (`seen`: id -> line, updated)."""
    value = row[column]
    if not value:
        add(at(table, row, "id_missing", f"{column} is empty"))
    elif value in seen:
        add(at(table, row, "duplicate_id", f"{column} {value!r} already used on line {seen[value]}"))
    else:
        seen[value] = row.line


def check_known(table: SeedTable, row: SeedRow, column: str, known: list[str], rule: str, where: str, add: Add) -> bool:
    """The row's `column` names one of `known`; else a `rule` problem with the nearest known name."""
    value = row[column]
    if value in known:
        return True
    add(at(table, row, rule, f"{column} {value!r} is not {where}" + suggest(value, known)))
    return False


def check_front_matter(
    row: SeedRow, document: ReportDocument, keys: tuple[str, ...], allowed: tuple[str, ...], seed: str, add: Add
) -> None:
    """A stored document's front matter follows its schema (`keys` required, `allowed` besides) and says
    what its catalogue row (`seed`, e.g. seeds/reports.csv) says: a copy and its entry cannot drift apart."""
    shown = row["document_path"]
    if document.front_matter is None:
        add(
            Problem(
                shown, 1, "front_matter_missing", f"the document has no front matter: start it with --- lines holding {', '.join(keys)}"
            )
        )
        return
    for key, (line, _value) in document.front_matter.items():
        if key not in keys + allowed:
            add(
                Problem(
                    shown, line, "front_matter_unknown_key", f"front matter key {key!r} is not in the schema ({', '.join(keys + allowed)})"
                )
            )
    for key in keys:
        if key not in document.front_matter:
            add(Problem(shown, 1, "front_matter_missing", f"front matter has no {key!r}: it must say what {seed} says"))
            continue
        line, value = document.front_matter[key]
        if value != row[key]:
            add(
                Problem(
                    shown, line, "front_matter_mismatch", f"front matter {key} is {value!r} but {seed} line {row.line} says {row[key]!r}"
                )
            )


def read_catalogued_document(
    table: SeedTable, row: SeedRow, paths: ProjectPaths, result: ValidationResult, label: str
) -> ReportDocument | None:
    """The stored document a catalogue row names (its `document_path`, inside reports/), read and
    checked once; None, with the problems said, when it cannot be used. `label` names the row's subject
    in the message ("report 'x'")."""
    add = result.problems.append
    if inside_reports(paths.root, row["document_path"]) is None:
        add(
            at(
                table,
                row,
                "document_outside_reports",
                f"document_path {row['document_path']!r} does not resolve to a file inside reports/ (symlinks followed): "
                "store the document under reports/ and name it by its relative path",
            )
        )
        return None
    try:
        return read_report_document(paths.root / row["document_path"], display_path=row["document_path"])
    except InputError as error:
        result.problems.extend(error.problems)
        add(at(table, row, "document_unusable", f"{label}: its document {row['document_path']} cannot be used (see above)"))
        return None


def check_recorded_sha256(table: SeedTable, row: SeedRow, document: ReportDocument, advice: str, add: Add) -> None:
    """The stored document is the one its catalogue row recorded (`document_sha256`); else a problem
    ending with `advice` (what was curated from it and how to record the new hash)."""
    if document.sha256 != row["document_sha256"].lower():
        add(
            at(
                table,
                row,
                "document_sha256_mismatch",
                f"{row['document_path']} has sha256 {document.sha256}, the seed says {row['document_sha256']}: {advice}",
            )
        )
