"""Amounts a curator reads whole (issue 25): a price per unit ("$121/kWh") is drafted in the unit of
seeds/units.csv that counts it (usd_per_kwh) and listed when none does ("$4.10 per pound"); a pair
"508 GW/1,432 GWh" is two amounts, each of the metric named with its own quantity (GW is power, GWh
energy); the market's own name before a number names no segment. Each on a scratch document with the
extraction corpus's frozen vocabulary, never the live seeds."""

from __future__ import annotations

import pytest

from tests.extraction_corpus.score import corpus_vocabulary, extract_scratch


@pytest.fixture(scope="module")
def vocabulary():
    return corpus_vocabulary()


def _extraction(tmp_path, vocabulary, body: str, market: str):
    return extract_scratch(tmp_path, vocabulary, body, market)


def _key(row: dict[str, str]) -> tuple[str, ...]:
    return (row["value_as_published"], row["metric"], row["dimension"], row["segment"], row["value"], row["unit"], row["year"])


def test_a_price_per_unit_is_drafted_in_the_unit_that_counts_it_and_listed_when_none_does(tmp_path, vocabulary):
    body = "# Prices\n\nBattery pack prices fell 17% in 2024 to $121/kWh.\nCell prices in Europe were EUR 132 per kWh in 2023.\n"
    body += "The graphite price averaged $4.10 per pound in 2023.\n"
    result = _extraction(tmp_path, vocabulary, body, "lithium_ion_batteries")
    assert [_key(draft.row) for draft in result.drafts] == [
        ("17%", "battery_pack_price_yoy_growth", "total", "total", "-17", "percent", "2024"),
        ("$121/kWh", "battery_pack_price", "total", "total", "121", "usd_per_kwh", "2024"),
        ("EUR 132 per kWh", "cell_price", "total", "total", "132", "eur_per_kwh", "2023"),
    ]
    assert [why.split(" (")[0] for _, number, why in result.not_drafted if number == "4.10"] == ["a number per unit"]


def test_a_pair_of_amounts_is_two_figures_each_of_the_metric_named_with_its_quantity(tmp_path, vocabulary):
    body = "# Storage, 2030\n\nBNEF expects capacity of 508 GW/1,432 GWh by 2030.\nAnnual additions reach 110 GW/372 GWh by 2030.\n"
    result = _extraction(tmp_path, vocabulary, body, "energy_storage")
    assert [(*_key(draft.row)[:2], draft.row["unit"]) for draft in result.drafts] == [
        ("508 GW", "cumulative_power_capacity", "gw"),
        ("1,432 GWh", "cumulative_energy_capacity", "gwh"),
        ("110 GW", "annual_power_additions", "gw"),
        ("372 GWh", "annual_energy_additions", "gwh"),
    ]


def test_the_market_s_own_name_before_a_number_names_no_segment_of_it(tmp_path, vocabulary):
    body = "# Storage\n\n## Annual additions\n"
    body += "Worldwide annual energy storage additions rise at a 27% compound annual growth rate from 2023 to 2030.\n"
    (draft,) = _extraction(tmp_path, vocabulary, body, "energy_storage").drafts
    assert (draft.row["metric"], draft.row["dimension"], draft.row["segment"]) == ("annual_additions_cagr", "total", "total")


def test_a_count_without_a_unit_word_is_a_figure_only_of_what_its_sentence_names(tmp_path, vocabulary):
    body = "# Sales in 2023\n\nNearly 13 million new electric cars were registered worldwide in 2023.\n"
    cars = _extraction(tmp_path, vocabulary, body, "electric_vehicles")  # corpus cue_words: electric cars are this market
    separators = _extraction(tmp_path, vocabulary, body, "battery_separators")  # here they are no series of the vocabulary
    assert [_key(draft.row) for draft in cars.drafts] == [("13 million", "volume", "total", "total", "13", "million_units", "2023")]
    assert separators.drafts == [] and "13" in [number for _, number, _ in separators.not_drafted]


