"""Periods as reports state them (one rule, curation/periods.py, for `extract` and the validator), a
report's licence and reuse flag from its front matter, and cited figures kept apart from the citing
report's own. Each test builds its own document and rows in a scratch copy of the fixture project."""

from __future__ import annotations

import pytest

from marketwh.curation.extract import extract_document
from marketwh.curation.periods import Period, periods_of
from marketwh.curation.register import register_report
from marketwh.curation.validation import validate_project
from marketwh.curation.vocabulary import Vocabulary
from marketwh.paths import ProjectPaths
from tests.helpers import copy_project, read_csv, write_csv

OUTLOOK = """---
title: "Global anode outlook 2026-2031"
publisher: "Outlook Research"
url: "https://example.com/anode-outlook"
date_published: "2026-01-15"
date_accessed: "2026-12-05"
terms_of_use: "{terms}"
attribution: "Source: Outlook Research, Global anode outlook"
---
# Anode market outlook

## Growth
The global anode market was valued at US$ 6.1 billion in 2025.
The market is projected to expand at a 22.0% CAGR through 2031.
"""
CURATED = {
    "report_id": "outlook_anode_2026",
    "series_id": "outlook_anode",
    "edition": "2026-2031",
    "publisher_label": "Outlook",
    "geography": "global",
    "market": "anode_materials",
    "history_start_year": "2025",
    "base_year": "2025",
    "forecast_start_year": "2026",
    "forecast_end_year": "2031",
    "currency": "USD",
}
THROUGH = "The market is projected to expand at a 22.0% CAGR through 2031."


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path / "p")


def _outlook(root, terms="The page states no licence for reuse.", front_extra="") -> ProjectPaths:
    text = OUTLOOK.format(terms=terms).replace("---\n# Anode", front_extra + "---\n# Anode")
    (root / "reports" / "anode-outlook-2026-2031.md").write_text(text, encoding="utf-8")
    paths = ProjectPaths(root)
    register_report(paths, root / "reports" / "anode-outlook-2026-2031.md", dict(CURATED))
    return paths


def _add_figures(root, *periods: tuple[str, str, str]) -> None:
    seed = root / "seeds" / "report_figures.csv"
    rows = [row for row in read_csv(seed) if row["report_id"] != "outlook_anode_2026"]  # the report's rows, replaced
    base = {column: "" for column in rows[0]}
    value = "The global anode market was valued at US$ 6.1 billion in 2025."
    rows.append(
        {**base, "figure_id": "out-001", "report_id": "outlook_anode_2026", "metric": "market_value", "dimension": "total"}
        | {"segment": "total", "region": "global", "year": "2025", "value": "6.1", "unit": "usd_bn", "basis": "reported"}
        | {"value_as_published": "US$ 6.1 billion", "section": "Growth", "quote": value}
    )
    for index, (start, end, source) in enumerate(periods, start=2):
        rows.append(
            {**base, "figure_id": f"out-00{index}", "report_id": "outlook_anode_2026", "metric": "cagr", "dimension": "total"}
            | {"segment": "total", "region": "global", "period_start_year": start, "period_end_year": end, "value": "22"}
            | {"unit": "percent", "value_as_published": "22.0%", "basis": "reported", "section": "Growth", "quote": THROUGH}
            | {"period_source": source}
        )
    write_csv(seed, rows)


def test_the_validator_takes_a_cagr_through_2031_over_the_reports_forecast_period_and_nothing_else(project):
    paths = _outlook(project)
    _add_figures(project, ("2026", "2031", "report_forecast_period"))
    assert validate_project(paths).errors == []
    _add_figures(project, ("2025", "2031", "report_forecast_period"))  # a start neither the sentence nor the report gives
    errors = [str(p) for p in validate_project(paths).errors]
    assert len(errors) == 1 and "[period_not_stated] period 2025-2031 is not stated: the quote names 2031" in errors[0], errors
    assert "2026-2031 (report_forecast_period)" in errors[0]


def test_the_period_source_must_say_where_the_period_came_from(project):
    paths = _outlook(project)
    _add_figures(project, ("2026", "2031", "printed"))
    errors = [str(p) for p in validate_project(paths).errors]
    assert len(errors) == 1 and "[period_source]" in errors[0] and "must be report_forecast_period, not 'printed'" in errors[0]


