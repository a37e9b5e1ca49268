"""`marketwh extract PATH`: propose draft seed rows for every figure a report document states.

It reads the document (markup removed per line, as quotes are matched), splits it into sentences
and proposes one draft row per number: money values with currency, scale word and year, volumes
with their unit, CAGRs with their period, year-on-year growth, and percentage shares with the
segment named before them and their year, keeping qualifiers ("more than", "around", "over") and
the exact sentence as the quote. A figure it cannot read (a CAGR printed as "4.4%9%") is listed as
a problem with its line, never guessed. It never writes into seeds/: a person reviews the draft
and copies the rows they accept.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problem
from .amounts import MONEY_RE, NUMBER, PERCENT_RE, VOLUME_RE, parse_amount
from .documents import normalize_text, read_report_document
from .seedfiles import spreadsheet_safe
from .vocabulary import UnitIndex, unit_index

FIGURE_COLUMNS = [
    "figure_id",
    "report_id",
    "metric",
    "dimension",
    "segment",
    "region",
    "year",
    "period_start_year",
    "period_end_year",
    "value",
    "unit",
    "qualifier",
    "value_as_published",
    "basis",
    "section",
    "quote",
]
QUALIFIERS = (
    "more than",
    "less than",
    "at least",
    "up to",
    "around",
    "about",
    "approximately",
    "nearly",
    "almost",
    "over",
    "under",
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“(])")
_YEAR = re.compile(r"\b(19\d{2}|20\d{2}|21\d{2})\b")
_PERIOD = re.compile(r"\b((?:19|20|21)\d{2})\s*(?:-|–|—|to|through|and)\s*((?:19|20|21)\d{2})\b")
# "5%-15%", "5% to 15%", "5-15%" (not "2016 to 84%": without a % the low end must be joined by a dash)
_RANGE = re.compile(rf"(?P<low>{NUMBER})(?:%\s?(?:-|–|to)\s?|(?:-|–))(?P<high>{NUMBER})%")
_GARBLED = re.compile(r"\d[\d.,]*%[\d.,]*\d[\d.,]*%|\d[\d.,]*%\d")  # "4.4%9%": two numbers run together
_HEADING = re.compile(r"^\s*#{1,6}\s+(.*)$")
_RATE_WORDS = re.compile(r"\bCAGR\b|compound annual|per year|a year\b|annually|annual growth", re.IGNORECASE)
_YOY_WORDS = re.compile(r"\bYoY\b|year-on-year|year on year", re.IGNORECASE)
# "fell -5.4% in 2020", "rose 12% in 2021": a change stated for one year is that year's growth
_CHANGE_VERB_BEFORE = re.compile(r"\b(?:rose|fell|grew|declined|increased|decreased|dropped|jumped|shrank)\s+(?:by\s+)?$", re.IGNORECASE)


@dataclass
class Draft:
    line: int
    row: dict[str, str]


@dataclass
class Extraction:
    path: Path
    drafts: list[Draft] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=FIGURE_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for draft in self.drafts:
            writer.writerow({column: spreadsheet_safe(value) for column, value in draft.row.items()})
        return out.getvalue()


def _qualifier(before: str) -> str:
    tail = before.rstrip().lower()
    for qualifier in QUALIFIERS:
        if tail.endswith(qualifier) or tail.endswith(qualifier + " of"):
            return qualifier
    return ""


def _year_near(sentence: str, start: int, end: int) -> str:
    """The year a number belongs to: the first year after it (\"5.4 billion in 2024\"), before the next
    number; otherwise the nearest year before it (\"In 2020, ... made up 76.3%\")."""
    after = sentence[end:]
    next_number = re.search(r"\d[\d ,.]*\s?(?:%|billion|million|tons|US\$)", after)
    window = after[: next_number.start()] if next_number else after
    found = _YEAR.search(window)
    if found:
        return found.group(1)
    before = _YEAR.findall(sentence[:start])
    if before:
        return before[-1]
    later = _YEAR.search(after)  # "rose 97% YoY to 720 000 tons in 2021"
    return later.group(1) if later else ""


def _segment_before(sentence: str, start: int, names: list[tuple[str, str, str]]) -> tuple[str, str]:
    """The segment a share belongs to: the last known segment name (or synonym) before the number,
    after the previous percentage. Returns (dimension, name as printed)."""
    previous = max((m.end() for m in PERCENT_RE.finditer(sentence, 0, start)), default=0)
    for window_start in (previous, 0):  # since the previous share; else anywhere before ("from 67% ... to 84%")
        window = sentence[window_start:start]
        best = ("", "", (-1, 0))
        for dimension, name, _key in names:
            for match in re.finditer(rf"(?<![\w$]){re.escape(name)}(?![\w$])", window, re.IGNORECASE):
                rank = (match.end(), len(name))  # the last name; of names ending together the longest
                if rank > best[2]:
                    best = (dimension, match.group(0), rank)
        if best[2][0] >= 0:
            return best[0], best[1]
    return "", ""


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def extract_document(
    path: Path,
    report_id: str = "",
    names: list[tuple[str, str, str]] | None = None,
    region: str = "",
    units: UnitIndex | None = None,
) -> Extraction:
    """Propose a draft seed row for every figure the document states. Units come from
    seeds/units.csv (the project's own, unless `units` is given), so a draft only names units
    that exist; an amount no unit matches is a problem."""
    document = read_report_document(path)
    if units is None:
        from ..paths import ProjectPaths

        units = unit_index(ProjectPaths.default().seeds_dir)
    names = sorted(names or [], key=lambda n: -len(n[1]))  # longest names first: "natural graphite" before "graphite"
    result = Extraction(path)
    report_id = report_id or path.stem
    section = ""
    in_front_matter = document.raw.startswith("---\n")
    for number, raw_line in enumerate(document.lines, start=1):
        if in_front_matter:
            if number > 1 and raw_line.strip() == "---":
                in_front_matter = False
            continue
        heading = _HEADING.match(raw_line)
        if heading:
            section = normalize_text(heading.group(1))
            continue
        text = normalize_text(raw_line)
        if not text:
            continue
        for sentence in _sentences(text):
            _extract_sentence(sentence, number, section, report_id, region, names, units, result)
    for index, draft in enumerate(result.drafts, start=1):
        draft.row["figure_id"] = f"{report_id}-draft-{index:03d}"
    return result


def _row(report_id, region, section, sentence, **fields) -> dict[str, str]:
    row = {column: "" for column in FIGURE_COLUMNS}
    row.update(report_id=report_id, region=region, basis="reported", section=section, quote=sentence, dimension="total", segment="total")
    row.update({k: v for k, v in fields.items() if v is not None})
    return row


def _fmt(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".")


def _extract_sentence(sentence, line, section, report_id, region, names, units: UnitIndex, result: Extraction) -> None:
    found: list[tuple[int, Draft]] = []  # (position in the sentence, draft)
    taken: list[tuple[int, int]] = []

    def claim(match: re.Match) -> bool:
        """Take the span of a match unless an earlier reading already took part of it."""
        if any(match.start() < end and match.end() > start for start, end in taken):
            return False
        taken.append((match.start(), match.end()))
        return True

    def add(match: re.Match, **fields) -> None:
        found.append((match.start(), Draft(line, _row(report_id, region, section, sentence, **fields))))

    def unit_of(match: re.Match, amount) -> str:
        unit = units.get((amount.quantity, amount.currency or "", amount.scale), "")
        if not unit:
            result.problems.append(
                Problem(
                    str(result.path),
                    line,
                    "unknown_unit",
                    f"{match.group(0)!r}: no unit in seeds/units.csv for {amount.quantity} "
                    f"{amount.currency or ''} at scale {amount.scale:g}; add one",
                )
            )
        return unit

    def printed(match: re.Match, amount) -> dict[str, str]:
        """The columns every single amount fills: its year, value, unit, qualifier and printed text."""
        return dict(
            year=_year_near(sentence, match.start(), match.end()),
            value=_fmt(amount.number),
            unit=unit_of(match, amount),
            qualifier=_qualifier(sentence[: match.start()]),
            value_as_published=match.group(0).strip(),
        )

    for garbled in _GARBLED.finditer(sentence):
        claim(garbled)
        result.problems.append(
            Problem(
                str(result.path),
                line,
                "unparseable_figure",
                f"cannot read {garbled.group(0)!r} as one number; check the source and enter it by hand",
            )
        )

    # ranges first ("5%-15%"): two figures, the low and the high end
    for match in _RANGE.finditer(sentence):
        if not claim(match):
            continue
        year = _year_near(sentence, match.start(), match.end())
        for text, qualifier in ((match["low"] + "%", "range_min"), (match["high"] + "%", "range_max")):
            amount = parse_amount(text)
            add(
                match,
                metric="share",
                year=year,
                value=_fmt(amount.number),
                unit=unit_of(match, amount),
                qualifier=qualifier,
                value_as_published=text,
            )

    for match in VOLUME_RE.finditer(sentence):
        if not claim(match):
            continue
        amount = parse_amount(match.group(0))
        dimension, segment = _segment_before(sentence, match.start(), names)
        add(match, metric="volume", dimension=dimension or "total", segment=segment or "total", **printed(match, amount))

    for match in MONEY_RE.finditer(sentence):
        if not (match["cur_pre"] or match["cur_post"]):
            continue
        amount = parse_amount(match.group(0))
        if amount is None or not claim(match):
            continue
        add(match, metric="market_value", **printed(match, amount))

    for match in PERCENT_RE.finditer(sentence):
        if not claim(match):
            continue
        fields = printed(match, parse_amount(match.group(0)))
        year = fields.pop("year")
        if _YOY_WORDS.search(sentence[max(0, match.start() - 40) : match.end() + 20]) or _CHANGE_VERB_BEFORE.search(
            sentence[: match.start()]
        ):
            add(match, metric="yoy_growth", year=year, **fields)
            continue
        dimension, segment = _segment_before(sentence, match.start(), names)
        if _RATE_WORDS.search(sentence):
            period = _PERIOD.search(sentence[match.end() :]) or _PERIOD.search(sentence[: match.start()])
            add(
                match,
                metric="cagr",
                period_start_year=period.group(1) if period else "",
                period_end_year=period.group(2) if period else "",
                dimension=dimension or "total",
                segment=segment or "total",
                **fields,
            )
        else:
            add(match, metric="share", year=year, dimension=dimension, segment=segment, **fields)
    found.sort(key=lambda item: item[0])  # in the order the sentence states them
    result.drafts.extend(draft for _, draft in found)
