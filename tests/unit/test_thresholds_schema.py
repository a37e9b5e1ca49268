"""The thresholds seed's schema lists exactly the rules the code reads, and the publish guard's
per-report comparison says what changed (on tiny frames: the dbt-built cases are in
tests/faults/test_vocabulary_and_thresholds.py)."""

from __future__ import annotations

import re

import pandas as pd

from marketwh.curation.validation.thresholds import threshold_rules
from marketwh.warehouse.served_values import changed_values, coverage_problems, vocabulary_problems
from tests.helpers import REPO

# how the code names a threshold it reads: Python's vocabulary.thresholds.get("x") and *_RULE = "x";
# SQL's audit_thresholds(['x', ...]), `where rule = 'x'` on stg_reports__audit_thresholds and the bounds
# a bounds_audit('rule', 'metric kind', 'lower', 'upper', ...) names (the macro's own list is variables)
READS = (
    (("marketwh",), "*.py", re.compile(r"""thresholds\.get\(\s*"(\w+)"|_RULE = "(\w+)\"""")),
    (
        ("dbt/models", "dbt/macros"),
        "*.sql",
        re.compile(r"""audit_thresholds\(\[((?:\s*'\w+',?)*)\s*\]|rule = '(\w+)'|bounds_audit\(\s*'\w+',\s*'\w+',\s*'(\w+)',\s*'(\w+)'"""),
    ),
)


def rules_the_code_reads() -> set[str]:
    names: set[str] = set()
    for folders, pattern, regex in READS:
        for folder in folders:
            for path in (REPO / folder).rglob(pattern):
                for match in regex.finditer(path.read_text(encoding="utf-8")):
                    names.update(re.findall(r"\w+", " ".join(group for group in match.groups() if group)))
    return names


def test_the_thresholds_schema_lists_every_rule_the_code_reads_and_no_other():
    read = rules_the_code_reads()
    assert {"cagr_tolerance", "max_figure_drop_pct", "year_min", "share_sum_tolerance"} <= read  # the scan finds them
    assert set(threshold_rules(REPO / "seeds")) == read


def frames(values: dict[str, tuple[float, str]], fingerprints: str = '{"r1": "a", "r2": "b"}', accepted: bool = False) -> dict:
    return {
        "stamp": pd.DataFrame({"report_input_fingerprints": [fingerprints], "accepted_vocabulary_change": [accepted]}),
        "figures": pd.DataFrame(
            [(key.split("|")[0], key, value, unit) for key, (value, unit) in values.items()],
            columns=["report_id", "market_figure_id", "value", "unit_key"],
        ),
    }


def test_a_changed_value_of_an_unchanged_report_is_listed_a_few_then_counted():
    served = {f"r1|{year}": (5.4, "usd_bn") for year in range(2020, 2028)} | {"r2|2020": (1.0, "tons")}
    relabelled = {key: (value * 150, "jpy_bn") for key, value in ((k, v[0]) for k, v in served.items() if k.startswith("r1"))}
    candidate = relabelled | {"r2|2020": (2.0, "tons")}
    # r2's own rows changed: its value may change; r1's did not
    problems = vocabulary_problems(frames(served), frames(candidate, '{"r1": "a", "r2": "c"}'), {"r1"})
    assert len(problems) == 1
    assert problems[0].startswith(
        "8 served values of reports whose own rows and document did not change would change (r1, r1|2020: 5.4 usd_bn -> 810 jpy_bn; "
    )
    assert "and 3 more)" in problems[0] and "r2|2020" not in problems[0]
    assert vocabulary_problems(frames(served), frames(candidate, accepted=True), {"r1"}) == []


def test_a_value_is_changed_beyond_rounding_or_when_it_appears_or_goes_never_for_the_same_number():
    nan = float("nan")
    served = {"r1|a": (5.4, "usd_bn"), "r1|b": (nan, "percent"), "r1|c": (13.4, "percent"), "r1|d": (2.0, "tons"), "r1|e": (nan, "tons")}
    candidate = {
        "r1|a": (5.4 * (1 + 1e-12), "usd_bn"),  # the same number, summed in another order
        "r1|b": (1.0, "percent"),  # a value where none was reported
        "r1|c": (13.4, "percent"),
        "r1|e": (nan, "tons"),  # still not reported
        "r1|f": (7.0, "tons"),  # a new row
    }
    assert changed_values(frames(served), frames(candidate), {"r1"}) == [
        "r1, r1|b: not reported (percent) -> 1 percent",
        "r1, r1|d: 2 tons -> (none)",
        "r1, r1|f: (none) -> 7 tons",
    ]


def test_an_audit_checking_none_or_far_fewer_rows_blocks_unless_its_reports_changed():
    def coverage(rows):
        return {"coverage": pd.DataFrame(rows, columns=["rule", "report_id", "rows_checked"])}

    served = coverage([("cagr", "r1", 4), ("cagr", "r2", 3), ("yoy", "r1", 10)])
    candidate = coverage([("yoy", "r1", 6)])
    assert coverage_problems(served, candidate, {"r1"}, 50) == [
        "audit rule cagr checked 4 rows of the reports whose inputs did not change in the served build and checks 0 in the "
        "candidate (more than max_audit_coverage_drop_pct = 50 % fewer): a threshold or vocabulary edit switched the audit "
        "off; fix seeds/audit_thresholds.csv or the vocabulary"
    ]
    assert coverage_problems(served, candidate, {"r1"}, 30)[1].startswith("audit rule yoy checked 10 rows")
    assert coverage_problems(served, candidate, {"r2"}, 50)[0].startswith("audit rule cagr checked 3 rows")
    assert coverage_problems(served, candidate, set(), 50) == []  # every report changed: nothing to hold it to
