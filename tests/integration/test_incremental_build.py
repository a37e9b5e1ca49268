"""A refresh builds what changed: its candidate starts as a copy of the served build and the per-report
chain rebuilds only the reports whose own inputs changed (docs/scale.md "Build what changed").

On the fixture project with generated reports in three markets, the small changes a curator makes ((a)
one report added, (b) one figure changed in its seed row and its document, (c) one report removed, all
three in the home market; (d) one report moved to a second market) are built by one refresh, the way a
refresh builds it (`DuckDBEngine.prepare`, dbt with the engine's environment, `publish`), and then:
- the served marts equal a full build of the same inputs, row by row;
- the build went incremental (the stamp says so, int_reports_changed names exactly the four changed
  reports, int_markets_changed exactly the two markets they are or were in), and a row of an unchanged
  report or market was not rewritten: a mark put into the copied candidate before its build is still
  there after it, while the marked rows of a changed report and a changed market are rebuilt;
- the removed report's rows are gone from every model of the chain and of the per-market models.
A change of the definitions (a vocabulary seed row) makes the next refresh build everything into a fresh
candidate, and so does `full`. dbt runs as a refresh runs it, without data tests (they judge rows)."""

from __future__ import annotations

import json
import shutil
import uuid
from pathlib import Path

import duckdb
import pytest

from bench.generate import Report, generate
from bench.markets import HOME_MARKET, SERIES_PER_MARKET, market_of
from bench.run import change_one_figure
from marketwh.inputs import point_inputs
from marketwh.paths import ProjectPaths
from marketwh.warehouse.compare import mart_differences
from marketwh.warehouse.definitions import kept_from_the_copy, leave_out_args
from marketwh.warehouse.engine import DuckDBEngine
from marketwh.warehouse.publish import publish
from tests.added_reports import warehouse_rows
from tests.helpers import copy_project, dbt_build, read_csv, write_csv

pytestmark = pytest.mark.slow

GENERATED = 4
# the first report of the second and third markets (two editions of one series each: bench/markets.py)
SECOND, THIRD = 2 * SERIES_PER_MARKET, 4 * SERIES_PER_MARKET
CHAIN = (
    "intermediate.int_figures_normalized",
    "intermediate.int_figures_deduplicated",
    "intermediate.int_claims_resolved",
    "intermediate.int_market_totals_interpolated",
    "intermediate.int_market_totals_growth",
    "intermediate.int_segment_splits",
    "intermediate.int_segment_value_decimals",
    "marts.market_figures",
    "marts.figure_sources",
    "marts.market_size_by_year",
    "marts.market_splits",
    "marts.market_by_type_region_year",
    "marts.market_by_type_year",
    "marts.market_by_region_year",
    "marts.market_by_application_year",
    "marts.market_by_end_use_year",
)
# the models that mix reports within a market, rebuilt by market (those with a report_id column)
PER_MARKET = (
    "intermediate.int_consensus_estimates",
    "marts.market_estimates_by_report",
    "marts.market_consensus_estimates",
    "marts.market_consensus_excluded",
)
ROWS_ONLY = ("--exclude-resource-type", "test", "--exclude-resource-type", "unit_test")


def _prepare(root: Path, served: Path, full: bool = False) -> DuckDBEngine:
    engine = DuckDBEngine(served, root, str(uuid.uuid4()))
    point_inputs(engine.inputs, root)  # dbt reads the project's seeds, as a refresh reads its snapshot
    engine.prepare(partial=False, full=full)
    return engine


def _build(root: Path, engine: DuckDBEngine) -> None:
    """dbt builds the candidate as the refresh's dbt step does: incremental, it leaves out what the copy
    holds (`kept_from_the_copy`, read from the manifest of the project's last build)."""
    kept = []
    if engine.build_mode == "incremental":
        kept = kept_from_the_copy(json.loads((ProjectPaths(root).dbt_target / "manifest.json").read_text(encoding="utf-8")))
        assert "fqn:marketwh.units" in kept  # a vocabulary seed: the copy holds it
    built = dbt_build(root, engine.candidate, *ROWS_ONLY, "--select", "fqn:*", *leave_out_args(kept), **engine.dbt_env())
    assert built.returncode == 0, built.stdout[-4000:]


