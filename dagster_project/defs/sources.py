"""Report documents as assets, and the validation of every seed and document as the first check.

The documents are the root of the lineage: every seed figure quotes one of them. The asset takes the
run's inputs snapshot (marketwh/inputs.py); the check runs the same pure-Python validator as
`marketwh validate` on that snapshot and blocks the dbt build when it fails.
"""

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetExecutionContext,
    AssetSpec,
    MaterializeResult,
    MetadataValue,
    asset,
    asset_check,
)

from marketwh.curation.documents import stored_documents
from marketwh.curation.validation import ValidationCache, validate_project
from marketwh.errors import Problem
from marketwh.inputs import run_inputs
from marketwh.paths import ProjectPaths

from ..metadata import markdown_table
from .keys import REPORT_DOCUMENTS_KEY, curated_csv_keys
from .resources import RefreshLockResource


@asset(
    key=REPORT_DOCUMENTS_KEY,
    group_name="sources",
    description="The stored report documents (reports/) that seed figures quote, with their sha256.",
    kinds={"markdown"},
)
def report_documents(context: AssetExecutionContext, refresh_lock: RefreshLockResource) -> MaterializeResult:
    # the run's one copy of seeds/ and reports/: validated next, then built, stamped and published
    snapshot = run_inputs(ProjectPaths.default().root, context.run.run_id)
    rows = [
        (d.report_id, d.document_path, f"`{d.actual_sha256[:16]}`", "yes" if d.actual_sha256 == d.recorded_sha256 else "**no**")
        for d in stored_documents(snapshot)
    ]
    return MaterializeResult(
        metadata={
            "inputs_snapshot": MetadataValue.path(str(snapshot)),
            "documents": MetadataValue.md(markdown_table(("report", "document", "sha256", "matches seed"), rows)),
            "document_count": len(rows),
        }
    )


# The bulk curated CSVs: files in seeds/ that dbt reads where they lie (not `dbt seed`), so no run
# materializes them; they quote the report documents like every seed and are validated with them.
curated_csvs = [
    AssetSpec(
        key,
        deps=[REPORT_DOCUMENTS_KEY],
        group_name="sources",
        description=f"seeds/{key.path[-1]}.csv: curated rows that quote the report documents, read by dbt through "
        "the engine's CSV reader (macro curated_csv) and checked by `marketwh validate` before every build.",
        kinds={"csv"},
    )
    for key in curated_csv_keys()
]


def problems_markdown(problems: list[Problem], limit: int = 200) -> str:
    return markdown_table(("file", "line", "rule", "message"), [(p.path, p.line or "", p.rule, p.message) for p in problems], limit)


@asset_check(
    asset=REPORT_DOCUMENTS_KEY,
    name="seeds_and_documents_valid",
    blocking=True,
    description="Every seed row and report document passes validation (same rules as `marketwh validate`).",
)
def seeds_and_documents_valid(context: AssetCheckExecutionContext) -> AssetCheckResult:
    # the run's snapshot, not the working tree: what dbt builds next is exactly what passed here; the
    # working tree's cache (its keys are contents, so the snapshot's unchanged reports hit its entries)
    tree = ProjectPaths.default()
    result = validate_project(ProjectPaths(run_inputs(tree.root, context.run.run_id)), ValidationCache(tree.validation_cache))
    errors = result.errors
    return AssetCheckResult(
        passed=not errors,
        severity=AssetCheckSeverity.ERROR,
        description=(str(errors[0]) + (f" (and {len(errors) - 1} more)" if len(errors) > 1 else "")) if errors else None,
        metadata={
            "error_count": len(errors),
            "problems": MetadataValue.md(problems_markdown(errors)),
            "seed_rows_checked": sum(len(t.rows) for t in result.tables.values()),
            "documents_checked": len(result.documents),
            "reports_checked": len(result.reports_checked),
            "reports_unchanged_since_clean": len(result.reports_skipped),
        },
    )
