"""The second new market of test_new_market_by_seed_rows: EV battery cells, sized in GWh (an energy
quantity the anode reports never use) and split by form factor, a dimension no model names. Every row
is a seed row a data engineer would add; every number is read back from the fact sheet's sentences."""

from __future__ import annotations

import csv
import hashlib
import re

import pytest

from tests.helpers import read_csv, write_csv

FRONT = {
    "title": "EV battery cells fact sheet, 2023",
    "publisher": "Example Research (a fictional publisher, for this test)",
    "url": "https://example.com/ev-cells-2024",
    "date_published": "2025-01-15",
    "date_accessed": "2026-11-25",
    "terms_of_use": "Written for this test; no terms apply.",
    "attribution": "Source: Example Research (test fixture)",
}
FIGURE_COLUMNS = {"region": "global", "period_start_year": "", "period_end_year": "", "qualifier": "", "basis": "reported"}
# the second new market: sized in GWh (energy) and split by a new dimension, form_factor
EV_REPORT_ID = "example_ev_cells_2024"
EV_DOCUMENT = "reports/example-ev-cells-2024.md"
EV_SENTENCES = {
    "size": "Global EV battery cell installations reached 700 GWh in 2023.",
    "prismatic": "By form factor, prismatic cells held 60% of installations in 2023.",
    "pouch": "Pouch cells held 25% of installations in 2023.",
    "cylindrical": "Cylindrical cells make up the rest of the market.",
}
EV_VOCABULARY = {
    "markets.csv": ["ev_cells,EV battery cells,Battery cells installed in electric vehicles."],
    "dimensions.csv": ["form_factor,Form factor,true,9,The market by cell form factor."],
    "segments.csv": [
        "form_factor,prismatic,Prismatic,,,1,ev_cells",
        "form_factor,pouch,Pouch,,,2,ev_cells",
        "form_factor,cylindrical,Cylindrical,,,3,ev_cells",
    ],
    "units.csv": ["gwh,GWh,energy,,1,gwh,gwh"],
    "unit_spellings.csv": ["GWh,unit,gwh,1"],
}


def add_ev_report(root) -> None:
    """The GWh report and its vocabulary rows: a document, a reports row, figures, a claim."""
    for name, rows in EV_VOCABULARY.items():
        with open(root / "seeds" / name, "a", encoding="utf-8", newline="") as handle:
            for row in csv.reader(rows):
                csv.writer(handle, lineterminator="\n").writerow(row)
    front = FRONT
    document = root / EV_DOCUMENT
    body = "# EV battery cells, 2023\n\n" + "\n\n".join(EV_SENTENCES.values()) + "\n"
    document.write_text("---\n" + "".join(f'{k}: "{v}"\n' for k, v in front.items()) + f"---\n\n{body}", encoding="utf-8")
    reports = read_csv(root / "seeds" / "reports.csv")
    reports.append(
        {
            **{column: "" for column in reports[0]},
            **front,
            "report_id": EV_REPORT_ID,
            "series_id": "example_ev_cells",
            "publisher_label": "Example Research",
            "edition": "2023",
            "document_path": EV_DOCUMENT,
            "document_sha256": hashlib.sha256(document.read_bytes()).hexdigest(),
            "geography": "global",
            "market": "ev_cells",
            "history_start_year": "2023",
            "base_year": "2023",
            "status": "active",
            "licence": "none-stated",
            "reuse_permitted": "false",
        }
    )
    write_csv(root / "seeds" / "reports.csv", reports)

    def ev_figure(number, key, metric, value, unit, published, *, dimension="total", segment="total"):
        return {
            **FIGURE_COLUMNS,
            "figure_id": f"evc-{number:03d}",
            "report_id": EV_REPORT_ID,
            "metric": metric,
            "dimension": dimension,
            "segment": segment,
            "year": "2023",
            "value": value,
            "unit": unit,
            "value_as_published": published,
            "section": "EV battery cells, 2023",
            "quote": EV_SENTENCES[key],
        }

    figures = [
        ev_figure(1, "size", "volume", "700", "gwh", "700 GWh"),
        ev_figure(2, "prismatic", "share", "60", "percent", "60%", dimension="form_factor", segment="prismatic"),
        ev_figure(3, "pouch", "share", "25", "percent", "25%", dimension="form_factor", segment="pouch"),
    ]
    write_csv(root / "seeds" / "report_figures.csv", read_csv(root / "seeds" / "report_figures.csv") + figures)
    claims = read_csv(root / "seeds" / "report_claims.csv")
    claims.append(
        {
            **{column: "" for column in claims[0]},
            "claim_id": "evc-c01",
            "report_id": EV_REPORT_ID,
            "claim_type": "segment_listed",
            "dimension": "form_factor",
            "segment": "cylindrical",
            "section": "EV battery cells, 2023",
            "quote": EV_SENTENCES["cylindrical"],
        }
    )
    write_csv(root / "seeds" / "report_claims.csv", claims)


def number_in_ev(key: str, pattern: str) -> float:
    return float(re.search(pattern, EV_SENTENCES[key]).group(1))


def assert_gwh_market_served(served_rows) -> None:
    """What the refresh serves of the GWh market (served_rows(sql, *params) reads the served file)."""
    # the GWh market is served in its unit, long by quantity, under its market's name
    ev_size = number_in_ev("size", r"([\d.]+) GWh")
    assert served_rows(
        "select market_key, market_name, quantity, quantity_name, value, unit_key, unit_name from marts.market_size_by_year "
        "where report_id = ?",
        EV_REPORT_ID,
    ) == [("ev_cells", "EV battery cells", "energy", "Energy", ev_size, "gwh", "GWh")]
    # its form_factor split: reported shares with their derived GWh, the listed segment without a number
    # as not_reported, the rest as unallocated
    prismatic, pouch = number_in_ev("prismatic", r"([\d.]+)%"), number_in_ev("pouch", r"([\d.]+)%")
    splits = served_rows(
        "select dimension_name, market_name, segment_key, share_basis, share_pct, segment_value, segment_value_unit "
        "from marts.market_splits where report_id = ? and dimension = 'form_factor' order by segment_key",
        EV_REPORT_ID,
    )
    assert splits == [
        ("Form factor", "EV battery cells", "cylindrical", "not_reported", None, None, "gwh"),
        ("Form factor", "EV battery cells", "pouch", "reported", pouch, pytest.approx(ev_size * pouch / 100), "gwh"),
        ("Form factor", "EV battery cells", "prismatic", "reported", prismatic, pytest.approx(ev_size * prismatic / 100), "gwh"),
        (
            "Form factor",
            "EV battery cells",
            "unallocated",
            "derived",
            100 - prismatic - pouch,
            pytest.approx(ev_size * (100 - prismatic - pouch) / 100),
            "gwh",
        ),
    ]
    # the split audit reads the long mart: the new dimension's partial split is judged like a type split
    assert served_rows(
        "select rule, holds from audits.audit_split_sums where report_id = ? and dimension = 'form_factor'", EV_REPORT_ID
    ) == [("partial_split_at_most_100", True)]
