"""Rules of seeds/reports.csv: every report has its full origin, consistent years, and a stored
document that can be read and still has the sha256 its figures were curated against."""

from __future__ import annotations

from ...errors import InputError
from ...paths import ProjectPaths
from ..documents import read_report_document
from ..seedfiles import SeedRow, SeedTable, to_int
from .common import ValidationResult, at, rows

PROVENANCE_COLUMNS = ("report_id", "title", "publisher", "url", "date_accessed", "document_path", "document_sha256")


def check_reports(table: SeedTable | None, paths: ProjectPaths, result: ValidationResult) -> dict[str, SeedRow]:
    """Check every report row and read its document; report_id -> row of the reports that exist."""
    add = result.problems.append
    reports: dict[str, SeedRow] = {}
    for row in rows(table):
        if row["report_id"] in reports:
            add(
                at(
                    table,
                    row,
                    "duplicate_id",
                    f"report_id {row['report_id']!r} already defined on line {reports[row['report_id']].line}",
                )
            )
            continue
        reports[row["report_id"]] = row
        for column in PROVENANCE_COLUMNS:
            if not row[column].strip():
                add(at(table, row, "provenance_missing", f"column {column} is empty: every report needs its full origin"))
        first, base = to_int(row["history_start_year"]), to_int(row["base_year"])
        start, end = to_int(row["forecast_start_year"]), to_int(row["forecast_end_year"])
        if None not in (first, base, start, end) and not first <= base < start <= end:  # a non-number is a type problem already
            add(
                at(
                    table,
                    row,
                    "report_years",
                    f"years must satisfy history_start_year {first} <= base_year {base} < "
                    f"forecast_start_year {start} <= forecast_end_year {end}",
                )
            )
        if row["document_path"]:
            _check_document(table, row, paths, result)
    return reports


def _check_document(table: SeedTable, row: SeedRow, paths: ProjectPaths, result: ValidationResult) -> None:
    add = result.problems.append
    try:
        document = read_report_document(paths.root / row["document_path"], display_path=row["document_path"])
    except InputError as error:
        result.problems.extend(error.problems)
        add(
            at(
                table,
                row,
                "document_unusable",
                f"report {row['report_id']!r}: its document {row['document_path']} cannot be used (see above)",
            )
        )
        return
    result.documents[row["report_id"]] = document
    if document.sha256 != row["document_sha256"].lower():
        add(
            at(
                table,
                row,
                "document_sha256_mismatch",
                f"{row['document_path']} has sha256 {document.sha256}, the seed says {row['document_sha256']}: "
                "the document changed after its figures were curated; re-check the quotes, then update the hash "
                "(a new edition of a report is a new row, not an edit)",
            )
        )


def report_year_range(report: SeedRow) -> tuple[int | None, int | None]:
    """Years a report speaks of: from the first year of its history to its last forecast year."""
    first, end = to_int(report["history_start_year"]), to_int(report["forecast_end_year"])
    if first is None or end is None:
        return None, None
    return first, end
