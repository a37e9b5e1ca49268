"""The dbt unit tests (`unit_tests:` beside the models: given rows, expected rows) on an empty build:
the models' logic and every audit rule written in SQL, checked without loading any report. The empty
build is cached by the dbt sources' digest (tests.helpers.check_build), so `make check` pays only
for `dbt test --select test_type:unit` while the dbt project is unchanged."""

from __future__ import annotations

import re

import pytest

from tests.helpers import check_build, check_dbt

pytestmark = pytest.mark.unit


def test_every_dbt_unit_test_passes_on_an_empty_build():
    db, _ = check_build()
    assert db.exists()
    result = check_dbt(db.parents[2], "test", "--select", "test_type:unit")
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    passed = re.search(r"PASS=(\d+)", result.stdout)
    assert passed and int(passed.group(1)) > 0, result.stdout[-2000:]  # unit tests were found and ran
