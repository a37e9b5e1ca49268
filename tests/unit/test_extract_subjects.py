"""What a number is about and when, read as a curator reads it (issue 25): a sentence that points back
("That was 40.8 percent more ...") takes its subject and year from the sentence before and quotes both;
a change's year is never the base it is measured from ("up 74.9% from 2014"); a country in parentheses
describes a company, and a name describing the market ("the lithium-ion battery recycling market") is
the market, not a segment of it; "percent" spelled out is a percentage. Each on a scratch document with
the extraction corpus's frozen vocabulary (tests/fixtures/project seeds plus tests/extraction_corpus/
vocabulary), never the live seeds."""

from __future__ import annotations

import pytest

from marketwh.curation.extract import extract_document
from marketwh.curation.periods import change_year
from tests.extraction_corpus.score import corpus_vocabulary


@pytest.fixture(scope="module")
def vocabulary():
    return corpus_vocabulary()


def _drafts(tmp_path, vocabulary, body: str, market: str) -> list[dict[str, str]]:
    document = tmp_path / "text.md"
    document.write_text(body, encoding="utf-8")
    result = extract_document(document, report_id="text", vocabulary=vocabulary, market=market, region="global")
    return [draft.row for draft in result.drafts]


def _key(row: dict[str, str]) -> tuple[str, ...]:
    return (row["value_as_published"], row["metric"], row["dimension"], row["segment"], row["region"], row["year"])


def test_a_sentence_pointing_back_takes_subject_and_year_from_the_one_before_and_quotes_both(tmp_path, vocabulary):
    body = "# Suppliers\n\nCATL installed 259.7 GWh of batteries in 2023.\nThat was 40.8 percent more than its 184.4 GWh of 2022.\n"
    drafts = _drafts(tmp_path, vocabulary, body, "ev_batteries")
    assert [_key(row) for row in drafts] == [
        ("259.7 GWh", "volume", "company", "catl", "global", "2023"),
        ("40.8 percent", "yoy_growth", "company", "catl", "global", "2023"),
        ("184.4 GWh", "volume", "company", "catl", "global", "2022"),
    ]
    assert drafts[1]["quote"] == "CATL installed 259.7 GWh of batteries in 2023. That was 40.8 percent more than its 184.4 GWh of 2022."


def test_a_heading_ends_what_a_sentence_can_point_back_to(tmp_path, vocabulary):
    body = "# Suppliers\n\nCATL installed 259.7 GWh of batteries in 2023.\n\n## Others\nThat was 40.8 percent more than before.\n"
    growth = _drafts(tmp_path, vocabulary, body, "ev_batteries")[1]
    assert (growth["segment"], growth["year"], growth["quote"]) == ("total", "", "That was 40.8 percent more than before.")


def test_a_country_in_parentheses_describes_the_company_and_worldwide_is_the_scope(tmp_path, vocabulary):
    body = "# Top ten, 2023\n\nPanasonic (Japan) ranked fourth with a 6.4 percent share.\n"
    body += "CATL ranked first worldwide with a 36.8 percent share.\n"
    assert [_key(row) for row in _drafts(tmp_path, vocabulary, body, "ev_batteries")] == [
        ("6.4 percent", "share", "company", "panasonic", "global", "2023"),
        ("36.8 percent", "share", "company", "catl", "global", "2023"),
    ]


def test_a_name_describing_the_market_is_the_market_not_a_segment(tmp_path, vocabulary):
    body = "# Recycling\n\nThe U.S. lithium-ion battery recycling market size was USD 0.9 billion in 2024.\n"
    assert [_key(row) for row in _drafts(tmp_path, vocabulary, body, "battery_recycling")] == [
        ("USD 0.9 billion", "market_value", "total", "total", "us", "2024")
    ]


@pytest.mark.parametrize(
    "sentence, printed, year",
    [
        ("Shipments were up 74.9% from 2014.", "74.9%", ""),  # 2014 is the base: the change is 2015's, unstated
        ("Shipments reached 9 GWh in 2015, up 74.9% from 2014.", "74.9%", "2015"),
        ("EV battery demand reached 710 GWh in 2023, up 38% on 2022.", "38%", "2023"),
        ("Sales were 31% higher than in 2022.", "31%", ""),
        ("Cobalt demand grew by 22% year-on-year (y/y) in 2021, to 175 kt.", "22%", "2021"),
        ("Demand fell 6.1% in 2020 as device production stalled.", "6.1%", "2020"),
    ],
)
def test_a_change_is_of_the_year_it_reaches_never_of_its_base(sentence, printed, year):
    start = sentence.index(printed)
    assert change_year(sentence, start, start + len(printed)) == year


def test_a_change_stated_after_its_number_is_a_growth_and_lower_is_a_decline(tmp_path, vocabulary):
    body = "# Electric car sales in 2023\n\nSales were 31% higher than in 2022.\nPrices were 12% lower than in 2022.\n"
    drafts = _drafts(tmp_path, vocabulary, body, "electric_vehicles")
    assert [(row["metric"], row["value"], row["year"]) for row in drafts] == [("yoy_growth", "31", "2023"), ("yoy_growth", "-12", "2023")]
