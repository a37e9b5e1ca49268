"""The consensus of a market (issue 27), from reports written here: three fictional publishers of one new
market, one of them in two editions, one printing million-scale digits labelled billion (the slip of a
real separator page: USD 3281.25 billion where its peers say about 3.1-3.3). One refresh, then every
assertion on the served file: the consensus counts each series once through its current edition, its
numbers are the ones computed here from the fixture's figures; the history moves when each report
arrives and names it, the new edition replacing its predecessor on its own date; the 1000x estimates are
advisory outlier findings that never block the publish, the acknowledged one leaves the consensus (and
is listed as excluded, with why), the open one counts and is flagged. The site the refresh built opens the
market's page with that consensus: its table and chart say the numbers computed here."""

from __future__ import annotations

import calendar
import csv
import re
import statistics
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest

from marketwh.paths import ProjectPaths, ServedPaths
from tests.added_reports import add_test_report, warehouse_rows
from tests.helpers import append_seed_row, copy_project, read_csv, run_marketwh, write_csv
from tests.site_checks import consensus_geometry, site_problems

MARKET = "example_separators"
KEY = (
    "market_key = 'example_separators' and metric = 'market_value' and segment_key = 'total' "
    "and region_key = 'global' and unit_key = 'usd_bn'"
)
WORTH = "The global separator market was valued at {} in {}."
REACH = "The global separator market is projected to reach {} by {}."
# how each currency's amounts are printed and curated: (currency, unit, as published)
USD, CNY = ("USD", "usd_bn", "USD {} billion"), ("CNY", "cny_bn", "{} billion yuan")
# (report_id, series_id, publisher_label, date published as printed, {year: value as printed})
ALPHA = ("alpha_separators_2024", "alpha_separators", "Alpha Research", "2024-05-14", {2024: "3.10", 2030: "7.40"})
BETA_SPRING = ("beta_separators_spring", "beta_separators", "Beta Insights", "2024-03", {2024: "3.30", 2030: "8.00"})
BETA_AUTUMN = ("beta_separators_autumn", "beta_separators", "Beta Insights", "2024-10", {2024: "3.25", 2030: "6.90"})
# the slip: both years printed in million-scale digits labelled billion
GAMMA = ("gamma_separators_2025", "gamma_separators", "Gamma Reports", "2025-02-03", {2024: "3281.25", 2030: "7100.00"})
EDITIONS = (ALPHA, BETA_SPRING, BETA_AUTUMN, GAMMA)
# printed in yuan: 2023 enters the US$ consensus converted at the rate printed for 2023; 2030 has none, stays out
DELTA = ("delta_separators_2024", "delta_separators", "Delta Consulting", "2024-07-01", {2023: "22.0", 2030: "48.5"})
# a person reads Gamma's page and acknowledges its 2024 value as the publisher's error; its 2030 stays open
ACKNOWLEDGED = f"outlier_vs_consensus:{GAMMA[0]}:market_value/total/total/global/2024/usd_bn"
OPEN = f"outlier_vs_consensus:{GAMMA[0]}:market_value/total/total/global/2030/usd_bn"


def taking_over(edition) -> date:
    """The day an edition speaks for its series: the last day its printed date can mean."""
    parts = [int(p) for p in edition[3].split("-")]
    if len(parts) == 2:
        return date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
    return date(*parts)


def counted(year: int, as_of: date | None = None) -> dict[str, float]:
    """Report id -> value of the estimates a consensus of `year` counts as of a date (None: today): each
    series through its newest edition out by then, without the acknowledged error."""
    newest = {}
    for edition in sorted(EDITIONS, key=taking_over):
        if as_of is None or taking_over(edition) <= as_of:
            newest[edition[1]] = edition
    values = {edition[0]: float(edition[4][year]) for edition in newest.values()}
    if year == 2024:
        values.pop(GAMMA[0], None)
    return values


