"""Reading a stored report document and the text its quotes are checked against.

A quote must stand in the document's text with markup removed (tags such as <strong> dropped,
HTML entities such as &amp; read as the character they encode) and whitespace collapsed; nothing
else is changed. The document's sha256 is taken over its bytes on disk.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, Problem

_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
_TAG = re.compile(r"<[^<>]*>")
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class ReportDocument:
    path: Path
    raw: str
    sha256: str
    text: str  # markup removed, whitespace collapsed: what quotes are matched against
    lines: tuple[str, ...]  # the raw lines, for line numbers (marketwh extract)

    def contains(self, quote: str) -> bool:
        return normalize_text(quote) in self.text


def normalize_text(text: str) -> str:
    """Markup removed, entities decoded, whitespace collapsed."""
    text = _TAG.sub("", text)
    text = html.unescape(text)
    return _WHITESPACE.sub(" ", text).strip()


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class StoredDocument:
    report_id: str
    document_path: str
    recorded_sha256: str  # as seeds/reports.csv records it
    actual_sha256: str  # of the file on disk now ("missing" when there is none)


def stored_documents(root: Path) -> list[StoredDocument]:
    """Every report document the reports seed names, with its recorded and its actual sha256."""
    from .seedfiles import load_seed_schemas, read_seed

    schemas = load_seed_schemas(root / "seeds")
    table, _ = read_seed(root / "seeds" / "reports.csv", schemas["reports"])
    documents = []
    for row in table.rows:
        path = root / row["document_path"]
        actual = sha256_of(path) if path.is_file() else "missing"
        documents.append(StoredDocument(row["report_id"], row["document_path"], row["document_sha256"], actual))
    return documents


def read_report_document(path: Path, display_path: str | None = None) -> ReportDocument:
    """Read a stored report; raise InputError naming the file and rule when it cannot be used."""
    shown = display_path or str(path)
    try:
        data = path.read_bytes()
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
    text = normalize_text(_FRONT_MATTER.sub("", raw, count=1))
    if not text:
        raise InputError([Problem(shown, 1, "document_empty", "the report document has no text outside its front matter")])
    return ReportDocument(
        path=path,
        raw=raw,
        sha256=hashlib.sha256(data).hexdigest(),
        text=text,
        lines=tuple(raw.splitlines()),
    )
