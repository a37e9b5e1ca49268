"""The benchmark: what a refresh costs as reports accumulate, against the floor of its SQL.

For each N (default 10, 100, 1,000 and 10,000 reports) it generates N synthetic reports into a scratch
copy of the project (bench/generate.py) and measures, in the same run:

  validate            `marketwh validate` (seeds and documents, pure Python), cold: no validation cache
  full_refresh        `marketwh refresh` through Dagster: validation, dbt build, GX audits, publish
  dbt_build           bare `dbt build` into a scratch file (seeds, models, data tests; unit tests are
                      excluded, as the refresh excludes them)
  dbt_build_spark     the same `dbt build` on the Spark target (MARKETWH_TARGET=spark, dbt-spark's
                      session method), at the sizes of --spark-sizes (default 1,000): the same models
                      and tests on the other engine, from the same inputs
  floor_sql           the floor: every model's compiled SQL run in one DuckDB connection on the same
                      inputs (seeds read by read_csv), no dbt, no Dagster, no GX, no tests
  add_one_report      one more report written, then `marketwh refresh`
  change_one_figure   one figure of one report changed (its document too), then `marketwh refresh`
  validate_unchanged  `marketwh validate` again after the full refresh: every report in the cache
  validate_after_change  `marketwh validate` after that change, before its refresh: one report checked
  dashboard_p50_ms,   the five queries a dashboard makes, from 8 read-only readers at once on the
  dashboard_p95_ms    served file
  marts_equal_full_build_after_add_one_report, ..._after_change_one_figure
                      after each small change, the served marts against a full `dbt build` of the same
                      inputs into a fresh file, row by row (yes, or how many differences)

Seconds and the peak RSS of the whole process tree (sampled every 50 ms) for each command. Output: a
table on stdout, bench/results.json (a list of rows), bench/results.png (time against N, log-log)
and the table between the `bench:results` markers of docs/scale.md. No timing is asserted anywhere:
targets are judged there, in docs/scale.md, by a person.

    make bench                                    # N = 10, 100, 1000, 10000 (about 35 minutes)
    .venv/bin/python bench/run.py --sizes 10,100  # a quick look
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from bench.generate import Report, generate, market_of  # noqa: E402
from bench.measure import dashboard, floor_sql, measure  # noqa: E402
from bench.results import RESULTS_PAGE, chart, machine, table, update_docs  # noqa: E402
from marketwh.curation.seedfiles import write_rows  # noqa: E402
from marketwh.dbtrun import dbt_command, plain_dbt, refresh_build_args  # noqa: E402
from marketwh.paths import DAGSTER_HOME_ENV, WAREHOUSE_DB_ENV, ProjectPaths, copy_sources  # noqa: E402  (the checkout being measured)

# ---------------------------------------------------------------------------------------------
# the two small changes


def add_one_report(work: Path, n_reports: int) -> None:
    """Write report number N (the N+1-th) into the project, as bench/generate.py wrote the others, in a
    market the seeds already hold (the last one's): a report, not a new market's vocabulary."""
    generate(work, 1, first_index=n_reports, market=market_of(n_reports - 1))


def change_one_figure(work: Path) -> None:
    """Raise one shipment volume of the first report by 1,000 tons, in its document and its seed row
    (and the document's sha256), as a curator correcting a figure does."""
    report_id = Report(0, None).report_id
    figures = work / "seeds" / "report_figures.csv"
    with open(figures, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    row = next(r for r in rows if r["report_id"] == report_id and r["metric"] == "volume")
    tons = int(row["value"]) + 1000
    printed = f"{tons:,} tons"
    new_quote = row["quote"].replace(row["value_as_published"], printed)
    document = work / "reports" / "bench" / f"{report_id}.md"
    text = document.read_text(encoding="utf-8").replace(row["quote"], new_quote)
    document.write_text(text, encoding="utf-8")
    row.update(value=str(tons), value_as_published=printed, quote=new_quote)
    with open(figures, "w", newline="", encoding="utf-8") as handle:
        write_rows(handle, list(rows[0]), rows)
    reports = work / "seeds" / "reports.csv"
    with open(reports, newline="", encoding="utf-8") as handle:
        report_rows = list(csv.DictReader(handle))
    for report in report_rows:
        if report["report_id"] == report_id:
            report["document_sha256"] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    with open(reports, "w", newline="", encoding="utf-8") as handle:
        write_rows(handle, list(report_rows[0]), report_rows)


def differences_from_a_full_build(work: Path, env: dict[str, str], log: Path, vars_: dict) -> int:
    """How many rows of the served marts differ from a full `dbt build` of the same inputs (seeds and
    models into a fresh file, no tests: they judge rows, they add none), row by row
    (compare.mart_differences, numbers to 1e-8 relative); the first differences go to the log."""
    from marketwh.warehouse.compare import mart_differences

    paths = ProjectPaths(work)
    full = paths.bench_dir / "full" / "warehouse.duckdb"
    shutil.rmtree(full.parent, ignore_errors=True)
    full.parent.mkdir(parents=True)
    args = ["--quiet", "--exclude-resource-type", "test", "unit_test", "--vars", json.dumps({**vars_, "duckdb_path": str(full)})]
    measure(dbt_command(plain_dbt(), "build", work, full.parent / "target", *args), work, env, log)
    differences = mart_differences(paths.default_served_db, full)
    with open(log, "a", encoding="utf-8") as out:
        out.write(f"\nmarts against a full build: {len(differences)} differences\n" + "\n".join(map(str, differences[:20])) + "\n")
    shutil.rmtree(full.parent, ignore_errors=True)
    return len(differences)


# ---------------------------------------------------------------------------------------------


def bench_size(n_reports: int, scratch: Path, rounds: int, keep: bool, spark: bool = False) -> list[dict]:
    work = copy_sources(scratch / f"n{n_reports}", REPO)
    paths = ProjectPaths(work)
    counts = generate(work, n_reports)
    log = paths.bench_dir / "bench.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    served = paths.default_served_db  # named for the copy's commands
    env = {
        **os.environ,
        "PYTHONPATH": str(work),
        WAREHOUSE_DB_ENV: str(served),
        DAGSTER_HOME_ENV: str(paths.default_dagster_home),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DAGSTER_DISABLE_TELEMETRY": "true",
    }
    cli = [sys.executable, "-m", "marketwh.cli"]
    dbt_target = paths.bench_dir / "dbt" / "target"
    from dagster_project.project import build_vars  # imports dagster-dbt: only here

    vars_ = json.loads(build_vars(served, work))
    vars_["duckdb_path"] = str(paths.bench_dir / "dbt" / "warehouse.duckdb")
    verb, *args = refresh_build_args(vars_)  # as the refresh builds (no unit tests)
    dbt = dbt_command(plain_dbt(), verb, work, dbt_target, "--quiet", *args)
    measured: dict[str, tuple[float, float]] = {}
    print(f"N = {n_reports}: {counts['figures']} figures, {counts['claims']} claims", flush=True)
    measured["validate"] = measure([*cli, "validate"], work, env, log)
    paths.validation_cache.unlink(missing_ok=True)  # a full refresh validates every report, as on a fresh checkout
    measured["full_refresh"] = measure([*cli, "refresh"], work, env, log)
    measured["validate_unchanged"] = measure([*cli, "validate"], work, env, log)
    measured["dbt_build"] = measure(dbt, work, env, log)
    if spark:
        from marketwh.dbtrun import spark_dbt, spark_env

        on_spark = [spark_dbt(), *dbt[1:], "--target-path", str(paths.bench_dir / "dbt" / "spark-target")]
        measured["dbt_build_spark"] = measure(on_spark, work, {**env, **spark_env(paths.default_spark_dir)}, log)
    start = time.perf_counter()
    floor_sql(work, dbt_target)
    measured["floor_sql"] = (time.perf_counter() - start, float("nan"))
    p50, p95 = dashboard(served, [Report(0, None).report_id, Report(1, None).report_id], rounds)  # one series
    add_one_report(work, n_reports)
    measured["add_one_report"] = measure([*cli, "refresh"], work, env, log)
    identical = {"add_one_report": differences_from_a_full_build(work, env, log, vars_)}
    change_one_figure(work)
    measured["validate_after_change"] = measure([*cli, "validate"], work, env, log)  # as a curator checks first
    measured["change_one_figure"] = measure([*cli, "refresh"], work, env, log)
    identical["change_one_figure"] = differences_from_a_full_build(work, env, log, vars_)
    rows = [
        {"n_reports": n_reports, "measure": name, "seconds": round(seconds, 3), "peak_rss_mib": None if rss != rss else round(rss, 1)}
        for name, (seconds, rss) in measured.items()
    ]
    rows += [
        {"n_reports": n_reports, "measure": f"marts_equal_full_build_after_{change}", "value": not differences, "differences": differences}
        for change, differences in identical.items()
    ]
    rows += [
        {"n_reports": n_reports, "measure": "dashboard_p50_ms", "value": round(p50, 2)},
        {"n_reports": n_reports, "measure": "dashboard_p95_ms", "value": round(p95, 2)},
    ]
    if not keep:
        shutil.rmtree(work, ignore_errors=True)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000,10000", help="comma-separated numbers of reports")
    parser.add_argument("--spark-sizes", default="1000", help="sizes at which dbt_build_spark is measured too ('' for none)")
    parser.add_argument("--rounds", type=int, default=20, help="dashboard rounds per reader")
    parser.add_argument("--out", type=Path, default=REPO / "bench", help="folder for results.json and results.png")
    parser.add_argument("--scratch", type=Path, default=None, help="where the project copies go (default: a temp folder)")
    parser.add_argument("--keep", action="store_true", help="keep each size's project copy")
    parser.add_argument("--no-docs", "--no-readme", dest="no_docs", action="store_true", help="leave docs/scale.md alone")
    parser.add_argument("--merge", action="store_true", help="keep the other sizes' rows of an earlier results.json")
    args = parser.parse_args()

    sizes = [int(size) for size in args.sizes.split(",")]
    scratch = args.scratch or Path(tempfile.mkdtemp(prefix="marketwh-bench-"))
    rows: list[dict] = []
    earlier = args.out / "results.json"
    if args.merge and earlier.exists():
        rows = [row for row in json.loads(earlier.read_text(encoding="utf-8")) if row["n_reports"] not in sizes]
    for n_reports in sizes:
        rows += bench_size(n_reports, scratch, args.rounds, args.keep, spark=str(n_reports) in args.spark_sizes.split(","))
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "results.json").write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
        print(table(rows), flush=True)
    recorded = datetime.now(UTC).strftime("%Y-%m-%d")
    chart(rows, args.out / "results.png", machine())
    kept = sorted({row["n_reports"] for row in rows} - set(sizes))
    merged = f" (N = {', '.join(f'{n:,}' for n in kept)}: kept from the previous run, `--merge`)" if kept else ""
    text = f"Measured {recorded} by `make bench` on {machine()}{merged}; seconds (peak RSS of the whole process tree).\n\n"
    text += table(rows)
    print("\n" + text)
    if not args.no_docs:
        update_docs(RESULTS_PAGE, text)
    from bench.extraction import EXTRACTION_PAGE, MARKERS, extraction_text  # drafting quality: seconds, beside the refresh's cost

    extraction = extraction_text()
    print("\n" + extraction)
    if not args.no_docs:
        update_docs(EXTRACTION_PAGE, extraction, MARKERS)
    if not args.scratch and not args.keep:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
