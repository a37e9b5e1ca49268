"""The site's full render measured alone: `build_site(full=True)` on a copy of a kept project's served
file (`bench/run.py --keep`), with its wall seconds, the CPU seconds of its process tree (this process
and the worker processes it waited for) and the tree's peak memory (the resident sizes of this process
and its descendants, summed, sampled every 0.2 s). The kept project is only read.

    .venv/bin/python bench/site_render.py /tmp/benchrun/n1000 /tmp/site-copy [--processes N]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import threading
import time
from pathlib import Path

from marketwh.paths import ProjectPaths
from marketwh.site.build import build_site
from marketwh.site.parallel import PROCESSES_ENV
from marketwh.warehouse.reader import served_copy


def _tree_rss(root: int) -> int:
    """Resident bytes of `root` and its descendants."""
    parents: dict[int, int] = {}
    sizes: dict[int, int] = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        pid = int(status.parent.name)
        parents[pid] = int(fields["PPid"])
        sizes[pid] = int(fields.get("VmRSS", "0 kB").split()[0]) * 1024
    tree, added = {root}, True
    while added:
        more = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= more
        added = bool(more)
    return sum(sizes.get(pid, 0) for pid in tree)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path, help="a project bench/run.py kept (its build/warehouse.duckdb is copied)")
    parser.add_argument("scratch", type=Path, help="a folder for the copy and the site (emptied first)")
    parser.add_argument("--processes", help=f"{PROCESSES_ENV} for the render (default: its own default)")
    args = parser.parse_args()
    if args.processes:
        os.environ[PROCESSES_ENV] = args.processes
    shutil.rmtree(args.scratch, ignore_errors=True)
    served = args.scratch / "build" / "warehouse.duckdb"
    served.parent.mkdir(parents=True)
    shutil.copyfile(served_copy(ProjectPaths(args.project).default_served_db), served)  # the pristine copy's bytes
    peak, done = [0], threading.Event()

    def sample() -> None:
        while not done.wait(0.2):
            peak[0] = max(peak[0], _tree_rss(os.getpid()))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.monotonic()
    site = build_site(served, args.project, docs=False, full=True)
    wall = time.monotonic() - started
    done.set()
    sampler.join()
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
    files = sum(1 for p in site.resolve().rglob("*") if p.is_file())
    print(f"{files} files in {site.resolve()}: {wall:.1f} s wall, {cpu:.1f} CPU-s of the tree, peak {peak[0] / 2**20:.0f} MiB of the tree")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
