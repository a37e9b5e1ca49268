"""Precision and recall of `marketwh extract` on the corpus (README.md here says what the texts are).

For every fact sheet, `extract_document` drafts rows with the project's vocabulary seeds plus the
corpus's own rows (`vocabulary/*.csv`: its markets, taxonomies, units and spellings, appended to a
copy of `seeds/` exactly as a data engineer would). A draft is matched to a reviewed truth row by the
printed number and its sentence; it "needs no edit" when its whole tuple agrees: metric, dimension,
segment, region, year or period, value and qualifier.

- precision: drafts needing no edit / all drafts (a draft of a number that is no figure needs deleting);
- recall: truth rows drafted needing no edit / all truth rows;
- number recall: truth rows whose number was drafted at all (in the right sentence) / all truth rows;
- not-figures: numbers that are no figure, drafted as one (they should not be), and listed with a reason
  (as not drafted, or as a problem) on their line.

`python -m tests.extraction_corpus.score` prints the table the README records.
"""

from __future__ import annotations

import csv
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from marketwh.curation.documents import normalize_text
from marketwh.curation.extract import extract_document
from marketwh.curation.vocabulary import Vocabulary

CORPUS = Path(__file__).resolve().parent
REPO = CORPUS.parent.parent
TUPLE = ("metric", "dimension", "segment", "region", "year", "period_start_year", "period_end_year", "value", "qualifier")


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def corpus_seeds(destination: Path) -> Path:
    """The project's seeds with the corpus's vocabulary rows appended (by column name)."""
    seeds = destination / "seeds"
    shutil.copytree(REPO / "seeds", seeds)
    for overlay in sorted((CORPUS / "vocabulary").glob("*.csv")):
        target = seeds / overlay.name
        with open(target, newline="", encoding="utf-8") as handle:
            header = next(csv.reader(handle))
        with open(target, "a", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
            for row in _rows(overlay):
                writer.writerow({column: row.get(column, "") for column in header})
    return seeds


@dataclass
class FileScore:
    name: str
    truth: int = 0
    drafts: int = 0
    exact: int = 0  # drafts matched to a truth row whose tuple agrees
    numbers_found: int = 0
    numbers_listed: int = 0  # not drafted, but listed with why (as not drafted, or as a problem)
    not_figures: int = 0
    not_figures_drafted: int = 0
    not_figures_listed: int = 0
    wrong: list[str] = field(default_factory=list)  # which fields needed an edit, per matched draft


def _normal(row: dict[str, str], vocabulary: Vocabulary) -> tuple:
    metric = row["metric"].removeprefix("another_subject:")
    dimension = {"country": "region"}.get(row["dimension"], row["dimension"])
    segment = row["segment"]
    for candidate in (row["dimension"], "region", "country"):
        key = vocabulary.resolve_segment(candidate, segment) if candidate else None
        if key:
            segment = key
            break
    value = float(row["value"]) if row["value"] not in ("", None) else None
    return (
        metric,
        dimension,
        segment.lower(),
        row["region"],
        row["year"],
        row["period_start_year"],
        row["period_end_year"],
        value,
        row["qualifier"],
    )


def score_file(name: str, market: str, region: str, vocabulary: Vocabulary) -> FileScore:
    extraction = extract_document(CORPUS / f"{name}.md", report_id=name, vocabulary=vocabulary, market=market, region=region)
    truth = _rows(CORPUS / f"{name}.truth.csv")
    drafts = [draft.row for draft in extraction.drafts]
    score = FileScore(name, truth=len(truth), drafts=len(drafts))
    unmatched = list(range(len(drafts)))
    for row in truth:
        quote = normalize_text(row["quote"])
        candidates = [
            i
            for i in unmatched
            if drafts[i]["value_as_published"] == row["value_as_published"] and normalize_text(drafts[i]["quote"]) == quote
        ]
        if not candidates:
            printed_number = re.search(r"\d[\d,. ]*\d|\d", row["value_as_published"]).group(0)
            listed = [why for _line, number, why in extraction.not_drafted if number == printed_number]
            listed += [p.message for p in extraction.problems if row["value_as_published"] in p.message]
            score.numbers_listed += bool(listed)
            score.wrong.append(f"not drafted: {row['value_as_published']!r}" + (f" (listed: {listed[0]})" if listed else " and NOT LISTED"))
            continue
        score.numbers_found += 1
        want = _normal(row, vocabulary)
        best = max(candidates, key=lambda i: sum(a == b for a, b in zip(_normal(drafts[i], vocabulary), want, strict=True)))
        unmatched.remove(best)
        got = _normal(drafts[best], vocabulary)
        if got == want:
            score.exact += 1
        else:
            fields = [f"{f}: {g!r} for {w!r}" for f, g, w in zip(TUPLE, got, want, strict=True) if g != w]
            score.wrong.append(f"{row['value_as_published']!r}: " + "; ".join(fields))
    lines = {draft.line for draft in extraction.drafts}
    for row in _rows(CORPUS / f"{name}.not_figures.csv"):
        score.not_figures += 1
        line, printed = int(row["line"]), row["printed"]
        drafted = any(d.line == line and d.row["value_as_published"] and d.row["value_as_published"] in printed for d in extraction.drafts)
        listed = any(n_line == line and number in printed for n_line, number, _why in extraction.not_drafted) or any(
            p.line == line for p in extraction.problems
        )
        score.not_figures_drafted += drafted
        score.not_figures_listed += listed and not drafted
        if drafted:
            score.wrong.append(f"not a figure, drafted: {printed!r} (line {line}{', drafts on it' if line in lines else ''})")
    return score


def score_corpus() -> list[FileScore]:
    with tempfile.TemporaryDirectory() as scratch:
        vocabulary = Vocabulary.read(corpus_seeds(Path(scratch)))
    return [score_file(row["name"], row["market"], row["region"], vocabulary) for row in _rows(CORPUS / "corpus.csv")]


def totals(scores: list[FileScore]) -> dict[str, float]:
    truth, drafts, exact = (sum(getattr(s, f) for s in scores) for f in ("truth", "drafts", "exact"))
    not_figures = sum(s.not_figures for s in scores)
    return {
        "texts": len(scores),
        "truth": truth,
        "drafts": drafts,
        "precision": exact / drafts if drafts else 0.0,
        "recall": exact / truth if truth else 0.0,
        "number_recall": sum(s.numbers_found for s in scores) / truth if truth else 0.0,
        "numbers_accounted": sum(s.numbers_found + s.numbers_listed for s in scores) / truth if truth else 0.0,
        "not_figures": not_figures,
        "not_figures_drafted": sum(s.not_figures_drafted for s in scores),
        "not_figures_listed": sum(s.not_figures_listed for s in scores) / not_figures if not_figures else 0.0,
    }


def table(scores: list[FileScore]) -> str:
    lines = [
        "| text | truth rows | drafts | need no edit | precision | recall | numbers drafted |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for s in scores:
        precision = s.exact / s.drafts if s.drafts else 0.0
        lines.append(
            f"| {s.name} | {s.truth} | {s.drafts} | {s.exact} | {precision:.2f} | {s.exact / s.truth:.2f} | {s.numbers_found}/{s.truth} |"
        )
    t = totals(scores)
    lines.append(
        f"| **all {t['texts']} texts** | {t['truth']} | {t['drafts']} | {round(t['precision'] * t['drafts'])} | "
        f"**{t['precision']:.2f}** | **{t['recall']:.2f}** | {t['number_recall']:.1%} |"
    )
    lines.append(
        f"\nFigures whose number was drafted or, if not, listed with why: {t['numbers_accounted']:.0%}. "
        f"Numbers that are no figure: {t['not_figures']}; drafted as a figure: {t['not_figures_drafted']}; "
        f"listed with a reason (or as a problem): {t['not_figures_listed']:.0%}."
    )
    return "\n".join(lines)


def main() -> None:
    scores = score_corpus()
    print(table(scores))
    print()
    for s in scores:
        for wrong in s.wrong:
            print(f"{s.name}: {wrong}")


if __name__ == "__main__":
    main()
