"""What the validator remembers between runs: the fingerprint of each report that validated clean, so a
run after a small change checks the rows of the changed reports only (docs/scale.md).

A report's per-row rules (its row's document checks, the quote and value checks of its figures and
claims) read nothing but its own rows, its reports.csv row, its document and the vocabulary. So when
none of these changed since a run in which the report had no problem at all, checking its rows again
can find none, and they are skipped. The rules between reports (ids unique across reports,
contradictory figures, editions, reports without figures) still run on every row.

- a report's fingerprint (`report_fingerprint`): its reports.csv row, the sha256 of its document's bytes
  and digests of its figure and claim rows as read. Content only, no path and no line: a refresh's
  inputs snapshot hits the entries the working tree wrote, and a row inserted above a report does not
  make it stale (a clean report has no message that could carry a line);
- the global fingerprint (`global_fingerprint`): every seed the per-row rules read (the vocabulary,
  thresholds, the seed schema; all of seeds/ but the per-report seeds and those only the rules between
  reports read) and the validator's own source. A change there revalidates everything.

The file is replaced atomically (written beside, then renamed): a crash leaves the old cache or the new
one, never a part. A file that cannot be read or parsed is ignored (a full validation), never an error.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from ...errors import Problem
from ...safefs import UnsafePathError, read_regular
from ..documents import DOCUMENT_MAX_BYTES, inside_reports
from ..seedfiles import SeedRow
from .common import FILE_LEVEL_RULES

FORMAT = 1
# seeds whose rows are a report's own inputs (fingerprinted per report), and seeds no per-row rule reads
PER_REPORT_SEEDS = ("reports.csv", "report_figures.csv", "report_claims.csv")
NOT_READ_BY_ROW_RULES = ("finding_acknowledgements.csv", "exchange_rates.csv", "reference_documents.csv")
# what the validator runs: its rules, the readers and the error type (the code running, not a snapshot's)
_PACKAGE = Path(__file__).resolve().parent.parent.parent
_VALIDATOR_SOURCES = ("curation", "errors.py", "safefs.py")


def rows_digest(rows) -> str:
    """A digest of seed rows as read: their cells in column order, in file order (not their lines)."""
    digest = hashlib.blake2b(digest_size=16)
    for row in rows:
        digest.update("\x1f".join(row.values()).encode("utf-8", "surrogatepass") + b"\x1e")
    return digest.hexdigest()


def document_sha256(root: Path, document_path: str) -> str | None:
    """The sha256 of a report's document as the validator would read it (inside reports/, a regular
    file, not too large); None when it cannot be read that way (then the report is always checked)."""
    if not document_path or inside_reports(root, document_path) is None:
        return None
    try:
        return hashlib.sha256(read_regular(root / document_path, DOCUMENT_MAX_BYTES)).hexdigest()
    except (OSError, UnsafePathError):
        return None


def report_fingerprint(row: SeedRow, document_sha: str | None, figures: str, claims: str) -> str | None:
    """Everything a report's per-row rules read of its own inputs: its reports.csv row, its document's
    sha256 and the digests of its figure and claim rows (`rows_digest`). The one place that says what a
    report's inputs are: when the seeds are split per report, its files' digests come in here."""
    if document_sha is None:
        return None
    digest = hashlib.blake2b(digest_size=16)
    for part in (rows_digest([row]), document_sha, figures, claims):
        digest.update(part.encode("ascii") + b"\0")
    return digest.hexdigest()


def global_fingerprint(seeds_dir: Path) -> str:
    """The seeds every report's per-row rules read, and the validator's source."""
    digest = hashlib.sha256(f"format {FORMAT}\0".encode())
    skipped = set(PER_REPORT_SEEDS) | set(NOT_READ_BY_ROW_RULES)
    seeds = sorted(p for p in seeds_dir.iterdir() if p.is_file() and p.name not in skipped) if seeds_dir.is_dir() else []
    sources = sorted(
        path for name in _VALIDATOR_SOURCES for path in ([_PACKAGE / name] if name.endswith(".py") else (_PACKAGE / name).rglob("*.py"))
    )
    for label, paths, base in (("seed", seeds, seeds_dir), ("source", sources, _PACKAGE)):
        for path in paths:
            digest.update(f"{label} {path.relative_to(base).as_posix()}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


class ValidationCache:
    """The cache file (`ProjectPaths.validation_cache`): report id -> fingerprint of the reports that
    validated clean under the global fingerprint it records. `full=True` reads nothing (every report is
    checked) but still writes what the run found."""

    def __init__(self, path: Path, full: bool = False):
        self.path, self.full = path, full
        self._global: str | None = None
        self._clean: dict[str, str] = {}

    def open(self, seeds_dir: Path) -> None:
        """Work out the global fingerprint and read the entries made under it (none when it changed,
        the file is missing, unreadable or not a cache)."""
        try:
            self._global = global_fingerprint(seeds_dir)
        except OSError:  # a seed that cannot be read: the seed reader says so, and nothing is remembered
            self._global = None
        if self.full or self._global is None:
            return
        try:
            stored = json.loads(self.path.read_text(encoding="utf-8"))
            if stored.get("format") == FORMAT and stored.get("global") == self._global:
                self._clean = {str(k): str(v) for k, v in dict(stored["reports"]).items()}
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            self._clean = {}

    def is_clean(self, report_id: str, fingerprint: str | None) -> bool:
        return fingerprint is not None and self._clean.get(report_id) == fingerprint

    def save(self, clean: dict[str, str]) -> None:
        """Replace the file with `clean` (report id -> fingerprint) under this run's global fingerprint.
        A cache that cannot be written is no error: the next run checks everything."""
        if self._global is None:
            return
        text = json.dumps({"format": FORMAT, "global": self._global, "reports": clean}, sort_keys=True)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, scratch = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
            try:
                os.fchmod(handle, 0o644)  # as any file written under build/ (mkstemp makes it 0600)
                with os.fdopen(handle, "w", encoding="utf-8") as out:
                    out.write(text)
                    out.flush()
                    os.fsync(out.fileno())
                os.replace(scratch, self.path)
            finally:
                Path(scratch).unlink(missing_ok=True)
        except OSError:
            pass


def reports_with_problems(problems: list[Problem], owner_of, owned_paths: set[str]) -> set[str] | None:
    """The reports the problems name (`owner_of(problem)`: its report id, or None). None when a problem
    stands in a report's files but names no report (a file-level problem, a row the reader skipped):
    then no report can be called clean."""
    named: set[str] = set()
    for problem in problems:
        owner = None if problem.rule in FILE_LEVEL_RULES else owner_of(problem)
        if owner is not None:
            named.add(owner)
        elif problem.path in owned_paths:
            return None
    return named
