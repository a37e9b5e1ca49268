"""Two editions of one publisher's report (issue 28): the same series and the same printed edition
label, published in March and October 2024 (month-only dates, as their pages print them); the October
edition revises the 2024 and 2032 values and does not restate the CAGR. Their report ids sort against
their dates, so nothing may order them by id. Built from seed rows and documents written here: the
newer edition speaks for the series in every comparison, the older stays served and is marked
superseded, and what changed runs from March to October, the CAGR 'not restated'. The site built from
that warehouse shows it: the March edition faded on the market chart, its rows marked superseded and
linked to its report page's list of what changed, both editions named by their printed months."""

from __future__ import annotations

import re
from html import unescape

import duckdb

from marketwh.site.build import render_site
from marketwh.site.data import read_site_data
from marketwh.site.report_data import ReportRows, read_reports_rows, report_rows
from tests.added_reports import add_test_report, validated_build, warehouse_rows
from tests.helpers import copy_project, read_csv, write_csv

SERIES = "example_anode_outlook"
# (report_id, date published as printed, {key: (metric, year, period, printed, value, unit, sentence)})
WORTH = "The global anode market is expected to be worth {} in 2024."
REACH = "The global anode market is projected to reach {} in 2032."
OLDER = (
    "example_anode_spring",
    "2024-03",
    {
        "2024": ("market_value", "2024", ("", ""), "US$ 26.88 billion", "26.88", "usd_bn", WORTH.format("US$ 26.88 billion")),
        "2032": ("market_value", "2032", ("", ""), "US$ 134.02 billion", "134.02", "usd_bn", REACH.format("US$ 134.02 billion")),
        "cagr": (
            "cagr",
            "",
            ("2024", "2032"),
            "22.1%",
            "22.1",
            "percent",
            "The global anode market is projected to grow at a CAGR of 22.1% from 2024 to 2032.",
        ),
    },
)
NEWER = (
    "example_anode_autumn",
    "2024-10",
    {
        "2024": ("market_value", "2024", ("", ""), "US$ 13.90 billion", "13.90", "usd_bn", WORTH.format("US$ 13.90 billion")),
        "2032": ("market_value", "2032", ("", ""), "US$ 55.52 billion", "55.52", "usd_bn", REACH.format("US$ 55.52 billion")),
    },
)


def add_edition(root, edition) -> None:
    report_id, published, figures = edition
    front = {
        "title": "Global Anode Market Outlook 2024-2032",
        "publisher": "Example Anode Research (a fictional publisher, for this test)",
        "url": f"https://example.com/{report_id}",
        "date_published": published,
        "date_accessed": "2026-12-06",
        "terms_of_use": "Written for this test; no terms apply.",
        "attribution": "Source: Example Anode Research (test fixture)",
    }
    body = "# Global Anode Market Outlook 2024-2032\n\n" + "\n\n".join(figure[-1] for figure in figures.values()) + "\n"
    years = {"history_start_year": "2023", "base_year": "2023", "forecast_start_year": "2024", "forecast_end_year": "2032"}
    # the publisher prints the same edition label on both editions
    series = {"series_id": SERIES, "edition": "2024-2032", "publisher_label": "Example Anode"}
    add_test_report(
        root,
        report_id,
        f"reports/{report_id.replace('_', '-')}.md",
        front,
        body,
        market="anode_materials",
        currency="USD",
        **years,
        **series,
    )
    rows = read_csv(root / "seeds" / "report_figures.csv")
    for number, (metric, year, (start, end), printed, value, unit, sentence) in enumerate(figures.values(), 1):
        rows.append(
            {
                **{column: "" for column in rows[0]},
                "figure_id": f"{report_id}-{number:03d}",
                "report_id": report_id,
                "metric": metric,
                "dimension": "total",
                "segment": "total",
                "region": "global",
                "year": year,
                "period_start_year": start,
                "period_end_year": end,
                "period_source": "printed" if start else "",
                "value": value,
                "unit": unit,
                "value_as_published": printed,
                "basis": "reported",
                "section": "Global Anode Market Outlook 2024-2032",
                "quote": sentence,
            }
        )
    write_csv(root / "seeds" / "report_figures.csv", rows)


