"""`marketwh acknowledge` writes a curated, validated seed row, and only for a finding that exists."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from marketwh.curation.acknowledgements import acknowledge
from marketwh.curation.validation import validate_project
from marketwh.errors import MarketWarehouseError
from marketwh.paths import ProjectPaths
from tests.helpers import FIXTURE, read_csv

KEY = "segment_growth_matches_shares:qy_battery_anode_2021:qy21-006"
FINDINGS = [{"finding_key": KEY, "report_id": "qy_battery_anode_2021"}]


@pytest.fixture
def seeds(tmp_path):
    folder = tmp_path / "seeds"
    shutil.copytree(FIXTURE / "seeds", folder)
    return folder


def test_acknowledging_a_finding_appends_a_valid_seed_row(seeds, tmp_path):
    shutil.copytree(FIXTURE / "reports", tmp_path / "reports")
    row = acknowledge(seeds, FINDINGS, KEY, "=QY states 76.6% while its shares imply 67.6%.", "analyst", dt.date(2026, 11, 25))
    assert read_csv(seeds / "finding_acknowledgements.csv") == [row]
    assert row["reason"].startswith("'=")  # a formula prefix is neutralised for spreadsheets
    assert row["report_id"] == "qy_battery_anode_2021" and row["acknowledged_on"] == "2026-11-25"
    assert validate_project(ProjectPaths(tmp_path)).errors == []
    with pytest.raises(MarketWarehouseError, match="acknowledged already"):
        acknowledge(seeds, FINDINGS, KEY, "again", "analyst", dt.date(2026, 11, 25))


def test_an_unknown_key_is_refused_with_the_nearest_one(seeds):
    with pytest.raises(MarketWarehouseError, match=f"did you mean '{KEY}'"):
        acknowledge(seeds, FINDINGS, KEY.replace("006", "007"), "reason", "analyst", dt.date(2026, 11, 25))
    assert read_csv(seeds / "finding_acknowledgements.csv") == []
