"""Qualifiers and restatements as the validator sees them, on a fixture copy (no build): a qualifier is
a row of seeds/qualifiers.csv (data, read by the validator and `marketwh extract` alike); a value stated
twice in two wordings, and two values for one figure in two quotes (the publisher's finding, judged in
dbt), pass; the same quote entered with two values does not (tests/bad_inputs/22)."""

from __future__ import annotations

import pytest

from marketwh.curation.extract import extract_document
from marketwh.curation.validation import validate_project
from marketwh.curation.vocabulary import Vocabulary
from marketwh.paths import ProjectPaths
from tests.helpers import add_sentence_to_document, append_seed_row, copy_project, market_value_row

pytestmark = pytest.mark.unit

REPORT = "chem24_anode_2025"


def _problems(root) -> list[str]:
    return [str(p) for p in validate_project(ProjectPaths(root)).problems]


def _add(root, figure_id: str, year: str, value: str, qualifier: str, published: str, sentence: str) -> None:
    add_sentence_to_document(root, REPORT, sentence)
    row = market_value_row(REPORT, figure_id, year, value, qualifier, published, sentence)
    append_seed_row(root / "seeds" / "report_figures.csv", **row)


def test_a_restatement_in_other_words_and_a_publishers_second_value_pass_the_validator(tmp_path):
    root = copy_project(tmp_path / "project")
    _add(
        root,
        "chem24-102",
        "2032",
        "14.7",
        "just under",
        "US$ 14.7 billion",
        "By 2032 the market should be worth just under US$ 14.7 billion.",
    )
    _add(root, "chem24-103", "2024", "5400", "", "US$ 5400 billion", "One key-findings table puts the market at US$ 5400 billion in 2024.")
    assert _problems(root) == []


def test_qualifiers_are_data_for_the_validator_and_extract(tmp_path):
    root = copy_project(tmp_path / "project")
    sentence = "The market is expected to reach well over US$ 9 billion in 2029."
    _add(root, "chem24-104", "2029", "9", "well over", "US$ 9 billion", sentence)
    assert any("[unknown_qualifier] qualifier 'well over' is not in seeds/qualifiers.csv" in p for p in _problems(root))

    with (root / "seeds" / "qualifiers.csv").open("a", encoding="utf-8") as seed:
        seed.write('well over,above,,"Above the printed number, with no upper bound stated."\n')
    assert _problems(root) == []
    document = root / "reports" / "global-anode-active-material-market-2025-2032.md"
    drafts = extract_document(document, REPORT, Vocabulary.read(root / "seeds"), market="anode_materials", region="global").drafts
    assert [(d.row["value"], d.row["qualifier"]) for d in drafts if d.row["quote"] == sentence] == [("9", "well over")]
