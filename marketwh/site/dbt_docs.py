"""dbt's documentation site (lineage, every model's and column's description and type) for the report
site: `dbt docs generate --static`, one self-contained HTML file.

The docs describe the dbt project, so they are generated once per version of it (the digest of the
dbt sources and seed schema) and kept in a small cache: a refresh that changes only data reuses them
(generating takes ~10 s, most of it dbt parsing the project with the scratch database's vars). The
catalog is read from a scratch copy of the served build, never from the served file itself: dbt opens
its database for writing, which would lock out the BI tools reading it.

The page is dbt's single-page app: it needs its own inline script and styles, so it gets the site's
Content Security Policy (nothing from the network: no connections, frames, forms, base or remote
images) widened only by inline script and style. dbt embeds the loader of its usage tracker (Snowplow's
sp.js from a CDN); it is cut out of the page, so no version of the page can fetch it, whatever dbt's
tracking setting says.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import uuid
from pathlib import Path

from ..dbtrun import docs_generate
from ..paths import ProjectPaths, ServedPaths, dbt_sources_digest
from ..warehouse.reader import served_copy

KEEP = 3  # cached versions of the docs
# the site's policy (templates/base.html), plus the inline script and style the self-contained page is made of
CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src 'self' data:; font-src data:; "
    "connect-src 'none'; frame-src 'none'; base-uri 'none'; form-action 'none'"
)
# the tracker loader: a script element created with its src on a CDN (`i.src="//…/sp.js"`)
TRACKER_SRC = re.compile(r"""(?P<quote>["'])(?:https?:)?//[^"'\s]+/sp\.js(?P=quote)""")


def write_dbt_docs(served: Path, out: Path, root: Path) -> Path:
    """Write dbt's static docs of the project at `root` to `out/index.html`, from the cache when this
    version of the dbt project has been documented before."""
    cache = ServedPaths(served).docs_cache()  # MARKETWH_DOCS_CACHE, else .site.docs/ beside the served file
    digest = dbt_sources_digest(root)
    cached = cache / f"{digest}.html"
    if not cached.exists():
        cache.mkdir(parents=True, exist_ok=True)
        # one generation of a version at a time: site builds sharing the cache (the test suite's projects)
        # wait for it instead of each paying dbt's parse for the same page
        with open(cache / f".{digest}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not cached.exists():
                temporary = cache / f".{uuid.uuid4().hex}.tmp"
                _generate(served_copy(served) or served, temporary, root)
                os.replace(temporary, cached)  # a reader sees no file or a whole one
        for old in sorted(cache.glob("*.html"), key=lambda p: p.stat().st_mtime)[:-KEEP]:
            old.unlink(missing_ok=True)
            old.with_name(f".{old.stem}.lock").unlink(missing_ok=True)
    out.mkdir(parents=True, exist_ok=True)
    page = out / "index.html"
    page.write_text(confined(cached.read_text(encoding="utf-8")), encoding="utf-8")
    return page


def confined(html: str) -> str:
    """dbt's docs page with the site's Content Security Policy first in its head and no tracker loader."""
    html = TRACKER_SRC.sub('""', html)
    head = re.search(r"<head[^>]*>", html, flags=re.IGNORECASE)
    if head is None:
        raise ValueError("dbt's docs page has no <head>: cannot give it the site's Content Security Policy")
    meta = f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
    return html[: head.end()] + meta + html[head.end() :]


def _generate(build: Path, destination: Path, root: Path) -> None:
    work = destination.with_suffix(".work")
    work.mkdir(parents=True)
    try:
        scratch = work / "catalog.duckdb"
        shutil.copyfile(build, scratch)
        scratch.chmod(0o644)  # published builds are read-only files
        paths = ProjectPaths(root)
        generated = docs_generate(paths, work, {"duckdb_path": str(scratch), "curated_dir": str(paths.seeds_dir)})
        shutil.copyfile(generated, destination)
    finally:
        shutil.rmtree(work, ignore_errors=True)
