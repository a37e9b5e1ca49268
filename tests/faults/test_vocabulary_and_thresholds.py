"""Issue 23, classes 3 and 4: vocabulary rows that relabel served numbers, thresholds that switch the
audits off. Each attack as an attacker would make it, at the cheapest level that reproduces it: the
validator on a scratch project; the publish guard's comparison on a copy of the dbt-built warehouse
rebuilt by dbt from the edited seeds (the selection downstream of the edited seed only); the refresh's
gate refusing the change, in process on a rebuilt candidate (tests/scenarios.py); one refresh for the
flag, the build stamp and `marketwh status`."""

from __future__ import annotations

import shutil

import pytest

from marketwh.curation.validation import validate_project
from marketwh.paths import ProjectPaths
from marketwh.warehouse.publish import STAMP_ACCEPT_VOCABULARY_ENV
from marketwh.warehouse.reader import file_reader
from marketwh.warehouse.served_values import ACCEPT_FLAG, served_value_problems
from tests.helpers import copy_project, dbt_build, file_digest, run_marketwh
from tests.scenarios import rebuild_and_publish

THRESHOLDS = "seeds/audit_thresholds.csv"
UNITS = "seeds/units.csv"
# serving every volume in kilotons instead of tons: a unit change that passes every input rule
# (same quantity, base and currency) and changes the served numbers of the volume reports
TONS_AS_KILOTONS = (
    ("tons,metric tons,mass,,1,tons,tons", "tons,metric tons,mass,,1,tons,kilotons"),
    ("kilotons,thousand metric tons,mass,,1000,tons,tons", "kilotons,thousand metric tons,mass,,1000,tons,kilotons"),
    ("million_tons,million metric tons,mass,,1000000,tons,tons", "million_tons,million metric tons,mass,,1000000,tons,kilotons"),
)


def edit(root, file, *replacements):
    path = root / file
    text = path.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, f"{file}: {old!r} not found"
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def problems(root) -> list[str]:
    return [str(p) for p in validate_project(ProjectPaths(root)).errors]


# --- class 3: the units vocabulary --------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "usd_bn,US$ billion,money,USD,1000000000,usd,usd_bn",
            "usd_bn,US$ billion,money,USD,1000000000,usd,jpy_bn",
            "seeds/units.csv:2: [mart_unit_mismatch] mart_unit 'jpy_bn' has base_unit 'jpy', not 'usd'; currency 'JPY', not 'USD'",
        ),
        (
            "tons,metric tons,mass,,1,tons,tons",
            "tons,metric tons,mass,,1,tons,usd_bn",
            "seeds/units.csv:5: [mart_unit_mismatch] mart_unit 'usd_bn' has quantity 'money', not 'mass'",
        ),
        (
            "usd_mn,US$ million,money,USD,1000000,usd,usd_bn",
            "usd_mn,US$ million,money,USD,0,usd,usd_bn",
            "seeds/units.csv:3: [multiplier_not_positive] multiplier_to_base 0 must be greater than 0",
        ),
    ],
    ids=["usd_served_as_yen", "tons_served_as_usd", "multiplier_zero"],
)
def test_a_unit_relabelling_served_numbers_is_refused_at_its_line(project, old, new, expected):
    edit(project, UNITS, (old, new))
    found = problems(project)
    assert any(expected in p for p in found), "\n".join(found)


# --- class 4: the thresholds seed has a schema --------------------------------------------------


def test_a_misspelt_or_deleted_threshold_rule_is_refused(project):
    drop_row = next(line for line in (project / THRESHOLDS).read_text().splitlines(True) if line.startswith("max_figure_drop_pct,"))
    edit(project, THRESHOLDS, ("cagr_tolerance,0.5,", "cagr_tolerence,0.5,"), (drop_row, ""))
    found = problems(project)
    assert any(
        "seeds/audit_thresholds.csv:9: [unknown_threshold_rule] no audit reads a threshold named 'cagr_tolerence'; "
        "did you mean 'cagr_tolerance'?" in p
        for p in found
    ), found
    assert any("[threshold_missing] no row for rule 'cagr_tolerance'" in p for p in found), found
    assert any("[threshold_missing] no row for rule 'max_figure_drop_pct'" in p for p in found), found


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "cagr_tolerance,0.5,",
            "cagr_tolerance,99999999,",
            "seeds/audit_thresholds.csv:9: [threshold_out_of_range] cagr_tolerance = 99999999",
        ),
        (
            "share_sum_tolerance,0.5,",
            "share_sum_tolerance,-1,",
            "seeds/audit_thresholds.csv:4: [threshold_out_of_range] share_sum_tolerance = -1",
        ),
    ],
    ids=["tolerance_99999999", "tolerance_minus_1"],
)
def test_a_threshold_outside_its_range_is_refused_at_its_line(project, old, new, expected):
    edit(project, THRESHOLDS, (old, new))
    found = problems(project)
    assert any(expected in p for p in found), found