def test_extract_drafts_the_period_the_validator_accepts(project):
    _outlook(project)
    vocabulary = Vocabulary.read(project / "seeds")
    document = project / "reports" / "anode-outlook-2026-2031.md"
    drafted = extract_document(document, "outlook_anode_2026", vocabulary, "anode_materials", "global", forecast=("2026", "2031"))
    (rate,) = [d.row for d in drafted.drafts if d.row["metric"] == "cagr"]
    assert (rate["period_start_year"], rate["period_end_year"], rate["period_source"]) == ("2026", "2031", "report_forecast_period")
    unregistered = extract_document(document, "outlook_anode_2026", vocabulary, "anode_materials", "global")
    (rate,) = [d.row for d in unregistered.drafts if d.row["metric"] == "cagr"]
    assert rate["period_start_year"] == "" and rate["period_source"] == ""  # no forecast period, no heading period: no guess


def test_periods_of_reads_printed_declared_and_section_periods_and_never_contradicts_the_sentence():
    forecast = ("2021", "2027")
    assert periods_of("A CAGR of 13.4% during 2025-2032.", [[]], forecast) == [Period("2025", "2032", "printed")]
    assert periods_of("It grows 76.6% per year on average.", [["Share by type", "Market, 2020-2027"]], forecast) == [
        Period("2021", "2027", "report_forecast_period"),
        Period("2020", "2027", "section"),
    ]
    assert periods_of("A 9% CAGR over the forecast period.", [[]], None) == []
    assert periods_of("In 2020, it grew 9% a year.", [["Market, 2020-2027"]], forecast) == []  # names a year: never borrows a period
    assert periods_of("A 5% CAGR by 2030.", [[]], forecast) == []  # 2030 lies outside the declared forecast period


def test_register_reads_the_licence_from_the_front_matter_or_the_terms_and_validate_checks_both(project):
    paths = _outlook(project, terms="Licence: CC BY 4.0. Figures may be reused with attribution.")
    _add_figures(project, ("2026", "2031", "report_forecast_period"))
    row = next(r for r in read_csv(project / "seeds" / "reports.csv") if r["report_id"] == "outlook_anode_2026")
    assert (row["licence"], row["reuse_permitted"]) == ("CC-BY-4.0", "true")
    assert validate_project(paths).errors == []
    paths = _outlook(project, front_extra='licence: "none-stated"\nreuse_permitted: "false"\n')  # the front matter wins
    row = next(r for r in read_csv(project / "seeds" / "reports.csv") if r["report_id"] == "outlook_anode_2026")
    assert (row["licence"], row["reuse_permitted"]) == ("none-stated", "false")
    assert validate_project(paths).errors == []
    seed = project / "seeds" / "reports.csv"
    lines = seed.read_text(encoding="utf-8").splitlines(keepends=True)
    lines = [line.replace(",none-stated,false", ",CC-BY-4.0,true") if line.startswith("outlook_anode_2026,") else line for line in lines]
    seed.write_text("".join(lines), encoding="utf-8")
    errors = [str(p) for p in validate_project(paths).errors]
    assert len(errors) == 2 and all("[front_matter_mismatch]" in e for e in errors), errors
    assert "front matter licence is 'none-stated' but seeds/reports.csv line" in errors[0]


def test_a_cited_figure_never_contradicts_the_citing_reports_own(project):
    text = OUTLOOK.format(terms="None stated.") + "Citing Wood Mackenzie (2024), the page puts the market at US$ 5.0 billion in 2025.\n"
    (project / "reports" / "anode-outlook-2026-2031.md").write_text(text, encoding="utf-8")
    paths = ProjectPaths(project)
    register_report(paths, project / "reports" / "anode-outlook-2026-2031.md", dict(CURATED))
    _add_figures(project, ("2026", "2031", "report_forecast_period"))
    seed = project / "seeds" / "report_figures.csv"
    rows = read_csv(seed)
    quote = "Citing Wood Mackenzie (2024), the page puts the market at US$ 5.0 billion in 2025."
    own = next(r for r in rows if r["figure_id"] == "out-001")  # US$ 6.1 billion in 2025, the report's own
    cited = {**own, "figure_id": "out-cited", "value": "5", "value_as_published": "US$ 5.0 billion", "quote": quote}
    write_csv(seed, [*rows, {**cited, "cited_publisher": "Wood Mackenzie", "cited_date": "2024"}])
    assert validate_project(paths).errors == []
    # without its cited publisher the row is the report's own second value for 2025: two quotes, two values,
    # the publisher's contradiction, which dbt shows as a finding (audits.audit_figure_contradictions); the
    # cited row above is not part of that key, so it can never become one
