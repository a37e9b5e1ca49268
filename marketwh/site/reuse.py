"""Report pages reused from the previous site build when nothing they are made of changed.

A report's two pages (reports/<id>.html, documents/<id>.html), their CSV files and its document's
plain-text copy are made of: its marts.reports row, the rows of the reports its page names (its series'
editions, the edition that replaced it, the other side of each edition change, whose figures give the
decimals of a change), its rows in each mart its page reads (figures, quotes, estimated cells and the
totals that give their decimals, claims, cited estimates, edition changes), its findings, its stored
document's bytes, and what every page uses (unit, segment and region names, labels, column docs, the
dashboard link, the guide flag, the templates and the site's code). `report_digests` hashes all of it for
every report at once: one grouped query per mart (DuckDB's row hash, summed: 0.05 CPU-s for 341,000
figures, against 3 s for an md5 of the rows as text). A site build records each report's digest and the
files its pages wrote in `reuse.json`; the next build hard-links the CSV files and the text copy of a
report whose digest is unchanged and rewrites its pages with the new build stamp (the footer span
between STAMP_START and STAMP_END, the one part of a report page that changes with every build), so
a reused page equals a fresh render. Anything missing or unreadable: the report is rendered.

A market's page (markets/<key>.html, its CSV files and its charts) is reused the same way: its digest
(`market_digests`) holds its entry (name and its reports' rows, in order), its rows in each mart its
page reads (estimates, comparisons, consensus, what the consensus counts and leaves out, how it moved),
the rows of every report those rows or its reports name (a superseded edition's successor, an outlier,
an edition that moved the consensus) and what every page uses. The findings and audit pages likewise
(`page_digests`); the index, which names the build outside its stamp, is always rendered (0.2 CPU-s).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import re
from pathlib import Path
from typing import Any

from ..safefs import UnsafePathError, paths_inside
from .data import SiteData

MANIFEST = "reuse.json"
STAMP_START, STAMP_END = "<!-- build-stamp -->", "<!-- /build-stamp -->"
_STAMP = re.compile(re.escape(STAMP_START) + ".*?" + re.escape(STAMP_END), re.S)
_ROWS = "select {key} as report_id, sum(hash(t))::varchar || ':' || count(*) from marts.{mart} t group by all"
# each mart a report page reads: its rows' digest by report
DIGEST_QUERIES = {
    "figures": _ROWS.format(key="report_id", mart="market_figures"),
    "quotes": _ROWS.format(key="report_id", mart="figure_sources"),
    "estimated_cells": _ROWS.format(key="report_id", mart="market_by_type_region_year"),
    "totals": _ROWS.format(key="report_id", mart="market_size_by_year"),  # the decimals of its estimated cells
    "claims": _ROWS.format(key="report_id", mart="claim_sources"),
    "cited": _ROWS.format(key="citing_report_id", mart="cited_estimates"),
    "edition_changes": """
        select report_id, sum(h)::varchar || ':' || count(*), list(distinct other order by other)
        from (
            select older_report_id as report_id, newer_report_id as other, hash(t) as h from marts.report_edition_changes t
            union all
            select newer_report_id, older_report_id, hash(t) from marts.report_edition_changes t
        ) group by report_id""",
}
_MARKET_ROWS = "select market_key, sum(hash(t))::varchar || ':' || count(*), list(distinct {ids}) from marts.{mart} t group by all"
# each list a market page reads (data.MARKET_LISTS, from the same mart): its rows' digest by market and
# the reports they name
MARKET_DIGEST_QUERIES = {
    "estimates": _MARKET_ROWS.format(ids="report_id", mart="market_estimates_by_report"),
    "compared": _MARKET_ROWS.format(ids="report_ids", mart="market_estimates_compared"),
    "consensus": _MARKET_ROWS.format(ids="outlier_report_ids", mart="market_consensus"),
    "consensus_estimates": _MARKET_ROWS.format(ids="report_id", mart="market_consensus_estimates"),
    "consensus_excluded": _MARKET_ROWS.format(ids="report_id", mart="market_consensus_excluded"),
    "consensus_history": _MARKET_ROWS.format(ids="moved_by_report_ids", mart="market_consensus_history"),
}
KINDS = ("reports", "markets", "pages")  # what reuse.json records, each by its key (report id, market key, page name)
_CODE = ("site", "curation/documents.py")  # the site package, and how a document is read for its page


def _hash(*parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def site_digest(data: SiteData, dashboard: Any, guide: bool, templates: Path) -> str:
    """What every page uses: names, labels, column docs, the dashboard link, the guide flag, the
    templates, the site's code and the versions of Jinja and DuckDB."""
    import duckdb
    import jinja2

    package = Path(__file__).parents[1]
    code = sorted(p for part in _CODE for p in ((package / part).rglob("*.py") if (package / part).is_dir() else [package / part]))
    files = [p for p in sorted(templates.rglob("*")) + code if p.is_file()]
    named = [(p.relative_to(package.parent).as_posix() if p.is_relative_to(package.parent) else p.name, _file_hash(p)) for p in files]
    return _hash(
        sorted(data.unit_names.items()),
        sorted(data.segment_names.items()),
        data.labels,
        sorted(data.column_docs.items()),
        repr(dashboard),
        guide,
        named,
        jinja2.__version__,
        duckdb.__version__,
        importlib.metadata.version("matplotlib"),  # the charts (not imported: a site of reused pages draws none)
    )


