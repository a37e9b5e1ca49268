"""Reading a stored report document and the text its quotes are checked against.

A quote must stand in the document's text with markup removed (tags such as <strong> dropped,
HTML entities such as &amp; read as the character they encode) and whitespace collapsed; nothing
else is changed. The document's sha256 is taken over its bytes on disk.

The text is also cut into blocks, the way a reader sees the page: paragraphs (blank lines, or HTML
block tags such as <p>, <br>, <div>, <li>, <tr>), headings (markdown `#` or <h1>-<h6>), table rows
and list items. A quote must be a whole sentence of one block, or a whole block (a table row, a
heading, a line of a table of contents); and each block knows the headings it stands under, where
reports state the scope (years, country) their sentences leave out.
"""

from __future__ import annotations

import bisect
import hashlib
import html
import json
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..errors import InputError, Problem
from ..safefs import UnsafePathError, read_regular

_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
_TAG = re.compile(r"<[^<>]*>")
_WHITESPACE = re.compile(r"\s+")
# a heading's opening and closing tags, paired in one pass (_html_headings): a lazy `<h1>(.*?)</h1>`
# scanned the rest of the document once per unclosed <h1>, quadratic in an attacker's hands
_HEADING_TAG = re.compile(r"<(?P<close>/)?h(?P<level>[1-6])(?(close)\s*|\b[^<>]*)>", re.IGNORECASE)
_BLOCK_TAG = re.compile(
    r"</?\s*(?:p|div|br|li|ul|ol|tr|td|th|table|thead|tbody|section|article|header|footer|blockquote|pre|hr)\b[^<>]*>",
    re.IGNORECASE,
)
_MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_LINE_BLOCK = re.compile(r"^\s*(?:\||[-*+]\s|[0-9]+[.)]\s)")  # a table row or list item is a block of its own
_LIST_MARKER = re.compile(r"^\s*[-*+]\s+")  # markup, not text: a list item's quote leaves it out
_FRONT_MATTER_LINE = re.compile(r"^(?P<key>[A-Za-z_][\w-]*):\s*(?P<value>.*)$")
# One schema for every stored document's front matter: each key but `note` is required and equals
# the report's row in seeds/reports.csv (the validator checks it).
FRONT_MATTER_KEYS = ("title", "publisher", "url", "date_published", "date_accessed", "terms_of_use", "attribution")
FRONT_MATTER_OPTIONAL = ("note",)
_SENTENCE_END = ".!?"
# No prose line is this long (the stored reports' longest is under 1,000 characters): a longer one is
# a pasted blob or an attack, refused with its line number rather than fed to the readers.
MAX_LINE_CHARS = 20_000
# A report page is tens of kB; a document is read whole, so anything far larger is refused unread.
DOCUMENT_MAX_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class Block:
    start: int  # offsets in ReportDocument.text
    end: int
    headings: tuple[str, ...]  # the headings it stands under, outermost first (its own, if it is one)


