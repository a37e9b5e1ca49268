"""What a number is about and when, read as a curator reads it (issue 25): a sentence that points back
("That was 40.8 percent more ...") takes its subject and year from the sentence before and quotes both;
a change's year is never the base it is measured from ("up 74.9% from 2014"); a country in parentheses
describes a company, and a name describing the market ("the lithium-ion battery recycling market") is
the market, not a segment of it; "percent" spelled out is a percentage. Each on a scratch document with
the extraction corpus's frozen vocabulary (tests/fixtures/project seeds plus tests/extraction_corpus/
vocabulary), never the live seeds."""

from __future__ import annotations

import pytest

from marketwh.curation.periods import change_year
from tests.extraction_corpus.score import corpus_vocabulary, extract_scratch


@pytest.fixture(scope="module")
def vocabulary():
    return corpus_vocabulary()


def _drafts(tmp_path, vocabulary, body: str, market: str) -> list[dict[str, str]]:
    return [draft.row for draft in extract_scratch(tmp_path, vocabulary, body, market).drafts]


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
    result = _extraction(tmp_path, vocabulary, body, "ev_batteries")  # the change takes neither CATL nor 2023
    assert [row.row["value_as_published"] for row in result.drafts] == ["259.7 GWh"]
    assert [why.split(" with ")[0] for _, number, why in result.not_drafted if number == "40.8 percent"] == ["a change"]


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
    body = "# Electric car sales in 2023\n\nSales were 31% higher than in 2022.\nExports were 12% lower than in 2022.\n"
    drafts = _drafts(tmp_path, vocabulary, body, "electric_vehicles")
    assert [(row["metric"], row["value"], row["year"]) for row in drafts] == [("yoy_growth", "31", "2023"), ("yoy_growth", "-12", "2023")]


def _extraction(tmp_path, vocabulary, body: str, market: str):
    return extract_scratch(tmp_path, vocabulary, body, market)


@pytest.mark.parametrize(
    "market, sentence, printed, subject",
    [
        ("nickel_sulphate", "BHP's first stage adds 22ktpy Ni of capacity.", "22ktpy Ni", "capacity"),
        ("cobalt", "The European price in 2021 averaged $2.5 below the Chinese metal price.", "$2.5", "price"),
        ("battery_recycling", "That facility can process 10,000 tons of EV battery material each year.", "10,000 tons", "facility"),
    ],
)
def test_a_number_about_a_subject_no_metric_measures_is_listed_never_drafted_as_the_market(
    tmp_path, vocabulary, market, sentence, printed, subject
):
    result = _extraction(tmp_path, vocabulary, f"# Notes\n\n{sentence}\n", market)
    assert result.drafts == []
    assert [(number, why.split(",")[0]) for _, number, why in result.not_drafted if number == printed] == [(printed, f"about {subject!r}")]


def test_a_metric_named_by_its_display_name_is_the_subject_of_the_number_after_it(tmp_path, vocabulary):
    body = "# Prices\n\nBattery pack prices fell 17% in 2024.\nGlobal EV sales crossed 14 million units in 2023.\n"
    drafts = _drafts(tmp_path, vocabulary, body, "cathode_materials")
    assert [(row["metric"], row["value"], row["year"]) for row in drafts] == [
        ("battery_pack_price_yoy_growth", "-17", "2024"),
        ("ev_sales", "14", "2023"),
    ]


def test_a_subject_noun_is_a_row_of_seeds_a_data_engineer_adds(tmp_path):
    from marketwh.curation.vocabulary import Vocabulary
    from tests.extraction_corpus.score import corpus_seeds

    seeds = corpus_seeds(tmp_path / "project")
    body = "# Royalties\n\nRoyalties came to USD 2 billion in 2024.\n"
    before = _extraction(tmp_path, Vocabulary.read(seeds), body, "lithium")
    with open(seeds / "cue_words.csv", "a", encoding="utf-8") as handle:
        handle.write('royalties,subject,,,"Royalties a producer pays: not the market."\n')
    after = _extraction(tmp_path, Vocabulary.read(seeds), body, "lithium")
    assert [row.row["metric"] for row in before.drafts] == ["market_value"]
    assert after.drafts == [] and [why.split(",")[0] for _, number, why in after.not_drafted if number == "USD 2 billion"] == [
        "about 'Royalties'"
    ]


