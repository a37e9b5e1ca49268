"""How check results show in the Dagster UI: rows as a markdown table, cut at a limit."""

from __future__ import annotations

from collections.abc import Sequence


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[object]], limit: int = 100) -> str:
    """A markdown table of `rows` (cells with '|' made safe); 'none' when there are none."""
    if not rows:
        return "none"
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell).replace("|", "/") for cell in row) + " |" for row in rows[:limit]]
    if len(rows) > limit:
        lines.append(f"| {len(rows) - limit} more |" + " |" * (len(header) - 1))
    return "\n".join(lines)
