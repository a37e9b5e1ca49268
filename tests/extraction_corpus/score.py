"""Precision and recall of `marketwh extract` on the corpus (README.md here says what the texts are).

For every fact sheet, `extract_document` drafts rows with the project's vocabulary seeds plus the
corpus's own rows (`vocabulary/*.csv`: its markets, metrics, taxonomies, units and spellings, appended
to a copy of `seeds/` by column name, exactly as a data engineer adding these reports would). The
drafted tuples are compared with the reviewed ones as multisets:

- a tuple is (metric, dimension, segment, region, year, period_start_year, period_end_year, value,
  qualifier) plus the quote (whitespace collapsed); the value is compared as a number;
- precision: drafted tuples that a reviewer accepts unchanged / all drafts;
- recall: reviewed tuples drafted unchanged / all reviewed tuples;
- number recall: reviewed figures whose printed number was drafted in their sentence at all;
- not-figures: numbers that are no figure (dates, phone and section numbers, misprints) drafted as a
  figure (they must not be), and listed with why (as not drafted, or as a problem on their line).

Each wrong or missing draft is also paired with the reviewed row of the same printed number and
sentence, to say which fields a reviewer edits (`Miss.category`).

`python -m tests.extraction_corpus.score` prints the table docs/adding-a-report.md records and every
edit.
"""

from __future__ import annotations

import csv
import inspect
import re
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from marketwh.curation.documents import normalize_text
from marketwh.curation.extract import extract_document
from marketwh.curation.vocabulary import Vocabulary

CORPUS = Path(__file__).resolve().parent
REPO = CORPUS.parent.parent
# the vocabulary the corpus overlays is the tests' frozen one, never the live seeds/ (which grow with each market)
FIXTURE = REPO / "tests" / "fixtures" / "project"
FIELDS = ("metric", "dimension", "segment", "region", "year", "period_start_year", "period_end_year", "value", "qualifier")
_YEAR = re.compile(r"^(?:19|20|21)\d{2}$")


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def texts() -> list[dict[str, str]]:
    """The corpus's texts: name, market and default region (corpus.csv)."""
    return read_rows(CORPUS / "corpus.csv")


def corpus_seeds(destination: Path) -> Path:
    """A copy of the project's seeds with the corpus's vocabulary rows appended (matched by column
    name; a seed the project does not have yet is written as the corpus has it)."""
    seeds = destination / "seeds"
    shutil.copytree(FIXTURE / "seeds", seeds)
    for overlay in sorted((CORPUS / "vocabulary").glob("*.csv")):
        target = seeds / overlay.name
        if not target.exists():
            shutil.copyfile(overlay, target)
            continue
        with open(target, newline="", encoding="utf-8") as handle:
            header = next(csv.reader(handle))
        text = target.read_text(encoding="utf-8")
        with open(target, "a", newline="", encoding="utf-8") as handle:
            if text and not text.endswith("\n"):
                handle.write("\n")
            writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
            for row in read_rows(overlay):
                writer.writerow({column: row.get(column, "") for column in header})
    return seeds


def corpus_vocabulary() -> Vocabulary:
    with tempfile.TemporaryDirectory() as scratch:
        return Vocabulary.read(corpus_seeds(Path(scratch)))


def extract(path: Path, report_id: str, vocabulary: Vocabulary, market: str, region: str):
    """`extract_document` with the corpus vocabulary, whichever of its signatures is installed: the
    vocabulary itself (`vocabulary=`, `market=`), or the older segment names and unit index."""
    parameters = inspect.signature(extract_document).parameters
    arguments: dict[str, object] = {"report_id": report_id, "region": region}
    if "vocabulary" in parameters:
        arguments["vocabulary"] = vocabulary
        if "market" in parameters:
            arguments["market"] = market
    else:
        names = getattr(vocabulary, "taxonomy_names", None) or vocabulary.segment_names
        arguments["names"] = names(market) if "market" in inspect.signature(names).parameters else names()
        arguments["units"] = vocabulary.unit_index()
    return extract_document(path, **{k: v for k, v in arguments.items() if k in parameters})


