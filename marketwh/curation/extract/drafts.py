"""What `marketwh extract` proposes: draft seed rows of seeds/report_figures.csv, the problems it met,
and every number it did not draft with why; written as a spreadsheet-safe CSV for a person to review."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import Problem
from ..seedfiles import write_rows

FIGURE_COLUMNS = [
    "figure_id",
    "report_id",
    "metric",
    "dimension",
    "segment",
    "region",
    "year",
    "period_start_year",
    "period_end_year",
    "value",
    "unit",
    "qualifier",
    "value_as_published",
    "basis",
    "section",
    "quote",
    "period_source",
    "cited_publisher",
    "cited_date",
    "range_high",
]


@dataclass
class Draft:
    line: int
    row: dict[str, str]


@dataclass
class Extraction:
    path: Path
    drafts: list[Draft] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # every other number of the text, with why it is not a figure: nothing is skipped silently
    not_drafted: list[tuple[int, str, str]] = field(default_factory=list)  # (line, printed, why)

    def to_csv(self) -> str:
        out = io.StringIO()
        write_rows(out, FIGURE_COLUMNS, (draft.row for draft in self.drafts))
        return out.getvalue()


def draft_row(report_id, default_region, section, sentence, **fields) -> dict[str, str]:
    row = {column: "" for column in FIGURE_COLUMNS}
    row.update(
        report_id=report_id, region=default_region, basis="reported", section=section, quote=sentence, dimension="total", segment="total"
    )
    row.update({k: v for k, v in fields.items() if v is not None})
    return row


def printed_number(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".")
