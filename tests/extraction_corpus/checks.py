"""Checks of the corpus itself (tests/unit/test_extraction_corpus.py runs them): its vocabulary rows pass
the validator's vocabulary checks, every reviewed row names known keys and quotes a whole sentence
that prints its value, every not-figure stands on its line, and no number of a text is unexplained."""

from __future__ import annotations

import re
from pathlib import Path

from marketwh.curation.amounts import occurs_as_number, parse_number
from marketwh.curation.documents import normalize_text, read_report_document
from marketwh.curation.vocabulary import Vocabulary
from tests.extraction_corpus.score import CORPUS, read_rows, texts

_YEAR = re.compile(r"^(?:19|20|21)\d{2}$")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9])")


def vocabulary_problems(seeds: Path) -> list[str]:
    """The validator's checks of the vocabulary seeds, on the fixture's seeds plus the corpus's rows."""
    from marketwh.curation.seedfiles import load_seed_schemas, read_seed
    from marketwh.curation.validation.vocabulary import load_vocabulary
    from marketwh.curation.vocabulary import VOCABULARY_SEEDS

    schemas = load_seed_schemas(seeds)
    problems: list = []
    tables = {}
    for name in VOCABULARY_SEEDS:
        table, read_problems = read_seed(seeds / f"{name}.csv", schemas[name])
        tables[name] = table
        problems += read_problems
    load_vocabulary(tables, problems.append)
    return [str(p) for p in problems]


def truth_problems(vocabulary: Vocabulary) -> list[str]:
    """What is wrong with the reviewed rows: each names vocabulary keys (a metric of seeds/metrics.csv,
    a segment of its dimension shared by every market or of the text's market, a region or country,
    a unit whose quantity is the metric's), quotes a whole sentence of its text that prints its value,
    and each not-figure stands on its line."""
    found = []
    for text in texts():
        name, market = text["name"], text["market"]
        document = read_report_document(CORPUS / f"{name}.md")
        for number, row in enumerate(read_rows(CORPUS / f"{name}.truth.csv"), start=2):
            where = f"{name}.truth.csv:{number}"
            metric, unit = vocabulary.metrics.get(row["metric"]), vocabulary.units.get(row["unit"])
            if metric is None:
                found.append(f"{where}: metric {row['metric']!r} is not in metrics.csv")
            if unit is None:
                found.append(f"{where}: unit {row['unit']!r} is not in units.csv")
            if metric and unit and not vocabulary.quantity_fits(unit["quantity"], metric["quantity"]):
                found.append(f"{where}: unit {row['unit']} is {unit['quantity']}, metric {row['metric']} is {metric['quantity']}")
            key = row["segment"]
            if key not in vocabulary.segments.get(row["dimension"], {}):
                found.append(f"{where}: segment {row['dimension']}:{key} is not a key of segments.csv")
            elif vocabulary.segment_market(row["dimension"], key) not in ("", market):
                found.append(f"{where}: segment {row['dimension']}:{key} belongs to another market than {market}")
            if row["region"] not in vocabulary.regions:
                found.append(f"{where}: region {row['region']!r} is not a region or country key")
            places = document.occurrences(row["quote"])
            if not places or not document.is_whole_sentence(places):
                found.append(f"{where}: the quote is not a whole sentence of {name}.md")
            if not occurs_as_number(row["value_as_published"], row["quote"]):
                found.append(f"{where}: {row['value_as_published']!r} is not printed in the quote")
            printed = re.search(r"\d[\d,. ]*\d|\d", row["value_as_published"])
            if printed is None or abs(float(row["value"])) != parse_number(printed.group(0).rstrip(". ")):
                found.append(f"{where}: value {row['value']} is not the printed number {row['value_as_published']!r}")
        lines = document.lines
        for number, row in enumerate(read_rows(CORPUS / f"{name}.not_figures.csv"), start=2):
            line = int(row["line"])
            if not 0 < line <= len(lines) or row["printed"] not in normalize_text(lines[line - 1]):
                found.append(f"{name}.not_figures.csv:{number}: {row['printed']!r} is not on line {line}")
    return found


def unexplained_numbers() -> list[str]:
    """Runs of digits in a body that are neither part of a reviewed figure's printed value (in its
    sentence), nor of a listed not-figure on their line, nor a standalone year."""
    found = []
    for text in texts():
        name = text["name"]
        document = read_report_document(CORPUS / f"{name}.md")
        truth = read_rows(CORPUS / f"{name}.truth.csv")
        not_figures = read_rows(CORPUS / f"{name}.not_figures.csv")
        body_starts = 1 + next(i for i, line in enumerate(document.lines) if i > 0 and line.strip() == "---")
        for number, raw in enumerate(document.lines[body_starts:], start=body_starts + 1):
            line = re.sub(r"^\s*(?:#{1,6}|[-*+])\s+", "", normalize_text(raw))
            covered: list[tuple[int, int]] = []
            for row in truth:
                # a quote of several sentences (the curator's, to carry the year or subject) may span lines
                for part in _SENTENCE.split(normalize_text(row["quote"])):
                    for sentence in re.finditer(re.escape(part), line):
                        for printed in re.finditer(re.escape(row["value_as_published"]), part):
                            covered.append((sentence.start() + printed.start(), sentence.start() + printed.end()))
            for row in not_figures:
                if int(row["line"]) == number:
                    covered += [(m.start(), m.end()) for m in re.finditer(re.escape(row["printed"]), line)]
            for digits in re.finditer(r"\d+", line):
                token = re.match(r"[\d]+", line[digits.start() :]).group(0)
                if _YEAR.match(token) or any(s <= digits.start() and digits.end() <= e for s, e in covered):
                    continue
                found.append(f"{name}.md:{number}: {token!r} in {line[:60]!r}")
    return found
