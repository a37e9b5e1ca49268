"""What a share is of, and which year a heading gives, read as a curator reads them (issue 25, third
round): a qualifier is a whole word ("can recover 88%" is not "over 88%"); a heading's year is not that
of an edition ("Lithium Outlook Q1 2024") nor, under a heading stating a figure of its own ("... to Hit
USD 54.8 Billion by 2034"), the year of the sentences below it. Each on a scratch document with the
extraction corpus's frozen vocabulary (tests/fixtures/project seeds plus tests/extraction_corpus/
vocabulary), never the live seeds."""

from __future__ import annotations

import pytest

from marketwh.curation.periods import heading_years
from tests.extraction_corpus.score import corpus_vocabulary, extract_scratch


@pytest.fixture(scope="module")
def vocabulary():
    return corpus_vocabulary()


def _extraction(tmp_path, vocabulary, body: str, market: str):
    return extract_scratch(tmp_path, vocabulary, body, market)


def _drafts(tmp_path, vocabulary, body: str, market: str) -> list[dict[str, str]]:
    return [draft.row for draft in _extraction(tmp_path, vocabulary, body, market).drafts]


def test_a_qualifier_is_a_whole_word_never_the_end_of_a_longer_one(tmp_path, vocabulary):
    body = "# Recycling\n\nHydrometallurgical processes can recover 88%-96% of lithium, nickel and cobalt.\n"
    body += "Recycled material rose to over 12% of the market.\n"
    drafts = _drafts(tmp_path, vocabulary, body, "battery_recycling")
    assert [(row["value_as_published"], row["qualifier"]) for row in drafts] == [("88%-96%", ""), ("12%", "over")]


@pytest.mark.parametrize(
    "heading, years",
    [
        ("China cathode material shipments in 2023", ["2023"]),
        ("Global lithium-ion battery separator market, 2024-2033", ["2024", "2033"]),
        ("Lithium Outlook Q1 2024: supply and demand", []),  # when the outlook was written, not its figures' year
        ("Market update, March 2024", []),
        ("Lithium-ion Battery Recycling Market Size to Hit USD 54.8 Billion by 2034", []),  # the year of that figure
    ],
)
def test_a_heading_names_the_year_of_the_text_under_it_unless_it_dates_an_edition_or_states_a_figure(heading, years):
    assert heading_years(heading) == years


def test_a_sentence_under_an_edition_s_heading_takes_no_year_from_it(tmp_path, vocabulary):
    body = "# Lithium Outlook Q1 2024: supply and demand\n\n## Supply\nAustralia supplied nearly 44% of mined lithium.\n"
    body += "\n# Lithium in 2023\n\nAustralia supplied nearly 45% of mined lithium.\n"
    drafts = _drafts(tmp_path, vocabulary, body, "lithium")
    # seeds: "mined" names the mine supply series (tests/extraction_corpus/vocabulary/cue_words.csv)
    assert [(row["metric"], row["segment"], row["year"]) for row in drafts] == [
        ("mine_supply_share", "australia", ""),
        ("mine_supply_share", "australia", "2023"),
    ]


def test_a_heading_stating_a_figure_gives_its_year_to_that_figure_only(tmp_path, vocabulary):
    body = "# Recycling Market Size to Hit USD 54.8 Billion by 2034\n\n## Market size\n"
    body += "Hydrometallurgical processes can recover 88%-96% of lithium, nickel and cobalt.\n"
    drafts = _drafts(tmp_path, vocabulary, body, "battery_recycling")
    assert [(row["metric"], row["value"], row["year"]) for row in drafts] == [
        ("market_value", "54.8", "2034"),
        ("recycling_recovery_rate", "88", ""),
    ]


def test_a_figure_of_a_year_named_only_relative_to_another_is_listed_never_drafted(tmp_path, vocabulary):
    body = "# Suppliers\n\nLG Energy Solution ranked third with a 13.6 percent share in 2023.\n"
    body += "Its share a year earlier had been 14.1 percent.\n"
    body += "Consumption reached 705.5 GWh in 2023, 38.6 percent higher than the 509.2 GWh of the year before.\n"
    result = _extraction(tmp_path, vocabulary, body, "ev_batteries")
    assert [(row.row["value_as_published"], row.row["metric"], row.row["year"]) for row in result.drafts] == [
        ("13.6 percent", "share", "2023"),
        ("705.5 GWh", "volume", "2023"),
        ("38.6 percent", "yoy_growth", "2023"),  # "than ... the year before" is the change's base, not a relative year
    ]
    listed = {number: why for _, number, why in result.not_drafted}
    assert "a year earlier" in listed["14.1 percent"]  # not a CAGR either: "a year earlier" is a time, not "per year"
    assert "the year before" in listed["509.2 GWh"]


