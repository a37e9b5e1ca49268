"""No served number changes without its cause, and no audit stops checking silently: two comparisons
of the candidate with the served build, run by the publish guard beside `guard.dropped_data`.

- Per report: a report whose own input rows (its seeds/reports.csv row with the document's sha256, its
  figures and its claims) did not change, by the fingerprints both builds carry in the build stamp
  (marts.warehouse_build.report_input_fingerprints), must serve the same values in marts.market_figures.
  What else changed is the vocabulary (units, segments, synonyms, metrics): a relabelled unit or a moved
  synonym changes served numbers with every input rule passing, so it is refused unless the refresh was
  told the vocabulary changed on purpose (`marketwh refresh --accept-vocabulary-change`, recorded as the
  candidate's warehouse_build.accepted_vocabulary_change).
- Per audit rule: the rows it checked (audits.audit_verdicts), over the reports whose inputs did not
  change, may not fall to none, nor by more than max_audit_coverage_drop_pct of seeds/audit_thresholds.csv:
  a threshold or vocabulary edit that makes an audit check nothing would otherwise pass on nothing.
"""

from __future__ import annotations

import json
import math

import duckdb

from .reader import FrameReader

ACCEPT_FLAG = "--accept-vocabulary-change"
COVERAGE_RULE = "max_audit_coverage_drop_pct"
SHOWN = 5  # changed values named in the refusal; the rest are counted
QUERIES = {
    "stamp": "select * from marts.warehouse_build",
    "figures": "select report_id, market_figure_id, value, unit_key from marts.market_figures",
    "coverage": "select rule, report_id, count(*) as rows_checked from audits.audit_verdicts group by rule, report_id",
}


def _fingerprints(stamp) -> dict[str, str] | None:
    if "report_input_fingerprints" not in stamp.columns or not len(stamp):
        return None  # a build from before fingerprints: nothing to compare with
    return json.loads(stamp["report_input_fingerprints"].iloc[0] or "{}")


def unchanged_reports(served: dict, candidate: dict) -> set[str] | None:
    """Reports whose own inputs are the same in both builds; None when the served build has no fingerprints."""
    before, after = _fingerprints(served["stamp"]), _fingerprints(candidate["stamp"]) or {}
    if before is None:
        return None
    return {report for report, fingerprint in before.items() if after.get(report) == fingerprint}


def _same(a: float, b: float) -> bool:
    """Equal to 1e-9 relative; two not-reported values (null) are the same."""
    return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def _shown(value, unit) -> str:
    if value is None:
        return "(none)"
    return f"not reported ({unit})" if math.isnan(value) else f"{value:g} {unit}"


# the served values of unchanged reports whose value or unit is not exactly the same in both builds, compared
# by DuckDB over the two frames (at 1,000 reports ~340,000 rows each: 2.5 CPU-s as Python dicts); only these
# few come back to Python, where _same judges each as before
DIFFERING = """
    with before as (
        select report_id, market_figure_id, value, unit_key from served where report_id in (select report_id from unchanged)
    ),
    after as (
        select report_id, market_figure_id, value, unit_key from candidate where report_id in (select report_id from unchanged)
    )
    select
        coalesce(before.report_id, after.report_id) as report_id,
        coalesce(before.market_figure_id, after.market_figure_id) as market_figure_id,
        before.report_id is not null as was_served, before.value as old_value, before.unit_key as old_unit,
        after.report_id is not null as is_built, after.value as new_value, after.unit_key as new_unit
    from before full outer join after using (report_id, market_figure_id)
    where before.report_id is null or after.report_id is null
        or before.unit_key is distinct from after.unit_key or before.value::double is distinct from after.value::double
"""


