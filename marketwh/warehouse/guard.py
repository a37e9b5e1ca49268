"""Nothing served is lost silently: a candidate that drops a served report, or more than a stated
share of the served figures, is not published unless the seeds say so on purpose (the report marked
withdrawn, with a reason). Compared on the served and the candidate `marts.reports` (report_catalog),
each read through its engine's FrameReader."""

from __future__ import annotations

from .reader import FrameReader

THRESHOLD_RULE = "max_figure_drop_pct"
GUARD_QUERIES = {"reports": "select * from marts.reports", "thresholds": "select rule, threshold from seeds.audit_thresholds"}


def dropped_data(read_served: FrameReader | None, read_candidate: FrameReader) -> list[str]:
    """What the candidate would drop of the served warehouse without saying so; [] when nothing.
    `read_served` is None (or returns no frame) when nothing is served yet."""
    served = read_served({"reports": "select * from marts.reports"}) if read_served is not None else {}
    if "reports" not in served:
        return []  # a first publish drops nothing
    before = served["reports"]
    after, thresholds = read_candidate(GUARD_QUERIES).values()
    status = dict(zip(after["report_id"], after["report_status"], strict=True))
    problems = [
        f"report {report_id!r} is served and is gone from the candidate: keep its row in seeds/reports.csv and mark it "
        "withdrawn with a status_reason to take it out on purpose"
        for report_id in before["report_id"]
        if report_id not in status
    ]
    withdrawn = {report_id for report_id, value in status.items() if value == "withdrawn"}
    kept_before = int(before.loc[~before["report_id"].isin(withdrawn), "reported_figure_count"].sum())
    kept_after = int(after.loc[after["report_id"].isin(before["report_id"]), "reported_figure_count"].sum())
    limit = dict(zip(thresholds["rule"], thresholds["threshold"], strict=True)).get(THRESHOLD_RULE)
    if limit is None:  # the validator requires it; without it the guard refuses rather than passing on nothing
        problems.append(f"seeds/audit_thresholds.csv has no {THRESHOLD_RULE}: the candidate cannot be compared with what is served")
    elif kept_before and (kept_before - kept_after) * 100 > float(limit) * kept_before:
        problems.append(
            f"the candidate holds {kept_after} figures of the reports served with {kept_before}: a drop of "
            f"{(kept_before - kept_after) * 100 / kept_before:.1f} % is more than {THRESHOLD_RULE} = {float(limit):g} % "
            "(seeds/audit_thresholds.csv); restore the figures, or withdraw the reports they belong to"
        )
    return problems