def test_a_count_without_a_unit_word_is_a_figure_only_of_the_market_itself(tmp_path, vocabulary):
    body = "# Drivers\n\nThe page puts expected worldwide EV sales in 2023 at more than 14 million.\n"
    separators = _extraction(tmp_path, vocabulary, body, "battery_separators")
    assert separators.drafts == []  # the separator report says no unit for EV sales: listed
    assert [number for _, number, _ in separators.not_drafted] == ["2023", "14"]
    cars = _drafts(tmp_path, vocabulary, "# Sales\n\nNearly 13 million new electric cars were registered in 2023.\n", "electric_vehicles")
    assert [(row["metric"], row["value"], row["unit"]) for row in cars] == [("volume", "13", "million_units")]


def test_a_rate_over_a_stretch_the_sentence_leaves_open_takes_no_period_from_the_heading(tmp_path, vocabulary):
    body = "# Global lithium battery separator market, 2023-2033\n\n## Drivers\n"
    body += "The page expects separator output to grow by potentially over 20% a year in the coming years.\n"
    body += "The CAGR given for that growth is 9.5%.\n"
    result = _extraction(tmp_path, vocabulary, body, "battery_separators")
    assert [(row.row["value"], row.row["period_start_year"], row.row["period_end_year"]) for row in result.drafts] == [
        ("9.5", "2023", "2033")
    ]
    assert [why.split(" with ")[0] for _, number, why in result.not_drafted if number == "20%"] == ["a rate"]


def _shares(tmp_path, vocabulary, body: str, market: str) -> list[tuple[str, str, str, str]]:
    return [(row["value"], row["metric"], row["dimension"], row["segment"]) for row in _drafts(tmp_path, vocabulary, body, market)]


def test_a_share_of_the_market_is_a_split_and_a_base_cue_names_the_metric_of_a_share_of_another_base(tmp_path, vocabulary):
    body = "# Sales in 2023\n\nChina accounted for about 57% of global electric car sales.\n"
    body += "Germany accounted for nearly 7% of the market.\n"
    body += "Electric cars accounted for around 17% of all cars sold in 2023, up from 13% in 2022.\n"
    assert _shares(tmp_path, vocabulary, body, "electric_vehicles") == [
        ("57", "share", "country", "china"),  # "sales" is this market's own noun (seeds/cue_words.csv)
        ("7", "share", "country", "germany"),
        ("17", "ev_sales_share", "total", "total"),  # base cue "cars sold": a share of all cars, no split of EV sales
        ("13", "ev_sales_share", "total", "total"),  # "up from 13%": the same share's earlier value, of the same base
    ]
    nickel = "# Nickel sulphate, 2010\n\nNickel sulphate amounted to 3% of the total nickel market in 2010.\n"
    assert _shares(tmp_path, vocabulary, nickel, "nickel_sulphate") == [("3", "share_of_parent_market", "total", "total")]


def test_a_share_on_a_base_nothing_names_is_listed_never_drafted_as_the_market_s_share(tmp_path, vocabulary):
    body = "# China, 2023\n\nIn 2021, PHEVs had been 17% of sales.\nPHEVs made up 18% of battery demand in China in 2023.\n"
    result = _extraction(tmp_path, vocabulary, body, "ev_batteries")
    assert [(row.row["value"], row.row["metric"]) for row in result.drafts] == [("18", "share")]
    assert [why for _, number, why in result.not_drafted if number == "17%"] == [
        "about 'sales', which no metric of seeds/metrics.csv measures: not a figure of the market"
    ]


def test_the_cost_of_a_battery_is_a_battery_cost_and_a_citation_s_year_is_not_the_figure_s(tmp_path, vocabulary):
    body = "# Cost\n\nCiting the International Energy Agency (IEA, 2024), the page says cathode materials account for "
    body += "up to 35–50% of total cell cost.\nCathode materials account for 5%-15% of the cost of a lithium-ion battery.\n"
    body += "Lithium carbonate accounts for 35%-55% of the cost of LFP cathode material.\n"
    result = _extraction(tmp_path, vocabulary, body, "cathode_materials")
    assert [(row.row["value"], row.row["metric"], row.row["year"], row.row["cited_publisher"]) for row in result.drafts] == [
        ("35", "cost_share", "", "IEA"),
        ("5", "cost_share", "", ""),
    ]
    assert [why.split(",")[0] for _, number, why in result.not_drafted if number == "35%-55%"] == ["about 'LFP cathode material cost'"]
