"""Issue 23, class 1: an identifier never becomes a path outside its folder.

The attack: a report row with id `cncic2/../../../../../../escaped` (its figures copied) validated, and
the site wrote `reports/<report_id>.html` and `documents/<report_id>.source.txt` beside the project.
Two walls: the validator refuses an id or key that is not an identifier (file, line, rule), and every
file the site writes goes through `marketwh.safefs`, which refuses a path resolving outside its folder
(shown here with the validator bypassed: the id put straight into a copy of a built warehouse).
"""

from __future__ import annotations

import shutil

import duckdb
import pytest

from marketwh.curation.validation import validate_project
from marketwh.errors import MarketWarehouseError
from marketwh.paths import ProjectPaths

ESCAPING = "cncic2/../../../../../../escaped"
REPORT = "cncic_china_anode_2022"


def test_a_report_id_that_is_a_path_is_refused_with_its_file_and_line(project):
    for name in ("reports.csv", "report_figures.csv", "report_claims.csv"):  # the report and its figures, renamed
        seed = project / "seeds" / name
        seed.write_text(seed.read_text(encoding="utf-8").replace(f"{REPORT},", f"{ESCAPING},"), encoding="utf-8")
    problems = [str(p) for p in validate_project(ProjectPaths(project)).errors]
    assert f"seeds/reports.csv:4: [bad_identifier] column report_id: '{ESCAPING}' is not an identifier" in "\n".join(problems)
    assert any(p.startswith("seeds/report_figures.csv:16: [bad_identifier] column report_id") for p in problems), problems


# (column, the marts that carry it): a report id names the report's page and its document's copy, a
# market key the market's page and its charts
PLANTED = {
    "report_id": ("reports",),
    "market_key": ("reports", "market_estimates_by_report", "market_estimates_compared"),
}


@pytest.mark.parametrize("column", list(PLANTED))
def test_the_site_writes_nothing_outside_its_folder_for_an_id_that_is_a_path(built_warehouse, tmp_path, column):
    from marketwh.site.build import render_site
    from marketwh.site.data import read_site_data

    hostile = tmp_path / "hostile.duckdb"
    shutil.copyfile(built_warehouse, hostile)
    hostile.chmod(0o644)
    con = duckdb.connect(str(hostile))
    old = REPORT if column == "report_id" else "anode_materials"
    for mart in PLANTED[column]:
        con.execute(f"update marts.{mart} set {column} = ? where {column} = ?", [ESCAPING, old])
    con.close()
    out = tmp_path / "a" / "b" / "c" / "d" / "site"  # '..' six times from out/reports/cncic2 lands in tmp_path/a
    before = set(tmp_path.rglob("*"))

    refused = ""
    try:
        render_site(read_site_data(hostile), out, built_warehouse.parents[1])
    except MarketWarehouseError as error:
        refused = str(error)

    written = {p for p in tmp_path.rglob("*") if p not in before and p != out and not p.is_relative_to(out) and p not in out.parents}
    assert written == set()
    assert not any("escaped" in p.name for p in tmp_path.rglob("*") if p != hostile)
    assert f"{ESCAPING}" in refused and "not a file inside" in refused, refused  # said, not skipped silently