def test_year_min_above_year_max_is_reported_once_at_the_threshold_not_on_every_report(project):
    edit(project, THRESHOLDS, ("year_min,1900,", "year_min,2200,"))
    found = problems(project)
    assert found == [
        "seeds/audit_thresholds.csv:13: [threshold_bounds_crossed] year_min = 2200 is above year_max = 2100 (line 14): "
        "nothing could lie between them"
    ], found


# --- the publish guard on a dbt-built candidate -------------------------------------------------


def rebuilt_candidate(built_warehouse, tmp_path, seed: str, *replacements):
    """A candidate as a refresh would build it after `replacements` in seeds/<seed>.csv: a copy of the
    built warehouse, rebuilt by dbt downstream of that seed, with no validation (the guard is the last line)."""
    root = copy_project(tmp_path / "project")
    edit(root, f"seeds/{seed}.csv", *replacements)
    candidate = tmp_path / "candidate.duckdb"
    shutil.copy2(built_warehouse, candidate)
    return _models_built(root, candidate, f"{seed}+ warehouse_build")


def restamped(candidate, **env: str):
    """The build stamp of a `rebuilt_candidate` made again by dbt with `env` (e.g. the accepted vocabulary
    change), in the same project and file: dbt parses only the stamp again."""
    return _models_built(candidate.parent / "project", candidate, "warehouse_build", **env)


def _models_built(root, candidate, select: str, **env: str):
    """`candidate` after dbt built the `select`ed seeds and models of the project at `root` into it (no tests)."""
    result = dbt_build(root, candidate, "--select", *select.split(), "--exclude-resource-type", "test", "unit_test", **env)
    assert result.returncode == 0, result.stdout[-4000:]
    return candidate


def test_an_audit_that_stops_checking_blocks_the_publish(built_warehouse, tmp_path):
    # a misspelt cagr_tolerance: int_cagr_compared joins nothing, cagr_check is empty, the CAGR audit passes on nothing
    candidate = rebuilt_candidate(built_warehouse, tmp_path, "audit_thresholds", ("cagr_tolerance,", "cagr_tolerence,"))
    found = served_value_problems(file_reader(built_warehouse), file_reader(candidate))
    assert (
        "audit rule stated_cagr_matches_implied checked 2 rows of the reports whose inputs did not change in the served "
        "build and checks 0 in the candidate (more than max_audit_coverage_drop_pct = 50 % fewer): a threshold or "
        "vocabulary edit switched the audit off; fix seeds/audit_thresholds.csv or the vocabulary"
    ) in found, found
    # the implied CAGRs it served are gone too: refused as changed served values, not only as lost coverage
    assert any("implied_cagr|total|total|global||2024-2032: 13.3354 percent -> (none)" in p for p in found), found


def test_a_vocabulary_change_of_served_values_is_refused_unless_accepted(built_warehouse, tmp_path):
    candidate = rebuilt_candidate(built_warehouse, tmp_path, "units", *TONS_AS_KILOTONS)
    found = served_value_problems(file_reader(built_warehouse), file_reader(candidate))
    assert len(found) == 1, found
    assert found[0].startswith("10 served values of reports whose own rows and document did not change would change"), found
    assert "cncic_china_anode_2022, cncic_china_anode_2022|volume|total|total|china|2021|-: 720000 tons -> 720 kilotons" in found[0]
    assert ", and 5 more)" in found[0] and ACCEPT_FLAG in found[0]
    # the same values, stamped as a change made on purpose (only the stamp differs: it is built again)
    accepted = restamped(candidate, **{STAMP_ACCEPT_VOCABULARY_ENV: "true"})
    assert served_value_problems(file_reader(built_warehouse), file_reader(accepted)) == []


def test_refresh_refuses_a_relabelled_served_value_then_publishes_it_when_accepted(published_project):
    root = published_project
    served = ProjectPaths(root).default_served_db
    before = file_digest(served)
    edit(root, UNITS, *TONS_AS_KILOTONS)
    assert problems(root) == []  # every input rule passes

    # the refresh's gate on a candidate rebuilt downstream of the units (in process, tests/scenarios.py)
    refused = rebuild_and_publish(root, "units+")
    assert not refused.published
    failed = [line for line in refused.failed_checks if "candidate_keeps_served_data" in line]
    assert failed and "720000 tons -> 720 kilotons" in failed[0] and ACCEPT_FLAG in failed[0], refused.summary()
    assert file_digest(served) == before

    # the flag, from the command line to the run's tag, the build stamp and the guard: a real refresh
    published = run_marketwh(root, "refresh", ACCEPT_FLAG)
    assert published.returncode == 0, published.stderr[-3000:]
    status = run_marketwh(root, "status")
    assert "  accepted_vocabulary_change: yes: published by `marketwh refresh --accept-vocabulary-change`" in status.stdout, status.stdout
