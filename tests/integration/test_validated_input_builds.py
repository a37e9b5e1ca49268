"""What the validator accepts, dbt builds (issue 24, point 1): generated reports of any market
(tests/generated_reports.py: qualifiers, restatements in other words and other units, partial splits,
CAGR periods, units of every quantity, new markets and a new dimension by seed rows), each accepted by
the validator, are written together into ONE scratch project and built by ONE `dbt build` (seeds,
models, every data test): a data test failing here is a bug of the validator or the model. The dbt unit
tests are left out: their rows are their own `given` rows, never the generated ones, and they run in
the suite's shared build and in the fast tier.

Cost: a validation is ~0.1 s, a build ~40-60 s, so each build carries REPORTS_PER_BUILD reports and the
test runs BUILDS builds from a fixed seed (no shrinking: a failure prints the failing tests, the rows
they failed on and the generated rows of the reports named there, for a person to reduce). The inputs
that did not build before qualifiers went end to end (tests/generated_reports.QUALIFIED_CASES: a qualified
total, a total restated with another qualifier) are drawn like any other."""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import pytest
from hypothesis import Phase, given, seed, settings
from hypothesis import strategies as st

from marketwh.curation.validation import validate_project
from marketwh.paths import ProjectPaths
from tests.generated_reports import GeneratedReport, described, reports, write_reports
from tests.helpers import copy_project, dbt_build

BUILDS = 2
REPORTS_PER_BUILD = 8
GENERATED_ID = re.compile(r"gen\d+[_-]report(?:-\d+)?")


def build_generated(root: Path, generated: list[GeneratedReport]) -> None:
    """Validate the generated reports in the project at `root`, then dbt build it; fail naming the rows."""
    write_reports(root, generated)
    errors = [str(problem) for problem in validate_project(ProjectPaths(root)).errors]
    assert not errors, "the generator wrote input the validator refuses:\n" + "\n".join(errors[:10]) + "\n" + described(generated)
    db = ProjectPaths(root).build_dir / "property" / "warehouse.duckdb"
    built = dbt_build(root, db, "--store-failures", "--exclude-resource-type", "unit_test")
    if built.returncode != 0:
        pytest.fail(_failure(root, db, built.stdout, generated), pytrace=False)


def _failure(root: Path, db: Path, stdout: str, generated: list[GeneratedReport]) -> str:
    """The failing tests, a few of their failing rows, and the generated rows of the reports they name."""
    results = json.loads((ProjectPaths(root).dbt_target / "run_results.json").read_text(encoding="utf-8"))
    failed = [r for r in results["results"] if r["status"] in ("fail", "error")]
    lines, named = ["dbt build failed on input the validator accepted:"], set()
    con = duckdb.connect(str(db), read_only=True)
    try:
        for result in failed:
            lines.append(f"- {result['unique_id']}: {result['status']} {(result.get('message') or '')[:300]}")
            relation = result.get("relation_name")
            if relation and result["status"] == "fail":
                rows = con.execute(f"select * from {relation} limit 5").fetchall()
                lines.extend(f"    {row}" for row in rows)
                named.update(GENERATED_ID.findall(" ".join(map(str, rows))))
    finally:
        con.close()
    if not failed:
        lines.append(stdout[-3000:])
    reports_named = {name.split("-")[0].replace("-", "_") for name in named} or {r.report_id for r in generated}
    reports_named = {n if n.endswith("_report") else n + "_report" for n in reports_named}
    lines.append("generated rows of the reports named there:")
    lines.append(described([r for r in generated if r.report_id in reports_named] or generated))
    return "\n".join(lines)


def _project(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("property") / "project")


@seed(24)
@settings(max_examples=BUILDS, deadline=None, database=None, phases=[Phase.generate])
@given(generated=st.tuples(*[reports(index) for index in range(REPORTS_PER_BUILD)]))
def test_reports_the_validator_accepts_always_build(tmp_path_factory, generated):
    build_generated(_project(tmp_path_factory), list(generated))
