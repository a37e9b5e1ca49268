"""How the benchmark measures: a command's wall time and the peak RSS of its whole process tree, the
floor (the models' compiled SQL in one DuckDB connection, no dbt), and the dashboard's queries from
several read-only readers at once."""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import shutil
import signal
import statistics
import subprocess
import time
from pathlib import Path

READERS = 8


def dashboard_queries(report_ids: list[str]) -> dict[str, str]:
    """The five queries the analysts' dashboard makes, with the filters its controls set (a report and
    its other edition): what one person looking at one chart asks for. (Pulling a whole mart of
    200,000 rows is an export, not a dashboard query.)"""
    report_id = report_ids[0]
    return {
        "market size by year, a report's editions": (
            "select report_id, market_year, value, unit_key, basis from marts.market_size_by_year "
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
    from marketwh.paths import ProjectPaths

    database = ProjectPaths(work).bench_dir / "floor" / "warehouse.duckdb"
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
            kind = "view" if node["config"]["materialized"] == "view" else "table"  # incremental: a table
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
    # Pool ends its workers with SIGTERM, and an ignored SIGTERM survives exec: started by a process
    # that ignores it (a test worker once Dagster has mapped SIGTERM to an ignored SIGINT), the readers
    # would never end and the pool would wait on them forever. They are started able to die.
    if signal.getsignal(signal.SIGTERM) is signal.SIG_IGN:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    with multiprocessing.get_context("spawn").Pool(READERS) as pool:
        timings = [t for chunk in pool.map(_reader, [(str(served), queries, rounds)] * READERS) for t in chunk]
    timings.sort()
    return statistics.median(timings), timings[min(len(timings) - 1, int(0.95 * len(timings)))]
