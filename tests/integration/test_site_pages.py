"""The site a refresh builds (from the frozen fixture project) shows nothing an analyst must never see:
no scientific notation, no `None`/`nan`, no derived value with more decimals than the reported values
beside it plus one, no snake_case key as a label, no table without its CSV file (tests/site_checks.py);
each market and report page links to the Superset dashboard filtered to it, and a report page says in
one line what the report does not state, never a count of its empty cells; each value on a market page opens
its row on its report's page."""

from __future__ import annotations

import csv
import re
from html import unescape
from urllib.parse import unquote

import duckdb

from marketwh.paths import ProjectPaths, ServedPaths
from tests.site_checks import site_problems


def test_the_refreshed_site_passes_every_check_and_links_the_dashboard(refreshed_project):
    paths = ProjectPaths(refreshed_project)
    site = ServedPaths(paths.default_served_db).site
    assert site_problems(site) == []

    con = duckdb.connect(str(paths.default_served_db), read_only=True)
    try:
        markets = con.execute("select distinct market_key, market_name from marts.reports").fetchall()
        not_stated = con.execute(
            "select report_id, count(*) from marts.market_figures where basis = 'not_reported' group by report_id"
        ).fetchall()
    finally:
        con.close()
    for market_key, market_name in markets:
        html = (site / "markets" / f"{market_key}.html").read_text(encoding="utf-8")
        links = [unquote(unescape(href)) for href in re.findall(r'<p class="dashboard"><a href="([^"]+)"', html)]
        assert len(links) == 1 and "/superset/dashboard/" in links[0], market_key
        assert f"val:!('{market_name}')" in links[0], links[0]
    assert not_stated, "the fixture reports list segments they give no number for"
    for report_id, _cells in not_stated:
        html = (site / "reports" / f"{report_id}.html").read_text(encoding="utf-8")
        assert '<p class="not-stated">' in html and not re.search(r'<tr[^>]*data-basis="not_reported"', html), report_id
        assert "/superset/dashboard/" in html

    # each value of a market page's tables opens its row (quote or derivation) on its report's page
    links = 0
    for page in (site / "markets").glob("*.html"):
        for report, anchor in re.findall(r'href="\.\./reports/([^"#]+)#([^"]+)"', page.read_text(encoding="utf-8")):
            links += 1
            assert f'<tr class="figure" id="{anchor}"' in (site / "reports" / report).read_text(encoding="utf-8"), (page.name, anchor)
    assert links

    # a CSV keeps the full value the page rounds
    page = (site / "markets" / "anode_materials.html").read_text(encoding="utf-8")
    # (the estimates table's: the page opens with the consensus, whose CSV has no value column)
    first_csv = re.search(r'<table class="estimates".*?</table>\s*<p class="csv-download"><a href="([^"]+)"', page, re.S).group(1)
    with open(site / "markets" / first_csv, encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    shown = re.findall(r'data-value="([^"]+)"', page)
    assert rows and {row["value"].split()[-1] for row in rows if row["value"]} <= set(shown)
