"""The per-row rules of one report at a time: its row's document checks, its figure rows and its claim
rows, run together while its document is parsed (once per run), or skipped when the validation cache
says the report's inputs are those of a run in which it was clean (cache.py).

The figures seed streams past grouped by report (FigureRules hands over each run of one report's rows);
the claims are in memory, grouped here. A report whose rows come in two or more runs (not grouped in
the file) has every later run checked and is never remembered as clean; a report with more rows than
figures.RUN_LIMIT is checked as it streams (memory stays flat) and never remembered either.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable

from ...errors import Problem
from ...paths import ProjectPaths
from ..seedfiles import SeedRow, SeedTable
from ..vocabulary import Vocabulary
from .cache import ValidationCache, document_sha256, report_fingerprint, reports_with_problems, rows_digest
from .claims import check_claim_row
from .common import ValidationResult
from .reports import check_report_document

NO_ROWS = rows_digest([])


class ReportChecks:
    """Runs (or skips) each report's per-row rules once; says which reports were checked and which
    skipped (`checked`, `skipped`), and writes the cache of the clean ones (`remember`)."""

    def __init__(
        self,
        reports_table: SeedTable | None,
        reports: dict[str, SeedRow],
        claims: SeedTable | None,
        paths: ProjectPaths,
        vocabulary: Vocabulary,
        result: ValidationResult,
        cache: ValidationCache | None,
    ):
        self.reports_table, self.reports, self.claims, self.paths = reports_table, reports, claims, paths
        self.vocabulary, self.result, self.cache = vocabulary, result, cache
        self.claims_of: dict[str, list[SeedRow]] = {}
        for row in claims.rows if claims is not None else []:
            self.claims_of.setdefault(row["report_id"], []).append(row)
        self.checked: list[str] = []
        self.skipped: list[str] = []
        self._fingerprints: dict[str, str | None] = {}
        self._never_clean: set[str] = set()
        self._figure_runs: list[tuple[int, int, str]] = []  # (first line, last line, report) of each run
        self.figures_path: str | None = None

    def figure_run(self, report_id: str, rows: list[SeedRow], check_row: Callable[[SeedRow], None], complete: bool = True) -> None:
        """One run of consecutive figure rows of `report_id` (`complete`: all of the run, not a part of
        an overlong one): checked with the report's other rules, or skipped when it is unchanged and clean."""
        self._figure_runs.append((rows[0].line, rows[-1].line, report_id))
        if report_id in self._fingerprints or not complete:  # a second run, or a part: always checked
            self._never_clean.add(report_id)
            if report_id not in self._fingerprints:
                self._report(report_id, None)
            for row in rows:
                check_row(row)
            return
        if self._report(report_id, rows_digest(rows)):
            for row in rows:
                check_row(row)

    def finish(self) -> None:
        """The reports no figure row named, and the claims of reports the catalogue lacks."""
        for report_id in self.reports:
            if report_id not in self._fingerprints:
                self._report(report_id, NO_ROWS)
        for report_id in self.claims_of:
            if report_id not in self.reports and report_id not in self._fingerprints:
                self._fingerprints[report_id] = None
                self._check_claims(report_id)

    def _report(self, report_id: str, figures: str | None) -> bool:
        """Skip a report unchanged since it was clean, else run its document and claim rules; whether
        its figure rows are to be checked."""
        row = self.reports.get(report_id)
        fingerprint = None
        if row is not None and figures is not None and self.cache is not None:
            claims = rows_digest(self.claims_of.get(report_id, []))
            fingerprint = report_fingerprint(row, document_sha256(self.paths.root, row["document_path"]), figures, claims)
        self._fingerprints[report_id] = fingerprint
        if self.cache is not None and self.cache.is_clean(report_id, fingerprint):
            self.skipped.append(report_id)
            if row["document_path"]:  # counted as a document in use, parsed only if something asks
                self.result.documents.register(report_id, self.paths.root / row["document_path"], row["document_path"])
            return False
        self.checked.append(report_id)
        if row is not None and row["document_path"]:
            check_report_document(self.reports_table, row, self.paths, self.result)
        self._check_claims(report_id)
        return True

    def _check_claims(self, report_id: str) -> None:
        for row in self.claims_of.get(report_id, []):
            check_claim_row(self.claims, row, self.reports, self.vocabulary, self.result)

    def owner(self, problem: Problem) -> str | None:
        """The report a problem stands in: a row of its figures, claims or catalogue, or its document."""
        if problem.path == self.figures_path and problem.line is not None:
            at = bisect.bisect_right(self._figure_runs, (problem.line, float("inf"), "")) - 1
            if at >= 0 and self._figure_runs[at][0] <= problem.line <= self._figure_runs[at][1]:
                return self._figure_runs[at][2]
            return None
        return self._owners().get((problem.path, problem.line)) or self._owners().get((problem.path, None))

    def _owners(self) -> dict[tuple[str, int | None], str]:
        if not hasattr(self, "_owner_map"):
            owners: dict[tuple[str, int | None], str] = {}
            for row in self.reports_table.rows if self.reports_table is not None else []:
                owners[self.reports_table.display_path, row.line] = row["report_id"]
            for report_id, row in self.reports.items():
                if row["document_path"]:
                    owners[row["document_path"], None] = report_id
            for row in self.claims.rows if self.claims is not None else []:
                owners[self.claims.display_path, row.line] = row["report_id"]
            self._owner_map = owners
        return self._owner_map

    def remember(self) -> None:
        """Write the cache: the fingerprint of every report that has no problem in this run. Nothing is
        written when a problem in a report's files names no report."""
        if self.cache is None:
            return
        owned = {self.figures_path, *(t.display_path for t in (self.reports_table, self.claims) if t is not None)}
        owned |= {row["document_path"] for row in self.reports.values() if row["document_path"]}
        with_problems = reports_with_problems(self.result.problems, self.owner, owned - {None})
        if with_problems is None:
            return
        self.cache.save(
            {
                report_id: fingerprint
                for report_id, fingerprint in self._fingerprints.items()
                if fingerprint is not None and report_id not in with_problems and report_id not in self._never_clean
            }
        )