def _file_hash(path: Path | None) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() if path is not None else "not inside reports/"
    except OSError as error:
        return f"unreadable: {error.strerror}"


def report_digests(data: SiteData, site: str, documents: Path) -> dict[str, str]:
    """Every report's digest of all its pages are made of (`site`: what every page uses; `documents`:
    the root its documents are read from)."""
    from ..curation.documents import inside_reports
    from ..warehouse.reader import read_only

    rows: dict[str, dict[str, Any]] = {}
    with read_only(data.db) as con:
        for name, sql in DIGEST_QUERIES.items():
            for report_id, digest, *partners in con.execute(sql).fetchall():
                rows.setdefault(report_id, {})[name] = [digest, *partners]
    by_id = {r["report_id"]: r for r in data.reports}
    series: dict[Any, list[dict[str, Any]]] = {}
    for report in data.reports:
        series.setdefault(report.get("series_id"), []).append(report)
    editions = {key: data.editions(key) for key in series}  # as render_site passes them, sorted once
    findings = data.by_report("findings")
    digests = {}
    for report in data.reports:
        report_id = report["report_id"]
        own = rows.get(report_id, {})
        partners = (own.get("edition_changes") or [None, []])[1] or []
        named = sorted({*partners, report.get("superseded_by_report_id")} - {None}, key=str)
        try:
            document = _file_hash(inside_reports(documents, report["document_path"]))
        except (OSError, ValueError, TypeError) as error:
            document = f"unreadable: {error}"
        digests[report_id] = _hash(
            site,
            report,
            editions.get(report.get("series_id")),
            [(other, by_id.get(other), rows.get(other, {}).get("figures")) for other in named],
            own,
            findings.get(report_id, []),
            document,
        )
    return digests


def market_digests(data: SiteData, site: str) -> dict[str, str]:
    """Every market's digest of all its page is made of (`site`: what every page uses)."""
    from ..warehouse.reader import read_only

    rows: dict[str, dict[str, Any]] = {}
    named: dict[str, set[str]] = {}
    with read_only(data.db) as con:
        for name, sql in MARKET_DIGEST_QUERIES.items():
            for market_key, digest, ids in con.execute(sql).fetchall():
                rows.setdefault(market_key, {})[name] = digest
                # a list of ids ("a,b") names each: an outlier, an edition that moved the consensus
                named.setdefault(market_key, set()).update(part.strip() for text in ids or [] for part in str(text or "").split(","))
    digests = {}
    for market in data.markets():
        key = market["market_key"]
        ids = named.get(key, set()) | {r["report_id"] for r in market["reports"]}
        ids |= {(data.report(i) or {}).get("superseded_by_report_id") for i in ids}  # the edition that replaced one
        reports = [(i, data.report(i)) for i in sorted(ids - {None, ""}, key=str)]
        digests[key] = _hash(site, market, sorted(rows.get(key, {}).items()), reports)
    return digests


def page_digests(data: SiteData, site: str) -> dict[str, str]:
    """The findings and audit pages' digests: the findings, the audit results (with their failing rows),
    the CAGR checks, and each report's name as report_label writes it (0.2 CPU-s at 1,000 reports, where
    rendering the findings page took 5)."""
    named = [(r["report_id"], r.get("publisher_label"), r.get("date_published_printed")) for r in data.reports]
    return {"findings.html": _hash(site, data.findings, data.audits, data.cagr, named), "audits.html": _hash(site, data.audits)}


