"""Every table of the site as a CSV file beside its page, linked under the table.

Written from the rendered page, so no table can be left without its file: each `<table>` of a page
becomes `<page>.<n>-<name>.csv` (its id or class names it) in the page's folder, and a "Download
as CSV" link is put right after the table. A cell's CSV value is its text with each number
as stored (the `data-value` attribute the number formatter writes: every digit, no thousands
separators, empty when missing) in place of its rounded text, and each publication date as printed
("2024-10", which sorts) in place of its words ("October 2024") ("more than 750" keeps its words).
Headers are the table's header cells, as people read them.

The site's own pages are read by `_scan`: from each `<table` to its end only, a tag at a time with one
regular expression (the pages are the site's templates, autoescaped: every tag is well formed). Python's
HTMLParser read every page whole and took ~100 of the ~250 CPU-s of a full render at 1,000 reports;
any page `_scan` cannot read as it (a comment, a script, a `<` that starts no tag, inside a table) is
read by HTMLParser, with the same handlers, so both give the same tables.
"""

from __future__ import annotations

import csv
import io
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

from ..safefs import write_inside

CSV_LINK_CLASS = "csv-download"
# a start or end tag as the templates write it (a name, then attributes, each value double-quoted) and the text after it
_TAG = re.compile(r'<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:="[^"<>]*")?)*)\s*(/?)>([^<]*)')
_ATTRIBUTE = re.compile(r'\s+([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:="([^"]*)")?')
_RAW = ("script", "style")  # read as text by HTMLParser, not as tags


class _Tables(HTMLParser):
    """Collects each table's rows (header cells and data cells) and where the table ends (the offset
    after its end tag)."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.html = html
        self.tables: list[dict] = []
        self._stack: list[dict] = []  # open tables (a table inside a cell is its own table)
        self._cell: list[str] | None = None
        self._replace: str | None = None  # inside a number's span: its full value replaces its rounded text
        self._skip = 0  # inside a <summary> or a button-like text that is not the cell's content
        self._end: int | None = None  # set by _scan: the offset after the tag being handled

    def read(self) -> list[dict]:
        """The page's tables, in the order they end."""
        if "<table" in self.html and not self._scan():
            self.__init__(self.html)
            self.feed(self.html)
            self.close()
        return self.tables

    def _scan(self) -> bool:
        """Read the tables of the page a tag at a time; False (and nothing to keep) at anything HTMLParser
        could read otherwise."""
        html, position = self.html, self.html.find("<table")
        while position >= 0:
            tag = _TAG.match(html, position)
            if tag is None:
                return False
            closing, name, attributes, empty, text = tag.groups()
            name = name.lower()
            if name in _RAW:
                return False
            self._end, position = tag.start(5), tag.end()  # after the tag; after its text
            if closing:
                self.handle_endtag(name)
            else:  # only a table's name and a number's value are read from attributes
                read = name == "table" or "data-value" in attributes
                pairs = [match.groups() for match in _ATTRIBUTE.finditer(attributes)] if read else []
                self.handle_starttag(name, [(key.lower(), value if value is None else unescape(value)) for key, value in pairs])
                if empty:
                    self.handle_endtag(name)
            if not self._stack:  # between tables: on to the next one
                position = html.find("<table", position)
            elif position == len(html):
                return False
            elif text and self._cell is not None:
                self.handle_data(unescape(text) if "&" in text else text)
        return True

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
            table["end"] = self._end if self._end is not None else self._offset_after_tag()
            self.tables.append(table)

    def handle_data(self, data):
        if self._cell is not None and not self._skip and self._replace is None:
            self._cell.append(data)

    def _offset_after_tag(self) -> int:
        """Where the tag HTMLParser is handling ends (it reports the line and column it starts at)."""
        line, column = self.getpos()
        starts = [0] + [match.end() for match in re.finditer("\n", self.html)]
        return self.html.index(">", starts[line - 1] + column) + 1


def add_csv_downloads(html: str, out: Path, page: str, written: list[str] | None = None) -> str:
    """Write every table of `html` (the page `page`, relative to `out`) as a CSV file beside the page
    (its name, relative to `out`, appended to `written`), and return the page with a link to each file after its table."""
    folder, stem = Path(page).parent, Path(page).stem
    inserts = []
    for number, table in enumerate(sorted(_Tables(html).read(), key=lambda t: t["end"]), start=1):
        rows = [row for row in table["rows"] if row]
        name = f"{stem}.{number}-{re.sub(r'[^a-z0-9-]+', '-', table['name'].lower())}.csv"
        text = io.StringIO()
        csv.writer(text, lineterminator="\n").writerows(rows)
        write_inside(out, (folder / name).as_posix(), text.getvalue())
        if written is not None:
            written.append((folder / name).as_posix())
        link = f'\n<p class="{CSV_LINK_CLASS}"><a href="{name}" download>Download this table as CSV</a> ({len(rows) - 1} rows)</p>'
        inserts.append((table["end"], link))
    for end, link in sorted(inserts, reverse=True):
        html = html[:end] + link + html[end:]
    return html
