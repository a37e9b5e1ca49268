"""What an incremental build leaves as the copy of the served build holds it
(`marketwh.warehouse.definitions.kept_from_the_copy`): the seeds of the definitions digest and what reads
only them, never a report's own seed, what reads one, or what reads the environment, the clock or a file."""

from __future__ import annotations

from marketwh.warehouse.definitions import REPORT_SEEDS, kept_from_the_copy, leave_out_args


def node(kind: str, name: str, parents=(), code: str = "", macros=(), file: str = "") -> tuple[str, dict]:
    uid = f"{kind}.marketwh.{name}"
    return uid, {
        "resource_type": kind,
        "fqn": ["marketwh", name],
        "original_file_path": file or f"models/{name}.sql",
        "raw_code": code,
        "depends_on": {"nodes": [f"{p}" for p in parents], "macros": list(macros)},
    }


def manifest(*nodes, macros=None) -> dict:
    return {"nodes": dict(nodes), "macros": macros or {}}


def test_vocabulary_seeds_and_what_reads_only_them_are_kept():
    report_seed = REPORT_SEEDS[0]
    m = manifest(
        node("seed", "units", file="seeds/units.csv"),
        node("seed", "reports", file=f"seeds/{report_seed}"),
        node("model", "stg_units", ["seed.marketwh.units"]),
        node("model", "stg_reports", ["seed.marketwh.reports"]),
        node("model", "joined", ["model.marketwh.stg_units", "model.marketwh.stg_reports"]),
        node("test", "unique_stg_units", ["model.marketwh.stg_units"]),
        node("test", "relationships_joined_units", ["model.marketwh.joined", "model.marketwh.stg_units"]),
    )
    assert kept_from_the_copy(m) == ["fqn:marketwh.stg_units", "fqn:marketwh.unique_stg_units", "fqn:marketwh.units"]


def test_a_node_reading_the_environment_clock_or_a_file_and_what_reads_it_always_run():
    m = manifest(
        node("seed", "units", file="seeds/units.csv"),
        node("model", "stamped", ["seed.marketwh.units"], code="select '{{ env_var(\"X\") }}' as x from {{ ref('units') }}"),
        node("model", "dated", ["seed.marketwh.units"], macros=["macro.marketwh.today"]),
        node("model", "after_stamped", ["model.marketwh.stamped"]),
        node("model", "constant", [], code="select 1"),
        macros={
            "macro.marketwh.today": {"macro_sql": "{{ return(helper()) }}", "depends_on": {"macros": ["macro.marketwh.helper"]}},
            "macro.marketwh.helper": {"macro_sql": "current_date", "depends_on": {"macros": []}},
        },
    )
    assert kept_from_the_copy(m) == ["fqn:marketwh.units"]


def test_what_is_kept_is_left_out_by_name_only():
    assert leave_out_args([]) == []
    assert leave_out_args(["fqn:marketwh.units", "fqn:marketwh.stg_units"]) == [
        "--exclude",
        "fqn:marketwh.units fqn:marketwh.stg_units",
        "--indirect-selection",
        "empty",
    ]