def test_a_dimension_cue_names_the_split_even_when_another_dimension_knows_the_name(tmp_path, vocabulary):
    body = "# Demand, 2024\n\nBy application, stationary storage held 71.8%.\nStationary storage made up 9% of demand.\n"
    result = _extraction(tmp_path, vocabulary, body, "lithium_ion_batteries")
    cued, plain = (draft.row for draft in result.drafts)
    assert cued["dimension"] == "application" and plain["dimension"] == "end_use"
    assert cued["segment"] != plain["segment"]


@pytest.mark.parametrize(
    "market, sentence, printed, why",
    [
        ("cobalt", "Demand increased by 32 kt in 2021 alone.", "32 kt", "an absolute change"),
        ("cobalt", "The DRC provided 87% (15 kt) of the annual growth.", "15 kt", "an absolute change"),
        ("ev_batteries", "No other battery supplier held a share of more than 30 percent.", "30 percent", "a bound"),
        ("solid_state_batteries", "It treats a battery with an electrolyte content below 10% as semi-solid.", "10%", "a bound"),
    ],
)
def test_a_change_of_an_amount_or_a_bound_of_a_definition_is_no_figure(tmp_path, vocabulary, market, sentence, printed, why):
    result = _extraction(tmp_path, vocabulary, f"# Notes\n\n{sentence}\n", market)
    assert printed not in [draft.row["value_as_published"] for draft in result.drafts]
    assert next(reason for _, number, reason in result.not_drafted if number == printed).startswith(why)


@pytest.mark.parametrize(
    "quote, heading, period",
    [
        # no year, no "forecast period": the heading's span, as curators read it (BRI, MGR, QY)
        (
            "The growth rate stated with these values is a CAGR of about 19.22%.",
            "Global separator market, 2024-2033",
            ("2024", "2033", "section"),
        ),
        (
            "The growth rate given for the forecast period is a CAGR of 10.4%.",
            "Global market, 2023-2034",
            ("2026", "2034", "report_forecast_period"),
        ),
        ("Pouch cells are growing at a 22.0% CAGR through 2031.", "Cells, 2020-2031", ("2026", "2031", "report_forecast_period")),
        ("The market grows at a CAGR of 9%.", "Overview", ("2026", "2034", "report_forecast_period")),
    ],
)
def test_a_rate_is_of_its_heading_s_period_unless_it_names_the_forecast_period_or_an_end(quote, heading, period):
    from marketwh.curation.periods import draft_period

    drafted = draft_period(quote, [heading], ("2026", "2034"))
    assert (drafted.start, drafted.end, drafted.source) == period


@pytest.mark.parametrize(
    "heading, sentence, printed, cited",
    [
        (
            "EV demand",
            "Citing the International Energy Agency (IEA, 2024), the page says EV sales crossed 14 million units in 2023.",
            "14 million units",
            "IEA",
        ),
        ("Capacity", "In March this year, BNEF had expected capacity of 1,432 GWh by 2030.", "1,432 GWh", "BNEF"),
        ("Other forecasts cited", "Wood Mackenzie expects 20 GWh by 2030.", "20 GWh", "Wood Mackenzie"),
        ("Outlook", "Wood Mackenzie expects 20 GWh by 2030.", "20 GWh", ""),  # the report's own forecast
    ],
)
def test_a_figure_quoted_from_another_publisher_is_drafted_with_its_cited_publisher(
    tmp_path, vocabulary, heading, sentence, printed, cited
):
    drafts = _drafts(tmp_path, vocabulary, f"# {heading}\n\n{sentence}\n", "energy_storage")
    assert [row["cited_publisher"] for row in drafts if row["value_as_published"] == printed] == [cited]


def test_a_share_of_the_growth_is_the_series_growth_share_never_a_share_of_the_market(tmp_path, vocabulary):
    body = "# Growth, 2023\n\nElectric cars were responsible for 95% of the growth.\nLarger battery size explains about 5% of the rise.\n"
    body += "Cars made up 85% of the y/y growth.\n"
    drafts = _drafts(tmp_path, vocabulary, body, "ev_batteries")
    assert [(row["metric"], row["value"]) for row in drafts] == [("growth_share", "95"), ("growth_share", "5"), ("growth_share", "85")]


