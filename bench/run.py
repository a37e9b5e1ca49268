"""The benchmark: what a refresh costs as reports accumulate, against the floor of its SQL.

For each N (default 10, 100, 1,000 and 10,000 reports) it generates N synthetic reports into a scratch
copy of the project (bench/generate.py) and measures, in the same run:

  validate            `marketwh validate` (seeds and documents, pure Python)
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
  dashboard_p50_ms,   the five queries a dashboard makes, from 8 read-only readers at once on the
  dashboard_p95_ms    served file

Seconds and the peak RSS of the whole process tree (sampled every 50 ms) for each command. Output: a
table on stdout, bench/results.json (a list of rows), bench/results.png (time against N, log-log)
and the table between the `bench:results` markers of README.md. No timing is asserted anywhere:
targets are judged here, in the README, by a person.

    make bench                                    # N = 10, 100, 1000, 10000 (about 35 minutes)
    .venv/bin/python bench/run.py --sizes 10,100  # a quick look
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import hashlib
import json
import multiprocessing
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from bench.generate import Report, generate  # noqa: E402
from marketwh.paths import copy_sources  # noqa: E402  (the checkout being measured)

TIMED = ("validate", "full_refresh", "dbt_build", "dbt_build_spark", "floor_sql", "add_one_report", "change_one_figure")
READERS = 8
README_START, README_END = "<!-- bench:results:start -->", "<!-- bench:results:end -->"


def dashboard_queries(report_ids: list[str]) -> dict[str, str]:
    """The five queries the analysts' dashboard makes, with the filters its controls set (a report and
    its other edition): what one person looking at one chart asks for. (Pulling a whole mart of
    200,000 rows is an export, not a dashboard query.)"""
    report_id = report_ids[0]
    return {
        "market size by year, a report's editions": (
            "select report_id, market_year, market_value, unit_key, basis from marts.market_size_by_year "
            f"where metric = 'market_value' and report_id in ({', '.join(repr(r) for r in report_ids)}) "
            "order by report_id, market_year"
        ),
        "region x year of a report": (
            "select market_year, segment_key, share_pct, share_basis, segment_value from marts.market_by_region_year "
            f"where report_id = '{report_id}' order by market_year, segment_sort_order"
        ),
        "publishers compared": (
            "select figure_year, report_count, min_value, max_value, relative_spread_pct, comparison_status "
            "from marts.market_estimates_compared where dimension = 'total' and region_key = 'global' order by figure_year"
        ),
        "cagr check, disagreements": (
            "select report_id, stated_cagr_pct, implied_cagr_pct, difference_pp from marts.cagr_check "
            "where not agrees_within_tolerance order by abs(difference_pp) desc limit 100"
        ),
        "a report's figures with quotes": (
            f"select metric, figure_year, value, unit_key, quote from marts.figure_sources where report_id = '{report_id}' "
            "order by metric, figure_year"
        ),
    }


# ---------------------------------------------------------------------------------------------
# measuring a command: wall time and peak RSS of its whole process tree


def measure(command: list[str], cwd: Path, env: dict[str, str], log: Path) -> tuple[float, float]:
    import psutil

    start = time.perf_counter()
    with open(log, "ab") as out:
        out.write(f"\n$ {' '.join(command)}\n".encode())
        out.flush()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        root, peak = psutil.Process(process.pid), 0
        while process.poll() is None:
            try:
                tree = [root, *root.children(recursive=True)]
                rss = 0
                for member in tree:
                    with contextlib.suppress(psutil.Error):  # a child that just ended
                        rss += member.memory_info().rss
                peak = max(peak, rss)
            except psutil.Error:
                pass
            time.sleep(0.05)
    elapsed = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed (exit {process.returncode}); see {log}")
    return elapsed, peak / 2**20


# ---------------------------------------------------------------------------------------------
# the floor: the models' compiled SQL in one DuckDB connection


def floor_sql(work: Path, target: Path) -> None:
    """Run every model of the manifest in dependency order as plain DuckDB statements (the SQL dbt
    compiled into `target`), seeds loaded with read_csv; no tests. Runs in this process."""
    import duckdb

    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    nodes = {uid: node for uid, node in manifest["nodes"].items() if node["resource_type"] in ("model", "seed")}
    database = work / "build" / "bench-floor" / "warehouse.duckdb"
    shutil.rmtree(database.parent, ignore_errors=True)
    database.parent.mkdir(parents=True)
    con = duckdb.connect(str(database))
    try:
        con.execute("set enable_progress_bar = false")
        for uid in _topological(nodes):
            node = nodes[uid]
            schema, name = node["schema"], node.get("alias") or node["name"]
            con.execute(f'create schema if not exists "{schema}"')
            if node["resource_type"] == "seed":
                path = (work / "dbt" / node["original_file_path"]).resolve()
                types = node["config"].get("column_types") or {}
                columns = ", ".join(f"'{c}': '{t}'" for c, t in types.items())
                con.execute(
                    f'create table "{schema}"."{name}" as select * from read_csv(\'{path}\', header = true, '
                    f"auto_detect = false, columns = {{{columns}}})"
                )
                continue
            sql = (target / "compiled" / "marketwh" / node["original_file_path"]).read_text(encoding="utf-8")
            kind = "table" if node["config"]["materialized"] == "table" else "view"
            con.execute(f'create or replace {kind} "{schema}"."{name}" as {sql}')
    finally:
        con.close()


def _topological(nodes: dict[str, dict]) -> list[str]:
    order, seen = [], set()

    def visit(uid: str) -> None:
        if uid in seen or uid not in nodes:
            return
        seen.add(uid)
        for parent in nodes[uid].get("depends_on", {}).get("nodes", []):
            visit(parent)
        order.append(uid)

    for uid in sorted(nodes):
        visit(uid)
    return order


# ---------------------------------------------------------------------------------------------
# dashboard readers


def _reader(args: tuple[str, dict[str, str], int]) -> list[float]:
    import duckdb

    path, queries, rounds = args
    timings = []
    for _ in range(rounds):
        con = duckdb.connect(path, read_only=True)  # as a BI tool's request does: open, query, close
        try:
            for sql in queries.values():
                start = time.perf_counter()
                con.execute(sql).fetchall()
                timings.append((time.perf_counter() - start) * 1000)
        finally:
            con.close()
    return timings


def dashboard(served: Path, report_ids: list[str], rounds: int) -> tuple[float, float]:
    """p50 and p95 (ms) of the dashboard's queries, READERS processes querying at once."""
    queries = dashboard_queries(report_ids)
    with multiprocessing.get_context("spawn").Pool(READERS) as pool:
        timings = [t for chunk in pool.map(_reader, [(str(served), queries, rounds)] * READERS) for t in chunk]
    timings.sort()
    return statistics.median(timings), timings[min(len(timings) - 1, int(0.95 * len(timings)))]


