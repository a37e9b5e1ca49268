"""Validate every seed and report document before dbt runs: fast, pure Python, all problems in one
pass, each naming the file, the line and the rule.

The validator owns the input rules (a seed against its document and the vocabulary); dbt tests own
the model invariants and the audit verdicts, Great Expectations the gate on them (docs/rules.md). Run by
`marketwh validate` (exit 1 on any error) and as the first Dagster asset check, so a person editing a
seed sees the same messages on the command line and in the UI. One module per seed table.

Each report's own rules run once per report (per_report.py), skipped for a report unchanged since a
run in which it was clean when a validation cache is given (cache.py); the rules between reports run
on every row.
"""

from __future__ import annotations

from collections import Counter

from ...errors import InputError, Problem
from ...paths import ProjectPaths
from ..seedfiles import SEED_SCHEMA_FILE, SeedTable, load_seed_schemas, read_seed
from .acknowledgements import check_acknowledgements
from .cache import ValidationCache
from .claims import check_claim_ids
from .common import FILE_LEVEL_RULES, ValidationResult, relative, rows
from .figures import FigureRules
from .origin import check_registered
from .per_report import ReportChecks
from .references import check_exchange_rates, check_reference_documents, reference_document_paths
from .reports import check_reports, check_reports_have_figures
from .thresholds import check_thresholds
from .vocabulary import load_vocabulary

__all__ = ["ValidationCache", "ValidationResult", "validate_project"]

# seeds checked while they stream past, never held whole in memory: the bulk of the rows
STREAMED = ("report_figures",)


def validate_project(paths: ProjectPaths | None = None, cache: ValidationCache | None = None) -> ValidationResult:
    """Every problem of the project's seeds and documents at `paths`. With `cache`, the reports it
    remembers clean with the same inputs have their per-row rules skipped, and it is rewritten after."""
    paths = paths or ProjectPaths.default()
    result = ValidationResult()
    try:
        schemas = load_seed_schemas(paths.seeds_dir)
    except InputError as error:
        result.problems.extend(error.problems)
        return result

    unreadable: set[str] = set()
    for name, column_types in schemas.items():
        if name in STREAMED:
            continue
        path = paths.seeds_dir / f"{name}.csv"
        table, problems = read_seed(path, column_types, display_path=relative(path, paths.root))
        result.tables[name] = table
        result.problems.extend(problems)
        if any(p.rule in FILE_LEVEL_RULES for p in problems):
            unreadable.add(name)
    for name in sorted(p.name for p in paths.seeds_dir.glob("*.csv") if p.stem not in schemas):
        result.problems.append(
            Problem(
                f"seeds/{name}",
                None,
                "seed_undeclared",
                f"no entry for {name[:-4]!r} in seeds/{SEED_SCHEMA_FILE}: declare its column_types",
            )
        )

    # a file that could not be read is reported once; rows that refer to it are not also reported
    tables: dict[str, SeedTable | None] = {name: (None if name in unreadable else table) for name, table in result.tables.items()}
    vocabulary = load_vocabulary(tables, result.problems.append)
    check_thresholds(tables.get("audit_thresholds"), paths.seeds_dir, vocabulary, result.problems.append)
    reports = check_reports(tables.get("reports"), paths, vocabulary, result, documents=False)
    references = check_reference_documents(tables.get("reference_documents"), paths, result)
    if tables.get("reports") is not None and "reference_documents" not in unreadable:
        check_registered(paths.root, reports, result.problems.append, also=reference_document_paths(tables.get("reference_documents")))
    known_documents = [row["document_id"] for row in rows(tables.get("reference_documents"))]
    check_exchange_rates(tables.get("exchange_rates"), references, known_documents, vocabulary, result.problems.append)
    if cache is not None:
        cache.open(paths.seeds_dir)
    checks = ReportChecks(tables.get("reports"), reports, tables.get("report_claims"), paths, vocabulary, result, cache)
    figure_counts = _check_figures_streamed(paths, schemas, checks, result)
    checks.finish()
    check_reports_have_figures(tables.get("reports"), reports, figure_counts, tables.get("report_claims"), result.problems.append)
    check_claim_ids(tables.get("report_claims"), reports, vocabulary, result)
    check_acknowledgements(tables.get("finding_acknowledgements"), reports, result)
    result.reports_checked, result.reports_skipped = checks.checked, checks.skipped
    checks.remember()
    return result


def _check_figures_streamed(paths: ProjectPaths, schemas, checks: ReportChecks, result: ValidationResult) -> dict[str, Counter[str]]:
    """seeds/report_figures.csv, checked row by row as it is read (never held whole); returns
    {its display path: rows per report}, or {} when the file could not be read."""
    if "report_figures" not in schemas:
        return {}
    column_types = schemas["report_figures"]
    path = paths.seeds_dir / "report_figures.csv"
    shown = relative(path, paths.root)
    checks.figures_path = shown
    table = SeedTable("report_figures", path, shown, list(column_types))
    rules = FigureRules(table, column_types, checks.reports, checks.vocabulary, result, checks)
    table, problems = read_seed(path, column_types, display_path=shown, on_row=rules, check_cells=False)  # rules.check_row does
    rules.hand_over()  # the last report's rows (or those read before a file-level problem)
    result.tables["report_figures"] = table
    result.problems.extend(problems)
    if any(p.rule in FILE_LEVEL_RULES for p in problems):
        return {}
    rules.finish()
    return {shown: rules.per_report}
