"""Precision and recall of `marketwh extract` on the corpus (README.md here says what the texts are).

For every fact sheet, `extract_document` drafts rows with the fixture's vocabulary seeds plus the
corpus's own rows (`vocabulary/*.csv`: its markets, metrics, taxonomies, units and spellings, appended
to a copy of tests/fixtures/project/seeds/ by column name, exactly as a data engineer adding these
reports would). The drafted tuples are compared with the reviewed ones as multisets:

- a tuple is (metric, dimension, segment, region, year, period_start_year, period_end_year, value,
  unit, qualifier, cited_publisher); the value is compared as a number; a draft matches a reviewed
  row of the same tuple whose quote holds the draft's quote or is held by it (a curator may quote
  the sentence before too, to name the year: "CATL installed 259.7 GWh in 2023. That was 40.8 percent
  more ...");
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
# fmt: off
FIELDS = ("metric", "dimension", "segment", "region", "year", "period_start_year", "period_end_year",
          "value", "unit", "qualifier", "cited_publisher")
# fmt: on
# a figure review left out of the seeds (a reason in NAME.not_figures.csv): drafting it costs a deletion
# (precision), but it is a figure, so it is not held to the rule that no non-figure is drafted
LEFT_OUT = "left_out_by_review"
_YEAR = re.compile(r"^(?:19|20|21)\d{2}$")


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def texts() -> list[dict[str, str]]:
    """The corpus's texts: name, market and default region (corpus.csv)."""
    return read_rows(CORPUS / "corpus.csv")


def corpus_seeds(destination: Path) -> Path:
    """A copy of the fixture's seeds with the corpus's vocabulary rows appended (matched by column
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


def extract(path: Path, report_id: str, vocabulary: Vocabulary, market: str, region: str, forecast=None):
    """`extract_document` with the corpus vocabulary, the text's market, region and declared forecast period."""
    return extract_document(path, report_id=report_id, vocabulary=vocabulary, market=market, region=region, forecast=forecast)


def extract_scratch(directory: Path, vocabulary: Vocabulary, body: str, market: str):
    """`extract` on a global scratch text written into `directory` (the unit tests' sentences)."""
    (document := directory / "text.md").write_text(body, encoding="utf-8")
    return extract(document, "text", vocabulary, market, "global")


def _tuple(row: dict[str, str]) -> tuple:
    value = float(row["value"]) if row.get("value") not in ("", None) else None
    return tuple(value if f == "value" else row.get(f, "") or "" for f in FIELDS)


def _same_place(draft: dict[str, str], reviewed: dict[str, str]) -> bool:
    """The draft quotes the reviewed row's sentence: one quote holds the other."""
    drafted, quoted = normalize_text(draft["quote"]), normalize_text(reviewed["quote"])
    return drafted in quoted or quoted in drafted


def _pairs(drafts: list[dict[str, str]], truth: list[dict[str, str]], same) -> list[tuple[dict, dict]]:
    """Each reviewed row paired with the first free draft `same` accepts for it."""
    free, pairs = list(drafts), []
    for row in truth:
        draft = next((d for d in free if same(d, row)), None)
        if draft is not None:
            free.remove(draft)
            pairs.append((draft, row))
    return pairs


def _exact(draft: dict[str, str], row: dict[str, str]) -> bool:
    return _tuple(draft) == _tuple(row) and _same_place(draft, row)


def _same_number(draft: dict[str, str], row: dict[str, str]) -> bool:
    return draft["value_as_published"] == row["value_as_published"] and _same_place(draft, row)


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
    left_out: int = 0  # figures review left out of the seeds (their drafts are deletions: see precision)
    not_figures_drafted: int = 0
    not_figures_listed: int = 0
    misses: list[Miss] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.exact / self.drafts if self.drafts else 0.0

    @property
    def recall(self) -> float:
        return self.exact / self.truth if self.truth else 0.0


