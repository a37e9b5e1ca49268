"""Issue 26, part 3: the site renders only the pages of reports and markets whose rows changed, and the
site it writes equals a full render, file by file (but the time the site was built, in each page's footer).

Cheap level: the site renderer in process on copies of the shared dbt-built warehouse
(`built_warehouse`), one row changed by SQL on a copy; which reports are rendered is seen by spying
on the per-report read (`report_rows`), which a reused report never calls, and which markets by spying
on `compared_rows`, read once per rendered market page."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import duckdb
import pytest

import marketwh.site.build as site_build
import marketwh.site.writer as site_writer
from marketwh.paths import DOCS_CACHE_ENV, ServedPaths
from marketwh.site.data import MARKET_LISTS, SITE_QUERIES, read_records, read_site_data
from marketwh.site.report_data import ReportRows, read_reports_rows, report_rows
from marketwh.site.reuse import MANIFEST, reused
from marketwh.warehouse.publish import publish
from tests.helpers import REPO_PATHS

SITE_BUILT = re.compile(rb"site built \d{4}-\d\d-\d\d \d\d:\d\d UTC")


def _spy(monkeypatch, name: str) -> list[str]:
    """Each key (the second argument: a report id, a market key) `site_writer.<name>` is called with (in
    this process: a render in worker processes is seen by none)."""
    keys: list[str] = []
    real = getattr(site_writer, name)

    def spy(first, key):
        keys.append(key)
        return real(first, key)

    monkeypatch.setattr(site_writer, name, spy)
    return keys


@pytest.fixture
def rendered(monkeypatch):
    """The report ids whose pages the renderer read (and so rendered), since the last call's reset."""
    return _spy(monkeypatch, "report_rows")


@pytest.fixture
def markets_rendered(monkeypatch):
    """The market keys whose pages the renderer wrote (not reused), since the last call's reset."""
    return _spy(monkeypatch, "compared_rows")


