"""Issue 23, class 5 and the devices of class 11: a command writes only a new file where a person may
put one, and reads only regular files.

The attacks: as root (mode 0444 does not stop root), `marketwh extract ... -o build/warehouse.duckdb`
overwrote the served build with CSV; `extract /dev/zero` read without limit; a FIFO hung it. Now the
output path is checked by path against everything marketwh manages (`ProjectPaths.managed_paths`,
WAREHOUSE_DB wherever it is), created exclusively (`--force` replaces a file, never a managed one), and
a device or FIFO is refused with one sentence before it is opened for reading or writing. The
commands run in process on a scratch project (cheap); the ones that would hang or read without end on
a defenceless build run in a subprocess with a timeout and a memory limit.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time

import pytest

import marketwh.paths
from marketwh.cli import main
from marketwh.paths import WAREHOUSE_DB_ENV, ProjectPaths, ServedPaths
from tests.helpers import project_env

DOCUMENT = "reports/anode-market-qy-research-2021.md"
BUILD = b"DUCK\x00 a published build, as the served link names it"


@pytest.fixture
def extract(project, monkeypatch, capsys):
    """`marketwh extract DOCUMENT ...` in process on the scratch project: (exit code, stderr)."""
    monkeypatch.setattr(marketwh.paths, "REPO_ROOT", project)
    monkeypatch.chdir(project)
    monkeypatch.delenv(WAREHOUSE_DB_ENV, raising=False)

    def run(*args: str) -> tuple[int, str]:
        code = main(["extract", DOCUMENT, "--report-id", "qy_battery_anode_2021", *args])
        return code, capsys.readouterr().err

    return run


def published(served):
    """A served file as a publish leaves it: a link to a read-only build with its pristine copy beside it."""
    builds = ServedPaths(served).builds
    builds.mkdir(parents=True)
    build = builds / "20260101T000000-abcdef12.duckdb"
    for path in (build, ServedPaths.pristine(build)):
        path.write_bytes(BUILD)
        path.chmod(0o444)
    served.symlink_to(build.relative_to(served.parent))
    return build


def test_extract_never_writes_into_the_served_build_or_any_managed_path(project, extract, tmp_path, monkeypatch):
    build = published(ProjectPaths(project).default_served_db)
    (tmp_path / "innocent.csv").symlink_to(project / "build" / "warehouse.duckdb")
    targets = [
        "build/warehouse.duckdb",  # the attack: the served link, followed by a write to the build it names
        str(ServedPaths.pristine(build)),
        "build/new.csv",
        "build/dagster/drafts.csv",
        "seeds/report_figures.csv",
        "seeds/new_figures.csv",  # seeds are written only through their own writer (register, acknowledge)
        "reports/new-report.md",
        "dbt/models/drafts.csv",
        str(tmp_path / "innocent.csv"),  # a link elsewhere pointing in
    ]
    seeds_before = sorted((project / "seeds").iterdir())
    for target in targets:
        for force in ((), ("--force",)):
            code, err = extract("-o", target, *force)
            assert code == 2 and "which marketwh manages" in err and err.count("\n") == 1, (target, err)
    assert build.read_bytes() == BUILD and ServedPaths.pristine(build).read_bytes() == BUILD
    assert (project / "build" / "warehouse.duckdb").is_symlink()
    assert sorted((project / "seeds").iterdir()) == seeds_before and not (project / "reports" / "new-report.md").exists()
    assert not (project / "build" / "new.csv").exists()

    # a served file outside the project (WAREHOUSE_DB) is as managed, and so is everything beside it
    served = tmp_path / "srv" / "warehouse.duckdb"
    served.parent.mkdir()
    elsewhere = published(served)
    monkeypatch.setenv(WAREHOUSE_DB_ENV, str(served))
    for target in (served, ServedPaths.pristine(elsewhere), ServedPaths(served).previous, ServedPaths(served).site / "x.csv"):
        code, err = extract("-o", str(target), "--force")
        assert code == 2 and "which marketwh manages" in err, (target, err)
    assert elsewhere.read_bytes() == BUILD and ServedPaths.pristine(elsewhere).read_bytes() == BUILD


def test_extract_creates_a_new_file_and_overwrites_only_with_force(project, extract, tmp_path):
    draft = project / "build" / "drafts" / "qy.csv"  # the folder the docs and `register` suggest
    code, err = extract("-o", "build/drafts/qy.csv")
    assert code == 0, err
    written = draft.read_text(encoding="utf-8")
    assert written.startswith("figure_id,") and "US$3.2 billion" in written

    draft.write_text("a person's edits\n", encoding="utf-8")
    code, err = extract("-o", "build/drafts/qy.csv")
    assert code == 2 and "already exists" in err and "--force" in err and err.count("\n") == 1, err
    assert draft.read_text(encoding="utf-8") == "a person's edits\n"
    code, err = extract("-o", "build/drafts/qy.csv", "--force")
    assert code == 0, err
    assert draft.read_text(encoding="utf-8") == written

    outside = tmp_path / "elsewhere" / "qy.csv"  # anywhere outside the project is a person's own
    assert extract("-o", str(outside))[0] == 0 and outside.read_text(encoding="utf-8") == written


def _limited():
    resource.setrlimit(resource.RLIMIT_AS, (1 << 31, 1 << 31))  # a defenceless reader of /dev/zero stops at 2 GB


def run_limited(project, *args, timeout=60, command="extract"):
    """`marketwh <command>` in a subprocess with a timeout and a memory limit: (exit code, stderr, seconds)."""
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "marketwh.cli", command, *args],
        cwd=project,
        env=project_env(project),
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=_limited,
    )
    return result.returncode, result.stderr, time.monotonic() - started


def test_devices_and_fifos_are_refused_with_one_sentence_and_documents_are_capped(project, tmp_path):
    fifo = tmp_path / "report.md"
    os.mkfifo(fifo)
    for source, kind in (("/dev/zero", "a device"), (str(fifo), "a FIFO")):
        code, err, seconds = run_limited(project, source)
        assert code == 1 and f"[document_not_a_file] it is {kind}" in err and err.count("\n") == 1, err
        assert seconds < 30

    code, err, _ = run_limited(project, DOCUMENT, "-o", str(fifo))  # a FIFO as output would block the writer
    assert code == 2 and "is a FIFO (named pipe), not a file" in err and err.count("\n") == 1, err
    code, err, _ = run_limited(project, DOCUMENT, "-o", "/dev/null", "--force")
    assert code == 2 and "/dev/null is a device, not a file" in err, err

    huge = tmp_path / "huge.md"
    with open(huge, "wb") as handle:
        handle.truncate(9 * 1024 * 1024)  # larger than any report page by far (DOCUMENT_MAX_BYTES)
    code, err, _ = run_limited(project, str(huge))
    assert code == 1 and "[document_too_large] it holds more than 8,388,608 bytes" in err and err.count("\n") == 1, err

    markets = project / "seeds" / "markets.csv"  # the validator reads the seeds the same way
    markets.unlink()
    os.mkfifo(markets)
    code, err, seconds = run_limited(project, command="validate")
    assert code == 1 and "seeds/markets.csv: [seed_unreadable] cannot read the seed file: it is a FIFO (named pipe)" in err, err
    assert seconds < 30