def add_edition(root, edition, money=USD) -> None:
    report_id, series_id, label, published, values = edition
    front = {
        "title": "Global Separator Market Outlook 2024-2030",
        "publisher": f"{label} (a fictional publisher, for this test)",
        "url": f"https://example.com/{report_id}",
        "date_published": published,
        "date_accessed": "2026-12-06",
        "terms_of_use": "Written for this test; no terms apply.",
        "attribution": f"Source: {label} (test fixture)",
    }
    currency, unit, as_published = money
    sentences = {year: (REACH if year == 2030 else WORTH).format(as_published.format(value), year) for year, value in values.items()}
    body = "# Global Separator Market Outlook 2024-2030\n\n" + "\n\n".join(sentences.values()) + "\n"
    years = {"history_start_year": "2023", "base_year": "2023", "forecast_start_year": "2024", "forecast_end_year": "2030"}
    series = {"series_id": series_id, "edition": "2024-2030", "publisher_label": label}
    document = f"reports/{report_id.replace('_', '-')}.md"
    add_test_report(root, report_id, document, front, body, market=MARKET, currency=currency, **years, **series)
    rows = read_csv(root / "seeds" / "report_figures.csv")
    for number, (year, printed) in enumerate(values.items(), 1):
        rows.append(
            {
                **{column: "" for column in rows[0]},
                "figure_id": f"{report_id}-{number:03d}",
                "report_id": report_id,
                "metric": "market_value",
                "dimension": "total",
                "segment": "total",
                "region": "global",
                "year": str(year),
                "value": printed,
                "unit": unit,
                "value_as_published": as_published.format(printed),
                "basis": "reported",
                "section": "Global Separator Market Outlook 2024-2030",
                "quote": sentences[year],
            }
        )
    write_csv(root / "seeds" / "report_figures.csv", rows)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("consensus") / "project")
    append_seed_row(root / "seeds" / "markets.csv", market_key=MARKET, display_name="Example separators", description="For this test.")
    for edition in (GAMMA, BETA_AUTUMN, ALPHA, BETA_SPRING):  # neither file order nor ids say which is newer
        add_edition(root, edition)
    add_edition(root, DELTA, money=CNY)
    acknowledgements = root / "seeds" / "finding_acknowledgements.csv"
    reason = "Million-scale digits labelled billion (3281.25 for about 3.3)."
    with acknowledgements.open("a", encoding="utf-8", newline="") as seed:
        csv.writer(seed, lineterminator="\n").writerow([ACKNOWLEDGED, GAMMA[0], reason, "test", "2026-12-06"])
    # one refresh: validate, build, audit, publish; an open advisory outlier finding never blocks it
    refreshed = run_marketwh(root, "refresh")
    assert refreshed.returncode == 0, refreshed.stdout[-3000:] + refreshed.stderr[-3000:]
    findings = run_marketwh(root, "findings")
    return root, ProjectPaths(root).default_served_db, findings.stdout


def test_the_consensus_counts_each_series_once_with_the_numbers_of_its_estimates(served):
    _, db, _ = served
    rows = warehouse_rows(
        db,
        "select figure_year, publisher_count, reported_count, derived_count, mean_value, median_value, low_value, low_held_by, "
        "high_value, high_held_by, stddev_value, coefficient_of_variation_pct, report_ids, outlier_report_ids "
        f"from marts.market_consensus where {KEY} and figure_year in (2024, 2030) order by figure_year",
    )
    labels = {edition[0]: edition[2] for edition in EDITIONS}
    assert [row[0] for row in rows] == [2024, 2030]
    for year, count, reported, derived, mean, median, low, low_by, high, high_by, stddev, cv, report_ids, outliers in rows:
        values = counted(year)
        lowest, highest = min(values, key=values.get), max(values, key=values.get)
        assert (count, reported, derived) == (len(values), len(values), 0), year
        assert report_ids.split(",") == sorted(values)
        assert mean == pytest.approx(statistics.mean(values.values()))
        assert median == pytest.approx(statistics.median(values.values()))
        assert stddev == pytest.approx(statistics.stdev(values.values()))
        assert cv == pytest.approx(statistics.stdev(values.values()) / statistics.mean(values.values()) * 100)
        assert (low, low_by) == (pytest.approx(values[lowest]), f"{labels[lowest]} ({lowest})")
        assert (high, high_by) == (pytest.approx(values[highest]), f"{labels[highest]} ({highest})")
        # the superseded spring edition never counts; the acknowledged 3281.25 does not, the open 7100 does, flagged
        assert BETA_SPRING[0] not in values and BETA_AUTUMN[0] in values
        assert outliers == (None if year == 2024 else GAMMA[0])
    assert GAMMA[0] not in counted(2024) and GAMMA[0] in counted(2030)


