"""The one-pass readers (issue 23, class 6) read what the quadratic ones they replace read: on random
small inputs, heading tags paired in one pass give the text the lazy `<h1>(.*?)</h1>` regex gave, and
the names of a sentence found once give each number the subject one pattern per name found. The
attack timings are in tests/faults/test_linear_reading.py."""

from __future__ import annotations

import random
import re

from marketwh.curation.documents import _html_headings
from marketwh.curation.extract.attribution import Names

_LAZY_HEADING = re.compile(r"<h([1-6])\b[^<>]*>(.*?)</h\1\s*>", re.IGNORECASE | re.DOTALL)
_WHITESPACE = re.compile(r"\s+")


def _lazy_headings(body: str) -> str:
    return _LAZY_HEADING.sub(lambda m: f"\n\n{'#' * int(m[1])} {_WHITESPACE.sub(' ', m[2])}\n\n", body)


def test_headings_paired_in_one_pass_read_as_the_lazy_regex_read_them():
    pieces = ["<h1>", "</h1>", "<h2 class='x'>", "</H2 >", "<h3>", "</h3>", "<h12>", "text", " ", "\n", "a  b", "<p>", "</h1x>"]
    rng = random.Random(23)
    for _ in range(3_000):
        body = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        assert _html_headings(body) == _lazy_headings(body), repr(body)


def _last_name_per_pattern(text: str, names: list[tuple[str, str, str]]):
    """The reader before: one pattern per name, scanned for every number."""
    best = None
    for dimension, name, key in names:
        for match in re.finditer(rf"(?<![\w$]){re.escape(name)}(?![\w$])", text, re.IGNORECASE):
            rank = (match.end(), len(name))
            if best is None or rank > best[0]:
                best = (rank, (dimension, match.group(0), key, match.end()))
    return best[1] if best else None


def test_names_found_once_per_sentence_give_each_position_the_subject_one_pattern_per_name_gave():
    entries = [
        ("type", "natural graphite", "natural_graphite"),
        ("type", "graphite powder", "graphite_powder"),
        ("type", "graphite", "graphite"),
        ("region", "North America", "north_america"),
        ("region", "America", "america"),
        ("company", "3M", "3m"),
        ("type", "Other", "other"),
        ("application", "other", "other_application"),
    ]
    names = Names(sorted(entries, key=lambda entry: -len(entry[1])))
    words = ["natural", "graphite", "powder", "North", "America", "3M", "other", "Other", "the", ",", "and", "5%"]
    rng = random.Random(11)
    for _ in range(1_500):
        sentence = " ".join(rng.choice(words) for _ in range(rng.randint(1, 12)))
        found = names.in_sentence(sentence)
        for position in [m.start() for m in re.finditer("5%", sentence)]:  # where a number starts
            for start in {0, *(m.end() for m in re.compile(" ").finditer(sentence, 0, position))}:  # where a clause may start
                expected = _last_name_per_pattern(sentence[start:position], names.entries)
                got = found.last(start, position)
                if expected is not None:
                    expected = (*expected[:3], expected[3] + start)
                assert got == expected, (sentence, start, position)
