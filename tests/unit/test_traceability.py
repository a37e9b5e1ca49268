"""Breaking a figure's trace to its stored report names the seed file, row and rule: a quote not in the
document, a value not in its quote, a share over 100, a decline typed without its sign, a year borrowed
from a neighbouring sentence. Each test breaks a scratch copy of the frozen fixture project (the
`project` fixture); that the live seeds/ and reports/ trace is tests/unit/test_live_data.py's."""

from __future__ import annotations

import hashlib

from marketwh.curation.extract import extract_document
from marketwh.curation.validation import validate_project
from marketwh.curation.vocabulary import Vocabulary
from marketwh.paths import ProjectPaths
from tests.helpers import add_sentence_to_document, append_seed_row, edit_seed_row, read_csv, run_marketwh, write_csv


def _problems(root):
    return validate_project(ProjectPaths(root)).errors


def test_broken_quote_names_seed_file_row_and_rule(project):
    line = edit_seed_row(
        project / "seeds" / "report_figures.csv",
        "figure_id",
        "chem24-001",
        quote="The global anode active material market was valued at US$ 5.4 billion in 2023.",
    )
    problems = [p for p in _problems(project) if p.rule == "quote_not_in_document"]
    assert [(p.path, p.line) for p in problems] == [("seeds/report_figures.csv", line)]
    assert "seeds/report_figures.csv:2: [quote_not_in_document]" in str(problems[0])


def test_value_missing_from_its_quote_names_seed_file_row_and_rule(project):
    line = edit_seed_row(
        project / "seeds" / "report_figures.csv", "figure_id", "chem24-002", value="15.7", value_as_published="US$ 15.7 billion"
    )
    problems = [p for p in _problems(project) if p.rule == "value_not_in_quote"]
    assert [(p.path, p.line) for p in problems] == [("seeds/report_figures.csv", line)]
    assert "'US$ 15.7 billion' does not occur in the quote" in problems[0].message


def test_share_of_120_percent_names_seed_file_row_and_rule(project):
    line = append_seed_row(
        project / "seeds" / "report_figures.csv",
        figure_id="chem24-900",
        report_id="chem24_anode_2025",
        metric="share",
        dimension="type",
        segment="natural_graphite",
        region="global",
        year="2024",
        value="120",
        unit="percent",
        value_as_published="120%",
        basis="reported",
        section="Introduction",
        quote="Natural graphite held 120% of the market.",
    )
    problems = _problems(project)
    share = [p for p in problems if p.rule == "share_out_of_range"]
    assert [(p.path, p.line) for p in share] == [("seeds/report_figures.csv", line)]
    assert "outside 0-100" in share[0].message
    # the invented quote is caught too, in the same pass
    assert any(p.rule == "quote_not_in_document" and p.line == line for p in problems)


def test_validate_command_prints_each_problem_and_exits_1(project):
    edit_seed_row(project / "seeds" / "report_figures.csv", "figure_id", "chem24-003", value_as_published="13.9%", value="13.9")
    result = run_marketwh(project, "validate")
    assert result.returncode == 1
    assert "seeds/report_figures.csv:4: [value_not_in_quote]" in result.stderr
    assert "nothing was built or published" in result.stderr


def test_a_real_decline_is_entered_as_a_negative_figure(project):
    sentence = "Shipments fell -5.4% in 2020."
    add_sentence_to_document(project, "cncic_china_anode_2022", sentence)
    append_seed_row(
        project / "seeds" / "report_figures.csv",
        figure_id="cncic22-900",
        report_id="cncic_china_anode_2022",
        metric="yoy_growth",
        dimension="total",
        segment="total",
        region="china",
        year="2020",
        value="-5.4",
        unit="percent",
        value_as_published="-5.4%",
        basis="reported",
        section="Share by type",
        quote=sentence,
    )
    assert _problems(project) == []
    # and extraction drafts it with its sign
    report = next(r for r in read_csv(project / "seeds" / "reports.csv") if r["report_id"] == "cncic_china_anode_2022")
    drafts = extract_document(
        project / report["document_path"], vocabulary=Vocabulary.read(project / "seeds"), market=report["market"]
    ).drafts
    (decline,) = [d.row for d in drafts if d.row["quote"] == sentence]
    assert (decline["metric"], decline["value"], decline["value_as_published"], decline["year"]) == ("yoy_growth", "-5.4", "-5.4%", "2020")
    # the same figure with its minus sign dropped is a figure the report does not state
    line = edit_seed_row(project / "seeds" / "report_figures.csv", "figure_id", "cncic22-900", value="5.4", value_as_published="5.4%")
    assert [(p.line, p.rule) for p in _problems(project)] == [(line, "value_not_in_quote")]


def test_the_site_never_copies_a_document_from_outside_reports(tmp_path):
    from marketwh.site.writer import _document

    outside = tmp_path / "secret.txt"
    outside.write_text("not a report", encoding="utf-8")
    (tmp_path / "reports").mkdir()
    for path in (str(outside), "reports/../secret.txt"):
        shown = _document(tmp_path, {"report_id": "r", "document_path": path, "document_sha256": ""}, tmp_path / "site")
        assert shown["source"] is None and "not a file inside reports/" in shown["problem"]
    assert not (tmp_path / "site").exists()


def test_a_cited_section_elsewhere_states_the_period_but_sentences_beside_the_quote_never_do(project):
    """A report that states its forecast period only in its table of contents: the seed cites that
    section and the check reads it. Citing the quote's own heading lends nothing from its neighbours."""
    reports = read_csv(project / "seeds" / "reports.csv")
    report = next(r for r in reports if r["report_id"] == "cncic_china_anode_2022")
    document = project / report["document_path"]
    sentence = "Shipments are expected to keep growing at 20% a year."
    document.write_text(
        document.read_text(encoding="utf-8")
        + f"\n## Contents\n\n- Forecast period 2021-2026\n\n## Outlook\n\n{sentence} The outlook covers 2021 to 2026.\n",
        encoding="utf-8",
    )
    report["document_sha256"] = hashlib.sha256(document.read_bytes()).hexdigest()
    write_csv(project / "seeds" / "reports.csv", reports)
    line = append_seed_row(
        project / "seeds" / "report_figures.csv",
        figure_id="cncic22-901",
        report_id="cncic_china_anode_2022",
        metric="cagr",
        dimension="total",
        segment="total",
        region="china",
        period_start_year="2021",
        period_end_year="2026",
        value="20",
        unit="percent",
        value_as_published="20%",
        basis="reported",
        section="Contents",
        quote=sentence,
        period_source="section",
    )
    assert _problems(project) == []
    edit_seed_row(project / "seeds" / "report_figures.csv", "figure_id", "cncic22-901", section="Outlook")
    assert [(p.line, p.rule) for p in _problems(project)] == [(line, "period_not_stated")]
