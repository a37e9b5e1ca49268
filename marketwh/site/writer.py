"""The pages of one report and of one market, written into a site build folder.

`PageWriter` is what a full render repeats for every report (reports/<id>.html, documents/<id>.html,
the plain-text copy of its document, a CSV file per table) and every market (markets/<key>.html, its
charts and CSV files). render_site runs it in process, or its worker processes do (parallel.py): the
same code with the same inputs, so either way the files are the same byte for byte. Each page returns
the pages it wrote and every file of them (relative to the folder), which reuse.json records.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from ..safefs import write_inside
from .consensus import consensus_sections
from .data import SiteData
from .pages import compared_rows, figure_groups, market_charts, market_splits_stated, not_stated_line
from .report_data import ReportRows, report_rows
from .tables import add_csv_downloads

Written = tuple[list[Path], list[str]]  # the pages written, and every file of them (relative to the folder)


def _document(root: Path, report: dict[str, Any], out: Path) -> dict[str, Any]:
    """The stored document as the validator reads it (markup removed): its blocks, headings marked,
    so a quote is found in it as it was matched; the raw file is copied beside it as plain text."""
    from ..curation.documents import inside_reports, read_report_document
    from ..errors import InputError

    path = inside_reports(root, report["document_path"])
    if path is None:  # the validator refuses it before a build; the site never copies a file from outside reports/
        return {"blocks": [], "source": None, "problem": f"{report['document_path']}: not a file inside reports/"}
    try:
        document = read_report_document(path, report["document_path"])
    except InputError as error:
        return {"blocks": [], "source": None, "problem": str(error)}
    source = write_inside(out, f"documents/{report['report_id']}.source.txt", document.raw)
    blocks = [
        {
            "text": document.text[block.start : block.end],
            "heading": bool(block.headings) and block.headings[-1] == document.text[block.start : block.end],
        }
        for block in document.blocks
    ]
    changed = document.sha256 != report["document_sha256"]
    return {
        "blocks": blocks,
        "source": source.name,
        "problem": f"the file changed since this build (sha256 now {document.sha256})" if changed else None,
    }


class PageWriter:
    """Writes pages of `data` into `out` with the site's templates (`environment`), each stamped with
    `build`; the stored documents are read from `documents`."""

    def __init__(self, data: SiteData, environment: Any, build: dict[str, Any], out: Path, documents: Path) -> None:
        self.data, self.environment, self.build, self.out, self.documents = data, environment, build, out, documents
        self.findings = data.by_report("findings")

    def page(self, name: str, template: str, depth: int, written: list[str] | None = None, **context: Any) -> Path:
        """Render `template` as the page `name` (`depth` folders down), every table with its CSV file."""
        html = self.environment.get_template(template).render(build=self.build, up="../" * depth, **context)
        # names hold report ids and market keys: never outside `out`; every table gets its CSV file
        return write_inside(self.out, name, add_csv_downloads(html, self.out, name, written))

    def report(self, reader: ReportRows, report: dict[str, Any]) -> Written:
        """A report's page and its document's page (its rows read by `reader`, a batch at a time)."""
        data, report_id = self.data, report["report_id"]
        written = [f"reports/{report_id}.html", f"documents/{report_id}.html"]
        rows = report_rows(reader, report_id)
        groups, missing = figure_groups(data, rows["figures"])
        pages = [
            self.page(
                f"reports/{report_id}.html",
                "report.html",
                1,
                written,
                report=report,
                groups=groups,
                not_stated=not_stated_line(missing),
                quotes=rows["quotes"],
                estimated_cells=rows["estimated_cells"],
                claims=rows["claims"],
                cited=rows["cited"],
                editions=data.editions(report.get("series_id")),
                changes_to_next=[c for c in rows["edition_changes"] if c["older_report_id"] == report_id],
                changes_from_previous=[c for c in rows["edition_changes"] if c["newer_report_id"] == report_id],
                findings=self.findings.get(report_id, []),
                # what the report states or the warehouse derives; what it does not state is the one not_stated line
                basis_counts=Counter(f["basis"] for f in rows["figures"] if f["basis"] != "not_reported"),
            )
        ]
        document = _document(self.documents, report, self.out)
        pages.append(self.page(f"documents/{report_id}.html", "document.html", 1, written, report=report, document=document))
        return pages, written + ([f"documents/{document['source']}"] if document["source"] else [])

    def market(self, market: dict[str, Any]) -> Written:
        """A market's page and its charts (its rows read a market at a time: data.of_market)."""
        data, key, charts = self.data, market["market_key"], self.out / "charts"
        sections, drawn = consensus_sections(data, market, charts), market_charts(data, market, charts)
        written = [f"markets/{key}.html"]
        page = self.page(written[0], "market.html", 1, written, market=market, consensus_sections=sections, charts=drawn,
                         compared=compared_rows(data, key), splits=market_splits_stated(data, market))  # fmt: skip
        return [page], written + [f"charts/{chart['file']}" for chart in sections + drawn]


def write_pages(
    writer: PageWriter, con: Any, reports: list[dict[str, Any]], markets: list[dict[str, Any]]
) -> dict[tuple[str, str], Written]:
    """The pages of `reports` and `markets`, in this process (on `con`, the data's read-only connection:
    SiteData.reading), by kind ("reports", "markets") and key."""
    reader = ReportRows(con, [report["report_id"] for report in reports])
    written = {("reports", report["report_id"]): writer.report(reader, report) for report in reports}
    return written | {("markets", market["market_key"]): writer.market(market) for market in markets}
