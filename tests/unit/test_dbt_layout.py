"""The dbt layout, as checks: a model's SQL and its yml (description with grain, columns, contract,
tests, unit tests) lie side by side, so a change to a model touches two files; and a column meaning
used by more than one model is written once, as a `{% docs %}` block in dbt/models/_docs/, never
copied (a copied description drifts, and the copy is what a BI tool shows as the column's comment)."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from tests.helpers import REPO

pytestmark = pytest.mark.unit

MODELS = REPO / "dbt" / "models"
LAYERS = ("staging", "intermediate", "marts")
DOCS_BLOCK = re.compile(r"{%\s*docs\s+(\w+)\s*%}(.*?){%\s*enddocs\s*%}", re.S)


def _yml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def _model_files() -> list[Path]:
    return sorted(sql for layer in LAYERS for sql in (MODELS / layer).glob("*.sql"))


def _words(text: str) -> str:
    return " ".join(text.split())


def test_every_model_has_its_own_yml_beside_its_sql():
    for sql in _model_files():
        yml = sql.with_suffix(".yml")
        assert yml.exists(), f"{sql.relative_to(MODELS)} has no {yml.name} beside it"
        spec = _yml(yml)
        assert [m["name"] for m in spec.get("models", [])] == [sql.stem], f"{yml.name} describes only {sql.stem}"
        assert spec["models"][0].get("description"), f"{sql.stem}: a description stating the grain"
        for test in spec.get("unit_tests", []):
            assert test["model"] == sql.stem, f"unit test {test['name']} lies beside {sql.stem}, not {test['model']}"


def test_every_yml_is_the_yml_of_the_model_beside_it():
    for layer in LAYERS:
        for yml in (MODELS / layer).glob("*.yml"):
            spec, where = _yml(yml), yml.relative_to(MODELS)
            if yml.name.startswith("_"):  # shared files (the exposures) describe no model
                assert not spec.get("models") and not spec.get("unit_tests"), f"{where}: models belong in <model>.yml"
                continue
            assert [m["name"] for m in spec.get("models", [])] == [yml.stem], f"{where} describes {yml.stem} only"
            assert yml.with_suffix(".sql").exists(), f"{where} has no {yml.stem}.sql beside it"


def test_a_column_description_used_twice_is_a_docs_block():
    blocks = {name: _words(body) for path in MODELS.rglob("*.md") for name, body in DOCS_BLOCK.findall(path.read_text(encoding="utf-8"))}
    by_text = {text: name for name, text in blocks.items()}
    written = defaultdict(list)
    for sql in _model_files():
        spec = _yml(sql.with_suffix(".yml")) if sql.with_suffix(".yml").exists() else {"models": [{}]}
        for column in spec["models"][0].get("columns", []):
            text = _words(column.get("description", ""))
            if text and "{{" not in text:
                written[text].append(f"{sql.stem}.{column['name']}")
    copies = {text: where for text, where in written.items() if len(where) > 1}
    assert not copies, f"descriptions written out more than once (make each a docs block in dbt/models/_docs/): {copies}"
    copied_blocks = {where[0]: by_text[text] for text, where in written.items() if text in by_text}
    assert not copied_blocks, f"descriptions that copy a docs block (use {{{{ doc('...') }}}}): {copied_blocks}"
