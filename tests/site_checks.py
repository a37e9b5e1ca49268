"""What an analyst must never see on the report site, checked over a built site's files.

`site_problems(site)` reads every page (and chart) of a built site and returns one line per problem:
a number in scientific notation; `None`, `nan` or `NaN` printed; a derived value printed with more
decimals than the reported values of its report in its table plus one; a snake_case key as a header, heading,
caption, legend, badge, derivation or chart label; a count of the cells a report does not state ("not
reported 144": a page says in one line what a report does not state); a table without its CSV file
linked right under it (or a link to a file that is not there). Used by the unit tests (on pages rendered from fixture rows) and the
integration test (on the site a refresh built)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

SCIENTIFIC = re.compile(r"\b\d+(?:\.\d+)?[eE][+-]?\d+\b")
MISSING_WORDS = re.compile(r"\b(?:None|nan|NaN)\b")
SNAKE = re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b")
# "not reported 144", "144 not reported", "144 listed segment-years have no number": empty cells counted
NOT_STATED_COUNT = re.compile(
    r"\bnot[ _]reported:?\s+\d[\d,]*"
    r"|\b\d[\d,]*\s+(?:cells?\s+|segment-years?\s+)?(?:are\s+)?not[ _]reported\b"
    r"|\b\d[\d,]*\s+listed\s+\S+\s+have\s+no\s+number",
    re.IGNORECASE,
)
LABEL_TAGS = {"th", "h1", "h2", "h3", "h4", "figcaption", "dt", "caption", "legend", "summary"}
LABEL_CLASSES = {"badge", "legend", "csv-download", "dashboard", "derivation"}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []  # visible text
        self.prose: list[str] = []  # visible text outside <code> (ids and hashes: "run 2c56-9e09-..." is no number)
        self.labels: list[str] = []  # text of headers, headings, captions, legends, badges
        self.titles: list[str] = []  # tooltips
        self.tables: list[dict] = []  # each table: its rows (basis, value text) and whether a CSV link follows
        self._stack: list[tuple[str, bool]] = []  # open tags, and whether each is a label
        self._code = 0
        self._table: dict | None = None
        self._row_basis: tuple[str | None, str] = (None, "")  # a row's basis and report
        self._in_value = False
        self._value: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = set((attributes.get("class") or "").split())
        label = tag in LABEL_TAGS or bool(classes & LABEL_CLASSES) or (self._stack and self._stack[-1][1])
        if tag not in ("br", "img", "meta", "link", "input", "hr"):
            self._stack.append((tag, bool(label)))
        if attributes.get("title"):
            self.titles.append(attributes["title"])
        if tag == "code":
            self._code += 1
        if tag == "table":
            self._table = {"rows": []}
        if tag == "tr" and self._table is not None:
            self._row_basis = (attributes.get("data-basis"), attributes.get("data-report-id") or "")
        if tag == "td" and "value" in classes and self._table is not None:
            self._in_value, self._value = True, []

    def handle_endtag(self, tag):
        while self._stack:
            open_tag, _ = self._stack.pop()
            if open_tag == tag:
                break
        if tag == "code":
            self._code -= 1
        if tag == "td" and self._in_value:
            self._table["rows"].append((self._row_basis, " ".join("".join(self._value).split())))
            self._in_value = False
        if tag == "table" and self._table is not None:
            self.tables.append(self._table)
            self._table = None

    def handle_data(self, data):
        if not data.strip():
            return
        self.text.append(data)
        if not self._code:
            self.prose.append(data)
        if self._in_value:
            self._value.append(data)
        if self._stack and self._stack[-1][1] and not self._code:
            self.labels.append(data)


def _decimals(text: str) -> int | None:
    number = re.search(r"-?[\d,]*\d(?:\.(\d+))?$", text.strip())
    return None if number is None else len(number.group(1) or "")


def page_problems(html: str, where: str, folder: Path | None = None) -> list[str]:
    """The problems of one page's HTML (`folder`: the page's folder, to check its CSV files exist)."""
    page = _Page()
    page.feed(html)
    problems = []
    text = " ".join(page.prose + page.titles)
    problems += [f"{where}: scientific notation {m!r}" for m in SCIENTIFIC.findall(text)]
    problems += [f"{where}: prints {m!r}" for m in MISSING_WORDS.findall(" ".join(page.text))]
    problems += [f"{where}: snake_case label {m!r}" for label in page.labels for m in SNAKE.findall(label)]
    words = " ".join(" ".join(page.text).split())
    problems += [f"{where}: counts cells the report does not state {m!r}" for m in NOT_STATED_COUNT.findall(words)]
    links = [re.match(r'\s*<p class="csv-download"><a href="([^"]+)"', html[end.end() :]) for end in re.finditer(r"</table>", html)]
    for number, (table, link) in enumerate(zip(page.tables, links, strict=True), start=1):
        if link is None:
            problems.append(f"{where}: table {number} has no CSV link under it")
        elif folder is not None and not (folder / link.group(1)).is_file():
            problems.append(f"{where}: table {number}: its CSV link {link.group(1)} names no file")
        # a derived value against the reported values of its report beside it (its sources are among them)
        reported: dict[str, list[int]] = {}
        for (basis, report), text in table["rows"]:
            if basis == "reported" and (decimals := _decimals(text)) is not None:
                reported.setdefault(report, []).append(decimals)
        for (basis, report), value in table["rows"]:
            if basis == "derived" and report in reported and (_decimals(value) or 0) > max(reported[report]) + 1:
                problems.append(
                    f"{where}: table {number}: derived {value!r} beside reported values of at most {max(reported[report])} decimals"
                )
    return problems


def svg_problems(svg: str, where: str) -> list[str]:
    """A chart's drawn text: no scientific notation, no None/nan, no snake_case label."""
    texts = [" ".join(t.split()) for t in re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)]
    text = " ".join(texts)
    return (
        [f"{where}: scientific notation {m!r}" for m in SCIENTIFIC.findall(text)]
        + [f"{where}: prints {m!r}" for m in MISSING_WORDS.findall(text)]
        + [f"{where}: snake_case label {m!r}" for m in SNAKE.findall(text)]
    )


