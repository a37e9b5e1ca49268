"""`marketwh extract` proposes every figure a report states: checked against the seed rows a person
reviewed for each of the three stored documents. It reads money in its printed forms, keeps
qualifiers and quotes, lists unreadable figures as problems, and never writes into seeds/."""

from __future__ import annotations

import csv
import io

import pytest

from marketwh.curation.documents import normalize_text
from marketwh.curation.extract import extract_document
from marketwh.curation.vocabulary import Vocabulary
from tests.helpers import FIXTURE, read_csv, run_marketwh

REPORTS = {row["report_id"]: row for row in read_csv(FIXTURE / "seeds" / "reports.csv")}
FIGURES = read_csv(FIXTURE / "seeds" / "report_figures.csv")
VOCABULARY = Vocabulary.read(FIXTURE / "seeds")


@pytest.mark.parametrize("report_id", sorted(REPORTS))
def test_extract_proposes_every_figure_of_the_reviewed_seed(report_id):
    report = REPORTS[report_id]
    result = extract_document(FIXTURE / report["document_path"], report_id=report_id, vocabulary=VOCABULARY, market=report["market"])
    assert result.problems == []
    proposals = [d.row for d in result.drafts]
    seeded = [f for f in FIGURES if f["report_id"] == report_id]
    assert seeded
    for figure in seeded:
        matches = [
            p
            for p in proposals
            if p["value_as_published"] == figure["value_as_published"] and normalize_text(p["quote"]) == normalize_text(figure["quote"])
        ]
        assert matches, f"{figure['figure_id']} ({figure['value_as_published']}) not proposed"
        proposal = matches[0] if len(matches) == 1 else next((p for p in matches if p["qualifier"] == figure["qualifier"]), matches[0])
        assert float(proposal["value"]) == float(figure["value"]), figure["figure_id"]
        assert proposal["unit"] == figure["unit"], figure["figure_id"]
        assert proposal["qualifier"] == figure["qualifier"], figure["figure_id"]
        if figure["year"] and proposal["year"]:
            assert proposal["year"] == figure["year"], figure["figure_id"]
        if figure["period_start_year"] and proposal["period_start_year"]:
            assert (proposal["period_start_year"], proposal["period_end_year"]) == (
                figure["period_start_year"],
                figure["period_end_year"],
            )
    # and nothing else: every proposal is a figure the seed holds
    assert len(proposals) == len(seeded)


@pytest.mark.parametrize(
    "printed, value, scale, base_unit, quantity",
    [
        ("US$ 5.4 billion", 5.4, 1e9, "usd", "money"),
        ("$36,889.1 million", 36889.1, 1e6, "usd", "money"),
        ("7.16 USD Billion", 7.16, 1e9, "usd", "money"),
        ("1,094,300,000,000 yen", 1094300000000, 1, "jpy", "money"),
        ("720 000 tons", 720000, 1, "tons", "volume"),
        ("2.72 million tons", 2.72, 1e6, "tons", "volume"),
        ("13.4%", 13.4, 1, "percent", "ratio"),
    ],
)
def test_printed_quantities_are_read_with_currency_and_scale(printed, value, scale, base_unit, quantity):
    amount = VOCABULARY.spellings.parse(printed)
    assert (amount.number, amount.scale, amount.base_unit, amount.quantity) == (value, scale, base_unit, quantity)


GARBLED = """---
title: "A report with a misprint"
---
# Outlook
The market will grow at a CAGR of 4.4%9% from 2024 to 2030.
It was worth $36,889.1 million in 2023, about 7.16 USD Billion in 2022 and more than 1,094,300,000,000 yen in 2021.
"""


def test_unparseable_figure_is_a_problem_with_its_line_not_a_guess(tmp_path):
    document = tmp_path / "misprint.md"
    document.write_text(GARBLED, encoding="utf-8")
    result = extract_document(document, report_id="misprint")
    assert [(p.line, p.rule) for p in result.problems] == [(5, "unparseable_figure")]
    assert "'4.4%9%'" in result.problems[0].message
    assert all(d.line != 5 for d in result.drafts)  # no CAGR guessed from it
    rows = [(d.row["value"], d.row["unit"], d.row["year"], d.row["qualifier"]) for d in result.drafts]
    assert rows == [
        ("36889.1", "usd_mn", "2023", ""),
        ("7.16", "usd_bn", "2022", "about"),
        ("1094300000000", "jpy", "2021", "more than"),
    ]


def test_extract_command_never_writes_into_seeds(project):
    before = (project / "seeds" / "report_figures.csv").read_bytes()
    refused = run_marketwh(project, "extract", "reports/anode-market-qy-research-2021.md", "-o", "seeds/report_figures.csv")
    assert refused.returncode == 2 and "never written into seeds/" in refused.stderr
    assert (project / "seeds" / "report_figures.csv").read_bytes() == before
    drafted = run_marketwh(
        project,
        "extract",
        "reports/anode-market-qy-research-2021.md",
        "--report-id",
        "qy_battery_anode_2021",
        "-o",
        "build/drafts/qy.csv",
    )
    assert drafted.returncode == 0, drafted.stderr
    rows = read_csv(project / "build" / "drafts" / "qy.csv")
    assert {r["value_as_published"] for r in rows} >= {"US$3.2 billion", "US$14.1 billion", "76.6%"}


def test_drafts_csv_neutralises_formulas_but_keeps_negative_numbers(tmp_path):
    formula = '=HYPERLINK("https://example.com","x") shipments fell -5.4% in 2020.'
    document = tmp_path / "formula.md"
    document.write_text(f"# Shipments\n\n{formula}\n", encoding="utf-8")
    (draft,) = [d for d in extract_document(document, report_id="formula").drafts if d.row["value_as_published"] == "-5.4%"]
    (row,) = [r for r in csv.DictReader(io.StringIO(extract_document(document, report_id="formula").to_csv()))]
    assert draft.row["quote"] == formula and row["quote"] == "'" + formula  # a spreadsheet shows text, runs nothing
    assert (row["value"], row["value_as_published"]) == ("-5.4", "-5.4%")  # a plain number stays a number
