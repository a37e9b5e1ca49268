"""What the validator accepts, dbt builds: every dbt data test that curated input can reach declares the
validator rule in front of it, so a dbt test failing on curated input is a bug of the validator.

The declaration lives once, on the test (`config: {meta: {validator_rule: [rule, ...]}}` in the
model's yml, or the singular test's `config()`): each named rule is one the validator emits, at a file
and line, and has a bad-input case (`[rule]` in tests/bad_inputs or another test). A test no input can
fail, because it checks the model's own arithmetic, says so instead (`meta: {model_invariant: why}`);
the property test (tests/integration/test_validated_input_builds.py) backs both claims with generated
input. docs/rules.md lists every data test with the same rules."""

from __future__ import annotations

import json
import re
from functools import cache

from tests.helpers import REPO, check_build

CURATION = REPO / "marketwh" / "curation"
RULES_DOC = REPO / "docs" / "rules.md"
DOC_SECTION = "### Each dbt data test and the validator rule in front of it"


@cache
def _manifest() -> dict:
    _, target = check_build(REPO)
    return json.loads((target / "manifest.json").read_text(encoding="utf-8"))


def _data_tests() -> dict[str, dict]:
    return {node["name"]: node for node in _manifest()["nodes"].values() if node["resource_type"] == "test"}


def _curated_inputs(unique_id: str) -> set[str]:
    """The seeds and sources (the curated CSVs) upstream of a node."""
    nodes = {**_manifest()["nodes"], **_manifest()["sources"]}
    found, todo = set(), [unique_id]
    while todo:
        for parent in nodes[todo.pop()].get("depends_on", {}).get("nodes", []):
            if parent not in found:
                found.add(parent)
                todo.append(parent)
    return {node for node in found if node.startswith(("seed.", "source."))}


def _declared(node: dict) -> tuple[list[str], str]:
    meta = node["config"].get("meta") or {}
    return list(meta.get("validator_rule") or []), str(meta.get("model_invariant") or "")


def _validator_rules() -> set[str]:
    """Every rule name the validator code writes (a string literal of marketwh/curation)."""
    text = "\n".join(path.read_text(encoding="utf-8") for path in CURATION.rglob("*.py"))
    return set(re.findall(r'"([a-z][a-z0-9_]*)"', text))


def _rules_with_a_case() -> set[str]:
    tests = REPO / "tests"
    text = "\n".join(p.read_text(encoding="utf-8") for p in [*tests.rglob("*.yml"), *tests.rglob("*.py")] if "fixtures" not in p.parts)
    return set(re.findall(r"\[([a-z][a-z0-9_]*)\]", text))


def test_every_data_test_input_can_reach_declares_the_validator_rule_in_front_of_it():
    tests = _data_tests()
    reachable = {name: node for name, node in tests.items() if _curated_inputs(node["unique_id"])}
    assert len(reachable) >= 90, f"only {len(reachable)} of {len(tests)} data tests read curated input: the manifest changed shape?"
    undeclared, both = [], []
    for name, node in sorted(reachable.items()):
        rules, invariant = _declared(node)
        if not rules and not invariant:
            undeclared.append(f"{node['original_file_path']}: {name}")
        elif rules and invariant:
            both.append(name)
    assert not undeclared, (
        "data tests curated input reaches, with no validator rule declared in front of them "
        "(config: {meta: {validator_rule: [...]}}, or model_invariant: why no input can fail it):\n" + "\n".join(undeclared)
    )
    assert not both, f"declare a validator rule or a model invariant, not both: {both}"


def test_every_declared_rule_is_one_the_validator_emits_with_a_bad_input_case():
    emitted, with_case = _validator_rules(), _rules_with_a_case()
    unknown, untested = {}, {}
    for name, node in _data_tests().items():
        for rule in _declared(node)[0]:
            if rule not in emitted:
                unknown.setdefault(rule, []).append(name)
            elif rule not in with_case:
                untested.setdefault(rule, []).append(name)
    assert not unknown, f"rules the validator never emits (marketwh/curation): {unknown}"
    assert not untested, f"rules without a bad-input case ([rule] in tests/bad_inputs or a test): {untested}"


def _doc_rows() -> dict[str, str]:
    section = RULES_DOC.read_text(encoding="utf-8").split(DOC_SECTION, 1)[1].split("\n#", 1)[0]
    rows = {}
    for line in section.splitlines():
        if line.startswith("| `"):
            cells = [cell.strip() for cell in line.strip(" |").split("|")]
            rows[cells[0].strip("`")] = " | ".join(cells[1:])
    return rows


def test_docs_list_every_data_test_with_the_rule_in_front_of_it():
    rows, tests = _doc_rows(), _data_tests()
    assert set(rows) == set(tests), f"docs/rules.md misses {sorted(set(tests) - set(rows))}, lists gone {sorted(set(rows) - set(tests))}"
    for name, node in tests.items():
        rules, invariant = _declared(node)
        named = set(re.findall(r"\[([a-z0-9_]+)\]", rows[name]))
        assert named == set(rules), f"docs/rules.md row {name}: names {sorted(named)}, the test declares {sorted(rules)}"
        if invariant:
            assert "model invariant" in rows[name], f"docs/rules.md row {name} should say it is a model invariant"
