"""A corpus of broken inputs (tests/bad_inputs/*.yml): each edits a copy of the project the way a
person might break it, and must produce its documented messages, naming file, line and rule.
The table of bad inputs in docs/rules.md is built from the same cases."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from marketwh.curation.documents import sha256_of
from marketwh.curation.validation import validate_project
from marketwh.paths import ProjectPaths
from tests.helpers import copy_project

CORPUS = sorted((Path(__file__).parent.parent / "bad_inputs").glob("*.yml"))


def apply_edit(root: Path, edit: dict) -> None:
    path = root / edit["file"]
    if "symlink_to" in edit:
        path.symlink_to(edit["symlink_to"])
        return
    if edit.get("delete"):
        path.unlink()
        return
    if "content" in edit:
        path.write_bytes(edit["content"].encode("utf-8"))
        return
    if "content_hex" in edit:
        path.write_bytes(bytes.fromhex(edit["content_hex"]))
        return
    data = path.read_bytes()
    if "prepend_hex" in edit:
        data = bytes.fromhex(edit["prepend_hex"]) + data
    if "insert_after_header" in edit:  # a new row at a fixed line (2), however the seed grows
        end = data.index(b"\n") + 1
        data = data[:end] + edit["insert_after_header"].encode("utf-8") + data[end:]
    if "append" in edit:
        data += edit["append"].encode("utf-8")
    if "replace" in edit:
        old = edit["replace"].encode("utf-8")
        if "with_sha256_of" in edit:  # the right hash of a file outside the project, as an attacker would write it
            new = b"," + sha256_of(Path(edit["with_sha256_of"])).encode("ascii") + b","
        else:
            new = bytes.fromhex(edit["with_hex"]) if "with_hex" in edit else edit["with"].encode("utf-8")
        start = data.index(edit["after"].encode("utf-8")) if "after" in edit else 0
        head, tail = data[:start], data[start:]
        assert old in tail, f"{edit['file']}: {edit['replace']!r} not found"
        data = head + tail.replace(old, new, edit.get("count", -1))
    path.write_bytes(data)


def problems_for(case: Path, tmp_path: Path) -> list[str]:
    spec = yaml.safe_load(case.read_text(encoding="utf-8"))
    root = copy_project(tmp_path / "project")
    for edit in spec["edits"]:
        apply_edit(root, edit)
    return [str(p) for p in validate_project(ProjectPaths(root)).errors]


def test_corpus_has_at_least_25_cases():
    assert len(CORPUS) >= 25


@pytest.mark.parametrize("case", CORPUS, ids=[c.stem for c in CORPUS])
def test_broken_input_produces_its_documented_message(case, tmp_path):
    spec = yaml.safe_load(case.read_text(encoding="utf-8"))
    assert spec["expect"], f"{case.name} documents no expected message"
    problems = problems_for(case, tmp_path)
    for expected in spec["expect"]:
        assert any(expected in problem for problem in problems), f"{expected!r} not in:\n" + "\n".join(problems)
    for path in spec.get("never_print_sha256_of", []):  # a message must not reveal anything of a file outside reports/
        assert not any(sha256_of(Path(path)) in problem for problem in problems), problems
