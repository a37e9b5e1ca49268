"""The report site: static pages over the served warehouse, for analysts without a BI tool.

`build_site(served)` reads the served file (read-only), renders an index, one page per report (every
figure with its basis; each reported figure's exact quote and section on click, linking the stored
document, its series' editions and what changed between them), one page per market comparing
publishers with a chart (a superseded edition faded, linked to what changed), the findings and the audit results
of the build, the stored documents, and dbt's docs; then switches `site/` beside the served file to
the new pages in one atomic step, as a publish does for the warehouse. It reads the served build's
pristine copy (no client holds it), records which build it describes (`build.json`, marketwh/site/stamp.py),
and runs under the site lock: two builds at once would switch the link to each other's folders and
prune them. It prunes only the build folders it names itself. `serve()` serves it on
127.0.0.1. Report text is untrusted: every page is rendered with autoescaping and a Content Security
Policy that runs no script, and the pages load nothing from the network.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import shutil
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote as url_quote

from ..errors import RefreshError
from ..paths import REPO_ROOT, ProjectPaths, ServedPaths
from ..warehouse.lock import site_lock
from ..warehouse.reader import served_copy
from .dashboard_link import Dashboard, read_dashboard
from .data import SiteData, read_site_data
from .dbt_docs import write_dbt_docs
from .numbers import PERCENT_DECIMALS, format_number, format_published, format_year, is_missing, number_html, published_html
from .pages import edition_name, superseded_note
from .parallel import Setup, render_pages, site_processes
from .reuse import Reuse, digests_or_none
from .stamp import write_site_stamp
from .writer import PageWriter

TEMPLATES = Path(__file__).parent / "templates"
BUILD_FOLDER = re.compile(r"\d{8}T\d{6}-[0-9a-f]{8}")  # the site builds' folder names (build_site names them)


def prose(text: Any) -> str:
    """A mart's sentence for people: a column or threshold key it names read as words
    ("implied_cagr_pct" -> "implied CAGR %"), a span "2024->2033" as "2024–2033"."""

    def words(match: re.Match) -> str:
        return match.group(0).replace("_pct", " %").replace("_pp", " points").replace("_", " ").replace("cagr", "CAGR")

    return re.sub(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b", words, str(text or "")).replace("->", "–")


def year_span(start: Any, end: Any) -> str:
    """A period as the site prints it: "2024–2032", one year alone, or "not stated" (never "None–None")."""
    years = [format_year(year) for year in (start, end) if not is_missing(year)]
    if not years:
        return "not stated"
    return "–".join(dict.fromkeys(years)) if len(years) == 2 else f"{years[0]} (one end only)"


def text_fragment(quote: str) -> str:
    """A URL text fragment (`#:~:text=`) that makes the browser scroll to and highlight `quote`."""
    return ":~:text=" + url_quote(quote, safe="").replace("-", "%2D")


def safe_url(url: Any) -> str | None:
    """A report's URL as a link only when it is http(s); anything else is shown as text."""
    return url if isinstance(url, str) and url.lower().startswith(("https://", "http://")) else None


def _environment(data: SiteData, dashboard: Dashboard | None = None):
    """The templates, with the names the warehouse's seeds give units, segments and regions, the marts'
    column comments (what a derived column means, shown where the column is), and the one number format."""
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # every value from the warehouse is text, never markup
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(
        number=format_number,
        num=number_html,
        pct=lambda value, decimals=None: number_html(value, PERCENT_DECIMALS if is_missing(decimals) else decimals),
        year=format_year,
        published=published_html,  # a publication date as printed, in words at its precision ("October 2024")
        published_words=format_published,
        year_span=year_span,
        fragment=text_fragment,
        safe_url=safe_url,
        url=lambda s: url_quote(str(s), safe=""),
        words=lambda key: str(key).replace("_", " "),
        prose=prose,
        # a figure quoted twice with two qualifiers ("about;approximately") reads as its first, as a person writes it
        qualifier=lambda text: str(text or "").split(";")[0].strip().replace("_", " "),
        heading=lambda text: (lambda words: words[:1].upper() + words[1:])(prose(text)),
        ids=lambda ids: ", ".join(str(ids or "").split(",")),
    )
    environment.globals.update(
        unit_labels=data.unit_names,
        segment_name=data.segment_name,
        region_name=data.region_name,
        metric_name=lambda key: data.label("metrics", key),
        dimension_name=lambda key: data.label("dimensions", key),
        doc=data.column_doc,
        report_label=data.report_label,
        edition_name=edition_name,
        superseded_note=lambda report: superseded_note(data, report),
        report_of=data.report,
        dashboard=(lambda **values: dashboard.link(**values)) if dashboard else None,
        guide=False,  # render_site sets it when the built docs travel with the site
    )
    return environment


