"""The corpus's ratchet: each text's precision, recall and drafted non-figures as last recorded
(scores.csv here). A change to `marketwh extract` may not make any text worse; one that makes a text
better records the new scores in the same commit (`python -m tests.extraction_corpus.ratchet`), so the
record is always what the extractor does, never a target set by hand."""

from __future__ import annotations

import csv
from pathlib import Path

from tests.extraction_corpus.score import CORPUS, FileScore, score_corpus, table

RECORD = CORPUS / "scores.csv"
COLUMNS = ("name", "truth", "drafts", "exact", "precision", "recall", "not_figures_drafted")
_TOLERANCE = 1e-9


def row_of(score: FileScore) -> dict[str, str]:
    return {
        "name": score.name,
        "truth": str(score.truth),
        "drafts": str(score.drafts),
        "exact": str(score.exact),
        "precision": f"{score.precision:.4f}",
        "recall": f"{score.recall:.4f}",
        "not_figures_drafted": str(score.not_figures_drafted),
    }


def read_record(path: Path = RECORD) -> dict[str, dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return {row["name"]: row for row in csv.DictReader(handle)}


def write_record(scores: list[FileScore], path: Path = RECORD) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(row_of(score) for score in scores)


def ratchet_problems(scores: list[FileScore], record: dict[str, dict[str, str]]) -> list[str]:
    """Each text below its record (worse), above it (better, but not recorded), or not recorded."""
    found = []
    for score in scores:
        recorded = record.get(score.name)
        if recorded is None:
            found.append(f"{score.name}: no row in scores.csv; record it")
            continue
        now = {"precision": round(score.precision, 4), "recall": round(score.recall, 4)}
        for measure, value in now.items():
            was = float(recorded[measure])
            if value < was - _TOLERANCE:
                found.append(f"{score.name}: {measure} fell from {was:.4f} to {value:.4f}")
            elif value > was + _TOLERANCE:
                found.append(f"{score.name}: {measure} rose from {was:.4f} to {value:.4f}; record it in scores.csv")
        if score.not_figures_drafted > int(recorded["not_figures_drafted"]):
            found.append(f"{score.name}: {score.not_figures_drafted} non-figures drafted, recorded {recorded['not_figures_drafted']}")
        elif score.not_figures_drafted < int(recorded["not_figures_drafted"]):
            found.append(f"{score.name}: fewer non-figures drafted ({score.not_figures_drafted}); record it in scores.csv")
    found += [f"{name}: recorded in scores.csv but not in corpus.csv" for name in sorted(set(record) - {s.name for s in scores})]
    return found


def main() -> None:
    scores = score_corpus()
    write_record(scores)
    print(table(scores))
    print(f"\nrecorded in {RECORD.relative_to(CORPUS.parent.parent)}")


if __name__ == "__main__":
    main()