@dataclass(frozen=True)
class ReportDocument:
    path: Path
    raw: str
    sha256: str
    text: str  # markup removed, whitespace collapsed: what quotes are matched against
    lines: tuple[str, ...]  # the raw lines, for line numbers (marketwh extract)
    blocks: tuple[Block, ...] = ()
    front_matter: dict[str, tuple[int, str]] | None = None  # key -> (line, value); None when there is none

    def occurrences(self, quote: str) -> list[tuple[int, int, Block | None]]:
        """Every place the quote stands in the text: (start, end, the block holding its start). Found
        once per quote; the sentence and heading rules below read these places."""
        needle = normalize_text(quote)
        starts = self._block_starts
        found, start = [], self.text.find(needle) if needle else -1
        while start >= 0:
            position = bisect.bisect_right(starts, start) - 1
            block = self.blocks[position] if position >= 0 and start < self.blocks[position].end else None
            found.append((start, start + len(needle), block))
            start = self.text.find(needle, start + 1)
        return found

    @cached_property
    def _block_starts(self) -> list[int]:
        return [block.start for block in self.blocks]

    def is_whole_sentence(self, places: list[tuple[int, int, Block | None]]) -> bool:
        """Some place of a quote (`occurrences`) is whole sentences of one block, or the whole block."""
        return any(block and self._starts_sentence(s, block) and self._ends_sentence(e, block) for s, e, block in places)

    @staticmethod
    def headings_of(places: list[tuple[int, int, Block | None]]) -> list[str]:
        """The headings above every place of a quote (`occurrences`)."""
        return [heading for _, _, block in places if block for heading in block.headings]

    def section_texts(self, section: str) -> list[str]:
        """The text of the section a seed row cites (its `section` column), when that names a heading of
        the document: the heading and every block under it. None of it when no heading has that name."""
        wanted = normalize_text(section).casefold()
        if not wanted:
            return []
        return [self.text[block.start : block.end] for block in self.blocks if wanted in (h.casefold() for h in block.headings)]

    def _starts_sentence(self, start: int, block: Block) -> bool:
        before = self.text[block.start : start].rstrip(" \"“”'(")
        return not before or before[-1] in _SENTENCE_END + ":"

    def _ends_sentence(self, end: int, block: Block) -> bool:
        if end > block.end:
            return False
        after = self.text[end : block.end].lstrip("\"“”')")
        last = self.text[end - 1]
        return not after or (last in _SENTENCE_END and after[0] == " ") or (after[0] in _SENTENCE_END and after[1:2] in ("", " "))


def normalize_text(text: str) -> str:
    """Markup removed, entities decoded, whitespace collapsed."""
    if "<" in text or "&" in text:
        text = html.unescape(_TAG.sub("", text))
    return _WHITESPACE.sub(" ", text).strip()


def sha256_of(path: Path) -> str:
    return hashlib.sha256(read_regular(path, DOCUMENT_MAX_BYTES)).hexdigest()


@dataclass(frozen=True)
class StoredDocument:
    report_id: str
    document_path: str
    recorded_sha256: str  # as seeds/reports.csv records it
    actual_sha256: str  # of the file on disk now ("missing" when there is none)


def inside_reports(root: Path, document_path: str) -> Path | None:
    """The document's real path when it lies inside reports/ (symlinks resolved), else None."""
    if not document_path or Path(document_path).is_absolute():
        return None
    reports_dir = (root / "reports").resolve()
    resolved = (root / document_path).resolve()
    return resolved if resolved.is_relative_to(reports_dir) and resolved != reports_dir else None


def stored_documents(root: Path) -> list[StoredDocument]:
    """Every report document the reports seed names, with its recorded and its actual sha256."""
    from .seedfiles import load_seed_schemas, read_seed

    schemas = load_seed_schemas(root / "seeds")
    table, _ = read_seed(root / "seeds" / "reports.csv", schemas["reports"])
    documents = []
    for row in table.rows:
        path = inside_reports(root, row["document_path"])
        actual = sha256_of(path) if path is not None and path.is_file() else "missing or outside reports/"
        documents.append(StoredDocument(row["report_id"], row["document_path"], row["document_sha256"], actual))
    return documents


def read_report_document(path: Path, display_path: str | None = None) -> ReportDocument:
    """Read a stored report; raise InputError naming the file and rule when it cannot be used."""
    shown = display_path or str(path)
    try:
        data = read_regular(path, DOCUMENT_MAX_BYTES)
    except UnsafePathError as error:
        raise InputError([Problem(shown, None, f"document_{error.rule}", str(error))]) from None
    except FileNotFoundError:
        raise InputError([Problem(shown, None, "document_missing", "the report document does not exist")]) from None
    except OSError as error:
        raise InputError([Problem(shown, None, "document_unreadable", f"cannot read the document: {error.strerror}")]) from None
    if not data.strip():
        raise InputError([Problem(shown, 1, "document_empty", "the report document is empty")])
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise InputError([Problem(shown, line, "document_binary", "the document contains a NUL byte: it is not a text document")])
    try:
        raw = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(
            [
                Problem(
                    shown,
                    line,
                    "document_encoding",
                    f"the document is not valid UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start}); save it as UTF-8",
                )
            ]
        ) from None
    raw = raw.removeprefix("\ufeff").replace("\r\n", "\n")
    lines = tuple(raw.splitlines())
    too_long = next((number for number, line in enumerate(lines, start=1) if len(line) > MAX_LINE_CHARS), None)
    if too_long is not None:
        raise InputError(
            [
                Problem(
                    shown,
                    too_long,
                    "document_line_too_long",
                    f"line {too_long} has {len(lines[too_long - 1]):,} characters, more than {MAX_LINE_CHARS:,}: "
                    "no report prints a line that long; break it where the page breaks it",
                )
            ]
        )
    text, blocks = _text_and_blocks(_FRONT_MATTER.sub("", raw, count=1))
    if not text:
        raise InputError([Problem(shown, 1, "document_empty", "the report document has no text outside its front matter")])
    return ReportDocument(
        path=path,
        raw=raw,
        sha256=hashlib.sha256(data).hexdigest(),
        text=text,
        lines=lines,
        front_matter=_front_matter(raw),
        blocks=tuple(blocks),
    )


