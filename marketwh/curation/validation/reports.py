"""Rules of seeds/reports.csv: every report has its full origin, consistent years, and a stored
document that can be read and still has the sha256 its figures were curated against."""

from __future__ import annotations

from collections import Counter

from ...paths import ProjectPaths
from ..documents import FRONT_MATTER_KEYS, FRONT_MATTER_OPTIONAL, ReportDocument
from ..seedfiles import SeedRow, SeedTable, to_int
from ..vocabulary import Vocabulary
from .common import ValidationResult, at, check_front_matter, check_known, check_recorded_sha256, read_catalogued_document, rows
from .editions import check_date_published, check_edition_order
from .origin import ORIGIN_FRONT_MATTER, check_origin, check_origin_front_matter

STATUSES = ("active", "withdrawn")
PROVENANCE_COLUMNS = (
    "report_id",
    "title",
    "publisher",
    "url",
    "date_accessed",
    "document_path",
    "document_sha256",
    "terms_of_use",
    "attribution",
)
YEAR_COLUMNS = ("history_start_year", "base_year", "forecast_start_year", "forecast_end_year")


def check_reports(
    table: SeedTable | None, paths: ProjectPaths, vocabulary: Vocabulary, result: ValidationResult, documents: bool = True
) -> dict[str, SeedRow]:
    """Check every report row and (`documents`) read its document; report_id -> row of the reports that
    exist. Without `documents` the caller runs check_report_document per report (per_report.py)."""
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
        _check_years_plausible(table, row, vocabulary, add)
        check_date_published(table, row, add)
        check_origin(table, row, add)
        _check_publisher_label(table, row, vocabulary, add)
        if vocabulary.known.markets:
            check_known(table, row, "market", list(vocabulary.markets), "unknown_market", "in seeds/markets.csv", add)
        if row["status"] not in STATUSES:
            add(at(table, row, "bad_status", f"status {row['status']!r} is not one of {', '.join(STATUSES)}"))
        elif row["status"] == "withdrawn" and not row["status_reason"]:
            add(at(table, row, "status_reason_missing", "a withdrawn report says why in status_reason"))
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
        if documents and row["document_path"]:
            check_report_document(table, row, paths, result)
    check_edition_order(table, reports, add)  # an edition label may repeat: the publisher's, as printed
    return reports


def _check_publisher_label(table: SeedTable, row: SeedRow, vocabulary: Vocabulary, add) -> None:
    """A publisher's short label names it in chart legends: present, and no longer than
    publisher_label_max_length of seeds/audit_thresholds.csv."""
    label, longest = row["publisher_label"].strip(), vocabulary.thresholds.get("publisher_label_max_length")
    if not label:
        add(at(table, row, "publisher_label_missing", "column publisher_label is empty: give the publisher a short name for charts"))
    elif longest is not None and len(label) > longest:
        add(
            at(
                table,
                row,
                "publisher_label_too_long",
                f"publisher_label {label!r} has {len(label)} characters, more than {longest:g} "
                "(publisher_label_max_length in seeds/audit_thresholds.csv)",
            )
        )


def _check_years_plausible(table: SeedTable, row: SeedRow, vocabulary: Vocabulary, add) -> None:
    """Every year of a report lies within year_min..year_max of seeds/audit_thresholds.csv."""
    low, high = vocabulary.thresholds.get("year_min"), vocabulary.thresholds.get("year_max")
    if low is None or high is None:
        return
    for column in YEAR_COLUMNS:
        year = to_int(row[column])
        if year is not None and not low <= year <= high:
            add(
                at(
                    table,
                    row,
                    "year_implausible",
                    f"{column} {year} is outside {low:g}-{high:g} (year_min, year_max in seeds/audit_thresholds.csv)",
                )
            )


def check_report_document(table: SeedTable, row: SeedRow, paths: ProjectPaths, result: ValidationResult) -> None:
    """The report's stored document: readable inside reports/, its front matter and scope quote say what
    the row says, and it has the sha256 the row recorded."""
    add = result.problems.append
    document = read_catalogued_document(table, row, paths, result, f"report {row['report_id']!r}")
    if document is None:
        return
    result.documents.add(row["report_id"], document, row["document_path"])
    _check_front_matter(row, document, add)
    _check_scope_quote(table, row, document, add)
    advice = (
        "the document changed after its figures were curated; re-check the quotes, then record its hash with "
        f"`marketwh register {row['document_path']}` (a new edition of a report is a new row, not an edit)"
    )
    check_recorded_sha256(table, row, document, advice, add)


def _check_scope_quote(table: SeedTable, row: SeedRow, document: ReportDocument, add) -> None:
    """What a report says it covers is the document's own words: a non-empty scope_quote is whole
    sentences of the stored document (markup removed, whitespace collapsed), as a figure's quote is."""
    scope = row.get("scope_quote", "").strip()
    if not scope:
        return  # the document states no scope
    places = document.occurrences(scope)
    if not places or not document.is_whole_sentence(places):
        where = "is part of a sentence of" if places else "does not occur in"
        add(
            at(
                table,
                row,
                "scope_quote_not_in_document",
                f"scope_quote {where} {row['document_path']}: copy the whole sentence that states the report's scope "
                f"as the document prints it, or leave it empty when the document states none: {scope[:90]!r}",
            )
        )


def _check_front_matter(row: SeedRow, document: ReportDocument, add) -> None:
    """The stored document's front matter follows the one schema and says what its reports.csv row
    says: a copy and its catalogue entry cannot drift apart (title, origin, dates, terms, attribution)."""
    check_front_matter(row, document, FRONT_MATTER_KEYS, FRONT_MATTER_OPTIONAL + ORIGIN_FRONT_MATTER, "seeds/reports.csv", add)
    if document.front_matter is not None:
        check_origin_front_matter(row, document.front_matter, add)


def report_year_range(report: SeedRow) -> tuple[int | None, int | None]:
    """Years a report speaks of: from the first year of its history to its last forecast year."""
    first, end = to_int(report["history_start_year"]), to_int(report["forecast_end_year"])
    if first is None or end is None:
        return None, None
    return first, end


def check_reports_have_figures(
    table: SeedTable | None, reports: dict[str, SeedRow], figure_counts: dict[str, Counter[str]], claims: SeedTable | None, add
) -> None:
    """Nothing is lost silently: an active report without a figure is an error (a figures seed emptied by
    mistake, a report registered and forgotten); a withdrawn one keeps its row, and no figures or claims.
    `figure_counts`: {display path of the figures seed: rows per report}, counted while it streamed."""
    if table is None or not figure_counts:
        return  # an unreadable seed is reported already
    ((figures_path, _),) = figure_counts.items()
    counts = {**figure_counts}
    if claims is not None:
        counts[claims.display_path] = Counter(row["report_id"] for row in claims.rows)
    for report_id, row in reports.items():
        if row["status"] == "active" and counts[figures_path][report_id] == 0:
            add(
                at(
                    table,
                    row,
                    "report_without_figures",
                    f"report {report_id!r} has no figures in {figures_path}: curate them, or mark the report "
                    "withdrawn with a status_reason if it is taken out on purpose",
                )
            )
        if row["status"] != "withdrawn":
            continue
        for path, per_report in counts.items():
            if per_report[report_id]:
                add(
                    at(
                        table,
                        row,
                        "withdrawn_report_has_figures",
                        f"report {report_id!r} is withdrawn but {per_report[report_id]} rows of {path} still name it: remove them",
                    )
                )