def test_the_history_moves_as_each_report_arrives_and_names_the_report_that_moved_it(served):
    _, db, _ = served
    rows = warehouse_rows(
        db,
        "select figure_year, as_of_date, moved_by_report_ids, publisher_count, median_value, mean_value, median_change, "
        f"mean_change, report_ids from marts.market_consensus_history where {KEY} and figure_year in (2024, 2030) "
        "order by figure_year, as_of_date",
    )
    for year in (2024, 2030):
        # a row each day the estimates counted for the year change (Gamma's acknowledged 2024 never counts)
        days = sorted({taking_over(e) for e in EDITIONS})
        arrivals = [day for day in days if counted(year, day) != counted(year, day - timedelta(days=1))]
        history = [row for row in rows if row[0] == year]
        assert [row[1] for row in history] == arrivals, year
        previous = None
        for _, as_of, moved_by, count, median, mean, median_change, mean_change, report_ids in history:
            values = counted(year, as_of)
            assert moved_by == ",".join(sorted(e[0] for e in EDITIONS if taking_over(e) == as_of))
            assert report_ids.split(",") == sorted(values) and count == len(values)
            assert median == pytest.approx(statistics.median(values.values()))
            assert mean == pytest.approx(statistics.mean(values.values()))
            if previous is None:
                assert median_change is None and mean_change is None
            else:
                assert median_change == pytest.approx(median - previous[0])
                assert mean_change == pytest.approx(mean - previous[1])
            previous = (median, mean)
    # the autumn edition replaces the spring one on 31 October: Beta speaks once, with its new value
    autumn = taking_over(BETA_AUTUMN)
    ((moved_by, report_ids, median_change),) = [(r[2], r[8], r[6]) for r in rows if r[0] == 2030 and r[1] == autumn]
    assert moved_by == BETA_AUTUMN[0] and BETA_SPRING[0] not in report_ids.split(",")
    before, after = counted(2030, date(autumn.year, autumn.month, 1)), counted(2030, autumn)
    assert median_change == pytest.approx(statistics.median(after.values()) - statistics.median(before.values()))


def test_a_thousandfold_estimate_is_an_advisory_finding_and_leaves_the_consensus_only_when_acknowledged(served):
    _, db, findings_text = served
    findings = warehouse_rows(
        db,
        "select finding_key, rule, severity, status, stated_value, compared_value, message from marts.report_findings "
        "where rule = 'outlier_vs_consensus' order by finding_key",
    )
    assert [(f[0], f[1], f[2], f[3]) for f in findings] == [
        (ACKNOWLEDGED, "outlier_vs_consensus", "advisory", "acknowledged"),
        (OPEN, "outlier_vs_consensus", "advisory", "open"),
    ]
    for (key, *_, stated, compared, message), year in zip(findings, (2024, 2030), strict=True):
        others = {report: value for report, value in counted(year).items() if report != GAMMA[0]}
        assert stated == pytest.approx(float(GAMMA[4][year]))
        assert compared == pytest.approx(statistics.median(others.values()))
        low, high = min(others.values()), max(others.values())
        assert f"others_range={low:g}..{high:g}" in message, message
        assert key in findings_text  # `marketwh findings` lists it, unchanged
    # every printed estimate is a row of the audit, judged only as a current edition with two other publishers,
    # so what the audit checks of one report never depends on other reports coming or going (the publish guard)
    audited = warehouse_rows(
        db,
        "select report_id, figure_year, judged from audits.audit_outlier_vs_consensus where market_key = ? and report_id <> ? "
        "order by 1, 2",
        MARKET,
        DELTA[0],
    )
    current = {edition[0] for edition in EDITIONS if edition is not BETA_SPRING}
    assert audited == sorted((e[0], year, e[0] in current and len(set(counted(year)) - {e[0]}) >= 2) for e in EDITIONS for year in e[4])
    excluded = warehouse_rows(
        db,
        "select figure_year, report_id, exclusion, reason, finding_key from marts.market_consensus_excluded "
        f"where {KEY} and figure_year in (2024, 2030) order by figure_year, report_id",
    )
    assert (2024, GAMMA[0], "excluded", "excluded: acknowledged as the publisher's error", ACKNOWLEDGED) in excluded
    superseded = f"excluded: superseded by {BETA_AUTUMN[0]}: the series speaks through its current edition"
    for year in (2024, 2030):
        assert (year, BETA_SPRING[0], "excluded", superseded, None) in excluded
    # the values derived from Gamma's series (2025-2029, interpolated from the acknowledged 3281.25) leave with it
    derived = warehouse_rows(
        db, f"select figure_year, report_ids, derived_count from marts.market_consensus where {KEY} and figure_year between 2025 and 2029"
    )
    assert len(derived) == 5 and all(GAMMA[0] not in ids.split(",") and count == 2 for _, ids, count in derived)


def printed(value: float) -> str:
    """A value as a person prints it to 2 decimals: half up on its decimal text (3.175 -> 3.18)."""
    return f"{Decimal(repr(value)).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"


