"""Where a `make test` run's time went: `python -m tests.timeline [build/tests/timeline.jsonl]`.

Reads the lines the conftest appends with MARKETWH_TEST_TIMELINE set (worker, test, start, end) and
prints, per xdist worker, when it started and finished, how long its tests took, how long it sat idle
and the CPU seconds its tests used (with the processes they ran), then each test module's time and CPU
on its worker, longest first: what decides the run's length. On two cores the run cannot be shorter
than the CPU total over two."""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

DEFAULT = Path(__file__).resolve().parent.parent / "build" / "tests" / "timeline.jsonl"


def summary(lines: list[dict], top: int = 15) -> str:
    begin = min(line["start"] for line in lines)
    workers: dict[str, list[dict]] = defaultdict(list)
    modules: dict[tuple[str, str], list[float]] = defaultdict(lambda: [float("inf"), 0.0, 0.0])
    for line in lines:
        workers[line["worker"]].append(line)
        span = modules[(line["worker"], line["test"].split("::")[0])]
        span[0], span[1] = min(span[0], line["start"]), max(span[1], line["end"])
        span[2] += line.get("cpu", 0.0)
    out = [f"{'worker':8} {'first':>7} {'last':>7} {'busy':>7} {'idle':>6} {'cpu':>7}  (seconds from the first test's start)"]
    for name, tests in sorted(workers.items()):
        first, last = min(t["start"] for t in tests) - begin, max(t["end"] for t in tests) - begin
        busy, cpu = sum(t["end"] - t["start"] for t in tests), sum(t.get("cpu", 0.0) for t in tests)
        out.append(f"{name:8} {first:7.0f} {last:7.0f} {busy:7.0f} {last - first - busy:6.0f} {cpu:7.0f}")
    out.append(f"CPU of all tests: {sum(line.get('cpu', 0.0) for line in lines):.0f} s")
    out.append("")
    out.append(f"{'module':72} {'worker':8} {'from':>6} {'to':>6} {'s':>6} {'cpu':>6}")
    for (worker, module), (start, end, cpu) in sorted(modules.items(), key=lambda kv: kv[1][0] - kv[1][1])[:top]:
        out.append(f"{module:72} {worker:8} {start - begin:6.0f} {end - begin:6.0f} {end - start:6.0f} {cpu:6.0f}")
    out.append("")
    out.append(f"{'module (most CPU)':72} {'cpu':>6}")
    for (_, module), (_, _, cpu) in sorted(modules.items(), key=lambda kv: -kv[1][2])[:top]:
        out.append(f"{module:72} {cpu:6.0f}")
    return "\n".join(out)


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else DEFAULT
    if not path.exists():
        print(f"no timeline at {path}: set MARKETWH_TEST_TIMELINE for the run (make test does)")
        return 0
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    print(summary(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
