"""The consensus of two real publishers of one market (issue 27), checked against the numbers their
documents print: Grand View Research and ResearchAndMarkets on battery recycling, stored documents and
curated rows frozen in tests/fixtures/battery_recycling/ (the warehouse's own content when the test was
written), added to the fixture project as a data engineer adds a report. Validated and built once by
`dbt build` (the assertions read marts only, none of what a refresh adds: Dagster, the GX gate, the
publish, the site). Every expected number is read from the documents' sentences here and combined with
the statistics module: the 2023 consensus of 1.83 and 26.9 US$ billion, 2030 from ResearchAndMarkets
alone, 2024 its geometric step from 2023 towards 2030 (the declared derivation of a year between two
reported ones)."""

from __future__ import annotations

import re
import shutil
import statistics

import pytest

from tests.added_reports import validated_build, warehouse_rows
from tests.helpers import REPO, append_seed_row, copy_project, read_csv

FROZEN = REPO / "tests" / "fixtures" / "battery_recycling"
KEY = (
    "market_key = 'battery_recycling' and metric = 'market_value' and dimension = 'total' and region_key = 'global' and unit_key = 'usd_bn'"
)
GVR, RNM = "gvr_battery_recycling_2024", "rnm_battery_recycling_2023"


def printed(document: str, pattern: str) -> float:
    """The number a document's sentence prints (US$ billion)."""
    text = (FROZEN / "reports" / document).read_text(encoding="utf-8")
    return float(re.search(pattern, text).group(1))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("recycling") / "project")
    for document in (FROZEN / "reports").iterdir():
        shutil.copyfile(document, root / "reports" / document.name)
    for seed in ("markets", "reports", "report_figures"):
        for row in read_csv(FROZEN / f"{seed}.csv"):
            append_seed_row(root / "seeds" / f"{seed}.csv", **row)
    return validated_build(root, "recycling")


def test_the_consensus_of_two_real_publishers_is_the_statistics_of_what_their_documents_print(built):
    gvr_2023 = printed("battery-recycling-grand-view-research-2023-2030.md", r"worth USD ([\d.]+) billion in 2023")
    rnm_2023 = printed("battery-recycling-researchandmarkets-2022-2030.md", r"at USD ([\d.]+) billion in 2023")
    rnm_2030 = printed("battery-recycling-researchandmarkets-2022-2030.md", r"USD ([\d.]+) billion by 2030")
    rows = warehouse_rows(
        built,
        "select figure_year, publisher_count, reported_count, derived_count, median_value, mean_value, low_value, low_held_by, "
        f"high_value, high_held_by, stddev_value, coefficient_of_variation_pct from marts.market_consensus where {KEY} "
        "and figure_year in (2023, 2024, 2030) order by figure_year",
    )
    both = (gvr_2023, rnm_2023)
    assert rows[0] == (
        2023,
        2,
        2,
        0,
        pytest.approx(statistics.median(both)),
        pytest.approx(statistics.mean(both)),
        pytest.approx(gvr_2023),
        f"Grand View Research ({GVR})",
        pytest.approx(rnm_2023),
        f"ResearchAndMarkets ({RNM})",
        pytest.approx(statistics.stdev(both)),
        pytest.approx(statistics.stdev(both) / statistics.mean(both) * 100),
    )
    # 2024: ResearchAndMarkets' value between its 2023 and 2030, derived (Grand View states a CAGR, no level)
    step = rnm_2023 * (rnm_2030 / rnm_2023) ** (1 / 7)
    assert rows[1][:5] == (2024, 1, 0, 1, pytest.approx(step))
    assert rows[2][:5] == (2030, 1, 1, 0, pytest.approx(rnm_2030))
    # the history: ResearchAndMarkets first (June 2023), then Grand View moves 2023's median by the difference
    history = warehouse_rows(
        built,
        f"select moved_by_report_ids, median_value, median_change from marts.market_consensus_history where {KEY} and figure_year = 2023 "
        "order by as_of_date",
    )
    assert history == [
        (RNM, pytest.approx(rnm_2023), None),
        (GVR, pytest.approx(statistics.median(both)), pytest.approx(statistics.median(both) - rnm_2023)),
    ]
