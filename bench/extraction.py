"""The extraction part of the benchmark: `marketwh extract` on the corpus of tests/extraction_corpus/
(twelve real report summaries and fourteen synthetic fact sheets), precision and recall per text and
overall, printed and written between the extraction:scores markers of docs/adding-a-report.md. It
takes seconds (no refresh), so `make bench-extraction` runs it alone.

    .venv/bin/python bench/extraction.py            # print and rewrite the docs table
    .venv/bin/python bench/extraction.py --no-docs  # print only
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from bench.results import update_docs  # noqa: E402

EXTRACTION_PAGE = REPO / "docs" / "adding-a-report.md"
MARKERS = ("<!-- extraction:scores:start -->", "<!-- extraction:scores:end -->")


def extraction_text() -> str:
    """The corpus's table (per text and overall) and what a reviewer edits, by kind."""
    from tests.extraction_corpus.score import categories_table, score_corpus, table  # the corpus lives with the tests

    start = time.perf_counter()
    scores = score_corpus()
    seconds = time.perf_counter() - start
    recorded = datetime.now(UTC).strftime("%Y-%m-%d")
    return (
        f"Measured {recorded} ({len(scores)} texts drafted and scored in {seconds:.1f} s):\n\n"
        + table(scores)
        + "\n\nWhat a reviewer edits, by kind:\n\n"
        + categories_table(scores)
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-docs", action="store_true", help="leave docs/adding-a-report.md alone")
    args = parser.parse_args()
    text = extraction_text()
    print(text)
    if not args.no_docs:
        update_docs(EXTRACTION_PAGE, text, MARKERS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
