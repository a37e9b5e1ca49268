"""Issue 23, class 7 (and the dbt docs part of class 11): the report site is built under a lock, prunes
only its own folders, draws every label as plain text, reads the pristine copy, records which build it
describes, and its dbt docs page gets the site's Content Security Policy without dbt's tracker loader.

Cheap level: the site builder in process on a scratch served file published from the shared dbt-built
warehouse (`built_warehouse`), so no refresh runs."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading

import duckdb
import pytest

import marketwh.site.build as site_build
from marketwh.paths import DOCS_CACHE_ENV, ServedPaths
from marketwh.site.stamp import read_site_stamp, site_lag
from marketwh.warehouse.publish import publish
from marketwh.warehouse.reader import read_build_info
from tests.helpers import REPO_PATHS

DOLLAR_LABEL = "A$_$B Research"  # an even number of `$`: mathtext would parse `_` as a subscript and fail


def _publish(built_warehouse, tmp_path, change: str = ""):
    """A served file beside tmp_path/build (a link to a published build with its pristine copy),
    published from a copy of the dbt-built warehouse, after `change` (SQL) ran on the copy."""
    served = tmp_path / "build" / "warehouse.duckdb"
    candidate = ServedPaths(served).candidate
    candidate.parent.mkdir(parents=True)
    shutil.copyfile(built_warehouse, candidate)
    if change:
        with duckdb.connect(str(candidate)) as con:
            con.execute(change)
    publish(candidate, served)
    return built_warehouse.parent.parent, served  # the project that built it (its reports/), the served path


@pytest.fixture
def served_project(built_warehouse, tmp_path, monkeypatch):
    monkeypatch.setenv(DOCS_CACHE_ENV, str(REPO_PATHS.build_dir / "tests" / "dbt-docs"))  # one dbt docs generation per checkout
    return _publish(built_warehouse, tmp_path)


def test_two_site_builds_at_once_leave_a_whole_site(served_project, monkeypatch):
    root, served = served_project
    real_render = site_build.render_site
    order, guard = [], threading.Lock()
    second_rendered, one_returned = threading.Event(), threading.Event()

    def render(data, out, *rest):
        with guard:
            order.append(out)
            first = len(order) == 1
        pages = real_render(data, out, *rest)
        if first:  # unlocked, the second build renders meanwhile ...
            second_rendered.wait(timeout=3)
        else:  # ... and the first switches the link and prunes the second's folder before the second switches to it
            second_rendered.set()
            one_returned.wait(timeout=3)
        return pages

    monkeypatch.setattr(site_build, "render_site", render)
    errors = []

    def build():
        try:
            site_build.build_site(served, root, docs=False)
        except Exception as error:
            errors.append(error)
        finally:
            one_returned.set()

    threads = [threading.Thread(target=build) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    site = ServedPaths(served).site
    assert (site / "index.html").is_file(), "the site link names a folder without index.html (404)"
    assert len(order) == 2 and site.resolve() == order[1]


def test_a_site_build_prunes_only_its_own_old_folders(served_project):
    root, served = served_project
    builds = ServedPaths(served).site_builds
    foreign = builds / "kept-by-an-operator"
    foreign.mkdir(parents=True)
    (foreign / "notes.txt").write_text("not the site builder's\n")
    for _ in range(3):
        site = site_build.build_site(served, root, docs=False)
    assert (foreign / "notes.txt").exists()
    own = [p for p in builds.iterdir() if p != foreign]
    assert len(own) == 2 and site.resolve() in own  # the new site and the one before it


def test_a_dollar_in_a_publisher_label_is_drawn_as_text(built_warehouse, tmp_path):
    # every label a chart draws: the publisher's, and the edition's (the per-report and the consensus charts)
    relabel = "update marts.{} set publisher_label = '{}', report_label = '{}'"
    marts = ("market_estimates_by_report", "market_consensus_estimates")
    change = ";".join(relabel.format(mart, DOLLAR_LABEL, DOLLAR_LABEL) for mart in marts)
    root, served = _publish(built_warehouse, tmp_path, change)
    site = site_build.build_site(served, root, docs=False)
    charts = list((site / "charts").glob("*.svg"))
    assert charts and all(DOLLAR_LABEL in chart.read_text(encoding="utf-8") for chart in charts)


def test_the_site_builds_while_a_client_holds_the_served_build_read_write(served_project):
    root, served = served_project
    build = served.resolve()
    build.chmod(0o644)  # a BI tool opening it for writing, as a root client would whatever the mode
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb, sys, time; c = duckdb.connect({str(build)!r}); print('held', flush=True); time.sleep(120)"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(duckdb.IOException, match="lock"):  # the served file itself is locked
            duckdb.connect(str(served), read_only=True)
        site = site_build.build_site(served, root, docs=False)
    finally:
        holder.kill()
        holder.wait()
    assert (site / "index.html").is_file()


def test_the_site_records_its_build_and_the_lag_is_told(served_project):
    root, served = served_project
    site = site_build.build_site(served, root, docs=False)
    stamp = read_build_info(ServedPaths.pristine(served.resolve()))
    record = read_site_stamp(site)
    assert record is not None and record["run_id"] == stamp["run_id"] and record["build_file"] == served.resolve().name
    assert site_lag(site, stamp) is None
    lag = site_lag(site, {**stamp, "run_id": "a-newer-run"})
    assert lag is not None and "LAGS the served build" in lag and "a-newer-run" in lag and "marketwh site" in lag


def test_the_dbt_docs_page_gets_the_site_policy_and_no_tracker_loader(served_project):
    root, served = served_project
    site = site_build.build_site(served, root, docs=True)
    page = (site / "docs" / "index.html").read_text(encoding="utf-8")
    head = page[page.lower().index("<head") :]
    first = head[head.index(">") + 1 :].lstrip()
    assert first.startswith('<meta http-equiv="Content-Security-Policy"')  # before any script can run
    policy = first[: first.index(">")]
    assert "default-src 'none'" in policy and "connect-src 'none'" in policy and "form-action 'none'" in policy
    assert "sp.js" not in page and "cloudfront.net" not in page
