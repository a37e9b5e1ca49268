"""Synthetic but realistic reports for the benchmark: N reports written into a scratch copy of the project.

Each report gets a stored document whose sentences state every figure (so quotes, years, segments and
the document hash check exactly as for a real report) and its seed rows, about 200 figures each:
market value for every year 2018-2032 (US$ bn, or US$ mn for every third report), a stated CAGR that
agrees with the values, a volume in tons for a few years, shares by type, region, application and
end use that sum to 100, a partial split (shares of two of four end uses, the rest not reported), a
segment CAGR, two editions per series, and every 50th report a deliberate publisher contradiction (a
stated CAGR 3 points above what its values imply) that `seeds/finding_acknowledgements.csv`
acknowledges, as a curator would. Ten series (twenty reports) size one market: the first ten
anode_materials, each next ten a generated market of their own (SERIES_PER_MARKET), declared in the
seeds with its own copy of the anode segments the reports split by. Generated rows are appended after
the project's own rows.

    .venv/bin/python bench/generate.py --reports 10 --into /tmp/bench-project
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from bench.markets import HOME_MARKET, HOME_SEGMENTS, add_markets, append_rows, market_of, segment_key  # noqa: E402
from marketwh.paths import copy_sources  # noqa: E402  (the checkout being measured)
from marketwh.safefs import write_inside  # noqa: E402

YEARS = list(range(2018, 2033))
BASE_YEAR, FORECAST_START, FORECAST_END = 2024, 2025, 2032
TYPES = {"natural_graphite": "natural graphite", "artificial_graphite": "artificial graphite", "silicon_based": "silicon-based materials"}
REGIONS = {
    "north_america": "North America",
    "europe": "Europe",
    "asia_pacific": "Asia-Pacific",
    "middle_east_africa": "Middle East & Africa",
}
APPLICATIONS = {"battery": "batteries", "other": "other applications"}
END_USES = {"automotive": "the automotive industry", "consumer_electronics": "consumer electronics", "energy_storage": "energy storage"}
SECTION = "Market overview"
ACKNOWLEDGED_EVERY = 50


def _split(rng: random.Random, keys: list[str]) -> dict[str, float]:
    """Shares with one decimal that sum to exactly 100."""
    weights = [rng.uniform(1, 5) for _ in keys]
    shares = [round(100 * w / sum(weights), 1) for w in weights]
    shares[-1] = round(100 - sum(shares[:-1]), 1)
    return dict(zip(keys, shares, strict=True))


def _fmt(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


class Report:
    """One synthetic report: its document sentences, figure rows and claim rows."""

    def __init__(self, index: int, rng: random.Random, market: str | None = None):
        self.index = index
        self.report_id = f"bench_r{index:05d}"
        self.short = f"b{index:05d}"
        self.series_id = f"bench_s{index // 2:05d}"
        self.edition = f"edition-{index % 2 + 1}"
        self.market = market or market_of(index)
        self.rng = rng
        self.sentences: list[str] = []
        self.figures: list[dict[str, str]] = []
        self.claims: list[dict[str, str]] = []
        self.acknowledged: str | None = None

    def figure(self, sentence: str, published: str, **fields: str) -> None:
        row = {
            "figure_id": f"{self.short}-{len(self.figures) + 1:03d}",
            "report_id": self.report_id,
            "metric": "",
            "dimension": "total",
            "segment": "total",
            "region": "global",
            "year": "",
            "period_start_year": "",
            "period_end_year": "",
            "value": "",
            "unit": "",
            "qualifier": "",
            "value_as_published": published,
            "basis": "reported",
            "section": SECTION,
            "quote": sentence,
            "period_source": "",
            "cited_publisher": "",
            "cited_date": "",
        }
        row.update(fields)
        self.figures.append(row)

    def say(self, sentence: str) -> str:
        self.sentences.append(sentence)
        return sentence

    def build(self) -> None:
        rng = self.rng
        in_millions = self.index % 3 == 2
        start = rng.uniform(2.0, 8.0)
        growth = rng.uniform(0.08, 0.18)
        values = {year: round(start * (1 + growth) ** (year - YEARS[0]), 2) for year in YEARS}
        for year, value in values.items():
            if in_millions:
                printed, number, unit = f"US$ {value * 1000:,.0f} million", f"{value * 1000:.0f}", "usd_mn"
            else:
                printed, number, unit = f"US$ {_fmt(value)} billion", _fmt(value), "usd_bn"
            verb = "was valued at" if year <= BASE_YEAR else "is projected to reach"
            sentence = self.say(f"In {year}, the global anode materials market {verb} {printed}.")
            self.figure(sentence, printed, metric="market_value", year=str(year), value=number, unit=unit)
        for year in YEARS[1:]:
            change = round((values[year] / values[year - 1] - 1) * 100, 1)
            sentence = self.say(f"In {year}, the market grew {change}% year on year.")
            self.figure(sentence, f"{change}%", metric="yoy_growth", year=str(year), value=str(change), unit="percent")
        first, last = values[BASE_YEAR], values[FORECAST_END]
        implied = ((last / first) ** (1 / (FORECAST_END - BASE_YEAR)) - 1) * 100
        stated = round(implied + (3 if self.index % ACKNOWLEDGED_EVERY == ACKNOWLEDGED_EVERY - 1 else 0), 1)
        sentence = self.say(f"The market is expected to grow at a CAGR of {stated}% from {BASE_YEAR} to {FORECAST_END}.")
        self.figure(
            sentence,
            f"{stated}%",
            metric="cagr",
            period_start_year=str(BASE_YEAR),
            period_end_year=str(FORECAST_END),
            period_source="printed",
            value=str(stated),
            unit="percent",
        )
        if stated != round(implied, 1):
            self.acknowledged = f"stated_cagr_matches_implied:{self.report_id}:{self.figures[-1]['figure_id']}"
        for year in (2020, 2022, BASE_YEAR):
            tons = round(values[year] * rng.uniform(60_000, 90_000), -3)
            printed = f"{tons:,.0f} tons"
            sentence = self.say(f"Shipments reached {printed} in {year}.")
            self.figure(sentence, printed, metric="volume", year=str(year), value=f"{tons:.0f}", unit="tons")
        for dimension, names, every in (("type", TYPES, 1), ("region", REGIONS, 1), ("application", APPLICATIONS, 1)):
            for key in names:
                self.claims.append(self.claim(dimension, key, names[key]))
            for year in YEARS[::every]:
                for key, share in _split(rng, list(names)).items():
                    verb = "accounted for" if dimension == "region" else "made up"
                    name = names[key]
                    sentence = self.say(f"In {year}, {name[0].upper() + name[1:]} {verb} {share}% of the market.")
                    segment = segment_key(self.market, key) if (dimension, key) in HOME_SEGMENTS else key
                    self.figure(
                        sentence, f"{share}%", metric="share", dimension=dimension, segment=segment, year=str(year), value=str(share)
                    )
                    self.figures[-1]["unit"] = "percent"
        # a partial split: two of three end uses sized, the third listed only (not_reported)
        for key in END_USES:
            self.claims.append(self.claim("end_use", key, END_USES[key]))
        for year in YEARS[::2]:
            for key in list(END_USES)[:2]:
                share = round(rng.uniform(20, 45), 1)
                sentence = self.say(f"In {year}, {END_USES[key]} used {share}% of the anode materials sold.")
                self.figure(sentence, f"{share}%", metric="share", dimension="end_use", segment=key, year=str(year), value=str(share))
                self.figures[-1]["unit"] = "percent"
        rate = round(rng.uniform(20, 40), 1)
        sentence = self.say(f"Silicon-based materials are expected to grow at a CAGR of {rate}% from {BASE_YEAR} to {FORECAST_END}.")
        self.figure(
            sentence,
            f"{rate}%",
            metric="cagr",
            dimension="type",
            segment=segment_key(self.market, "silicon_based"),
            period_start_year=str(BASE_YEAR),
            period_end_year=str(FORECAST_END),
            period_source="printed",
            value=str(rate),
            unit="percent",
        )

    def claim(self, dimension: str, key: str, name: str) -> dict[str, str]:
        key = segment_key(self.market, key) if (dimension, key) in HOME_SEGMENTS else key
        sentence = self.say(f"The report covers {name} as a {dimension.replace('_', ' ')} segment.")
        return {
            "claim_id": f"{self.short}-c{len(self.claims) + 1:02d}",
            "report_id": self.report_id,
            "claim_type": "segment_listed",
            "dimension": dimension,
            "segment": key,
            "parent_segment": "",
            "rank": "",
            "section": SECTION,
            "quote": sentence,
        }

    def document(self) -> tuple[str, dict[str, str]]:
        front = {
            "title": f"Synthetic anode materials report {self.index} (benchmark)",
            "publisher": f"Benchmark Publisher {self.index % 7}",
            "url": f"https://example.com/bench/{self.report_id}",
            "date_published": "2025-01-15",
            "date_accessed": "2026-11-25",
            "terms_of_use": "Synthetic benchmark document; no terms apply.",
            "attribution": f"Source: Benchmark Publisher {self.index % 7} (synthetic)",
            "licence": "none-stated",
            "reuse_permitted": "false",
        }
        head = "".join(f'{key}: "{value}"\n' for key, value in front.items())
        return f"---\n{head}---\n\n# {SECTION}\n\n" + "\n\n".join(self.sentences) + "\n", front


def generate(root: Path, n_reports: int, seed: int = 20261125, first_index: int = 0, market: str | None = None) -> dict[str, int]:
    """Write n synthetic reports (numbered from `first_index`, in `market` or each in its own
    market_of) into the project at `root`: documents in reports/bench/, rows appended to its seeds."""
    rng = random.Random(seed + first_index)
    reports, figures, claims, acknowledgements = [], [], [], []
    folder = root / "reports" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(first_index, first_index + n_reports):
        report = Report(index, rng, market)
        report.build()
        text, front = report.document()
        write_inside(folder, f"{report.report_id}.md", text)
        reports.append(
            {
                **front,
                "report_id": report.report_id,
                "series_id": report.series_id,
                "publisher_label": f"Bench {report.index % 7}",
                "edition": report.edition,
                # both editions of a series print the same day: their declared sequence orders them
                "edition_sequence": str(report.index % 2 + 1),
                "document_path": f"reports/bench/{report.report_id}.md",
                "document_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
                "geography": "global",
                "market": report.market,
                "history_start_year": str(YEARS[0]),
                "base_year": str(BASE_YEAR),
                "forecast_start_year": str(FORECAST_START),
                "forecast_end_year": str(FORECAST_END),
                "currency": "USD",
                "status": "active",
            }
        )
        figures += report.figures
        claims += report.claims
        if report.acknowledged:
            acknowledgements.append(
                {
                    "finding_key": report.acknowledged,
                    "report_id": report.report_id,
                    "reason": "The synthetic document states a CAGR 3 points above its values, on purpose.",
                    "acknowledged_by": "bench",
                    "acknowledged_on": "2026-11-25",
                }
            )
    seeds = root / "seeds"
    add_markets(seeds, sorted({row["market"] for row in reports} - {HOME_MARKET}))
    append_rows(seeds / "reports.csv", reports)
    append_rows(seeds / "report_figures.csv", figures)
    append_rows(seeds / "report_claims.csv", claims)
    append_rows(seeds / "finding_acknowledgements.csv", acknowledgements)
    return {"reports": len(reports), "figures": len(figures), "claims": len(claims), "acknowledgements": len(acknowledgements)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, required=True)
    parser.add_argument("--into", type=Path, required=True, help="a new directory: a copy of the project is written there")
    args = parser.parse_args()
    root = copy_sources(args.into, REPO)
    counts = generate(root, args.reports)
    print(f"{root}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
