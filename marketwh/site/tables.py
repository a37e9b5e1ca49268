"""Every table of the site as a CSV file beside its page, linked under the table.

Written from the rendered page, so no table can be left without its file: each `<table>` of a page
becomes `<page>.<n>-<name>.csv` (its id or class names it) in the page's folder, and a "Download
as CSV" link is put right after the table. A cell's CSV value is its text with each number
as stored (the `data-value` attribute the number formatter writes: every digit, no thousands
separators, empty when missing) in place of its rounded text, and each publication date as printed
("2024-10", which sorts) in place of its words ("October 2024") ("more than 750" keeps its words).
Headers are the table's header cells, as people read them.
"""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser
from pathlib import Path

from ..safefs import write_inside

CSV_LINK_CLASS = "csv-download"


class _Tables(HTMLParser):
    """Collects each table's rows (header cells and data cells) and where the table ends."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[dict] = []
        self._stack: list[dict] = []  # open tables (a table inside a cell is its own table)
        self._cell: list[str] | None = None
        self._replace: str | None = None  # inside a number's span: its full value replaces its rounded text
        self._skip = 0  # inside a <summary> or a button-like text that is not the cell's content

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "table":
            name = attributes.get("id") or (attributes.get("class") or "table").split()[0]
            self._stack.append({"name": name, "rows": [], "end": None})
        elif not self._stack:
            return
        elif tag == "tr":
            self._stack[-1]["rows"].append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "summary":
            self._skip += 1
        if self._cell is not None and "data-value" in attributes:
            self._replace = attributes["data-value"]
            self._cell.append(self._replace)

    def handle_endtag(self, tag):
        if not self._stack:
            return
        if tag in ("td", "th") and self._cell is not None:
            text = " ".join("".join(self._cell).split())
            self._stack[-1]["rows"][-1].append(text)
            self._cell = None
        elif tag == "span":
            self._replace = None
        elif tag == "summary":
            self._skip -= 1
        elif tag == "table":
            table = self._stack.pop()
            line, column = self.getpos()
            table["end"] = (line, column)
            self.tables.append(table)

    def handle_data(self, data):
        if self._cell is not None and not self._skip and self._replace is None:
            self._cell.append(data)


def _line_starts(html: str) -> list[int]:
    """The character offset at which each line of `html` starts (HTMLParser reports line and column)."""
    return [0] + [match.end() for match in re.finditer("\n", html)]


def add_csv_downloads(html: str, out: Path, page: str, written: list[str] | None = None) -> str:
    """Write every table of `html` (the page `page`, relative to `out`) as a CSV file beside the page
    (its name, relative to `out`, appended to `written`), and return the page with a link to each file after its table."""
    parser = _Tables()
    parser.feed(html)
    parser.close()
    folder, stem = Path(page).parent, Path(page).stem
    starts = _line_starts(html)
    inserts = []
    for number, table in enumerate(sorted(parser.tables, key=lambda t: t["end"]), start=1):
        rows = [row for row in table["rows"] if row]
        name = f"{stem}.{number}-{re.sub(r'[^a-z0-9-]+', '-', table['name'].lower())}.csv"
        text = io.StringIO()
        csv.writer(text, lineterminator="\n").writerows(rows)
        write_inside(out, (folder / name).as_posix(), text.getvalue())
        if written is not None:
            written.append((folder / name).as_posix())
        line, column = table["end"]
        end = html.index(">", starts[line - 1] + column) + 1
        link = f'\n<p class="{CSV_LINK_CLASS}"><a href="{name}" download>Download this table as CSV</a> ({len(rows) - 1} rows)</p>'
        inserts.append((end, link))
    for end, link in sorted(inserts, reverse=True):
        html = html[:end] + link + html[end:]
    return html
