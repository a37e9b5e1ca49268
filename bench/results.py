"""What the benchmark writes: the table (stdout and docs/scale.md between the bench:results markers),
bench/results.png (seconds against N, log-log) and the machine it ran on."""

from __future__ import annotations

import os
import platform
import re
from pathlib import Path

TIMED = (
    "validate",
    "validate_unchanged",
    "validate_after_change",
    "full_refresh",
    "dbt_build",
    "dbt_build_spark",
    "floor_sql",
    "add_one_report",
    "change_one_figure",
)
# after each small change, the served marts against a full build of the same inputs, row by row
IDENTICAL = ("marts_equal_full_build_after_add_one_report", "marts_equal_full_build_after_change_one_figure")
RESULTS_PAGE = Path(__file__).resolve().parent.parent / "docs" / "scale.md"
RESULTS_START, RESULTS_END = "<!-- bench:results:start -->", "<!-- bench:results:end -->"


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
    for name in IDENTICAL:
        cells = (_identical(by[(n, name)]) if (n, name) in by else "" for n in sizes)
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _identical(row: dict) -> str:
    return "yes" if row["value"] else f"**no** ({row['differences']:,} differences)"


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


def update_docs(page: Path, text: str, markers: tuple[str, str] = (RESULTS_START, RESULTS_END)) -> None:
    """Replace what stands between the markers of `page` (by default docs/scale.md's bench:results) with
    `text`. A page without both markers is an error: the recorded table would silently stop being updated."""
    start, end = markers
    content = page.read_text(encoding="utf-8")
    if start not in content or end not in content:
        raise ValueError(f"{page} has no {start} ... {end} markers for the benchmark's table")
    head, rest = content.split(start, 1)
    content = head + start + "\n" + text + "\n" + end + rest.split(end, 1)[1]
    page.write_text(content, encoding="utf-8")
