"""A full render's report and market pages spread over worker processes (issue 26).

At 1,000 reports a full render (a first build, `--full`, or a change to the site's code or vocabulary)
writes ~26,000 files in ~165 CPU-s on one core, after the publish, while nothing else runs. When the
pages to render are many (PARALLEL_FROM: a report counts two, a market one) they are written by
`site_processes()` worker processes, MARKETWH_SITE_PROCESSES or the processors this process may use, at most
DEFAULT_PROCESSES; below it (a small change renders a page or two) no process is started.

- Workers are started by `spawn`, never fork: the site step runs inside a Dagster run process with
  threads, and a forked child of a threaded process can deadlock on a lock another thread held.
- Each worker gets what it writes with once (the site's data without its connection, the dashboard
  link, the guide flag, the build stamp, the folders: `Setup`), through a file in a private temporary
  folder and not in its start arguments: spawn writes those into a pipe to the child, and Python 3.11
  holds the pipe's other end until the write ends, so a child that dies before reading them all (an
  error while it starts) left the render blocked for good once they outgrew the pipe (64 KiB; the data
  of 15 reports is 133 KiB). Spawn runs the parent's main script again in each worker (not a module
  run by -m): a script that builds the site keeps its work under `if __name__ == "__main__"` (the
  `marketwh` command, Dagster's and pytest's do), or its workers fail as they start and the render with
  them. A worker opens its own read-only connection to the served
  copy (DuckDB lets many read-only processes read one file) and writes with the same `PageWriter` as
  the serial render: the same files, byte for byte. Tasks are batches of REPORT_BATCH reports (one read
  of their rows) and single markets; the parent records each task's files for reuse.json and returns
  the pages in the serial render's order (render_site).
- Workers never outlive the render: each asks the kernel to kill it when the process that started it
  dies, however it dies (processes.die_with_parent, as the dbt guard does). A worker's error fails the
  render with that error, a worker that dies fails it as a broken pool; either way the other workers are
  killed and waited for before the error is raised, so none writes into a folder build_site removes.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import tempfile
from concurrent.futures import FIRST_EXCEPTION, ProcessPoolExecutor, wait
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..errors import RefreshError
from ..failpoints import failpoint
from .data import SiteData
from .report_data import REPORT_BATCH, ReportRows
from .writer import PageWriter, Written, write_pages

PROCESSES_ENV = "MARKETWH_SITE_PROCESSES"
DEFAULT_PROCESSES = 2  # the processors this process may use, at most this many unless PROCESSES_ENV says
PARALLEL_FROM = 200  # pages to render from which workers are started (each pays ~1.5 CPU-s to start)


def site_processes() -> int:
    """How many processes render a full site: MARKETWH_SITE_PROCESSES (1: in this process), else the
    processors this process may use, at most DEFAULT_PROCESSES."""
    value = os.environ.get(PROCESSES_ENV, "").strip()
    if not value:
        usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
        return max(1, min(DEFAULT_PROCESSES, usable))
    if not value.isdigit() or int(value) < 1:
        raise RefreshError(f"{PROCESSES_ENV}={value!r}: give a number of processes, 1 or more (1 renders the site in this process)")
    return int(value)


@dataclass
class Setup:
    """What a worker writes with: everything a PageWriter is made of, the templates' environment made
    again from the dashboard link and the guide flag (it holds functions, which do not travel)."""

    data: SiteData
    dashboard: Any
    guide: bool
    build: dict[str, Any]
    out: Path
    documents: Path


def render_pages(
    writer: PageWriter,
    setup: Setup,
    reports: list[dict[str, Any]],
    markets: list[dict[str, Any]],
    count: int,
    parallel_from: int | None = None,
) -> dict[tuple[str, str], Written]:
    """The pages of `reports` and `markets` by kind and key: in `count` worker processes when they are
    `parallel_from` (default PARALLEL_FROM) pages or more, else in this process."""
    if count <= 1 or 2 * len(reports) + len(markets) < (PARALLEL_FROM if parallel_from is None else parallel_from):
        with writer.data.reading() as con:
            return write_pages(writer, con, reports, markets)
    ids = [report["report_id"] for report in reports]
    # the report batches first, then the markets, the largest first: the last tasks are the shortest.
    # A task names its reports or market by key (the worker has the data): a few bytes through the pipe
    tasks = [(_write_reports, ids[start : start + REPORT_BATCH]) for start in range(0, len(ids), REPORT_BATCH)]
    tasks += [(_write_market, market["market_key"]) for market in sorted(markets, key=lambda m: -len(m["reports"]))]
    with tempfile.TemporaryDirectory(prefix="marketwh-site-") as folder:
        handoff = Path(folder) / "setup.pickle"  # the workers' setup: see the module's docstring
        handoff.write_bytes(pickle.dumps(replace(setup, data=replace(setup.data, con=None)), pickle.HIGHEST_PROTOCOL))
        return _run(tasks, min(count, len(tasks)), handoff)


def _run(tasks: list[tuple[Any, str | list[str]]], count: int, handoff: Path) -> dict[tuple[str, str], Written]:
    """Run `tasks` in `count` spawned workers started with the setup pickled at `handoff`."""
    executor = ProcessPoolExecutor(count, mp_context=_spawn(), initializer=_start_worker, initargs=(os.getpid(), str(handoff)))
    failed = True
    try:
        futures = [executor.submit(task, item) for task, item in tasks]
        done, _ = wait(futures, return_when=FIRST_EXCEPTION)
        for future in done:
            future.result()  # a worker's error (or the pool broken: a worker died) is raised here
        written = {}
        for future in futures:
            written.update(future.result())
        failed = False
        return written
    finally:
        _stop(executor, failed)


def _spawn():
    import multiprocessing

    return multiprocessing.get_context("spawn")


def _stop(executor: ProcessPoolExecutor, failed: bool) -> None:
    """Shut the pool down; after a failure, kill its workers first and wait for them."""
    workers = list(executor._processes.values())  # ProcessPoolExecutor names no public way to kill them before 3.14
    if failed:
        for worker in workers:
            with contextlib.suppress(OSError, ValueError):
                worker.kill()
    executor.shutdown(wait=True, cancel_futures=True)
    for worker in workers:
        worker.join()


# a worker's own: what it writes with, set by _start_worker
_writer: PageWriter | None = None
_markets: dict[str, dict[str, Any]] = {}
_open = contextlib.ExitStack()  # its connection, open until the worker ends: read-only, nothing to flush
_con: Any = None


def _start_worker(parent: int, handoff: str) -> None:
    """A worker's start: die with the render, then its setup, the templates, the writer and a read-only
    connection."""
    global _writer, _con
    from ..processes import die_with_parent
    from .build import _environment

    die_with_parent(signal.SIGKILL, parent)
    setup: Setup = pickle.loads(Path(handoff).read_bytes())
    environment = _environment(setup.data, setup.dashboard)
    environment.globals["guide"] = setup.guide
    _writer = PageWriter(setup.data, environment, setup.build, setup.out, setup.documents)
    _markets.update((market["market_key"], market) for market in setup.data.markets())
    _con = _open.enter_context(setup.data.reading())


def _write_reports(report_ids: list[str]) -> dict[tuple[str, str], Written]:
    failpoint("site.worker")
    reader, data = ReportRows(_con, report_ids), _writer.data
    return {("reports", report_id): _writer.report(reader, data.report(report_id)) for report_id in report_ids}


def _write_market(market_key: str) -> dict[tuple[str, str], Written]:
    failpoint("site.worker")
    return {("markets", market_key): _writer.market(_markets[market_key])}
