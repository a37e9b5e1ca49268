"""`marketwh extract` on the extraction corpus (tests/extraction_corpus/README.md): twelve real public
report summaries, whose accepted rows are the curators' seed rows, and fourteen synthetic fact sheets.
Each text's precision and recall of the drafted (metric, dimension, segment, region, year or period,
value, unit, qualifier, cited publisher) tuples is held to its record in scores.csv: a ratchet, not an
absolute floor. A change that makes any text worse fails here; one that makes a text better fails
too until scores.csv records it (`python -m tests.extraction_corpus.ratchet`), in the same commit.

The corpus itself is checked first: its vocabulary rows pass the validator's vocabulary rules on top
of the fixture's seeds (tests/fixtures/project), every reviewed row names vocabulary keys and quotes
its text, and every number of a text is accounted for. `pytest -s` prints the table."""

from __future__ import annotations

import pytest

from tests.extraction_corpus.checks import truth_problems, unexplained_numbers, vocabulary_problems
from tests.extraction_corpus.ratchet import ratchet_problems, read_record
from tests.extraction_corpus.score import (
    FileScore,
    categories_table,
    corpus_seeds,
    corpus_vocabulary,
    score_corpus,
    table,
    totals,
)


@pytest.fixture(scope="module")
def scores():
    return score_corpus()


def test_corpus_vocabulary_rows_pass_the_vocabulary_rules(tmp_path):
    assert vocabulary_problems(corpus_seeds(tmp_path)) == []


def test_reviewed_rows_name_vocabulary_keys_and_quote_their_text():
    assert truth_problems(corpus_vocabulary()) == []


def test_every_number_of_a_text_is_a_reviewed_figure_a_listed_not_figure_or_a_year():
    assert unexplained_numbers() == []


def test_no_text_scores_other_than_its_record(scores):
    print("\n" + table(scores) + "\n\n" + categories_table(scores))
    assert len(scores) >= 26 and all(score.truth > 0 for score in scores)
    assert ratchet_problems(scores, read_record()) == [], table(scores)


def test_the_ratchet_refuses_a_text_that_got_worse_or_better_unrecorded(scores):
    record = read_record()
    worse = FileScore(scores[0].name, truth=scores[0].truth, drafts=scores[0].drafts + 1, exact=scores[0].exact - 1)
    better = FileScore(scores[1].name, truth=scores[1].truth, drafts=scores[1].drafts, exact=scores[1].exact + 1)
    assert any("fell" in problem for problem in ratchet_problems([worse], record))
    assert any("record it" in problem for problem in ratchet_problems([better], record))
    assert ratchet_problems([FileScore("a-text-nobody-recorded", truth=1)], record)[0].endswith("record it")


def test_every_figure_is_drafted_or_listed_with_why_not(scores):
    unaccounted = [f"{m.text}: {m.printed}" for s in scores for m in s.misses if m.detail == "NOT LISTED"]
    assert totals(scores)["numbers_accounted"] == 1.0, unaccounted


def test_no_number_that_is_no_figure_is_drafted_and_each_is_listed(scores):
    """Dates, phone and section numbers, misprints, a company's plant, a price, an absolute change, a bound
    of a definition: never drafted as a figure (least of all as the market's), each listed with why or
    reported as a problem on its line."""
    result = totals(scores)
    assert result["not_figures_drafted"] == 0, [f"{m.text}: {m.printed}" for s in scores for m in s.misses if m.kind == "extra"]
    assert result["not_figures_listed"] == 1.0