def digests_or_none(data: SiteData, dashboard: Any, guide: bool, templates: Path, documents: Path) -> dict[str, dict[str, str]]:
    """`report_digests`, `market_digests` and `page_digests` with the site-wide digest; none (every page
    rendered) if they cannot be made: the site never fails because of its cache."""
    try:
        site = site_digest(data, dashboard, guide, templates)
        return {"reports": report_digests(data, site, documents), "markets": market_digests(data, site), "pages": page_digests(data, site)}
    except Exception:  # whatever it was, a fresh render is right
        return {}


class Reuse:
    """The previous build's pages of unchanged reports and markets, and the record of this build's."""

    def __init__(self, previous: Path | None, digests: dict[str, dict[str, str]], stamp: str) -> None:
        self.previous, self.digests, self.stamp = previous, digests, stamp
        self.recorded: dict[str, dict[str, dict[str, Any]]] = {kind: {} for kind in KINDS}
        self.reused: dict[str, list[str]] = {kind: [] for kind in KINDS}
        self.known: dict[str, dict[str, Any]] = {kind: {} for kind in KINDS}
        self._inside: dict[Path, Any] = {}  # a folder's paths_inside, made once
        if previous is not None:
            try:
                record = json.loads((previous / MANIFEST).read_text(encoding="utf-8"))
                self.known = {kind: record[kind] if isinstance(record.get(kind), dict) else {} for kind in KINDS}
            except (OSError, ValueError, KeyError, AttributeError, TypeError):
                pass

    def pages(self, key: str, out: Path, kind: str = "reports") -> list[Path] | None:
        """Place the files of a report's (or market's) pages from the previous build into `out`; its pages,
        or None when they must be rendered (changed, unknown, or anything missing or unreadable: nothing
        of it is left in `out`)."""
        entry = self.known[kind].get(key)
        digest = self.digests.get(kind, {}).get(key)
        if self.previous is None or digest is None or not isinstance(entry, dict) or entry.get("digest") != digest:
            return None
        files = entry.get("files")
        placed: list[Path] = []
        try:
            if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
                return None
            pages = []
            for name in files:
                source, target = self._path(self.previous, name), self._path(out, name)
                target.parent.mkdir(parents=True, exist_ok=True)
                if name.endswith(".html"):
                    html, count = _STAMP.subn(lambda _match: f"{STAMP_START}{self.stamp}{STAMP_END}", source.read_text(encoding="utf-8"))
                    if count != 1:
                        raise ValueError(f"{name}: no build stamp")
                    placed.append(target)
                    target.write_text(html, encoding="utf-8")
                    pages.append(target)
                else:
                    os.link(source, target)  # never written again: the next build renders a changed page anew
                    placed.append(target)
        except (OSError, ValueError, UnsafePathError):
            for target in placed:
                target.unlink(missing_ok=True)
            return None
        self.record(key, files, kind)
        self.reused[kind].append(key)
        return pages

    def _path(self, folder: Path, name: str) -> Path:
        if folder not in self._inside:
            self._inside[folder] = paths_inside(folder)
        return self._inside[folder](name)

    def record(self, key: str, files: list[str], kind: str = "reports") -> None:
        """Record the files written for a report's (or market's) pages under its digest."""
        self.recorded[kind][key] = {"digest": self.digests.get(kind, {}).get(key), "files": files}

    def write(self, out: Path) -> None:
        record = {**self.recorded, **{f"{kind}_reused": len(self.reused[kind]) for kind in KINDS}}
        (out / MANIFEST).write_text(json.dumps(record, indent=0, sort_keys=True) + "\n", encoding="utf-8")


def reused(site: Path, kind: str = "reports") -> tuple[int, int]:
    """How many reports' (or markets', or other pages') pages the site build at `site` reused, of how
    many (0, 0 when it does not say)."""
    try:
        record = json.loads((site / MANIFEST).read_text(encoding="utf-8"))
        return int(record[f"{kind}_reused"]), len(record[kind])
    except (OSError, ValueError, KeyError, TypeError):
        return 0, 0