def test_the_market_page_opens_with_the_consensus_computed_here_without_the_acknowledged_error(served):
    _, db, _ = served
    site = ServedPaths(db).site  # built by the refresh, after its publish
    html = (site / "markets" / f"{MARKET}.html").read_text(encoding="utf-8")
    table = re.search(r'<table class="consensus" data-chart="([^"]+)".*?</table>', html, re.S)
    assert table is not None and html.index(table[0]) < html.index("Each publisher's estimates")
    geometry = consensus_geometry((site / "charts" / table[1]).read_text(encoding="utf-8"))
    labels = {edition[0]: edition[2] for edition in EDITIONS}
    for year in (2024, 2030):
        values = counted(year)
        lowest, highest = min(values, key=values.get), max(values, key=values.get)
        row = re.search(rf'<tr data-year="{year}">.*?</tr>', table[0], re.S)[0]
        cells = [" ".join(re.sub(r"<[^>]+>", "", cell).split()) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        # publishers, median, low, who, high, who: printed to the 2 decimals the reports print ("3.10")
        assert cells[1:7] == [
            str(len(values)),
            printed(statistics.median(values.values())),
            printed(values[lowest]),
            f"{labels[lowest]} ({lowest})",
            printed(values[highest]),
            f"{labels[highest]} ({highest})",
        ], year
        band = sorted(value for x, value in geometry["band"] if x == year)
        assert (band[0], band[-1]) == (pytest.approx(values[lowest], rel=0.01), pytest.approx(values[highest], rel=0.01)), year
    # the acknowledged 3281.25 is neither in the band nor drawn, but listed as left out, with why
    assert not any(abs(value - 3281.25) < 100 for _, value in geometry["band"])
    assert all(x != 2024 for gid, points in geometry["points"].items() if GAMMA[0] in gid for x, _, _ in points)
    excluded = re.search(rf'<tr data-report-id="{GAMMA[0]}" data-exclusion="excluded">.*?</tr>', html, re.S)[0]
    assert "acknowledged as the publisher" in excluded and ">2024<" in excluded
    history = re.search(r'<table class="consensus-history".*?</table>', html, re.S)[0]
    assert f'data-as-of="{taking_over(BETA_AUTUMN).isoformat()}"' in history
    assert [p for p in site_problems(site) if MARKET in p] == []


def test_an_estimate_in_yuan_enters_converted_at_the_rate_a_stored_document_prints_and_only_then(served):
    root, db, _ = served
    reference = (root / "reports" / "references" / "fed-g5a-annual-rates-2024-02-01.md").read_text(encoding="utf-8")
    sentence = re.search(r"In 2023 the rate averaged ([\d.]+) yuan per U\.S\. dollar\.", reference)  # as the document prints it
    rate, yuan = sentence.group(1), float(DELTA[4][2023])
    select = (
        "select value, value_kind, conversion_note, exchange_rate_id from marts.market_consensus_estimates where {} and figure_year = {}"
    )
    select += " and report_id = ?"
    ((value, kind, note, rate_id),) = warehouse_rows(db, select.format(KEY, 2023), DELTA[0])
    assert (value, kind) == (pytest.approx(yuan / float(rate)), "derived")
    assert rate in note and "Board of Governors of the Federal Reserve System" in note and sentence.group(0) in note, note
    assert rate_id in {row["rate_id"] for row in read_csv(root / "seeds" / "exchange_rates.csv")}
    consensus = (
        f"select publisher_count, derived_count, median_value, estimates from marts.market_consensus where {KEY} and figure_year = 2023"
    )
    ((count, derived, median, estimates),) = warehouse_rows(db, consensus)
    assert (count, derived, median) == (1, 1, pytest.approx(yuan / float(rate))) and rate in estimates
    # the reported value is never replaced: it stays, in yuan, in its own currency's consensus
    ((reported, reported_kind, *_),) = warehouse_rows(db, select.format(KEY.replace("usd_bn", "cny_bn"), 2023), DELTA[0])
    assert (reported, reported_kind) == (pytest.approx(yuan), "reported")
    # no rate for 2030 (no document prints one): not converted, left out of the US$ consensus with why
    assert not warehouse_rows(db, select.format(KEY, 2030), DELTA[0])
    why = f"select reason from marts.market_consensus_excluded where {KEY} and figure_year = 2030 and report_id = ?"
    assert warehouse_rows(db, why, DELTA[0]) == [("not compared: no exchange rate (CNY to USD)",)]