def render_site(
    data: SiteData,
    out: Path,
    root: Path = REPO_ROOT,
    documents: Path | None = None,
    previous: Path | None = None,
    *,
    processes: int | None = None,
    parallel_from: int | None = None,
) -> list[Path]:
    """Write every page of the site for `data` into `out`, the stored documents read from the checkout
    (or inputs snapshot) at `documents` (default `root`); returns the pages written. The pages of a
    report or market nothing of which changed since the site build at `previous` are taken from it (reuse.py);
    when `parallel_from` pages or more are left to render (default parallel.PARALLEL_FROM), `processes`
    worker processes (default: parallel.site_processes()) write them (parallel.py)."""
    dashboard = read_dashboard(root)
    environment = _environment(data, dashboard)
    build = {**data.build, "site_built_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")}
    writer = PageWriter(data, environment, build, out, documents or root)

    # the task pages (docs/, built by `make docs`) travel with the site, so its "how to read it" link works
    # from disk, over `marketwh site --serve` and wherever WAREHOUSE_DB puts the site
    guide = ProjectPaths(root).docs_site
    if (guide / "index.html").exists():
        shutil.copytree(guide, out / "guide")
    environment.globals["guide"] = (out / "guide" / "index.html").exists()

    markets = data.markets()
    pages = [writer.page("index.html", "index.html", 0, reports=data.reports, markets=markets, findings=data.findings, audits=data.audits)]
    digests = digests_or_none(data, dashboard, environment.globals["guide"], TEMPLATES, documents or root)
    reuse = Reuse(previous, digests, environment.get_template("stamp.html").render(build=build))
    # the pages of unchanged reports and markets placed from the previous build; the others written
    placed = {("reports", r["report_id"]): reuse.pages(r["report_id"], out) for r in data.reports}
    placed |= {("markets", m["market_key"]): reuse.pages(m["market_key"], out, "markets") for m in markets}
    setup = Setup(data, dashboard, environment.globals["guide"], build, out, documents or root)
    todo = (
        [r for r in data.reports if placed["reports", r["report_id"]] is None],
        [m for m in markets if placed["markets", m["market_key"]] is None],
    )
    count = site_processes() if processes is None else processes
    for (kind, key), (written, files) in render_pages(writer, setup, *todo, count, parallel_from).items():
        reuse.record(key, files, kind)
        placed[kind, key] = written
    pages += [page for report in data.reports for page in placed["reports", report["report_id"]]]
    pages += [page for market in markets for page in placed["markets", market["market_key"]]]
    for name, context in (("findings.html", {"findings": data.findings, "cagr": data.cagr}), ("audits.html", {})):
        if (reused := reuse.pages(name, out, "pages")) is not None:
            pages.extend(reused)
            continue
        written = [name]
        pages.append(writer.page(name, name, 0, written, audits=data.audits, **context))
        reuse.record(name, written, "pages")
    reuse.write(out)
    shutil.copyfile(TEMPLATES / "site.css", out / "site.css")
    return pages


def build_site(served: Path, root: Path = REPO_ROOT, *, docs: bool = True, documents: Path | None = None, full: bool = False) -> Path:
    """Build the site of the served file into a new folder and switch `site/` to it atomically, under
    the site lock; the pages of unchanged reports are taken from the site it replaces, unless `full`.
    The documents are read from `documents`, else from the inputs snapshot of the run
    that built the served file while it is kept (a refresh's own, after its publish), else from `root`.
    Returns the site path (a link to the new build)."""
    with site_lock(served):
        source = served_copy(served)
        if source is None:
            raise RefreshError(f"{served} does not exist yet: nothing to build a site from (run `make refresh`)")
        data = read_site_data(source)
        if documents is None:
            documents = _documents_of(data.build, root)
        files = ServedPaths(served)
        builds = files.site_builds
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        out = builds / f"{stamp}-{uuid.uuid4().hex[:8]}"
        out.mkdir(parents=True)
        link = files.site
        previous = link.resolve() if link.is_symlink() else None
        try:
            render_site(data, out, root, documents, None if full else previous)
            if docs:
                write_dbt_docs(served, out / "docs", root)
            write_site_stamp(out, data.build, served.resolve().name)
        except BaseException:
            shutil.rmtree(out, ignore_errors=True)
            raise
        if link.exists() and not link.is_symlink():  # a site folder from before sites were switched by link
            shutil.rmtree(link)
        temporary = link.with_name(f".{link.name}.{uuid.uuid4().hex[:8]}.link")
        temporary.symlink_to(out.relative_to(link.parent))
        os.replace(temporary, link)
        for old in builds.iterdir():  # keep the new site and the one before it (a reader may be on it)
            if old not in (out, previous) and BUILD_FOLDER.fullmatch(old.name) and old.is_dir() and not old.is_symlink():
                shutil.rmtree(old, ignore_errors=True)
        return link


def _documents_of(build: dict[str, Any], root: Path) -> Path:
    """Where the documents of a build are read from: the inputs snapshot of the run that built it while
    it is kept (what that run validated), else the checkout `root`."""
    run_id = str(build.get("run_id") or "")
    built_from = ProjectPaths(root).inputs_snapshot(run_id) if re.fullmatch(r"[0-9a-f-]{8,64}", run_id) else None
    return built_from if built_from is not None and built_from.is_dir() else root


def serve(site: Path, port: int = 8000, host: str = "127.0.0.1") -> None:
    """Serve the site on host:port until interrupted; each request follows the `site` link, so a
    rebuilt site is served as soon as it is switched."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    with http.server.ThreadingHTTPServer((host, port), handler) as server:
        print(f"report site: http://{host}:{server.server_address[1]}/  (Ctrl-C to stop)", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
