"""The audit suites: the Great Expectations gate on the verdicts dbt has judged.

Every audit rule is judged once, in dbt: the views of dbt/models/audits carry each audited row's
verdict (holds, the stated and compared numbers, the tolerance, the severity and the finding key),
`marts.report_findings` holds the rows that do not hold with their acknowledgements, and
`marts.audit_results` lists the rules with their suite. A suite here names a group of those rules
(audits.audit_rules.suite) and gates publishing with one uniform expectation: no open blocking
finding of its rules. Its advisory findings are reported beside it and never block.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Suite:
    name: str  # audits.audit_rules.suite
    description: str
    has_advisories: bool = False  # whether some of its rules are advisory: a separate, non-blocking check


SHARES = Suite(
    name="shares",
    description="A complete split sums to 100 within tolerance; a partial split never exceeds 100.",
)

GROWTH = Suite(
    name="growth",
    description=(
        "Year-on-year growth and CAGR within bounds; stated CAGR agrees with the CAGR implied by the reported values; ranking claims hold."
    ),
    has_advisories=True,
)

FIGURES = Suite(
    name="figures",
    description="A document states one value for each figure (two quotes with two values are the publisher's contradiction).",
)

SUITES: tuple[Suite, ...] = (SHARES, GROWTH, FIGURES)
