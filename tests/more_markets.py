"""Two more markets beside the fixture's anode materials, by seed rows and stored documents only: a grid
storage market stated in GWh (energy) and GW (power), with a regional split, and a cobalt chemicals market
stated in yuan (money) and kilotons (mass). For tests of what serves several markets of different
quantities and units (the Superset dashboard's market filter). The publishers are fictional and every
figure below is read from its document's text; the vocabulary rows are added only where the fixture
does not have them yet."""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

from tests.helpers import read_csv, write_csv

# the markets' display names, as the dashboard's market filter and the marts show them
MARKET_NAMES = {"example_grid_storage": "Grid battery storage", "example_cobalt_chemicals": "Cobalt chemicals"}
# the vocabulary a data engineer adds: (seed file, key column, row); a row whose key exists is left alone
VOCABULARY = (
    (
        "markets.csv",
        "market_key",
        f"example_grid_storage,{MARKET_NAMES['example_grid_storage']},Stationary battery storage connected to power grids.",
    ),
    (
        "markets.csv",
        "market_key",
        f"example_cobalt_chemicals,{MARKET_NAMES['example_cobalt_chemicals']},Refined cobalt salts and oxides for batteries.",
    ),
    ("units.csv", "unit_key", "gwh,gigawatt-hours,energy,,1,gwh,gwh"),
    ("units.csv", "unit_key", "gw,gigawatts,power,,1,gw,gw"),
    ("unit_spellings.csv", "spelling", "GWh,unit,gwh,1"),
    ("unit_spellings.csv", "spelling", "GW,unit,gw,1"),
    (
        "metrics.csv",
        "metric",
        "deployments,Deployments,level,energy,true,market,true,true,Battery capacity deployed in a year (the storage market's size).",
    ),
    (
        "metrics.csv",
        "metric",
        "installed_power,Installed power,level,power,true,installed_power,true,true,Power of the batteries deployed in a year.",
    ),
)


@dataclass(frozen=True)
class Report:
    report_id: str
    document: str
    market: str
    currency: str
    front: dict[str, str]
    sentences: dict[str, str]
    # (key, metric, dimension, segment, region, year, period, value, unit, as published)
    figures: tuple[tuple, ...]


STORAGE = Report(
    report_id="example_grid_storage_2025",
    document="reports/example-grid-storage-2025.md",
    market="example_grid_storage",
    currency="",
    front={
        "title": "Grid battery storage outlook, 2024-2030",
        "publisher": "Example Energy Research (a fictional publisher, for tests)",
        "url": "https://example.com/grid-storage-2025",
        "date_published": "2025-03-01",
        "date_accessed": "2026-12-01",
        "terms_of_use": "Written for tests; no terms apply.",
        "attribution": "Source: Example Energy Research (test fixture)",
    },
    sentences={
        "deployed": "Grid battery deployments reached 120 GWh in 2024.",
        "outlook": "Deployments are expected to reach 480 GWh by 2030, a CAGR of 26.0% from 2024 to 2030.",
        "power": "The batteries deployed in 2024 had an installed power of 40 GW.",
        "region": "By region, Asia-Pacific accounted for 60% of deployments in 2024.",
    },
    figures=(
        ("deployed", "deployments", "total", "total", "global", "2024", ("", ""), "120", "gwh", "120 GWh"),
        ("outlook", "deployments", "total", "total", "global", "2030", ("", ""), "480", "gwh", "480 GWh"),
        ("outlook", "cagr", "total", "total", "global", "", ("2024", "2030"), "26.0", "percent", "26.0%"),
        ("power", "installed_power", "total", "total", "global", "2024", ("", ""), "40", "gw", "40 GW"),
        ("region", "share", "region", "Asia-Pacific", "global", "2024", ("", ""), "60", "percent", "60%"),
    ),
)