def _tuple(row: dict[str, str]) -> tuple:
    value = float(row["value"]) if row["value"] not in ("", None) else None
    return (*(value if f == "value" else row[f] for f in FIELDS), normalize_text(row["quote"]))


def _printed(row: dict[str, str]) -> tuple[str, str]:
    return row["value_as_published"], normalize_text(row["quote"])


@dataclass
class Miss:
    """A reviewed row not drafted as is, or a draft no reviewed row accepts: what a reviewer does."""

    text: str
    printed: str
    fields: tuple[str, ...] = ()  # the fields to edit, when a draft of the same number and sentence exists
    detail: str = ""
    kind: str = "edit"  # edit | not_drafted | extra

    @property
    def category(self) -> str:
        if self.kind != "edit":
            return {"not_drafted": "not drafted", "extra": "drafted, but no figure"}[self.kind]
        return " + ".join(self.fields)


@dataclass
class FileScore:
    name: str
    truth: int = 0
    drafts: int = 0
    exact: int = 0  # drafts equal to a reviewed tuple (multiset intersection)
    numbers_found: int = 0  # reviewed figures whose number was drafted in their sentence
    numbers_listed: int = 0  # reviewed figures not drafted but listed with why (not drafted, or a problem)
    not_figures: int = 0
    not_figures_drafted: int = 0
    not_figures_listed: int = 0
    misses: list[Miss] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.exact / self.drafts if self.drafts else 0.0

    @property
    def recall(self) -> float:
        return self.exact / self.truth if self.truth else 0.0


def score_text(name: str, market: str, region: str, vocabulary: Vocabulary) -> FileScore:
    extraction = extract(CORPUS / f"{name}.md", report_id=name, vocabulary=vocabulary, market=market, region=region)
    not_drafted = getattr(extraction, "not_drafted", [])  # (line, printed, why)
    drafts = [draft.row for draft in extraction.drafts]
    truth = read_rows(CORPUS / f"{name}.truth.csv")
    score = FileScore(name, truth=len(truth), drafts=len(drafts))

    matched = Counter(_tuple(r) for r in drafts) & Counter(_tuple(r) for r in truth)
    score.exact = sum(matched.values())
    found = Counter(_printed(r) for r in drafts) & Counter(_printed(r) for r in truth)
    score.numbers_found = sum(found.values())

    # pair what is left by printed number and sentence, to say which fields need an edit
    spare_truth, spare_drafts = _unmatched(truth, matched), _unmatched(drafts, matched)
    for row in spare_truth:
        pair = next((d for d in spare_drafts if _printed(d) == _printed(row)), None)
        if pair is None:
            why = _why_not_drafted(row, not_drafted, extraction.problems)
            score.numbers_listed += why is not None
            detail = f"listed: {why}" if why else "NOT LISTED"
            score.misses.append(Miss(name, row["value_as_published"], detail=detail, kind="not_drafted"))
            continue
        spare_drafts.remove(pair)
        edits = [(f, g, w) for f, g, w in zip(FIELDS, _tuple(pair)[: len(FIELDS)], _tuple(row)[: len(FIELDS)], strict=True) if g != w]
        detail = "; ".join(f"{f}: {g!r} -> {w!r}" for f, g, w in edits)
        score.misses.append(Miss(name, row["value_as_published"], tuple(f for f, _, _ in edits), detail))
    for draft in spare_drafts:
        score.misses.append(Miss(name, draft["value_as_published"], detail=draft["quote"][:60], kind="extra"))

    for row in read_rows(CORPUS / f"{name}.not_figures.csv"):
        score.not_figures += 1
        line, printed = int(row["line"]), row["printed"]
        drafted = any(d.line == line and d.row["value_as_published"] and d.row["value_as_published"] in printed for d in extraction.drafts)
        listed = any(n_line == line and number in printed for n_line, number, _why in not_drafted) or any(
            p.line == line for p in extraction.problems
        )
        score.not_figures_drafted += drafted
        score.not_figures_listed += listed and not drafted  # a drafted one is already a miss: a draft no row accepts
    return score