def _copy(built_warehouse: Path, folder: Path, change: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "warehouse.duckdb"
    shutil.copyfile(built_warehouse, db)
    if change:
        with duckdb.connect(str(db)) as con:
            con.execute(change)
    return db


def _render(db: Path, out: Path, root: Path, previous: Path | None = None) -> Path:
    site_build.render_site(read_site_data(db), out, root, None, previous)
    return out


def _files(site: Path) -> dict[str, bytes]:
    """Each file of a site, the time the site was built left out (and how many reports the build reused)."""
    files = {p.relative_to(site).as_posix(): SITE_BUILT.sub(b"", p.read_bytes()) for p in sorted(site.rglob("*")) if p.is_file()}
    record = json.loads(files[MANIFEST])
    files[MANIFEST] = json.dumps([record["reports"], record["markets"], record["pages"]], sort_keys=True).encode()
    return files


def _assert_same_site(site: Path, full: Path) -> None:
    ours, theirs = _files(site), _files(full)
    assert sorted(ours) == sorted(theirs)
    assert [name for name in ours if ours[name] != theirs[name]] == []


def _report_ids(db: Path) -> list[str]:
    with duckdb.connect(str(db), read_only=True) as con:
        return [row[0] for row in con.execute("select report_id from marts.reports order by report_id").fetchall()]


def _market_keys(db: Path) -> list[str]:
    with duckdb.connect(str(db), read_only=True) as con:
        return [row[0] for row in con.execute("select distinct market_key from marts.reports order by 1").fetchall()]


def test_nothing_changed_reuses_every_report_and_market_page_and_equals_a_full_render(
    built_warehouse, tmp_path, rendered, markets_rendered
):
    root = built_warehouse.parents[1]
    db = _copy(built_warehouse, tmp_path / "a")
    first = _render(db, tmp_path / "first", root)
    assert sorted(rendered) == _report_ids(db) and sorted(markets_rendered) == _market_keys(db)
    rendered.clear()
    markets_rendered.clear()
    second = _render(db, tmp_path / "second", root, previous=first)
    assert rendered == [] and markets_rendered == []  # every report's and market's pages reused
    assert reused(second, "markets") == (len(_market_keys(db)),) * 2 and reused(second, "pages") == (2, 2)  # findings, audits
    # a market's chart is the previous build's file, linked
    chart = next((second / "charts").glob("*.svg"))
    assert chart.stat().st_ino == (first / "charts" / chart.name).stat().st_ino
    _assert_same_site(second, _render(db, tmp_path / "full", root))
    # a CSV is the previous build's file, linked; a page is written anew (its stamp is this build's)
    report = _report_ids(db)[0]
    csv = next((second / "reports").glob(f"{report}.*.csv"))
    assert csv.stat().st_ino == (first / "reports" / csv.name).stat().st_ino
    assert (second / "reports" / f"{report}.html").stat().st_ino != (first / "reports" / f"{report}.html").stat().st_ino


def test_one_changed_figure_renders_its_report_and_the_editions_it_is_compared_with(built_warehouse, tmp_path, rendered):
    root = built_warehouse.parents[1]
    before = _copy(built_warehouse, tmp_path / "before")
    # a stated figure (the reports it is compared with edition by edition show its decimals: rendered too)
    with duckdb.connect(str(before), read_only=True) as con:
        figure_id, report_id = con.execute(
            """select market_figure_id, report_id from marts.market_figures
               where basis = 'reported' and value is not null order by market_figure_id limit 1"""
        ).fetchone()
        partners = {
            row[0]
            for row in con.execute(
                """select newer_report_id from marts.report_edition_changes where older_report_id = ?
                   union select older_report_id from marts.report_edition_changes where newer_report_id = ?""",
                [report_id, report_id],
            ).fetchall()
        }
    double = f"update marts.market_figures set value = value * 2 + 1 where market_figure_id = '{figure_id}'"
    after = _copy(built_warehouse, tmp_path / "after", double)
    first = _render(before, tmp_path / "first", root)
    rendered.clear()
    second = _render(after, tmp_path / "second", root, previous=first)
    assert set(rendered) == {report_id} | partners and len(rendered) < len(_report_ids(after))
    _assert_same_site(second, _render(after, tmp_path / "full", root))
    assert _files(second)[f"reports/{report_id}.html"] != _files(first)[f"reports/{report_id}.html"]  # the change is on its page


def test_a_changed_estimate_renders_its_market_page_only(built_warehouse, tmp_path, rendered, markets_rendered):
    root = built_warehouse.parents[1]
    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        (market,) = con.execute("select min(market_key) from marts.reports").fetchone()
        (moved,) = con.execute("select max(report_id) from marts.reports").fetchone()
    # a second market: one report (its catalogue row and its estimates) moved into it, before and after alike
    second_market = f"""update marts.reports set market_key = 'second_market', market_name = 'Second market' where report_id = '{moved}';
        update marts.market_estimates_by_report set market_key = 'second_market' where report_id = '{moved}'"""
    before = _copy(built_warehouse, tmp_path / "before", second_market)
    assert _market_keys(before) == sorted([market, "second_market"])
    # a mart row only the market page reads (no report page reads market_estimates_by_report)
    double = f"""update marts.market_estimates_by_report set value = value * 2 + 1 where rowid = (
        select min(rowid) from marts.market_estimates_by_report
        where market_key = '{market}' and dimension = 'total' and value is not null)"""
    after = _copy(built_warehouse, tmp_path / "after", f"{second_market}; {double}")
    first = _render(before, tmp_path / "first", root)
    rendered.clear()
    markets_rendered.clear()
    second = _render(after, tmp_path / "second", root, previous=first)
    assert markets_rendered == [market] and rendered == []
    assert reused(second, "markets") == (1, 2)
    _assert_same_site(second, _render(after, tmp_path / "full", root))
    assert _files(second)[f"markets/{market}.html"] != _files(first)[f"markets/{market}.html"]  # the change is on its page
    assert _files(second)["markets/second_market.html"] == _files(first)["markets/second_market.html"]


def test_a_changed_finding_renders_the_findings_page(built_warehouse, tmp_path):
    root = built_warehouse.parents[1]
    before = _copy(built_warehouse, tmp_path / "before")
    reword = """update marts.report_findings set message = message || ' (reworded)', finding_text = finding_text || ' (reworded)'
        where rowid = (select min(rowid) from marts.report_findings)"""
    after = _copy(built_warehouse, tmp_path / "after", reword)
    first = _render(before, tmp_path / "first", root)
    second = _render(after, tmp_path / "second", root, previous=first)
    assert reused(first, "pages") == (0, 2) and reused(second, "pages")[0] < 2  # the audit page shows a finding's check
    _assert_same_site(second, _render(after, tmp_path / "full", root))
    assert _files(second)["findings.html"] != _files(first)["findings.html"]


def test_a_changed_edition_renders_the_other_editions_of_its_series(built_warehouse, tmp_path, rendered):
    root = built_warehouse.parents[1]
    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        first_id, second_id, *_ = [row[0] for row in con.execute("select report_id from marts.reports order by report_id").fetchall()]
    series = f"update marts.reports set series_id = 'one_series', edition_number = 1 where report_id in ('{first_id}', '{second_id}')"
    before = _copy(built_warehouse, tmp_path / "before", series)
    rename = f"update marts.reports set edition = 'renamed edition' where report_id = '{first_id}'"
    after = _copy(built_warehouse, tmp_path / "after", f"{series}; {rename}")
    first = _render(before, tmp_path / "first", root)
    rendered.clear()
    second = _render(after, tmp_path / "second", root, previous=first)
    assert sorted(rendered) == sorted([first_id, second_id])  # each page lists its series' editions by name
    _assert_same_site(second, _render(after, tmp_path / "full", root))


def test_a_renamed_unit_renders_every_report_and_market_page(built_warehouse, tmp_path, rendered, markets_rendered):
    root = built_warehouse.parents[1]
    before = _copy(built_warehouse, tmp_path / "before")
    rename = (
        "update seeds.units set display_name = display_name || ' (renamed)'"
        " where unit_key = (select min(unit_key) from marts.market_figures)"
    )
    after = _copy(built_warehouse, tmp_path / "after", rename)
    first = _render(before, tmp_path / "first", root)
    rendered.clear()
    markets_rendered.clear()
    second = _render(after, tmp_path / "second", root, previous=first)
    assert sorted(rendered) == _report_ids(after) and sorted(markets_rendered) == _market_keys(after)
    _assert_same_site(second, _render(after, tmp_path / "full", root))


def test_a_missing_or_broken_previous_page_is_rendered(built_warehouse, tmp_path, rendered):
    root = built_warehouse.parents[1]
    db = _copy(built_warehouse, tmp_path / "a")
    first = _render(db, tmp_path / "first", root)
    gone, broken, *_ = _report_ids(db)
    (first / "documents" / f"{gone}.html").unlink()
    page = first / "reports" / f"{broken}.html"
    page.write_text(page.read_text(encoding="utf-8").replace("<!-- build-stamp -->", ""), encoding="utf-8")
    rendered.clear()
    second = _render(db, tmp_path / "second", root, previous=first)
    assert sorted(rendered) == sorted([gone, broken])
    _assert_same_site(second, _render(db, tmp_path / "full", root))
    (tmp_path / "third").mkdir()
    (first / MANIFEST).write_text("{not json", encoding="utf-8")
    rendered.clear()
    _assert_same_site(_render(db, tmp_path / "third" / "site", root, previous=first), tmp_path / "full")
    assert sorted(rendered) == _report_ids(db)


def test_build_site_reuses_the_site_it_replaces_unless_full(built_warehouse, tmp_path, rendered, monkeypatch):
    monkeypatch.setenv(DOCS_CACHE_ENV, str(REPO_PATHS.build_dir / "tests" / "dbt-docs"))
    root = built_warehouse.parents[1]
    served = tmp_path / "build" / "warehouse.duckdb"
    candidate = ServedPaths(served).candidate
    candidate.parent.mkdir(parents=True)
    shutil.copyfile(built_warehouse, candidate)
    publish(candidate, served)
    site_build.build_site(served, root, docs=False)
    rendered.clear()
    site = site_build.build_site(served, root, docs=False)
    reports = len(_report_ids(served))
    assert rendered == [] and reused(site) == (reports, reports)  # what the refresh's site step reports
    site_build.build_site(served, root, docs=False, full=True)
    assert sorted(rendered) == _report_ids(served) and reused(site) == (0, reports)


def test_the_site_reads_the_market_lists_a_market_at_a_time_as_the_whole_lists_hold_them(built_warehouse):
    """The site keeps no market list in memory (600,000 rows at 1,000 reports): a market page's rows are
    read when it is rendered, each list's rows of the market in the order the whole list has them."""
    data = read_site_data(built_warehouse)
    assert data.by_market and all(getattr(data, name) == [] for name in MARKET_LISTS)
    whole = read_records(built_warehouse, {name: SITE_QUERIES[name] for name in MARKET_LISTS})
    assert all(whole[name] for name in ("estimates", "compared", "consensus_estimates"))
    with data.reading():
        for key in {market["market_key"] for market in data.markets()}:
            for name in MARKET_LISTS:
                assert data.of_market(name, key) == [row for row in whole[name] if row["market_key"] == key], (name, key)
    with pytest.raises(RuntimeError, match="render_site opens"):
        data.of_market("estimates", data.reports[0]["market_key"])


def test_a_reports_rows_read_in_a_batch_are_those_a_query_of_its_own_reads(built_warehouse):
    """A report page's rows are read for a batch of reports at once: each report's rows (both editions of
    an edition change, each quote by its figure) in the order its own query gives them."""
    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        ids = [row[0] for row in con.execute("select report_id from marts.reports order by report_id").fetchall()]
        reader = ReportRows(con, ids)
        batched = {report_id: report_rows(reader, report_id) for report_id in reversed(ids)}  # a batch from each report on
        assert batched == {report_id: read_reports_rows(con, [report_id])[report_id] for report_id in ids}
        assert any(rows["quotes"] for rows in batched.values())  # edition changes: test_two_editions_of_a_series.py