@pytest.mark.parametrize(
    "sentence, part",
    [
        ("CATL's share for the January-November period had been 37.4 percent.", "January-November"),
        ("In the first half, CATL held 38% of the market.", "first half"),
    ],
)
def test_a_figure_of_part_of_a_year_is_listed_never_drafted_as_the_year_s(tmp_path, vocabulary, sentence, part):
    result = _extraction(tmp_path, vocabulary, f"# Usage in 2023\n\n{sentence}\nCATL held 36.8% in 2023.\n", "ev_batteries")
    assert [draft.row["value"] for draft in result.drafts] == ["36.8"]
    assert [why.split(":")[0] for _, _, why in result.not_drafted if why != "a year"] == [f"a figure of part of a year ({part})"]


def test_a_level_after_a_change_is_of_the_change_s_year_never_of_an_earlier_turn(tmp_path, vocabulary):
    body = "# Supply\n\nMine supply grew again in 2021 after falling in 2020, rising 12% y/y to 160 kt.\n"
    drafts = [draft.row for draft in _extraction(tmp_path, vocabulary, body, "cobalt").drafts]
    assert [(row["value_as_published"], row["metric"], row["year"]) for row in drafts] == [
        ("12%", "mine_supply_yoy_growth", "2021"),
        ("160 kt", "mine_supply", "2021"),
    ]


def test_a_place_after_what_a_share_is_of_is_its_scope(tmp_path, vocabulary):
    body = "# Plug-in hybrids\n\nPHEVs made up 18% of battery demand in China in 2023.\n"
    (draft,) = _extraction(tmp_path, vocabulary, body, "ev_batteries").drafts
    assert (draft.row["dimension"], draft.row["segment"], draft.row["region"], draft.row["year"]) == ("powertrain", "phev", "china", "2023")


def test_an_amount_or_a_change_with_no_year_is_listed_and_a_share_may_be_yearless(tmp_path, vocabulary):
    body = "# Supply\n\nRefined supply from primary sources rose 14% y/y to 144 kt.\nThe DRC provided 87% of the annual growth.\n"
    body += "Mine supply reached 160 kt in 2021.\nThat was 12% more than the year before.\n"
    result = _extraction(tmp_path, vocabulary, body, "cobalt")
    assert [(draft.row["value_as_published"], draft.row["year"]) for draft in result.drafts] == [
        ("87%", ""),
        ("160 kt", "2021"),
        ("12%", "2021"),
    ]
    assert [(number, why.split(" with ")[0]) for _, number, why in result.not_drafted if why != "a year"] == [
        ("14%", "a change"),
        ("144 kt", "an amount"),
    ]


@pytest.mark.parametrize(
    "sentence, why",
    [
        ("The Americas' share of gigawatts deployed is expected to be 18% by the decade's end.", "a forecast with no year"),
        ("Outside these three markets, growth in battery demand climbed to more than 70% in 2023.", "a figure of what lies outside"),
    ],
)
def test_a_yearless_forecast_or_a_figure_of_the_rest_of_the_world_is_listed(tmp_path, vocabulary, sentence, why):
    result = _extraction(tmp_path, vocabulary, f"# Regions\n\n{sentence}\n", "energy_storage")
    assert result.drafts == [] and [text[: len(why)] for _, _, text in result.not_drafted if text != "a year"] == [why]


def test_global_is_a_scope_and_never_hides_the_segment_a_change_is_of(tmp_path, vocabulary):
    body = "# Shipments in 2023\n\nEV batteries made up 812.8 GWh of global shipments, up 24.8%.\n"
    drafts = [draft.row for draft in _extraction(tmp_path, vocabulary, body, "lithium_ion_batteries").drafts]
    assert [(row["metric"], row["dimension"], row["segment"], row["region"]) for row in drafts] == [
        ("volume", "application", "ev_batteries", "global"),
        ("yoy_growth", "application", "ev_batteries", "global"),
    ]


def test_the_validator_reads_a_drafted_price_per_unit_and_count_as_extract_drafted_them(tmp_path, vocabulary):
    body = "# Prices\n\nBattery pack prices fell to $121/kWh in 2024.\n\n# Sales\n\nElectric car sales reached 2.9 million in 2023.\n"
    drafts = [draft.row for draft in _extraction(tmp_path, vocabulary, body, "electric_vehicles").drafts]
    read = [vocabulary.spellings.parse(row["value_as_published"]) for row in drafts]  # what the validator's value rules read
    assert [(row["unit"], amount.base_unit, amount.base_value) for row, amount in zip(drafts, read, strict=True)] == [
        ("usd_per_kwh", "usd_per_kwh", 121.0),
        ("million_units", "units", 2.9e6),
    ]