def _unmatched(rows: list[dict[str, str]], matched: Counter) -> list[dict[str, str]]:
    """The rows left when the matched tuples are taken out (each match takes one row)."""
    left, spare = Counter(matched), []
    for row in rows:
        if left[_tuple(row)] > 0:
            left[_tuple(row)] -= 1
        else:
            spare.append(row)
    return spare


def _why_not_drafted(row: dict[str, str], not_drafted, problems) -> str | None:
    number = re.search(r"\d[\d,. ]*\d|\d", row["value_as_published"]).group(0)
    reasons = [why for _line, printed, why in not_drafted if printed == number]
    reasons += [p.message for p in problems if row["value_as_published"] in p.message]
    return reasons[0] if reasons else None


def score_corpus() -> list[FileScore]:
    vocabulary = corpus_vocabulary()
    return [score_text(t["name"], t["market"], t["region"], vocabulary) for t in texts()]


def totals(scores: list[FileScore]) -> dict[str, float]:
    truth, drafts, exact = (sum(getattr(s, f) for s in scores) for f in ("truth", "drafts", "exact"))
    not_figures = sum(s.not_figures for s in scores)
    return {
        "texts": len(scores),
        "truth": truth,
        "drafts": drafts,
        "exact": exact,
        "precision": exact / drafts if drafts else 0.0,
        "recall": exact / truth if truth else 0.0,
        "number_recall": sum(s.numbers_found for s in scores) / truth if truth else 0.0,
        "numbers_accounted": sum(s.numbers_found + s.numbers_listed for s in scores) / truth if truth else 0.0,
        "not_figures": not_figures,
        "not_figures_drafted": sum(s.not_figures_drafted for s in scores),
        "not_figures_listed": sum(s.not_figures_listed for s in scores) / not_figures if not_figures else 0.0,
    }


def miss_categories(scores: list[FileScore]) -> Counter:
    """What a reviewer edits, most often first: the fields of a draft to correct, or a figure to add
    or delete."""
    return Counter(miss.category for s in scores for miss in s.misses)


def table(scores: list[FileScore]) -> str:
    lines = [
        "| text | truth rows | drafts | need no edit | precision | recall | numbers drafted |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for s in scores:
        lines.append(
            f"| {s.name} | {s.truth} | {s.drafts} | {s.exact} | {s.precision:.2f} | {s.recall:.2f} | {s.numbers_found}/{s.truth} |"
        )
    t = totals(scores)
    lines.append(
        f"| **all {t['texts']} texts** | {t['truth']} | {t['drafts']} | {t['exact']} | "
        f"**{t['precision']:.2f}** | **{t['recall']:.2f}** | {t['number_recall']:.1%} |"
    )
    lines.append(
        f"\nFigures whose number was drafted or, if not, listed with why: {t['numbers_accounted']:.0%}. "
        f"Numbers that are no figure: {t['not_figures']}; drafted as a figure: {t['not_figures_drafted']}; "
        f"listed with a reason (or as a problem): {t['not_figures_listed']:.0%}."
    )
    return "\n".join(lines)


def categories_table(scores: list[FileScore]) -> str:
    lines = ["| what a reviewer edits | rows |", "|---|---:|"]
    lines += [f"| {category} | {count} |" for category, count in miss_categories(scores).most_common()]
    return "\n".join(lines)


def main() -> None:
    scores = score_corpus()
    print(table(scores))
    print()
    print(categories_table(scores))
    print()
    for s in scores:
        for miss in s.misses:
            print(f"{s.name}: {miss.category}: {miss.printed!r} ({miss.detail})")


if __name__ == "__main__":
    main()
