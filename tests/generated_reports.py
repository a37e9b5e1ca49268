"""Generated reports the validator must accept and dbt must build (the property tests of issue 24,
point 1): a hypothesis strategy for one report of any market (the anode market, or a new market with a
new dimension by seed rows), its stored document and its seed rows, and a writer that adds several of
them to one scratch project.

A report states its market's size in a unit of any quantity (money in four currencies, tons, kilotons,
million tons, GWh by a new unit row, a count by a new metric), in a region, for a few years, some
values with a qualifier ("about", "more than"), some stated twice in other words or another unit,
CAGRs over periods, a year-on-year growth, a partial split (shares of some segments) and segment
values. Every sentence is a paragraph of the document, and every seed row quotes one.

QUALIFIED_CASES (a qualified total, a total restated with another qualifier) did not build before
qualifiers went end to end (issue 24, point 2); every report may draw them now (the default)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from hypothesis import strategies as st

from tests.helpers import read_csv, write_csv

# qualified totals break figure_sources -> market_figures; a total restated with another qualifier
# becomes two totals of one year (int_market_totals_interpolated, market_size_by_year uniqueness)
QUALIFIED_CASES = frozenset({"qualified_total", "restated_with_another_qualifier"})

HISTORY, BASE, FORECAST_START, FORECAST_END = 2020, 2024, 2025, 2032
REGIONS = {"global": "", "north_america": "North America", "europe": "Europe", "asia_pacific": "Asia-Pacific", "china": "China"}
ANODE_TYPES = {"natural_graphite": "Natural graphite", "artificial_graphite": "Artificial graphite", "silicon_based": "Silicon-based"}
# new markets are named without digits, so a sentence holds no number but the ones it states
NAMES = ("Aster", "Birch", "Cedar", "Dahlia", "Elder", "Fennel", "Gorse", "Hazel", "Iris", "Juniper", "Kale", "Larch")
FORMS = ("Pouch", "Prismatic", "Cylindrical")
SHARE_QUALIFIERS = ("", "more than", "about", "nearly")
TOTAL_QUALIFIERS = ("about", "around", "more than", "just under")
RATE_QUALIFIERS = ("", "around")


@dataclass(frozen=True)
class Unit:
    """A unit of the market's size: its key, metric, printed form and how a value of it in another unit
    of the same base prints (for a restatement), plus any vocabulary rows it needs."""

    key: str
    metric: str
    printed: str  # format with {v}
    currency: str = ""
    other: tuple[str, str, int] | None = None  # (unit key, printed, factor from this unit to that one)
    vocabulary: tuple[tuple[str, str], ...] = ()


SIZE_UNITS = (
    Unit("usd_bn", "market_value", "US$ {v} billion", "USD", ("usd_mn", "US$ {v} million", 1000)),
    Unit("usd_mn", "market_value", "USD {v} million", "USD", ("usd_bn", "USD {v} billion", Decimal("0.001"))),
    Unit("cny_bn", "market_value", "RMB {v} billion", "CNY"),
    Unit("eur_mn", "market_value", "EUR {v} million", "EUR"),
    Unit("tons", "volume", "{v} tons", other=("kilotons", "{v} kilotons", Decimal("0.001"))),
    Unit("kilotons", "volume", "{v} kilotons", other=("tons", "{v} tons", 1000)),
    Unit("million_tons", "volume", "{v} million tons"),
    Unit(
        "gwh",
        "volume",
        "{v} GWh",
        vocabulary=(("units.csv", "gwh,GWh,energy,,1,gwh,gwh"), ("unit_spellings.csv", "GWh,unit,gwh,1")),
    ),
    Unit(
        "million_units",
        "generated_units_sold",
        "{v} million units",
        vocabulary=(
            ("units.csv", "million_units,million units,count,,1000000,units,million_units"),
            ("unit_spellings.csv", "units,unit,units,1"),
            (
                "metrics.csv",
                "generated_units_sold,Units sold,level,count,true,generated_units_sold,false,true,Units sold in a year (generated).",
            ),
        ),
    ),
)


@dataclass
class GeneratedReport:
    report_id: str
    market: str
    market_name: str
    document_name: str
    currency: str
    sentences: list[str] = field(default_factory=list)
    figures: list[dict[str, str]] = field(default_factory=list)
    vocabulary: list[tuple[str, str]] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return f"{self.market_name} market, {HISTORY}-{FORECAST_END}"

    def state(self, sentence: str, metric: str, value: Decimal, unit: str, published: str, **columns: str) -> None:
        """One seed row quoting `sentence` (added to the document once)."""
        if sentence not in self.sentences:
            self.sentences.append(sentence)
        self.figures.append(
            {
                "figure_id": f"{self.report_id.replace('_', '-')}-{len(self.figures) + 1:03d}",
                "report_id": self.report_id,
                "metric": metric,
                "dimension": columns.get("dimension", "total"),
                "segment": columns.get("segment", "total"),
                "region": columns.get("region", "global"),
                "year": columns.get("year", ""),
                "period_start_year": columns.get("period_start_year", ""),
                "period_end_year": columns.get("period_end_year", ""),
                "value": _plain(value),
                "unit": unit,
                "qualifier": columns.get("qualifier", ""),
                "value_as_published": published,
                "basis": "reported",
                "section": self.heading,
                "quote": sentence,
                "period_source": columns.get("period_source", ""),
            }
        )


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _printed(value: Decimal) -> str:
    """A number as a report prints it: thousands grouped by commas."""
    whole, _, fraction = _plain(value).partition(".")
    return f"{int(whole):,}" + (f".{fraction}" if fraction else "")


def _where(region: str) -> str:
    return f" in {REGIONS[region]}" if REGIONS[region] else ""


def _q(qualifier: str) -> str:
    return f"{qualifier} " if qualifier else ""


amounts = st.integers(min_value=11, max_value=99_999).map(lambda n: Decimal(n) / 10)
years = st.integers(min_value=HISTORY, max_value=FORECAST_END)


@st.composite
def reports(draw, index: int, gaps: frozenset[str] = QUALIFIED_CASES) -> GeneratedReport:
    """One generated report, numbered `index` (ids and new vocabulary keys are unique per index)."""
    new_market = draw(st.booleans())
    market = f"gen_market_{index}" if new_market else "anode_materials"
    report = GeneratedReport(
        report_id=f"gen{index}_report",
        market=market,
        market_name=f"{NAMES[index % len(NAMES)]} cells" if new_market else "Anode materials",
        document_name=f"generated-report-{index}.md",
        currency="",
    )
    if new_market:
        report.vocabulary.append(("markets.csv", f"{market},{report.market_name},A market made up by the property test."))
        report.vocabulary.append(("dimensions.csv", "form_factor,Form factor,true,9,The market by cell form factor (generated)."))
        for order, form in enumerate(FORMS, 1):
            report.vocabulary.append(("segments.csv", f"form_factor,g{index}_{form.lower()},{form},,,{order},{market}"))
        split = ("form_factor", {form: form for form in FORMS})
    else:
        split = ("type", ANODE_TYPES)
    unit = draw(st.sampled_from(SIZE_UNITS))
    report.vocabulary.extend(unit.vocabulary)
    report.currency = unit.currency
    region = draw(st.sampled_from(sorted(REGIONS)))
    where, name = _where(region), report.market_name.lower()
    size_years = sorted(draw(st.sets(years, min_size=1, max_size=3)))
    values = {}
    for year in size_years:
        value = draw(amounts)
        # a known gap, when asked for, is in every total (the first example hypothesis tries is the simplest)
        qualifier = draw(st.sampled_from(("", *TOTAL_QUALIFIERS))) if "qualified_total" in gaps else ""
        values[year] = value
        published = unit.printed.format(v=_printed(value))
        columns = {"region": region, "year": str(year), "qualifier": qualifier}
        report.state(
            f"The {name} market{where} reached {_q(qualifier)}{published} in {year}.", unit.metric, value, unit.key, published, **columns
        )
        ways = ("no", "same words", "other unit") + (("other qualifier",) if "restated_with_another_qualifier" in gaps else ())
        restated = draw(st.sampled_from(ways))
        if restated == "same words" or (restated == "other unit" and unit.other is None):
            sentence = f"By {year}, the {name} market{where} stood at {_q(qualifier)}{published}."
            report.state(sentence, unit.metric, value, unit.key, published, **columns)
        elif restated == "other unit":
            other_key, printed, factor = unit.other
            other = value * Decimal(factor)
            other_published = printed.format(v=_printed(other))
            sentence = f"That is {_q(qualifier)}{other_published} for the {name} market{where} in {year}."
            report.state(sentence, unit.metric, other, other_key, other_published, **columns)
            for known in SIZE_UNITS:
                if known.key == other_key:
                    report.vocabulary.extend(known.vocabulary)
        elif restated == "other qualifier":
            other_qualifier = draw(st.sampled_from([q for q in ("about", "around", "") if q != qualifier]))
            sentence = f"Sizes for {year} put the {name} market{where} at {_q(other_qualifier)}{published}."
            report.state(sentence, unit.metric, value, unit.key, published, **{**columns, "qualifier": other_qualifier})
    if len(size_years) >= 2 or draw(st.booleans()):
        start, end = sorted(draw(st.sets(years, min_size=2, max_size=2)))
        rate, qualifier = (
            draw(st.integers(min_value=1, max_value=600).map(lambda n: Decimal(n) / 10)),
            draw(st.sampled_from(RATE_QUALIFIERS)),
        )
        sentence = f"The {name} market{where} is expected to grow at a CAGR of {_q(qualifier)}{_plain(rate)}% from {start} to {end}."
        period = {"period_start_year": str(start), "period_end_year": str(end), "period_source": "printed"}
        report.state(sentence, "cagr", rate, "percent", f"{_plain(rate)}%", region=region, qualifier=qualifier, **period)
    if draw(st.booleans()):
        year, growth = draw(years), draw(st.integers(min_value=1, max_value=900).map(lambda n: Decimal(n) / 10))
        sentence = f"In {year}, the {name} market{where} grew by {_plain(growth)}%."
        report.state(sentence, "yoy_growth", growth, "percent", f"{_plain(growth)}%", region=region, year=str(year))
    dimension, segments = split
    chosen = draw(st.lists(st.sampled_from(sorted(segments)), min_size=1, max_size=len(segments), unique=True))
    share_year, left = draw(years), 100
    for segment in chosen:
        share = draw(st.integers(min_value=1, max_value=max(1, left - len(chosen))))
        left -= share
        qualifier = draw(st.sampled_from(SHARE_QUALIFIERS))
        sentence = f"In {share_year}, {segments[segment]} held {_q(qualifier)}{share}% of the {name} market{where}."
        columns = {"dimension": dimension, "segment": segment, "region": region, "year": str(share_year), "qualifier": qualifier}
        report.state(sentence, "share", Decimal(share), "percent", f"{share}%", **columns)
    if unit.metric == "market_value" and draw(st.booleans()):
        segment, year, value = draw(st.sampled_from(chosen)), draw(years), draw(amounts)
        published = unit.printed.format(v=_printed(value))
        sentence = f"In {year}, {segments[segment]} sales{where} were worth {published} in the {name} market."
        report.state(sentence, unit.metric, value, unit.key, published, dimension=dimension, segment=segment, region=region, year=str(year))
    return report


def document_text(report: GeneratedReport) -> tuple[str, dict[str, str]]:
    front = {
        "title": f"{report.market_name} market report (generated {report.report_id})",
        "publisher": "Generated Research (made up by the property test)",
        "url": f"https://example.com/{report.report_id}",
        "date_published": "2025-01-15",
        "date_accessed": "2026-12-01",
        "terms_of_use": "Generated for a test; no terms apply.",
        "attribution": "Source: Generated Research (test)",
    }
    head = "".join(f'{key}: "{value}"\n' for key, value in front.items())
    return f"---\n{head}---\n\n# {report.heading}\n\n" + "\n\n".join(report.sentences) + "\n", front


def write_reports(root: Path, generated: list[GeneratedReport]) -> None:
    """Add the reports to the project at `root`: documents, their reports.csv rows with sha256, the
    vocabulary rows they need (each once) and their figures."""
    seeds = root / "seeds"
    vocabulary: dict[str, list[str]] = {}
    for report in generated:
        for seed, row in report.vocabulary:
            if row not in vocabulary.setdefault(seed, []):
                vocabulary[seed].append(row)
    for seed, rows in vocabulary.items():
        path = seeds / seed
        text = path.read_text(encoding="utf-8")
        present = set(text.splitlines())
        path.write_text(text.rstrip("\n") + "\n" + "".join(f"{row}\n" for row in rows if row not in present), encoding="utf-8")
    reports, figures = read_csv(seeds / "reports.csv"), read_csv(seeds / "report_figures.csv")
    for report in generated:
        text, front = document_text(report)
        document = root / "reports" / report.document_name
        document.write_text(text, encoding="utf-8")
        reports.append(
            {
                **{column: "" for column in reports[0]},
                **front,
                "report_id": report.report_id,
                "series_id": report.report_id,
                "edition": f"{HISTORY}-{FORECAST_END}",
                "publisher_label": "Generated Research",
                "document_path": f"reports/{report.document_name}",
                "document_sha256": hashlib.sha256(document.read_bytes()).hexdigest(),
                "geography": "global",
                "market": report.market,
                "history_start_year": str(HISTORY),
                "base_year": str(BASE),
                "forecast_start_year": str(FORECAST_START),
                "forecast_end_year": str(FORECAST_END),
                "currency": report.currency,
                "status": "active",
                "licence": "none-stated",
                "reuse_permitted": "false",
            }
        )
        figures.extend(report.figures)
    write_csv(seeds / "reports.csv", reports)
    write_csv(seeds / "report_figures.csv", figures)


def described(generated: list[GeneratedReport]) -> str:
    """The generated rows, as a person reducing a failure reads them."""
    lines = []
    for report in generated:
        lines.append(f"{report.report_id} ({report.market}):")
        lines.extend("  " + ",".join(row.values()) for row in report.figures)
    return "\n".join(lines)
