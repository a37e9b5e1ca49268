"""A qualified value is served with its qualifier and its quote joins it; a value stated twice in two
wordings is one figure with two quotes; two values for one figure from two quotes are the publisher's
finding, served by no value mart. One dbt build of a fixture copy the curator extended as a data engineer
would: sentences of the document, seed rows, nothing else (before issue 24, the qualified total broke the
figure_sources -> market_figures relationship test and the restatement became two totals of one year)."""

from __future__ import annotations

import duckdb
import pytest

from marketwh.curation.validation import validate_project
from marketwh.paths import ProjectPaths
from tests.helpers import add_sentence_to_document, append_seed_row, copy_project, dbt_build, market_value_row

pytestmark = pytest.mark.slow

REPORT = "chem24_anode_2025"
AROUND_2028 = "The market is expected to reach around US$ 8.1 billion in 2028."
JUST_UNDER_2032 = "By 2032 the market should be worth just under US$ 14.7 billion."
KEY_FINDINGS_2024 = "One key-findings table puts the market at US$ 5400 billion in 2024."


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("qualified") / "project")
    figures = root / "seeds" / "report_figures.csv"
    for figure_id, year, value, qualifier, published, quote in (
        ("chem24-101", "2028", "8.1", "around", "US$ 8.1 billion", AROUND_2028),
        ("chem24-102", "2032", "14.7", "just under", "US$ 14.7 billion", JUST_UNDER_2032),
        ("chem24-103", "2024", "5400", "", "US$ 5400 billion", KEY_FINDINGS_2024),
    ):
        add_sentence_to_document(root, REPORT, quote)
        append_seed_row(figures, **market_value_row(REPORT, figure_id, year, value, qualifier, published, quote))
    problems = [str(p) for p in validate_project(ProjectPaths(root)).problems]
    db = root / "build" / "qualified" / "warehouse.duckdb"
    result = dbt_build(root, db, "--exclude-resource-type", "unit_test")
    return problems, result, db


def _rows(db, sql: str, *params):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def test_a_qualified_total_and_its_restatement_build_and_join_their_quotes(built):
    problems, result, db = built
    assert problems == []  # the validator accepts both wordings and the publisher's second value
    assert result.returncode == 0, result.stdout[-4000:]

    # the qualified total is served with its qualifier and its interval, in both value marts
    ((qualifier, value, low, high),) = _rows(
        db,
        """select qualifier, value, value_low, value_high from marts.market_figures
           where report_id = ? and figure_year = 2028 and metric = 'market_value' and dimension = 'total'""",
        REPORT,
    )
    assert (qualifier, value) == ("around", 8.1)
    assert low == pytest.approx(8.1 - 0.05 - 8.1 * 0.025) and high == pytest.approx(8.1 + 0.05 + 8.1 * 0.025)
    assert _rows(db, "select qualifier from marts.market_size_by_year where report_id = ? and market_year = 2028", REPORT) == [("around",)]

    # "US$ 14.7 billion by 2032" and "just under US$ 14.7 billion": one figure, two quotes pointing at it,
    # its interval the intersection (the printed precision below 14.7, the restatement's upper bound)
    ((figure_id, qualifier, sources, low, high),) = _rows(
        db,
        """select market_figure_id, qualifier, source_figure_ids, value_low, value_high from marts.market_figures
           where report_id = ? and metric = 'market_value' and dimension = 'total' and figure_year = 2032""",
        REPORT,
    )
    assert qualifier == "just under" and sources == "chem24-002,chem24-005,chem24-102"
    assert (low, high) == (pytest.approx(14.65), pytest.approx(14.75))
    quotes = _rows(db, "select figure_id, qualifier, market_figure_id from marts.figure_sources where figure_year = 2032 order by 1")
    assert [(f, q) for f, q, _ in quotes] == [("chem24-002", ""), ("chem24-005", ""), ("chem24-102", "just under")]
    assert {m for _, _, m in quotes} == {figure_id}

    # two values for 2024 from two quotes: a blocking finding with both, and no 2024 value served
    ((holds, severity, low_value, high_value, message),) = _rows(
        db,
        """select holds, severity, stated_value, compared_value, message from audits.audit_figure_contradictions
           where report_id = ? and figure_year = 2024""",
        REPORT,
    )
    assert (holds, severity, low_value, high_value) == (False, "blocking", 5.4, 5400)
    assert "US$ 5400 billion" in message and KEY_FINDINGS_2024 in message
    assert _rows(db, "select count(*) from marts.market_size_by_year where report_id = ? and market_year = 2024", REPORT) == [(0,)]
    contradicted = _rows(db, "select figure_id, is_contradicted from marts.figure_sources where figure_year = 2024 order by 1")
    assert contradicted == [("chem24-001", True), ("chem24-004", True), ("chem24-103", True)]