# ---------------------------------------------------------------------------------------------
# the two small changes


def add_one_report(work: Path, n_reports: int) -> None:
    """Write report number N (the N+1-th) into the project, as bench/generate.py wrote the others."""
    generate(work, 1, first_index=n_reports)


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
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    reports = work / "seeds" / "reports.csv"
    with open(reports, newline="", encoding="utf-8") as handle:
        report_rows = list(csv.DictReader(handle))
    for report in report_rows:
        if report["report_id"] == report_id:
            report["document_sha256"] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    with open(reports, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(report_rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(report_rows)


# ---------------------------------------------------------------------------------------------


def bench_size(n_reports: int, scratch: Path, rounds: int, keep: bool, spark: bool = False) -> list[dict]:
    work = copy_sources(scratch / f"n{n_reports}", REPO)
    counts = generate(work, n_reports)
    log = work / "build" / "bench.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    served = work / "build" / "warehouse.duckdb"
    env = {
        **os.environ,
        "PYTHONPATH": str(work),
        "WAREHOUSE_DB": str(served),
        "DAGSTER_HOME": str(work / "build" / "dagster"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DAGSTER_DISABLE_TELEMETRY": "true",
    }
    cli = [sys.executable, "-m", "marketwh.cli"]
    dbt_target = work / "build" / "bench-dbt" / "target"
    from dagster_project.project import build_vars  # imports dagster-dbt: only here

    vars_ = json.loads(build_vars(served, work))
    vars_["duckdb_path"] = str(work / "build" / "bench-dbt" / "warehouse.duckdb")
    dbt = [
        str(Path(sys.executable).parent / "dbt"),
        "build",
        "--project-dir",
        str(work / "dbt"),
        "--profiles-dir",
        str(work / "dbt"),
        "--target-path",
        str(dbt_target),
        "--quiet",
        "--exclude-resource-type",
        "unit_test",  # as the refresh builds: unit tests check the models' logic in `make test`
        "--vars",
        json.dumps(vars_),
    ]
    measured: dict[str, tuple[float, float]] = {}
    print(f"N = {n_reports}: {counts['figures']} figures, {counts['claims']} claims", flush=True)
    measured["validate"] = measure([*cli, "validate"], work, env, log)
    measured["full_refresh"] = measure([*cli, "refresh"], work, env, log)
    measured["dbt_build"] = measure(dbt, work, env, log)
    if spark:
        from marketwh.warehouse.spark import spark_dbt, spark_env

        on_spark = [spark_dbt(), *dbt[1:], "--target-path", str(work / "build" / "bench-dbt" / "spark-target")]
        measured["dbt_build_spark"] = measure(on_spark, work, {**env, **spark_env(work / "build" / "spark")}, log)
    start = time.perf_counter()
    floor_sql(work, dbt_target)
    measured["floor_sql"] = (time.perf_counter() - start, float("nan"))
    p50, p95 = dashboard(served, [Report(0, None).report_id, Report(1, None).report_id], rounds)  # one series
    add_one_report(work, n_reports)
    measured["add_one_report"] = measure([*cli, "refresh"], work, env, log)
    change_one_figure(work)
    measured["change_one_figure"] = measure([*cli, "refresh"], work, env, log)
    rows = [
        {"n_reports": n_reports, "measure": name, "seconds": round(seconds, 3), "peak_rss_mib": None if rss != rss else round(rss, 1)}
        for name, (seconds, rss) in measured.items()
    ]
    rows += [
        {"n_reports": n_reports, "measure": "dashboard_p50_ms", "value": round(p50, 2)},
        {"n_reports": n_reports, "measure": "dashboard_p95_ms", "value": round(p95, 2)},
    ]
    if not keep:
        shutil.rmtree(work, ignore_errors=True)
    return rows


def table(rows: list[dict]) -> str:
    sizes = sorted({row["n_reports"] for row in rows})
    by = {(row["n_reports"], row["measure"]): row for row in rows}
    lines = ["| measure | " + " | ".join(f"N = {n:,}" for n in sizes) + " |", "|---|" + "---:|" * len(sizes)]
    for name in TIMED:
        cells = []
        for n in sizes:
            row = by.get((n, name))
            if row is None:
                cells.append("")
                continue
            rss = f" ({row['peak_rss_mib']:,.0f} MiB)" if row.get("peak_rss_mib") is not None else ""
            cells.append(f"{row['seconds']:,.1f} s{rss}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    for name in ("dashboard_p50_ms", "dashboard_p95_ms"):
        lines.append(f"| {name} | " + " | ".join(f"{by[(n, name)]['value']:.1f} ms" if (n, name) in by else "" for n in sizes) + " |")
    return "\n".join(lines)


def chart(rows: list[dict], path: Path, machine: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(8, 5), dpi=110)
    for name in TIMED:
        points = sorted((row["n_reports"], row["seconds"]) for row in rows if row["measure"] == name)
        if points:
            axes.plot(*zip(*points, strict=True), marker="o", label=name)
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("reports (N)")
    axes.set_ylabel("seconds")
    axes.set_title(f"marketwh refresh cost against N ({machine})", fontsize=10)
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)


def machine() -> str:
    memory = ""
    try:
        kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        memory = f", {kib / 2**20:.0f} GiB RAM"
    except (OSError, AttributeError):
        pass
    return f"{platform.machine()}, {os.cpu_count()} cores{memory}, Python {platform.python_version()}"


def update_readme(readme: Path, text: str) -> None:
    content = readme.read_text(encoding="utf-8")
    if README_START in content and README_END in content:
        head, rest = content.split(README_START, 1)
        content = head + README_START + "\n" + text + "\n" + README_END + rest.split(README_END, 1)[1]
        readme.write_text(content, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000,10000", help="comma-separated numbers of reports")
    parser.add_argument("--spark-sizes", default="1000", help="sizes at which dbt_build_spark is measured too ('' for none)")
    parser.add_argument("--rounds", type=int, default=20, help="dashboard rounds per reader")
    parser.add_argument("--out", type=Path, default=REPO / "bench", help="folder for results.json and results.png")
    parser.add_argument("--scratch", type=Path, default=None, help="where the project copies go (default: a temp folder)")
    parser.add_argument("--keep", action="store_true", help="keep each size's project copy")
    parser.add_argument("--no-readme", action="store_true", help="leave README.md alone")
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
    if not args.no_readme:
        update_readme(REPO / "README.md", text)
    if not args.scratch and not args.keep:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