def score_text(name: str, market: str, region: str, vocabulary: Vocabulary, forecast=None) -> FileScore:
    extraction = extract(CORPUS / f"{name}.md", report_id=name, vocabulary=vocabulary, market=market, region=region, forecast=forecast)
    not_drafted = getattr(extraction, "not_drafted", [])  # (line, printed, why)
    drafts = [draft.row for draft in extraction.drafts]
    truth = read_rows(CORPUS / f"{name}.truth.csv")
    score = FileScore(name, truth=len(truth), drafts=len(drafts))

    matched = _pairs(drafts, truth, _exact)
    score.exact = len(matched)
    score.numbers_found = len(_pairs(drafts, truth, _same_number))

    # pair what is left by printed number and sentence, to say which fields need an edit
    spare_truth = [r for r in truth if not any(r is t for _, t in matched)]
    spare_drafts = [d for d in drafts if not any(d is m for m, _ in matched)]
    for row in spare_truth:
        pair = next((d for d in spare_drafts if _same_number(d, row)), None)
        if pair is None:
            why = _why_not_drafted(row, not_drafted, extraction.problems)
            score.numbers_listed += why is not None
            detail = f"listed: {why}" if why else "NOT LISTED"
            score.misses.append(Miss(name, row["value_as_published"], detail=detail, kind="not_drafted"))
            continue
        spare_drafts.remove(pair)
        edits = [(f, g, w) for f, g, w in zip(FIELDS, _tuple(pair), _tuple(row), strict=True) if g != w]
        detail = "; ".join(f"{f}: {g!r} -> {w!r}" for f, g, w in edits)
        score.misses.append(Miss(name, row["value_as_published"], tuple(f for f, _, _ in edits), detail))
    for draft in spare_drafts:
        score.misses.append(Miss(name, draft["value_as_published"], detail=draft["quote"][:60], kind="extra"))

    for row in read_rows(CORPUS / f"{name}.not_figures.csv"):
        if row["reason"] == LEFT_OUT:
            score.left_out += 1
            continue
        score.not_figures += 1
        line, printed = int(row["line"]), row["printed"]
        drafted = any(d.line == line and d.row["value_as_published"] and d.row["value_as_published"] in printed for d in extraction.drafts)
        listed = any(n_line == line and number in printed for n_line, number, _why in not_drafted) or any(
            p.line == line for p in extraction.problems
        )
        score.not_figures_drafted += drafted
        score.not_figures_listed += listed and not drafted  # a drafted one is already a miss: a draft no row accepts
    return score


def _why_not_drafted(row: dict[str, str], not_drafted, problems) -> str | None:
    number = re.search(r"\d[\d,. ]*\d|\d", row["value_as_published"]).group(0)
    whole = re.compile(rf"(?<![\d.,]){re.escape(number)}(?![\d]|[.,]\d)")  # listed as printed: "14%", "22ktpy Ni"
    reasons = [why for _line, printed, why in not_drafted if whole.search(printed)]
    reasons += [p.message for p in problems if row["value_as_published"] in p.message]
    return reasons[0] if reasons else None


def score_corpus() -> list[FileScore]:
    vocabulary = corpus_vocabulary()
    return [score_text(t["name"], t["market"], t["region"], vocabulary, _forecast(t)) for t in texts()]


def _forecast(text: dict[str, str]) -> tuple[str, str] | None:
    """The text's declared forecast period (corpus.csv, as seeds/reports.csv registers it), if any."""
    start, end = text.get("forecast_start_year", ""), text.get("forecast_end_year", "")
    return (start, end) if start or end else None


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
        "left_out": sum(s.left_out for s in scores),
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
        f"listed with a reason (or as a problem): {t['not_figures_listed']:.0%}. "
        f"Figures review left out of the seeds: {t['left_out']}."
    )
    return "\n".join(lines)


def categories_table(scores: list[FileScore]) -> str:
    lines = ["| what a reviewer edits | rows |", "|---|---:|"]
    lines += [f"| {category} | {count} |" for category, count in miss_categories(scores).most_common()]
    return "\n".join(lines)


def main() -> None:
    scores = score_corpus()
    print(f"{table(scores)}\n\n{categories_table(scores)}\n")
    for s in scores:
        for miss in s.misses:
            print(f"{s.name}: {miss.category}: {miss.printed!r} ({miss.detail})")


if __name__ == "__main__":
    main()