COBALT = Report(
    report_id="example_cobalt_chemicals_2024",
    document="reports/example-cobalt-chemicals-2024.md",
    market="example_cobalt_chemicals",
    currency="CNY",
    front={
        "title": "Cobalt chemicals market, 2023",
        "publisher": "Example Metals Research (a fictional publisher, for tests)",
        "url": "https://example.com/cobalt-chemicals-2024",
        "date_published": "2024-06-01",
        "date_accessed": "2026-12-01",
        "terms_of_use": "Written for tests; no terms apply.",
        "attribution": "Source: Example Metals Research (test fixture)",
    },
    sentences={
        "value": "The global cobalt chemicals market was worth 12.5 billion yuan in 2023.",
        "output": "Global output of cobalt chemicals was 85 kilotons in 2023.",
    },
    figures=(
        ("value", "market_value", "total", "total", "global", "2023", ("", ""), "12.5", "cny_bn", "12.5 billion yuan"),
        ("output", "volume", "total", "total", "global", "2023", ("", ""), "85", "kilotons", "85 kilotons"),
    ),
)
REPORTS = (STORAGE, COBALT)


def _add_vocabulary(root: Path) -> None:
    for name, key, line in VOCABULARY:
        path = root / "seeds" / name
        (row,) = csv.reader([line])
        header = next(csv.reader([path.read_text(encoding="utf-8").splitlines()[0]]))
        if row[0] in {existing[key] for existing in read_csv(path)}:
            continue
        row += [""] * (len(header) - len(row))  # columns added after this module was written stay empty
        with open(path, "a", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerow(row)


def _add_report(root: Path, report: Report) -> None:
    section = report.front["title"]
    front = "".join(f'{key}: "{value}"\n' for key, value in report.front.items())
    body = f"# {section}\n\n" + "\n\n".join(report.sentences.values()) + "\n"
    document = root / report.document
    document.write_text(f"---\n{front}---\n\n{body}", encoding="utf-8")
    reports = read_csv(root / "seeds" / "reports.csv")
    years = sorted(int(f[5] or f[6][1]) for f in report.figures)
    reports.append(
        {
            **{column: "" for column in reports[0]},
            **report.front,
            "report_id": report.report_id,
            "series_id": report.report_id.rsplit("_", 1)[0],
            "publisher_label": report.front["publisher"].split(" (")[0],
            "edition": f"{years[0]}-{years[-1]}",
            "document_path": report.document,
            "document_sha256": hashlib.sha256(document.read_bytes()).hexdigest(),
            "geography": "global",
            "market": report.market,
            "history_start_year": str(years[0]),
            "base_year": str(years[0]),
            "forecast_start_year": str(years[0] + 1) if years[-1] > years[0] else "",
            "forecast_end_year": str(years[-1]) if years[-1] > years[0] else "",
            "currency": report.currency,
            "status": "active",
            "licence": "none-stated",
            "reuse_permitted": "false",
        }
    )
    write_csv(root / "seeds" / "reports.csv", reports)
    figures = read_csv(root / "seeds" / "report_figures.csv")
    for number, (key, metric, dimension, segment, region, year, period, value, unit, published) in enumerate(report.figures, 1):
        figures.append(
            {
                **{column: "" for column in figures[0]},
                "figure_id": f"{report.report_id}-{number:03d}",
                "report_id": report.report_id,
                "metric": metric,
                "dimension": dimension,
                "segment": segment,
                "region": region,
                "year": year,
                "period_start_year": period[0],
                "period_end_year": period[1],
                "period_source": "printed" if period[0] else "",
                "value": value,
                "unit": unit,
                "value_as_published": published,
                "basis": "reported",
                "section": section,
                "quote": report.sentences[key],
            }
        )
    write_csv(root / "seeds" / "report_figures.csv", figures)


def add_markets(root: Path) -> Path:
    """The two markets' vocabulary, documents and figures added to the project at `root`."""
    _add_vocabulary(root)
    for report in REPORTS:
        _add_report(root, report)
    return root