def test_the_newer_edition_speaks_for_its_series_and_the_older_stays_served(tmp_path):
    root = copy_project(tmp_path / "project")
    add_edition(root, NEWER)  # written first: neither the file order nor the ids say which is newer
    add_edition(root, OLDER)
    db = validated_build(root, "editions")
    editions = warehouse_rows(
        db,
        "select report_id, edition, date_published_printed, date_published_precision, edition_number, edition_status "
        "from marts.market_estimates_by_report where report_id like 'example_anode_%' and figure_year = 2032 order by edition_number",
    )
    changes = warehouse_rows(
        db,
        "select older_report_id, newer_report_id, metric, figure_year, older_value, newer_value, change_status "
        "from marts.report_edition_changes where series_id = ? order by metric, figure_year",
        SERIES,
    )
    market_total = (
        "market_key = 'anode_materials' and metric = 'market_value' and segment_key = 'total' "
        "and region_key = 'global' and unit_key = 'usd_bn' and figure_year in (2024, 2032)"
    )
    compared = warehouse_rows(
        db, f"select figure_year, report_count, report_ids from marts.market_estimates_compared where {market_total} order by figure_year"
    )
    others = warehouse_rows(
        db,
        f"select figure_year, count(*) from marts.market_estimates_by_report where {market_total} "
        "and report_id not like 'example_anode_%' group by figure_year order by figure_year",
    )

    assert editions == [
        ("example_anode_spring", "2024-2032", "2024-03", "month", 1, "superseded"),
        ("example_anode_autumn", "2024-2032", "2024-10", "month", 2, "current"),
    ]
    spring, autumn = ({key: float(figure[4]) for key, figure in edition[2].items()} for edition in (OLDER, NEWER))
    pair = ("example_anode_spring", "example_anode_autumn")
    assert changes == [
        (*pair, "cagr", None, spring["cagr"], None, "not restated"),
        (*pair, "market_value", 2024, spring["2024"], autumn["2024"], "changed"),
        (*pair, "market_value", 2032, spring["2032"], autumn["2032"], "changed"),
    ]
    # the series is counted once, with its October values; the other reports of the market as before
    other_counts = dict(others)
    for year, report_count, report_ids in compared:
        assert "example_anode_autumn" in report_ids.split(",") and "example_anode_spring" not in report_ids.split(",")
        assert report_count == other_counts.get(year, 0) + 1, (year, report_count, report_ids)

    site_shows_the_spring_edition_superseded(root, db, tmp_path / "site", spring, autumn)


def _cells(row_html: str) -> list[str]:
    """The visible text of each cell of one table row."""
    return [" ".join(unescape(re.sub(r"<[^>]+>", "", cell)).split()) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row_html, re.S)]


def site_shows_the_spring_edition_superseded(root, db, out, spring: dict[str, float], autumn: dict[str, float]) -> None:
    out.mkdir()
    render_site(read_site_data(db), out, root)
    with duckdb.connect(str(db), read_only=True) as con:  # each report's rows read in one batch are those its own query reads
        ids = [row[0] for row in con.execute("select report_id from marts.reports order by report_id").fetchall()]
        reader = ReportRows(con, ids)
        batched = {report_id: report_rows(reader, report_id) for report_id in ids}
        assert batched == {report_id: read_reports_rows(con, [report_id])[report_id] for report_id in ids}
        assert (
            sum(len(rows["edition_changes"]) for rows in batched.values())
            == 2 * con.execute("select count(*) from marts.report_edition_changes").fetchone()[0]
            > 0
        )  # each change on both its editions' pages
    market = (out / "markets" / "anode_materials.html").read_text(encoding="utf-8")
    rows = {
        (report_id, int(year)): row
        for row, report_id, year in re.findall(
            r'(<tr class="[^"]*" data-report-id="(example_anode_\w+)" data-year="(\d+)".*?</tr>)', market, re.S
        )
    }
    spring_2032, autumn_2032 = rows[("example_anode_spring", 2032)], rows[("example_anode_autumn", 2032)]
    # the month-only dates are printed as months, never "not stated"; the spring row is marked superseded
    assert _cells(spring_2032)[3] == "March 2024" and _cells(autumn_2032)[3] == "October 2024"
    assert 'class="superseded"' in spring_2032 and 'class="superseded"' not in autumn_2032
    assert _cells(spring_2032)[4].startswith("no: superseded by the October 2024 edition") and _cells(autumn_2032)[4] == "yes"
    # its "what changed" link resolves to a section of the spring report's page listing March -> October
    (link,) = re.findall(r'<a class="edition-changes" href="\.\./reports/([^"#]+)#([^"]+)"', spring_2032)
    page = (out / "reports" / link[0]).read_text(encoding="utf-8")
    section = page[page.index(f'id="{link[1]}"') :]
    changes = {
        (metric, year): _cells(row)
        for row, metric, year in re.findall(
            r'(<tr data-change-status="[^"]+" data-metric="(\w+)" data-year="(\d*)">.*?</tr>)', section, re.S
        )
    }
    assert changes[("market_value", "2024")][5:7] == [f"{spring['2024']:.2f}", f"{autumn['2024']:.2f}"]
    assert changes[("market_value", "2032")][5:7] == [f"{spring['2032']:.2f}", f"{autumn['2032']:.2f}"]
    assert changes[("cagr", "")][5:7] == [f"{spring['cagr']:.1f}", "not restated"] and changes[("cagr", "")][-1] == "not restated"
    assert "removed" not in section.split("</table>")[0]
    # on the chart the spring line is faded, the autumn line not, and the legend names each edition once
    chart = next((out / "charts").glob("compare-anode_materials-market_value-global-usd_bn.svg")).read_text(encoding="utf-8")

    def stroke(report_id: str) -> str:
        return re.search(rf'<g id="edition-{report_id}-forecast">\s*<path [^>]*style="([^"]+)"', chart)[1]

    assert "stroke-opacity: 0.4" in stroke("example_anode_spring") and "stroke-opacity" not in stroke("example_anode_autumn")
    legend = [" ".join(t.split()) for t in re.findall(r"<text[^>]*>(.*?)</text>", chart, re.S) if "Example Anode" in t]
    assert legend == [
        "Example Anode, 2024-2032 edition, March 2024 (superseded by the October 2024 edition)",
        "Example Anode, 2024-2032 edition, October 2024",
    ]
