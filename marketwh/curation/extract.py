"""`marketwh extract PATH`: propose draft seed rows for every figure a report document states.

It reads the document (markup removed per line, as quotes are matched), splits it into sentences
and proposes one draft row per number: money values with currency, scale word and year, volumes
with their unit, CAGRs with their period, year-on-year growth (a decline negative), and percentage
shares, keeping qualifiers ("more than", "surpassed") and the exact sentence as the quote.

Each number is attributed from its own clause with the vocabulary seeds: the metric by kind (the
market's size, growth, rate or share metric of seeds/metrics.csv), the segment or company named
before it (of the shared taxonomy and the report's market), the region it is of ("The Asia Pacific
lithium market was ...", "... of global shipments"), the year or period (in the sentence, else in
the heading above it). A segment the taxonomy does not know is drafted with its words and listed as
a problem, never guessed; so is a figure it cannot read ("4.4%9%", "USD 3.6.2 billion") or an
amount no unit matches. Every other number is listed with why it is not drafted (a year, a date, a
phone or section number, a price per unit, a count without a unit word): nothing is skipped
silently. It never writes into seeds/: a person reviews the draft and copies the rows they accept.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problem
from .amounts import NUMBER, PERCENT_RE, Spellings
from .documents import normalize_text, read_report_document
from .seedfiles import spreadsheet_safe
from .vocabulary import UnitIndex, Vocabulary

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
    "above",
    "below",
    "roughly",
    "close to",
    "surpassed",
    "exceeded",
    "exceeding",
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“(])")
_YEAR = re.compile(r"\b(19\d{2}|20\d{2}|21\d{2})\b")
_PERIOD = re.compile(r"\b((?:19|20|21)\d{2})\s*(?:-|–|—|to|through|and)\s*((?:19|20|21)\d{2})\b")
# "5%-15%", "5% to 15%", "5-15%" (not "2016 to 84%": without a % the low end must be joined by a dash)
_RANGE = re.compile(rf"(?P<low>{NUMBER})(?:%\s?(?:-|–|to)\s?|(?:-|–))(?P<high>{NUMBER})%")
_GARBLED = re.compile(r"\d[\d.,]*%[\d.,]*\d[\d.,]*%|\d[\d.,]*%\d")  # "4.4%9%": two numbers run together
_HEADING = re.compile(r"^\s*#{1,6}\s+(.*)$")
_LIST_MARKER = re.compile(r"^[-*+]\s+")
_RATE_WORDS = re.compile(r"\bCAGR\b|compound annual|per year|a year\b|annually|annual growth", re.IGNORECASE)
_YOY_WORDS = re.compile(r"\bYoY\b|year-on-year|year on year", re.IGNORECASE)
# "fell -5.4% in 2020", "rose 12% in 2021": a change stated for one year is that year's growth
_CHANGE_VERB_BEFORE = re.compile(
    r"\b(?:rose|fell|grew|declined|increased|decreased|dropped|jumped|shrank|(?<!made )(?<!makes )(?<!make )up|down"
    r"|(?:an? )?(?:increase|decrease|decline|drop|fall|rise) of)"
    r"\s+(?:by\s+)?(?:an estimated\s+|about\s+|around\s+|nearly\s+|almost\s+)?$",
    re.IGNORECASE,
)
_DECLINE_BEFORE = re.compile(
    r"\b(?:fell|declined|decreased|dropped|shrank|down|lower|(?:an? )?(?:decrease|decline|drop|fall) of)"
    r"\s+(?:by\s+)?(?:an estimated\s+|about\s+|around\s+|nearly\s+|almost\s+)?$",
    re.IGNORECASE,
)


@dataclass
class Draft:
    line: int
    row: dict[str, str]


@dataclass
class Extraction:
    path: Path
    drafts: list[Draft] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # every other number of the text, with why it is not a figure: nothing is skipped silently
    not_drafted: list[tuple[int, str, str]] = field(default_factory=list)  # (line, printed, why)

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


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def extract_document(
    path: Path,
    report_id: str = "",
    vocabulary: Vocabulary | None = None,
    market: str | None = None,
    region: str = "",
) -> Extraction:
    """Propose a draft seed row for every figure the document states. Spellings, units and segment
    names come from the vocabulary seeds (the project's own unless `vocabulary` is given), segments
    from the shared taxonomy and `market`'s, so a draft only names units and segments that exist;
    an amount no unit matches is a problem."""
    document = read_report_document(path)
    if vocabulary is None:
        from ..paths import ProjectPaths

        vocabulary = Vocabulary.read(ProjectPaths.default().seeds_dir)
    units = vocabulary.unit_index()
    spellings = vocabulary.spellings
    attribution = _attribution(vocabulary, market)
    result = Extraction(path)
    report_id = report_id or path.stem
    section = ""
    headings: list[str] = []  # outermost first: reports state years and periods in headings their sentences leave out
    in_front_matter = document.raw.startswith("---\n")
    for number, raw_line in enumerate(document.lines, start=1):
        if in_front_matter:
            if number > 1 and raw_line.strip() == "---":
                in_front_matter = False
            continue
        heading = _HEADING.match(raw_line)
        if heading:
            section = normalize_text(heading.group(1))
            level = len(raw_line.strip()) - len(raw_line.strip().lstrip("#"))
            headings = [*headings[: level - 1], section]
        # a list item's marker is markup, not text (the quote rule reads it the same way)
        text = _LIST_MARKER.sub("", normalize_text(heading.group(1) if heading else raw_line))
        if not text:
            continue
        for sentence in _sentences(text):
            context = _Context(line=number, section=section, headings=tuple(reversed(headings)), report_id=report_id, region=region)
            _extract_sentence(sentence, context, attribution, units, spellings, result)
    for index, draft in enumerate(result.drafts, start=1):
        draft.row["figure_id"] = f"{report_id}-draft-{index:03d}"
    return result


def _row(report_id, default_region, section, sentence, **fields) -> dict[str, str]:
    row = {column: "" for column in FIGURE_COLUMNS}
    row.update(
        report_id=report_id, region=default_region, basis="reported", section=section, quote=sentence, dimension="total", segment="total"
    )
    row.update({k: v for k, v in fields.items() if v is not None})
    return row


def _fmt(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class _Attribution:
    """What the drafts of one document may name: segment and region names (longest first), and the
    market's metrics by kind, all from the vocabulary seeds."""

    segments: list[tuple[str, str, str]]  # (dimension, name, segment_key), split dimensions
    regions: list[tuple[str, str, str]]  # (dimension, name, segment_key), regions and countries
    level_metrics: dict[str, str]  # quantity -> the market-size metric of that quantity
    metric_of_kind: dict[str, str]  # growth / rate / share -> the market series' stated metric
    market_words: tuple[str, ...]  # how the market itself is named ("lithium", "anode materials")
    dimensions: frozenset[str] = frozenset()  # the taxonomy's dimensions ("By product, ..." names one)


def _attribution(vocabulary: Vocabulary, market: str | None) -> _Attribution:
    longest_first = lambda names: sorted(names, key=lambda n: -len(n[1]))  # noqa: E731
    market_metrics = [vocabulary.metrics[metric] for metric in vocabulary.stated_metrics]
    series = {row["series"] for row in market_metrics if row["is_market_size"] == "true"}
    market_name = vocabulary.markets[market]["display_name"] if market in vocabulary.markets else ""
    return _Attribution(
        segments=longest_first(vocabulary.segment_names(market) + vocabulary.names_of(["company"], market)),
        regions=longest_first(vocabulary.names_of(["region", "country"])),
        level_metrics={row["quantity"]: row["metric"] for row in market_metrics if row["is_market_size"] == "true"},
        metric_of_kind={row["kind"]: row["metric"] for row in market_metrics if row["series"] in series and row["kind"] != "level"},
        market_words=tuple(w.lower() for w in (market_name, (market or "").replace("_", " ")) if w),
        dimensions=frozenset(vocabulary.segments),
    )


# a clause ends at a comma, semicolon or colon, or before "while"/"whereas": a figure's subject is named
# in its own clause, else at the start of its sentence
_CLAUSE_BREAK = re.compile(r"[,;:]\s|\s(?:while|whereas|but|compared with|compared to)\s", re.IGNORECASE)
_UNKNOWN_SEGMENT = re.compile(r"\b(?:the\s+)?(?P<words>[A-Za-z][\w-]*(?:\s+[A-Za-z][\w-]*){0,3})\s+(?:segment|sub-segment|category)\b")
# "lithium carbonate held more than 55%": the words before a share verb name the segment
_SHARE_SUBJECT = re.compile(
    r"(?:^|,\s*|\bBy\s+\w+(?:\s\w+)?,\s*)(?:the\s+)?(?P<words>[A-Za-z][\w-]*(?:\s+[A-Za-z][\w-]*){0,3}?)\s+(?:segment\s+)?"
    r"(?:held|holds|accounted for|accounts for|made up|makes up|represented|represents|captured|dominated|led)\b[^%]*$",
    re.IGNORECASE,
)
_GENERIC_SUBJECTS = ("market", "industry", "it", "this", "which", "that", "they", "sales", "demand", "revenue")
_DIGITS = re.compile(r"(?:(?<![\w])[-−+])?\d[\d,.]*\d|\d")  # a sign only where it cannot be a dash of a range
_WHY_NOT = (
    (re.compile(r"^\d{4}-\d{2}-\d{2}$"), "a date"),
    (re.compile(r"^(?:19|20|21)\d{2}$"), "a year"),
    (re.compile(r"^\d+(?:\.\d+){2,}$"), "a section or list number"),
)
_MONTHS = re.compile(r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s*$", re.IGNORECASE)
_PHONE = re.compile(r"\+?\(?\d[\d\s().-]{6,}\d")
_BY_DIMENSION = re.compile(r"\bBy\s+(?P<dimension>[a-z]+(?:[ -][a-z]+)?),", re.IGNORECASE)  # "By product, ..."


def _share_scope(after: str, attribution: _Attribution) -> str:
    """The scope a share is of, when the words after it name it: "73.8% of global shipments"."""
    for _dimension, name, key in attribution.regions:
        if re.match(rf"\s*of\s+(?:the\s+)?{re.escape(name)}\b", after, re.IGNORECASE):
            return key
    return ""


def _clause_start(sentence: str, position: int) -> int:
    return max((m.end() for m in _CLAUSE_BREAK.finditer(sentence, 0, position)), default=0)


def _last_name(text: str, names: list[tuple[str, str, str]]) -> tuple[str, str, str, int] | None:
    """The last known name in `text` (of names ending together, the longest): (dimension, printed, key, end)."""
    best = None
    for dimension, name, key in names:
        for match in re.finditer(rf"(?<![\w$]){re.escape(name)}(?![\w$])", text, re.IGNORECASE):
            rank = (match.end(), len(name))
            if best is None or rank > best[0]:
                best = (rank, (dimension, match.group(0), key, match.end()))
    return best[1] if best else None


def _subject(sentence: str, position: int, names, market_words: tuple[str, ...]) -> tuple[str, str, str] | None:
    """The segment (or region) a number is about: the last name in its own clause before it, else in
    the sentence before it; a name that is the market's own ("the graphite market") is the market."""
    for start in (_clause_start(sentence, position), 0):
        found = _last_name(sentence[start:position], names)
        if found is None:
            continue
        dimension, printed, key, end = found
        after = sentence[start + end : start + end + 8].lower()
        if after.startswith(" market") and printed.lower() in market_words:
            return None
        return dimension, printed, key
    return None


@dataclass(frozen=True)
class _Context:
    line: int
    section: str
    headings: tuple[str, ...]  # innermost first
    report_id: str
    region: str

    def heading_year(self) -> str:
        """The year of the nearest heading that names exactly one year (and no period)."""
        for heading in self.headings:
            years = _YEAR.findall(heading)
            if len(set(years)) == 1 and not _PERIOD.search(heading):
                return years[0]
        return ""

    def heading_period(self) -> re.Match | None:
        for heading in self.headings:
            period = _PERIOD.search(heading)
            if period:
                return period
        return None


def _extract_sentence(
    sentence, context: _Context, attribution: _Attribution, units: UnitIndex, spellings: Spellings, result: Extraction
) -> None:
    line, section, report_id, region = context.line, context.section, context.report_id, context.region
    found: list[tuple[int, Draft]] = []  # (position in the sentence, draft)
    taken: list[tuple[int, int]] = []
    shown = str(result.path)

    def claim(match: re.Match) -> bool:
        """Take the span of a match unless an earlier reading already took part of it."""
        if any(match.start() < end and match.end() > start for start, end in taken):
            return False
        taken.append((match.start(), match.end()))
        return True

    def add(match: re.Match, **fields) -> None:
        found.append((match.start(), Draft(line, _row(report_id, region, section, sentence, **fields))))

    def unit_of(match: re.Match, amount) -> str:
        unit = units.get((amount.base_unit, amount.scale), "")
        if not unit:
            result.problems.append(
                Problem(
                    shown,
                    line,
                    "unknown_unit",
                    f"{match.group(0)!r}: no unit in seeds/units.csv counts {amount.base_unit} at scale {amount.scale:g}; add one",
                )
            )
        return unit

    def printed(match: re.Match, amount) -> dict[str, str]:
        """The columns every single amount fills: its year, value, unit, qualifier and printed text."""
        return dict(
            year=_year_near(sentence, match.start(), match.end()) or context.heading_year(),
            value=_fmt(amount.number),
            unit=unit_of(match, amount),
            qualifier=_qualifier(sentence[: match.start()]),
            value_as_published=match.group(0).strip(),
        )

    def about(match: re.Match, *, split: bool) -> dict[str, str]:
        """Dimension, segment and region of the number, from its clause: a split names its segment
        (a region is a segment of a regional split); a total or a rate may be of a segment or of a
        region. A segment the taxonomy does not know is drafted with its words and listed."""
        position = match.start()
        segment = _subject(sentence, position, attribution.segments, attribution.market_words)
        place = _subject(sentence, position, attribution.regions, attribution.market_words)
        fields = {"dimension": "total", "segment": "total"}
        lowered = sentence.lower()
        segment_last = segment is not None and (
            place is None or lowered.rfind(segment[1].lower(), 0, position) > lowered.rfind(place[1].lower(), 0, position)
        )
        if segment_last:
            fields.update(dimension=segment[0], segment=segment[2])
        elif place is not None and split:
            fields.update(dimension="region" if place[0] == "region" else "country", segment=place[2])
        elif place is not None:
            fields.update(region=place[2])
        if fields["segment"] == "total":
            before = sentence[_clause_start(sentence, position) : position]
            unknown = _UNKNOWN_SEGMENT.search(before) or (_SHARE_SUBJECT.search(sentence[:position]) if split else None)
            generic = unknown is not None and unknown["words"].lower().split()[-1] in _GENERIC_SUBJECTS
            if unknown and not generic and unknown["words"].lower() not in attribution.market_words:
                by = _BY_DIMENSION.search(sentence[:position])
                named = by["dimension"].lower().replace(" ", "_").replace("-", "_") if by else ""
                words = re.sub(r"^(?:the|a|an)\s+", "", unknown["words"], flags=re.IGNORECASE)
                fields.update(dimension=named if named in attribution.dimensions else "", segment=words)
                result.problems.append(
                    Problem(
                        shown,
                        line,
                        "unknown_segment",
                        f"{match.group(0)!r} is about the {words!r} segment, which no row of seeds/segments.csv or "
                        "seeds/segment_synonyms.csv names: drafted with its words; add the segment or a synonym",
                    )
                )
        return fields

    misprints = list(_GARBLED.finditer(sentence))
    # "USD 3.6.2 billion": a number with two decimal points beside a currency, scale or unit word
    for dotted in re.finditer(r"\d+(?:\.\d+){2,}", sentence):
        before, after = sentence[: dotted.start()].rstrip().lower(), sentence[dotted.end() :].lstrip().lower()
        words = [*spellings.currencies, *spellings.scales, *spellings.units]
        if any(before.endswith(word) for word in spellings.currencies) or any(re.match(rf"{re.escape(w)}\b", after) for w in words):
            misprints.append(dotted)
    for garbled in misprints:
        claim(garbled)
        result.problems.append(
            Problem(
                shown, line, "unparseable_figure", f"cannot read {garbled.group(0)!r} as one number; check the source and enter it by hand"
            )
        )

    # ranges first ("5%-15%"): two figures, the low and the high end
    for match in _RANGE.finditer(sentence):
        if not claim(match):
            continue
        year = _year_near(sentence, match.start(), match.end()) or context.heading_year()
        for text, qualifier in ((match["low"] + "%", "range_min"), (match["high"] + "%", "range_max")):
            amount = spellings.parse(text)
            add(
                match,
                metric=attribution.metric_of_kind.get("share", ""),
                year=year,
                value=_fmt(amount.number),
                unit=unit_of(match, amount),
                qualifier=qualifier,
                value_as_published=text,
                **about(match, split=True),
            )

    for reader, to_amount in ((spellings.unit_re, spellings.unit_amount), (spellings.money_re, spellings.money_amount)):
        for match in reader.finditer(sentence):
            if "cur_pre" in match.re.groupindex and not (match["cur_pre"] or match["cur_post"]):
                continue
            if re.match(r"\s*(?:/|per\b)", sentence[match.end() :]):
                continue  # "$115/kWh" is a price per unit no unit of seeds/units.csv reads: listed, not drafted
            if not claim(match):
                continue
            amount = to_amount(match)
            metric = attribution.level_metrics.get(amount.quantity, "")
            if not metric:
                result.problems.append(
                    Problem(
                        shown,
                        line,
                        "unknown_metric",
                        f"{match.group(0)!r} is a {amount.quantity} but no market-size metric of seeds/metrics.csv is: "
                        "drafted without a metric; if it is about another subject, add that metric",
                    )
                )
            scope = _share_scope(sentence[match.end() : match.end() + 40], attribution)  # "865.2 GWh of global shipments"
            add(match, metric=metric, **{**about(match, split=False), **({"region": scope} if scope else {})}, **printed(match, amount))

    for match in PERCENT_RE.finditer(sentence):
        if not claim(match):
            continue
        fields = printed(match, spellings.parse(match.group(0)))
        year = fields.pop("year")
        rate_words = _RATE_WORDS.search(sentence[max(0, match.start() - 60) : match.start()]) or _RATE_WORDS.search(
            sentence[match.end() : match.end() + 25]
        )
        if _DECLINE_BEFORE.search(sentence[: match.start()]) and not fields["value"].startswith("-"):
            fields["value"] = "-" + fields["value"]  # "fell 37%" is a change of -37 %
        if _YOY_WORDS.search(sentence[max(0, match.start() - 40) : match.end() + 20]) or _CHANGE_VERB_BEFORE.search(
            sentence[: match.start()]
        ):
            add(match, metric=attribution.metric_of_kind.get("growth", ""), year=year, **about(match, split=False), **fields)
        elif rate_words:
            period = _PERIOD.search(sentence[match.end() :]) or _PERIOD.search(sentence[: match.start()]) or context.heading_period()
            add(
                match,
                metric=attribution.metric_of_kind.get("rate", ""),
                period_start_year=period.group(1) if period else "",
                period_end_year=period.group(2) if period else "",
                **about(match, split=False),
                **fields,
            )
        else:
            scope = _share_scope(sentence[match.end() : match.end() + 40], attribution)
            add(
                match,
                metric=attribution.metric_of_kind.get("share", ""),
                year=year,
                **{**about(match, split=True), **({"region": scope} if scope else {})},
                **fields,
            )
    found.sort(key=lambda item: item[0])  # in the order the sentence states them
    result.drafts.extend(draft for _, draft in found)
    for phone in _PHONE.finditer(sentence):
        digits_only = re.sub(r"\D", "", phone.group(0))
        year_range = _PERIOD.fullmatch(phone.group(0).strip()) is not None
        looks_like_phone = len(digits_only) >= 8 and not year_range and (" " in phone.group(0).strip() or "-" in phone.group(0))
        if looks_like_phone and not any(phone.start() < end and phone.end() > start for start, end in taken):
            taken.append((phone.start(), phone.end()))
            result.not_drafted.append((line, phone.group(0).strip(), "a phone number"))
    for digits in _DIGITS.finditer(sentence):
        if any(digits.start() < end and digits.end() > start for start, end in taken):
            continue
        result.not_drafted.append((line, digits.group(0), _why_not(sentence, digits)))


def _why_not(sentence: str, digits: re.Match) -> str:
    """Why a number the readers did not take is not a figure."""
    text = digits.group(0)
    for pattern, reason in _WHY_NOT:
        if pattern.match(text):
            return reason
    before, after = sentence[: digits.start()], sentence[digits.end() :]
    if _MONTHS.search(before) or re.match(r"\s*(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\b", after):
        return "a date"
    if re.search(r"[A-Za-z]$", before) or re.match(r"[A-Za-z]", after) or re.search(r"[A-Za-z]-$", before):
        return "part of a name or code"
    if re.search(r"\b(?:section|chapter|table|figure|fig\.|page|pages|no\.|p\.)\s*$", before, re.IGNORECASE):
        return "a section, table, figure or page number"
    if re.match(r"\s*(?:/|per\b)", after):
        return "a number per unit (a price or rate) no unit of seeds/units.csv reads: enter it by hand if it is a figure"
    return (
        "a number without a unit, currency or % the vocabulary reads (a count or a new unit? add it to seeds/units.csv, unit_spellings.csv)"
    )