def site_problems(site: Path, skip: tuple[str, ...] = ("docs", "guide", "documents")) -> list[str]:
    """Every problem of the built site at `site` (the dbt docs, the task guide and the stored documents'
    text are not the site's own pages)."""
    problems = []
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site)
        if relative.parts[0] in skip:
            continue
        problems += page_problems(path.read_text(encoding="utf-8"), str(relative), path.parent)
    for path in sorted((site / "charts").glob("*.svg")):
        problems += svg_problems(path.read_text(encoding="utf-8"), str(path.relative_to(site)))
    return problems


def _group(svg: str, gid: str) -> str:
    """The text of the SVG group `gid` (up to the next group at its indentation)."""
    found = re.search(rf'^( *)<g id="{re.escape(gid)}">(.*?)^\1</g>', svg, flags=re.S | re.M)
    return found[2] if found else ""


def _axis(svg: str, axis: str):
    """Data value of a pixel coordinate on one axis, from its ticks' gridlines and labels (first and last)."""
    ticks = []
    for number in range(1, 100):
        tick = _group(svg, f"{axis}tick_{number}")
        if not tick:
            break
        grid = re.search(r'<path d="M ([-\d.]+) ([-\d.]+)', tick)
        label = re.search(r"<text[^>]*>([^<]+)</text>", tick)
        if grid and label:
            ticks.append((float(grid[1 if axis == "x" else 2]), float(label[1].replace(",", ""))))
    (p0, v0), (p1, v1) = ticks[0], ticks[-1]
    return lambda pixel: v0 + (pixel - p0) * (v1 - v0) / (p1 - p0)


def consensus_geometry(svg: str) -> dict:
    """What a consensus chart draws, in data coordinates read back from its SVG: `band` and `median` as
    (year, value) vertices, `points` as gid -> [(year, value, filled)]."""
    x, y = _axis(svg, "x"), _axis(svg, "y")

    def vertices(text: str, dx: float = 0.0, dy: float = 0.0) -> list[tuple[float, float]]:
        return [(round(x(float(a) + dx), 6), y(float(b) + dy)) for a, b in re.findall(r"[ML] ([-\d.]+) ([-\d.]+)", text)]

    band = _group(svg, "consensus-band")
    offset = re.search(r'<use [^>]*x="([-\d.]+)" y="([-\d.]+)"', band)
    points = {}
    for gid in re.findall(r'<g id="(consensus-points-[^"]+)">', svg):
        uses = re.findall(r'<use [^>]*x="([-\d.]+)" y="([-\d.]+)" style="fill: (#[0-9a-f]+)', _group(svg, gid))
        points[gid] = [(round(x(float(a)), 6), y(float(b)), fill != "#ffffff") for a, b, fill in uses]
    return {
        "band": vertices(band, float(offset[1]), float(offset[2])) if offset else [],
        "median": vertices(_group(svg, "consensus-median")),
        "points": points,
    }
