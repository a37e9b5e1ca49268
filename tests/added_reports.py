"""A test's own report, added to a copied project by seed rows and a document, validated and built:
the helpers the integration tests share that add a fictional publisher's report and read the build."""

from __future__ import annotations

from pathlib import Path

import duckdb

from marketwh.paths import ProjectPaths
from tests.helpers import append_seed_row, dbt_build, file_digest, run_marketwh


def add_test_report(root: Path, report_id: str, document: str, front: dict[str, str], body: str, **curated: str) -> None:
    """Write a test's own document (its front matter, then `body`) and its seeds/reports.csv row: an
    active report of a fictional publisher, global and with no licence stated unless `curated` says."""
    path = root / document
    head = "".join(f'{key}: "{value}"\n' for key, value in front.items())
    path.write_text(f"---\n{head}---\n\n{body}", encoding="utf-8")
    defaults = {"geography": "global", "status": "active", "licence": "none-stated", "reuse_permitted": "false"}
    mine = {"report_id": report_id, "document_path": document, "document_sha256": file_digest(path)}
    append_seed_row(root / "seeds" / "reports.csv", **{**defaults, **front, **curated, **mine})


def warehouse_rows(db: Path, sql: str, *params) -> list[tuple]:
    """The rows `sql` returns from the DuckDB file `db`, opened read-only and closed again."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def validated_build(root: Path, name: str) -> Path:
    """`marketwh validate` the project at `root`, then `dbt build` it (without unit tests) into
    build/<name>/warehouse.duckdb; that path. Either failing fails the test with its output."""
    validated = run_marketwh(root, "validate")
    assert validated.returncode == 0, validated.stdout + validated.stderr
    db = ProjectPaths(root).build_dir / name / "warehouse.duckdb"
    built = dbt_build(root, db, "--exclude-resource-type", "unit_test")
    assert built.returncode == 0, built.stdout[-4000:]
    return db