def _refresh(root: Path, served: Path, marks: dict[str, str], market_marks: dict[str, str]) -> DuckDBEngine:
    """Prepare, build and publish as a refresh does; `marks` (report id -> text) are written into one
    figure_sources row of each report in the candidate before dbt builds it, `market_marks` (report id
    -> text) into the scope_quote of each report's rows of market_estimates_by_report (a per-market model)."""
    engine = _prepare(root, served)
    con = duckdb.connect(str(engine.candidate))
    try:
        for report_id, text in marks.items():
            con.execute(
                "update marts.figure_sources set section = ?"
                " where figure_id = (select min(figure_id) from marts.figure_sources where report_id = ?)",
                [text, report_id],
            )
        for report_id, text in market_marks.items():
            con.execute("update marts.market_estimates_by_report set scope_quote = ? where report_id = ?", [text, report_id])
    finally:
        con.close()
    _build(root, engine)
    publish(engine.candidate, served)
    return engine


def _changed(served: Path, model: str = "int_reports_changed", key: str = "report_id") -> set[str]:
    return {row[0] for row in warehouse_rows(served, f"select {key} from intermediate.{model} where is_changed")}


def _assert_equals_a_full_build(root: Path, served: Path, tmp_path: Path) -> None:
    """The served build's marts and intermediate tables are a full build's, once the marks step (b) left
    in rows it did not rewrite are given back their built value (in a copy: the served build is sealed)."""
    full, copy = (tmp_path / f"{name}-{uuid.uuid4().hex[:6]}.duckdb" for name in ("full", "served"))
    built = dbt_build(root, full, *ROWS_ONLY, MARKETWH_BUILD_MODE="full")
    assert built.returncode == 0, built.stdout[-4000:]
    assert warehouse_rows(full, "select build_mode from marts.warehouse_build") == [("full",)]
    shutil.copyfile(served.resolve(), copy)
    copy.chmod(0o644)
    con = duckdb.connect(str(copy))
    try:
        con.execute(f"attach '{full}' as full_build (read_only)")
        con.execute(
            "update marts.figure_sources set section = built.section from full_build.marts.figure_sources as built"
            " where figure_sources.section = 'mark' and built.figure_id = figure_sources.figure_id"
        )
        con.execute(
            "update marts.market_estimates_by_report set scope_quote = built.scope_quote"
            " from (select distinct report_id, scope_quote from full_build.marts.market_estimates_by_report) as built"
            " where market_estimates_by_report.scope_quote = 'mark' and built.report_id = market_estimates_by_report.report_id"
        )
    finally:
        con.close()
    assert mart_differences(copy, full) == []
    # the chain's intermediate tables too: a wrong increment of a report could hide behind a mart's filter
    assert mart_differences(copy, full, schema="intermediate", ignore=("int_reports_changed", "int_markets_changed")) == []


def _remove_report(root: Path, report_id: str) -> None:
    for name in ("reports.csv", "report_figures.csv", "report_claims.csv", "finding_acknowledgements.csv"):
        path = root / "seeds" / name
        rows = read_csv(path)
        kept = [row for row in rows if row.get("report_id") != report_id]
        if len(kept) != len(rows):
            write_csv(path, kept)
    (root / "reports" / "bench" / f"{report_id}.md").unlink()


def _move_report(root: Path, report_id: str, market: str) -> None:
    path = root / "seeds" / "reports.csv"
    write_csv(path, [{**row, "market": market} if row["report_id"] == report_id else row for row in read_csv(path)])