def test_a_metric_s_display_name_names_the_metric_a_qualified_change_is_a_growth_and_y_y_is_year_on_year(tmp_path, vocabulary):
    body = (
        "# Outlook, 2030\n\nIn 2030 solid-state batteries are expected to reach a penetration rate of around 10%.\n"
        "Production rose by as much as 21% in 2018.\n"
        "Mine supply grew again in 2021 after falling in 2020, rising 12% y/y to 160 kt.\n"
        "SK On (South Korea) ranked fifth with 4.9 percent.\n"
    )
    drafts = _drafts(tmp_path, vocabulary, body, "cobalt")
    assert [
        (row["metric"], row["value"], row["year"], row["dimension"], row["segment"])
        for row in drafts
        if row["value_as_published"] != "160 kt"
    ] == [
        ("penetration_rate", "10", "2030", "total", "total"),
        ("production_yoy_growth", "21", "2018", "total", "total"),
        ("mine_supply_yoy_growth", "12", "2021", "total", "total"),
        ("share", "4.9", "2030", "company", "sk_on"),
    ]


def test_a_group_s_share_together_is_the_concentration_a_metric_cue_names(tmp_path, vocabulary):
    body = (
        "# Makers, 2023\n\nChinese makers held a combined share of 61.8%.\nThe top 10 makers together held over 88% of the market.\n"
        "CATL held 36.8%.\n"
    )
    drafts = _drafts(tmp_path, vocabulary, body, "lithium_ion_batteries")
    assert [(row["metric"], row["value"]) for row in drafts] == [("concentration", "61.8"), ("concentration", "88"), ("share", "36.8")]


def test_a_place_before_a_segment_is_its_scope_and_a_market_s_own_cue_outranks_a_display_name(tmp_path, vocabulary):
    china = _drafts(
        tmp_path, vocabulary, "# China, 2023\n\nGlobal shipments of energy storage batteries reached 218.6 GWh.\n", "lithium_ion_batteries"
    )
    assert [(row["dimension"], row["segment"], row["region"]) for row in china] == [("application", "energy_storage_batteries", "global")]
    lithium = _drafts(tmp_path, vocabulary, "# 2023\n\nBatteries accounted for about 84% of lithium demand in 2023.\n", "lithium")
    assert [row["metric"] for row in lithium] == ["demand_share"]  # "of <product> demand": the demand series
    ev = _drafts(tmp_path, vocabulary, "# Overview\n\nIn 2023, demand for EV batteries came to more than 750 GWh.\n", "ev_batteries")
    assert [row["metric"] for row in ev] == ["volume"]  # seeds/cue_words.csv: EV batteries are sized by their demand


def test_a_noun_naming_the_market_itself_is_no_segment_of_it(tmp_path, vocabulary):
    body = "# 2023\n\nIt puts total global battery consumption for electric vehicles at 705.5 GWh for the full year of 2023.\n"
    batteries = _drafts(tmp_path, vocabulary, body, "ev_batteries")  # seeds/cue_words.csv: electric vehicles are this market
    lithium = _drafts(tmp_path, vocabulary, body, "lithium")  # elsewhere they are the automotive end use
    assert [(row["dimension"], row["segment"]) for row in batteries] == [("total", "total")]
    assert [(row["dimension"], row["segment"]) for row in lithium] == [("end_use", "automotive")]


def test_a_heading_that_is_a_subject_names_the_series_of_the_numbers_under_it(tmp_path, vocabulary):
    body = "# Cobalt, 2021\n\n## Demand\nBattery applications made up 85% of the y/y growth.\n"
    body += "\n## Demand and prices\nCars made up 5% of the growth.\n"
    drafts = _drafts(tmp_path, vocabulary, body, "cobalt")
    assert [row["metric"] for row in drafts] == ["demand_growth_share", "growth_share"]


def test_a_number_whose_clause_names_nothing_is_of_the_sentence_s_subject_not_its_last_member(tmp_path, vocabulary):
    body = "# Makers in 2024\n\nThe top five players, Umicore, BASF and LG Chem, held about 41% of the market in 2024.\n"
    (draft,) = _drafts(tmp_path, vocabulary, body, "cathode_materials")
    assert (draft["metric"], draft["dimension"], draft["segment"]) == ("concentration", "company", "top_five_cathode_makers")
