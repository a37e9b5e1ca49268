"""Reading one sentence: every money amount, volume, rate, growth and share it states becomes a draft
row with its year or period (in the sentence, else the heading above it), qualifier, printed text and
what it is about; a misprinted number is a problem. The spans it takes are returned, so every other
number can be listed with why it is not a figure (not_drafted.py)."""

from __future__ import annotations

import re

from ...errors import Problem
from ..amounts import PERCENT_RE, Spellings
from ..periods import change_year, draft_period
from ..vocabulary import UnitIndex
from .attribution import (
    GENERIC_SUBJECTS,
    OF_GROWTH,
    SHARE_SUBJECT,
    UNKNOWN_SEGMENT,
    Attribution,
    clause_breaks,
    clause_start,
    subject_of,
)
from .bases import of_base, share_scope
from .cues import (
    CHANGE_AFTER,
    CHANGE_VERB_BEFORE,
    DECLINE_BEFORE,
    RANGE,
    RATE_WORDS,
    REACH,
    YOY_WORDS,
    by_dimension,
    cited_publisher,
    is_range,
    metric_of_quantity,
    misprints,
    names_the_market,
    not_a_figure,
    per_unit,
    qualifier_before,
)
from .drafts import Draft, Extraction, draft_row, printed_number
from .scan import Context, SentenceScan