def test_small_changes_rebuild_only_their_reports_and_markets_and_equal_a_full_build(tmp_path):
    root = copy_project(tmp_path / "project")
    generate(root, GENERATED)
    generate(root, 2, first_index=SECOND)  # a second market and a third, each of one series' two editions
    generate(root, 2, first_index=THIRD)
    second, third = market_of(SECOND), market_of(THIRD)
    assert len({HOME_MARKET, second, third}) == 3
    served = root / "build" / "warehouse.duckdb"

    first = _prepare(root, served)
    assert first.build_mode == "full"  # nothing served: a full build into a fresh candidate
    _build(root, first)
    publish(first.candidate, served)

    # one refresh after the small changes a curator makes, as a nightly refresh sees them: (a) one report
    # added; (b) one figure changed, in its seed row and its document (and the document's sha256); (c) one
    # report removed; (d) one report moved from the home market to the second (its series now spans two).
    # A mark in a row of an unchanged report or market stays (not rewritten), the marked rows of a changed
    # report and of a changed market are rebuilt. (One refresh: each comparison is a full build.)
    added = Report(GENERATED, None).report_id
    changed, removed, unchanged, moved = (Report(index, None).report_id for index in (0, 1, 2, 3))
    in_second, in_third = Report(SECOND, None).report_id, Report(THIRD, None).report_id
    generate(root, 1, first_index=GENERATED)
    change_one_figure(root)
    _remove_report(root, removed)
    _move_report(root, moved, second)
    engine = _refresh(root, served, {changed: "mark", unchanged: "mark"}, {in_second: "mark", in_third: "mark"})
    assert engine.build_mode == "incremental"
    assert warehouse_rows(served, "select build_mode from marts.warehouse_build") == [("incremental",)]
    assert _changed(served) == {added, changed, removed, moved}
    assert _changed(served, "int_markets_changed", "market_key") == {HOME_MARKET, second}
    marked = dict(warehouse_rows(served, "select report_id, count(*) from marts.figure_sources where section = 'mark' group by report_id"))
    assert marked == {unchanged: 1}
    marked = warehouse_rows(served, "select distinct report_id from marts.market_estimates_by_report where scope_quote = 'mark'")
    assert marked == [(in_third,)]
    assert warehouse_rows(served, "select count(*) from marts.market_figures where report_id = ?", added) != [(0,)]
    moved_to = warehouse_rows(served, "select distinct market_key from marts.market_estimates_by_report where report_id = ?", moved)
    assert moved_to == [(second,)]
    for model in CHAIN + PER_MARKET:  # the removed report's rows vanish from every incremental model
        assert warehouse_rows(served, f"select count(*) from {model} where report_id = ?", removed) == [(0,)], model
    # the marts this build re-created carry their documentation too (written at the run's end, in one
    # statement: dbt/macros/comments.sql), as the ones it copied do
    uncommented = "select table_name, column_name from duckdb_columns() where schema_name = 'marts' and coalesce(comment, '') = ''"
    assert warehouse_rows(served, uncommented) == []
    _assert_equals_a_full_build(root, served, tmp_path)


def test_a_definitions_change_or_full_builds_everything_into_a_fresh_candidate(tmp_path):
    root = copy_project(tmp_path / "project")
    served = root / "build" / "warehouse.duckdb"
    first = _prepare(root, served)
    _build(root, first)
    publish(first.candidate, served)
    assert _prepare(root, served).build_mode == "incremental"  # nothing changed: the copy would do

    assert _prepare(root, served, full=True).build_mode == "full"  # `marketwh refresh --full`
    # one vocabulary row edited: a market's name, which every market_figures row of its reports carries
    # while no report's own rows change (an increment would keep the old name)
    markets = root / "seeds" / "markets.csv"
    rows = read_csv(markets)
    market = rows[0]["market_key"]
    renamed = rows[0]["display_name"] + " (renamed)"
    write_csv(markets, [{**rows[0], "display_name": renamed}, *rows[1:]])
    engine = _prepare(root, served)
    assert engine.build_mode == "full"
    assert not engine.candidate.exists()  # a fresh candidate: dbt builds every model
    _build(root, engine)
    assert warehouse_rows(engine.candidate, "select build_mode from marts.warehouse_build") == [("full",)]
    names = warehouse_rows(engine.candidate, "select distinct market_name from marts.market_figures where market_key = ?", market)
    assert names == [(renamed,)]
