"""Fuzzing the seed reader and the report-document reader: random bytes and near-valid CSVs either
read or raise the project's own InputError with a message naming file and rule, never anything else."""

from __future__ import annotations

import string
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marketwh.curation.documents import read_report_document
from marketwh.curation.seedfiles import load_seed, load_seed_schemas
from marketwh.errors import InputError
from tests.helpers import FIXTURE

SCHEMAS = load_seed_schemas(FIXTURE / "seeds")
FIGURES = (FIXTURE / "seeds" / "report_figures.csv").read_bytes()
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _read_seed_bytes(data: bytes, seed: str = "report_figures") -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"{seed}.csv"
        path.write_bytes(data)
        try:
            table = load_seed(path, SCHEMAS[seed], display_path=f"seeds/{seed}.csv")
        except InputError as error:
            assert error.problems, "an InputError must say what is wrong"
            for problem in error.problems:
                assert problem.path == f"seeds/{seed}.csv" and problem.rule and problem.message
            assert str(error).startswith(f"seeds/{seed}.csv")
        else:
            assert all(len(row) == len(SCHEMAS[seed]) for row in table.rows)


@FUZZ
@given(st.binary(max_size=2000))
def test_seed_reader_survives_random_bytes(data):
    _read_seed_bytes(data)


# near-valid CSVs: the real file with a few bytes replaced, inserted or removed
_ALPHABET = st.sampled_from([b'"', b",", b"\n", b"\r", b"\x00", b"\xff", b"\xef\xbb\xbf", b" ", b"a", b"1", b".", b"%"])


@FUZZ
@given(st.lists(st.tuples(st.integers(0, len(FIGURES)), st.integers(0, 3), _ALPHABET), min_size=1, max_size=6))
def test_seed_reader_survives_near_valid_csv(mutations):
    data = bytearray(FIGURES)
    for position, remove, insert in mutations:
        position = min(position, len(data))
        data[position : position + remove] = insert
    _read_seed_bytes(bytes(data))


@FUZZ
@given(st.text(alphabet=string.printable + '\u00a0–é"', max_size=600))
def test_seed_reader_survives_random_text(text):
    header = ",".join(SCHEMAS["units"]) + "\n"
    _read_seed_bytes((header + text).encode("utf-8"), seed="units")


@FUZZ
@given(st.one_of(st.binary(max_size=3000), st.text(max_size=3000).map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_document_reader_survives_random_bytes(data):
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "report.md"
        path.write_bytes(data)
        try:
            document = read_report_document(path, display_path="reports/report.md")
        except InputError as error:
            assert error.problems and all(p.path == "reports/report.md" and p.rule for p in error.problems)
        else:
            assert document.text and len(document.sha256) == 64