def changed_values(served: dict, candidate: dict, unchanged: set[str]) -> list[str]:
    """'report, figure: old -> new' for every served value of an unchanged report that differs."""
    import pandas as pd  # here, not at the top: the definitions load this module before dbt, pandas (~0.4 s) is imported while dbt runs

    frames = {
        "served": served["figures"],
        "candidate": candidate["figures"],
        "unchanged": pd.DataFrame({"report_id": sorted(unchanged)}, dtype=object),
    }
    with duckdb.connect() as con:
        for name, frame in frames.items():
            con.register(name, frame)
        rows = con.execute(DIFFERING).fetchall()
    changes = []
    for report, figure, was_served, old_value, old_unit, is_built, new_value, new_unit in sorted(rows, key=lambda row: row[:2]):
        old = (_float(old_value), old_unit) if was_served else None
        new = (_float(new_value), new_unit) if is_built else None
        if old and new and old[1] == new[1] and _same(old[0], new[0]):
            continue
        changes.append(f"{report}, {figure}: {_shown(*(old or (None, None)))} -> {_shown(*(new or (None, None)))}")
    return changes


def _float(value) -> float:
    """A served value as the frames hold it: a not-reported one (null) is NaN."""
    return math.nan if value is None else float(value)


def _accepted(candidate: dict) -> bool:
    stamp = candidate["stamp"]
    return "accepted_vocabulary_change" in stamp.columns and len(stamp) > 0 and bool(stamp["accepted_vocabulary_change"].iloc[0])


def vocabulary_problems(served: dict, candidate: dict, unchanged: set[str]) -> list[str]:
    """The refusal (one sentence) when served values of unchanged reports change without the flag."""
    changes = changed_values(served, candidate, unchanged)
    if not changes or _accepted(candidate):
        return []
    more = f", and {len(changes) - SHOWN} more" if len(changes) > SHOWN else ""
    return [
        f"{len(changes)} served values of reports whose own rows and document did not change would change "
        f"({'; '.join(changes[:SHOWN])}{more}): the vocabulary or threshold seeds (or the models) changed them; if that is on purpose, "
        f"refresh with `marketwh refresh {ACCEPT_FLAG}`, else undo the vocabulary edit"
    ]


def coverage_problems(served: dict, candidate: dict, unchanged: set[str], limit: float | None) -> list[str]:
    """One sentence per audit rule that checks none, or more than `limit` % fewer, rows of the unchanged
    reports than the served build did."""

    def counts(frame) -> dict[str, int]:
        kept = frame[frame["report_id"].isin(unchanged)]
        return {str(rule): int(n) for rule, n in kept.groupby("rule")["rows_checked"].sum().items()}

    before, after = counts(served["coverage"]), counts(candidate["coverage"])
    problems = []
    for rule, checked in sorted(before.items()):
        now = after.get(rule, 0)
        if checked and (now == 0 or (checked - now) * 100 > (limit or 0) * checked):
            problems.append(
                f"audit rule {rule} checked {checked} rows of the reports whose inputs did not change in the served build "
                f"and checks {now} in the candidate (more than {COVERAGE_RULE} = {'missing' if limit is None else f'{limit:g}'} % fewer): "
                "a threshold or vocabulary edit switched the audit off; fix seeds/audit_thresholds.csv or the vocabulary"
            )
    return problems


def served_value_problems(read_served: FrameReader | None, read_candidate: FrameReader) -> list[str]:
    """The per-report and coverage refusals; [] when nothing is served yet or they pass."""
    served = read_served(QUERIES) if read_served is not None else {}
    if "stamp" not in served:
        return []
    candidate = read_candidate({**QUERIES, "thresholds": "select rule, threshold from seeds.audit_thresholds"})
    unchanged = unchanged_reports(served, candidate)
    if unchanged is None:
        return []
    thresholds = candidate["thresholds"]
    limit = dict(zip(thresholds["rule"], thresholds["threshold"], strict=True)).get(COVERAGE_RULE)
    return vocabulary_problems(served, candidate, unchanged) + coverage_problems(
        served, candidate, unchanged, None if limit is None else float(limit)
    )
