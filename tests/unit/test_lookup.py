"""A message about a model row names the seed line a curator would edit (marketwh/curation/lookup.py)."""

from __future__ import annotations

import pytest

from marketwh.curation.lookup import ids_in_rows, seed_lines
from tests.helpers import FIXTURE, read_csv

pytestmark = pytest.mark.unit


def test_figure_and_claim_ids_of_model_rows_map_to_their_seed_lines():
    figures = read_csv(FIXTURE / "seeds" / "report_figures.csv")
    claims = read_csv(FIXTURE / "seeds" / "report_claims.csv")
    rows = [
        {"market_figure_id": "x", "source_figure_ids": f"{figures[3]['figure_id']},{figures[0]['figure_id']}"},
        {"claim_id": claims[1]["claim_id"], "source_figure_ids": None},
        {"figure_id": "not-curated"},
    ]
    ids = ids_in_rows(rows)
    assert ids == [figures[3]["figure_id"], figures[0]["figure_id"], claims[1]["claim_id"], "not-curated"]
    assert seed_lines(ids, FIXTURE / "seeds") == [
        f"seeds/report_figures.csv:5 ({figures[3]['figure_id']})",
        f"seeds/report_figures.csv:2 ({figures[0]['figure_id']})",
        f"seeds/report_claims.csv:3 ({claims[1]['claim_id']})",
    ]


def test_a_row_spanning_lines_is_named_by_the_line_it_starts_on(tmp_path):
    (tmp_path / "report_figures.csv").write_text('figure_id,quote\na-1,"one\ntwo"\na-2,three\n', encoding="utf-8")
    assert seed_lines(["a-2", "a-1"], tmp_path) == ["seeds/report_figures.csv:4 (a-2)", "seeds/report_figures.csv:2 (a-1)"]
