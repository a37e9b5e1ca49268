"""Origin rules of seeds/reports.csv beyond who published it: the licence the document states for reuse
(an SPDX id such as CC-BY-4.0, or `none-stated`) and whether reuse is permitted, a `url` that is a
real http(s) address (a broken link otherwise reaches the site and every BI tool), and every document
in reports/ registered (a document nobody catalogued is ignored by every step, so it is named here).

The licence and reuse flag may also stand in a document's front matter (`licence`, `reuse_permitted`):
when they do, they say what the row says, as the other front-matter keys do (reports.py)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from ...errors import Problem
from ..seedfiles import SeedRow, SeedTable
from .common import at

NONE_STATED = "none-stated"
# an SPDX licence id (or expression of ids joined by AND/OR/WITH): letters, digits, '.', '-', '+'
_SPDX_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.+-]*(?: (?:AND|OR|WITH) [A-Za-z0-9][A-Za-z0-9.+-]*)*$")
ORIGIN_FRONT_MATTER = ("licence", "reuse_permitted")  # optional in front matter, checked when present


def check_origin(table: SeedTable, row: SeedRow, add) -> None:
    """The row's licence, reuse flag and url."""
    licence, reuse = row["licence"].strip(), row["reuse_permitted"].strip().lower()
    if not licence:
        add(
            at(
                table,
                row,
                "licence_missing",
                f"column licence is empty: write the SPDX id the document states (CC-BY-4.0) or {NONE_STATED}",
            )
        )
    elif problem := licence_problem(licence):
        add(at(table, row, "licence_not_spdx", problem))
    if reuse not in ("true", "false"):
        add(at(table, row, "reuse_permitted_missing", f"reuse_permitted is {row['reuse_permitted']!r}: write true or false"))
    elif reuse == "true" and licence == NONE_STATED:
        add(
            at(
                table,
                row,
                "reuse_without_licence",
                f"reuse_permitted is true but the licence is {NONE_STATED}: a document that states no licence permits no reuse",
            )
        )
    _check_url(table, row, add)


def licence_problem(licence: str) -> str | None:
    """Why `licence` is not an SPDX id or none-stated (None when it is one)."""
    if licence == NONE_STATED or _SPDX_ID.match(licence):
        return None
    return (
        f"licence {licence!r} is not an SPDX id (e.g. CC-BY-4.0, CC0-1.0, MIT) or {NONE_STATED}: "
        "write the id of the licence the document states"
    )


def _check_url(table: SeedTable, row: SeedRow, add) -> None:
    url = row["url"].strip()
    if not url:
        return  # provenance_missing says so
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        parts, host = None, None
    if parts is None or parts.scheme not in ("http", "https") or not host or "." not in host or re.search(r"\s", url):
        add(
            at(
                table,
                row,
                "url_invalid",
                f"url {url!r} is not an http(s) address with a host: write the address the document was read at (https://...)",
            )
        )


def check_origin_front_matter(row: SeedRow, front_matter: dict[str, tuple[int, str]], add) -> None:
    """A document's `licence` and `reuse_permitted`, when its front matter has them, say what the row says."""
    for key in ORIGIN_FRONT_MATTER:
        if key not in front_matter:
            continue
        line, value = front_matter[key]
        expected = row[key].strip().lower() if key == "reuse_permitted" else row[key]
        if (value.strip().lower() if key == "reuse_permitted" else value) != expected:
            add(
                Problem(
                    row["document_path"],
                    line,
                    "front_matter_mismatch",
                    f"front matter {key} is {value!r} but seeds/reports.csv line {row.line} says {row[key]!r}",
                )
            )


def check_registered(root: Path, reports: dict[str, SeedRow], add, also: set[str] = frozenset()) -> None:
    """Every .md document under reports/ is the document of a reports.csv row, or a reference document
    (`also`: seeds/reference_documents.csv's paths)."""
    folder = root / "reports"
    if not folder.is_dir():
        return
    named = {Path(row["document_path"]).as_posix() for row in reports.values() if row["document_path"]} | set(also)
    for document in sorted(folder.rglob("*.md")):
        shown = document.relative_to(root).as_posix()
        if shown not in named:
            add(
                Problem(
                    shown,
                    1,
                    "document_unregistered",
                    f"no row of seeds/reports.csv names {shown} (nor of seeds/reference_documents.csv): "
                    f"register it (`marketwh register {shown}`) or remove it; "
                    "an unregistered document is used by nothing",
                )
            )