def extract_sentence(
    sentence,
    context: Context,
    attribution: Attribution,
    units: UnitIndex,
    spellings: Spellings,
    result: Extraction,
    start_at: int = 0,
) -> list[tuple[int, int]]:
    """Draft every figure the sentence states into `result`; return the spans the readers took. With
    `start_at`, `sentence` is the sentence before and a continuation of it ("That was 40.8 percent more
    ..."): only the numbers from `start_at` on are drafted, read with the subject and year before."""
    line, section, report_id, region = context.line, context.section, context.report_id, context.region
    found: list[tuple[int, Draft]] = []  # (position in the sentence, draft)
    taken: list[tuple[int, int]] = []
    covered = bytearray(len(sentence) + 1)  # 1 where a reading took the character: a claim costs its length
    shown = str(result.path)
    breaks, scan, lowered = clause_breaks(sentence), SentenceScan(sentence), sentence.lower()
    unknown_in_clause: dict[int, re.Match | None] = {}  # clause start -> the first "<words> segment" after it
    segment_names, region_names = attribution.segments.in_sentence(sentence), attribution.regions.in_sentence(sentence)

    def claim(match: re.Match) -> bool:
        """Take the span of a match unless an earlier reading already took part of it."""
        if any(covered[match.start() : match.end()]):
            return False
        covered[match.start() : match.end()] = b"\x01" * (match.end() - match.start())
        taken.append((match.start(), match.end()))
        return True

    not_about: dict[int, str] = {}  # position -> the subject a number is about that no metric measures

    def measured(kind: str, match: re.Match, quantity: str = "") -> str:
        inside = tuple((begin, end) for end, _, begin, *_ in segment_names.found)
        metric, subject = attribution.measured(kind, sentence, match.start(), match.end(), quantity, inside, context.headings)
        metric, subject = of_base(attribution, kind, sentence, match, metric, subject)  # "17% of all cars sold"
        if subject:
            not_about[match.start()] = subject
        return metric

    def add(match: re.Match, **fields) -> None:
        why = not_a_figure(sentence, start_at, match)
        if match.start() in not_about:  # "22ktpy Ni of capacity", "the European price ... $2.5": never the market's
            why = f"about {not_about[match.start()]!r}, which no metric of seeds/metrics.csv measures: not a figure of the market"
        if why:
            if match.start() >= start_at:
                result.not_drafted.append((line, match.group(0).strip(), why))
            return
        fields.setdefault("cited_publisher", cited_publisher(sentence[: match.start()], context.headings))
        if match.start() >= start_at:  # a number of the sentence before, read again for a continuation, was drafted there
            found.append((match.start(), Draft(line, draft_row(report_id, region, section, sentence, **fields))))

    def flag(position: int, rule: str, message: str) -> None:
        if position >= start_at:
            result.problems.append(Problem(shown, line, rule, message))

    def unit_of(match: re.Match, amount) -> str:
        unit = units.get((amount.base_unit, amount.scale), "")
        if not unit:
            flag(
                match.start(),
                "unknown_unit",
                f"{match.group(0)!r}: no unit in seeds/units.csv counts {amount.base_unit} at scale {amount.scale:g}; add one",
            )
        return unit

    def printed(match: re.Match, amount) -> dict[str, str]:
        """The columns every single amount fills: its year, value, unit, qualifier and printed text."""
        return dict(
            year=scan.year_near(match.start(), match.end()) or context.heading_year(),
            value=printed_number(amount.number),
            unit=unit_of(match, amount),
            qualifier=qualifier_before(sentence, match.start(), attribution.qualifiers),
            value_as_published=match.group(0).strip(),
        )

    def _unknown_segment(clause: int, position: int) -> re.Match | None:
        """The first "<words> segment" of the clause before `position`, searched once per clause."""
        if clause not in unknown_in_clause:
            unknown_in_clause[clause] = UNKNOWN_SEGMENT.search(sentence, clause)
        found = unknown_in_clause[clause]
        if found is None or found.start() >= position:
            return None
        return found if found.end() <= position else UNKNOWN_SEGMENT.search(sentence, clause, position)

    def _share_subject(position: int) -> re.Match | None:  # the subject and its verb stand after the last % before it
        return SHARE_SUBJECT.search(sentence, sentence.rfind("%", 0, position) + 1, position)

    def about(match: re.Match, *, split: bool) -> dict[str, str]:
        """Dimension, segment and region of the number, from its clause: a split names its segment
        (a region is a segment of a regional split); a total or a rate may be of a segment or of a
        region. A segment the taxonomy does not know is drafted with its words and listed."""
        position = match.start()
        clause = clause_start(breaks, position)
        segment = subject_of(sentence, position, clause, segment_names, attribution.market_words)
        if segment is not None and segment[1].lower() in (*attribution.market_nouns, *attribution.market_words):
            segment = None  # "battery consumption for electric vehicles" in an EV-battery report: the market itself
        place = subject_of(sentence, position, clause, region_names, attribution.market_words)
        fields = {"dimension": "total", "segment": "total"}
        if place is not None and place[2] == "global":
            fields.update(region=place[2])  # "ranked first worldwide with a 36.8% share": the scope, never a split's segment
            place = None
        segment_last = segment is not None and (
            place is None or lowered.rfind(segment[1].lower(), 0, position) > lowered.rfind(place[1].lower(), 0, position)
        )
        cued = attribution.cued_dimension(sentence, position)  # "By application, stationary energy storage held 71.8%"
        if segment_last and cued and segment[0] != cued and cued not in ("region", "country"):
            # the cue names the split: the name is read in its dimension, never in another one that knows it
            key = attribution.segments.in_dimension.get((cued, segment[1].lower()))
            segment = (cued, segment[1], key or segment[1])
            if key is None:
                flag(
                    position,
                    "unknown_segment",
                    f"{match.group(0)!r}: {segment[1]!r} is no {cued} segment of seeds/segments.csv "
                    f"or seeds/segment_synonyms.csv, although the sentence splits by {cued}: drafted with its words; add it",
                )
        if segment_last:
            fields.update(dimension=segment[0], segment=segment[2])
            if place is not None:  # "In China, PHEVs made up 18%", "Global shipments of energy storage batteries": the scope
                fields.update(region=place[2])
        elif place is not None and split:
            fields.update(dimension="region" if place[0] == "region" else "country", segment=place[2])
        elif place is not None:
            fields.update(region=place[2])
        if fields["segment"] == "total":
            unknown = _unknown_segment(clause, position) or (_share_subject(position) if split else None)
            generic = unknown is not None and unknown["words"].lower().split()[-1] in GENERIC_SUBJECTS
            if unknown and not generic and unknown["words"].lower() not in attribution.market_words:
                named = cued or by_dimension(sentence[:position])
                words = re.sub(r"^(?:the|a|an)\s+", "", unknown["words"], flags=re.IGNORECASE)
                fields.update(dimension=named if named in attribution.dimensions else "", segment=words)
                flag(
                    match.start(),
                    "unknown_segment",
                    f"{match.group(0)!r} is about the {words!r} segment, which no row of seeds/segments.csv or "
                    "seeds/segment_synonyms.csv names: drafted with its words; add the segment or a synonym",
                )
        return fields

    for garbled in misprints(sentence, spellings):
        claim(garbled)
        flag(
            garbled.start(), "unparseable_figure", f"cannot read {garbled.group(0)!r} as one number; check the source and enter it by hand"
        )

    # ranges first ("5%-15%"): one figure, its low end the value and its high end range_high
    for match in RANGE.finditer(sentence):
        if not claim(match):
            continue
        low, high = spellings.parse(match["low"] + "%"), spellings.parse(match["high"] + "%")
        add(
            match,
            metric=measured("share", match),
            year=scan.year_near(match.start(), match.end()) or context.heading_year(),
            value=printed_number(low.number),
            range_high=printed_number(high.number),
            unit=unit_of(match, low),
            qualifier=qualifier_before(sentence, match.start(), attribution.qualifiers),
            value_as_published=match.group(0),
            **about(match, split=True),
        )

    spelled_percents: list[re.Match] = []
    for reader, to_amount in spellings.readers():
        previous = None  # (match, amount, draft) of the amount drafted last: the low end of a range?
        for match in reader.finditer(sentence):
            if "cur_pre" in match.re.groupindex and not (match["cur_pre"] or match["cur_post"]):
                continue
            amount = to_amount(match)
            if reader is spellings.count_re and (
                (amount.base_unit, amount.scale) not in units or not names_the_market(sentence, attribution)
            ):
                continue  # a count no unit counts, or of nothing the sentence names ("10 million electric cars" for separators)
            match, amount = per_unit(sentence, match, amount, units)  # "$121/kWh" in usd_per_kwh; "508 GW/1,432 GWh" a pair
            if match is None:
                continue  # an amount per a unit no unit of seeds/units.csv counts: listed
            if amount.base_unit == "percent":
                spelled_percents.append(match)  # "38.6 percent" is a percentage, read as "38.6%" is below
                continue
            if not claim(match):
                continue
            if previous and is_range(sentence, previous[0], match) and amount.base_unit == previous[1].base_unit:
                # "between 1.1 TWh and 1.6 TWh": one figure, its high end range_high in the low end's unit
                previous[2].row.update(
                    range_high=printed_number(amount.base_value / previous[1].scale),
                    value_as_published=sentence[previous[0].start() : match.end()].strip(),
                )
                previous = None
                continue
            metric = measured("level", match, amount.quantity)
            metric = metric_of_quantity(metric, amount.quantity, attribution.metric_of_name, attribution.quantity_lines)
            if not metric and match.start() not in not_about:
                flag(
                    match.start(),
                    "unknown_metric",
                    f"{match.group(0)!r} is a {amount.quantity} but no market-size metric of seeds/metrics.csv is: "
                    "drafted without a metric; if it is about another subject, add that metric",
                )
            scope = share_scope(sentence[match.end() : match.end() + 40], attribution)  # "865.2 GWh of global shipments"
            add(match, metric=metric, **{**about(match, split=False), **({"region": scope} if scope else {})}, **printed(match, amount))
            previous = (match, amount, found[-1][1]) if found and found[-1][0] == match.start() else None

    percents = sorted([*PERCENT_RE.finditer(sentence), *spelled_percents], key=lambda m: m.start())
    for match in percents:
        if not claim(match):
            continue
        fields = printed(match, spellings.parse(match.group(0)) or spellings.unit_amount(match))
        year = fields.pop("year")
        rate_words = RATE_WORDS.search(sentence[max(0, match.start() - 60) : match.start()]) or RATE_WORDS.search(
            sentence[match.end() : match.end() + 25]
        )
        # the verb patterns end at the number: read the phrase just before it, not the whole sentence again
        reach = max(0, match.start() - REACH)
        after = CHANGE_AFTER.match(sentence, match.end())
        declined = after and ((after["way"] or "").lower() in ("lower", "less") or (after["side"] or "").lower() == "below")
        if (DECLINE_BEFORE.search(sentence, reach, match.start()) or declined) and not fields["value"].startswith("-"):
            fields["value"] = "-" + fields["value"]  # "fell 37%" is a change of -37 %
        verb_end = lowered.rfind(fields["qualifier"], reach, match.start()) if fields["qualifier"] else -1
        if (
            after
            or (YOY_WORDS.search(sentence[max(0, match.start() - 40) : match.end() + 20]) and not OF_GROWTH.match(sentence, match.end()))
            or CHANGE_VERB_BEFORE.search(sentence, reach, verb_end if verb_end >= 0 else match.start())  # "rose by as much as 21%"
        ):
            add(
                match,
                metric=measured("growth", match),
                year=change_year(sentence, match.start(), match.end()) or context.heading_year(),
                **about(match, split=False),
                **fields,
            )
        elif rate_words:
            beside = scan.period_after(match.end()) or scan.period_before(match.start())
            period = draft_period(sentence, context.headings, context.forecast, beside.groups() if beside else None)
            add(
                match,
                metric=measured("rate", match),
                period_start_year=period.start if period else "",
                period_end_year=period.end if period else "",
                period_source=period.source if period else "",
                **about(match, split=False),
                **fields,
            )
        else:
            scope = share_scope(sentence[match.end() : match.end() + 40], attribution)
            add(
                match,
                metric=(metric := measured("share", match)),
                year=year,  # a share of another base ("of all cars sold": a base cue's metric) is no split of the market
                **{**about(match, split=metric not in attribution.metric_of_base.values()), **({"region": scope} if scope else {})},
                **fields,
            )
    found.sort(key=lambda item: item[0])  # in the order the sentence states them
    result.drafts.extend(draft for _, draft in found)
    return taken