def _front_matter(raw: str) -> dict[str, tuple[int, str]] | None:
    """The front matter's `key: value` lines (a value in double quotes is a JSON string), with line
    numbers; None when the document has none."""
    match = _FRONT_MATTER.match(raw)
    if match is None:
        return None
    found: dict[str, tuple[int, str]] = {}
    for number, line in enumerate(match.group(1).split("\n"), start=2):
        item = _FRONT_MATTER_LINE.match(line)
        if item is None:
            continue
        value = item["value"].strip()
        if len(value) >= 2 and value[0] == value[-1] == '"':
            try:
                value = json.loads(value)
            except ValueError:
                value = value[1:-1]
        found[item["key"]] = (number, value)
    return found


def _html_headings(body: str) -> str:
    """Each <hN ...>text</hN> as a markdown heading line: an opening tag pairs with the first closing tag
    of its level after it (as a lazy regex would), found by bisection in one pass over the tags; an
    unclosed heading tag is left to be removed as markup."""
    tags = list(_HEADING_TAG.finditer(body))
    closes: dict[str, list[int]] = {}
    for index, tag in enumerate(tags):
        if tag["close"]:
            closes.setdefault(tag["level"], []).append(index)
    out, done, index = [], 0, 0
    while index < len(tags):
        tag = tags[index]
        same_level = closes.get(tag["level"], [])
        close = bisect.bisect_right(same_level, index)
        if tag["close"] or tag.start() < done or close == len(same_level):
            index += 1
            continue
        end = tags[same_level[close]]
        text = _WHITESPACE.sub(" ", body[tag.end() : end.start()])
        out += [body[done : tag.start()], f"\n\n{'#' * int(tag['level'])} {text}\n\n"]
        done, index = end.end(), same_level[close] + 1
    return "".join([*out, body[done:]])


def _text_and_blocks(body: str) -> tuple[str, list[Block]]:
    """The normalized text (blocks joined by one space) and its blocks with their headings."""
    body = _html_headings(body)
    body = _BLOCK_TAG.sub("\n\n", body)
    pieces: list[tuple[str, int | None]] = []  # (raw text of a block, heading level or None)
    for chunk in re.split(r"\n\s*\n", body):
        paragraph: list[str] = []
        for line in chunk.split("\n"):
            heading = _MARKDOWN_HEADING.match(line.strip())
            if heading or _LINE_BLOCK.match(line):
                pieces.append((" ".join(paragraph), None))
                paragraph = []
                pieces.append((heading[2], len(heading[1])) if heading else (_LIST_MARKER.sub("", line), None))
            else:
                paragraph.append(line)
        pieces.append((" ".join(paragraph), None))
    texts, blocks, headings, offset = [], [], [], 0
    for piece, level in pieces:
        block_text = normalize_text(piece)
        if not block_text:
            continue
        if level is not None:
            headings = [*headings[: level - 1], *[""] * (level - 1 - len(headings)), block_text]
        blocks.append(Block(offset, offset + len(block_text), tuple(h for h in headings if h)))
        texts.append(block_text)
        offset += len(block_text) + 1
    return " ".join(texts), blocks
