"""A refresh imports Great Expectations in a thread while its own thread opens the Dagster instance
(dagster_project/runner.py). A module a thread is still importing is visible to the other: in CI
(2026-12-07) the instance's first query called into SQLAlchemy's half-imported ORM, which Great
Expectations was importing, and the refresh failed ("partially initialized module
'sqlalchemy.orm.exc'"). The ORM is imported in the refresh's own thread first: this checks the order,
in a fresh Python (one where nothing imported the ORM before)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tests.helpers import REPO


def test_sqlalchemys_orm_is_whole_before_the_background_imports_start(tmp_path):
    code = f"""
        import sys, threading
        from pathlib import Path
        import dagster_project.runner as runner
        from marketwh.paths import ProjectPaths

        assert "sqlalchemy.orm" not in sys.modules  # a fresh Python: the refresh must import it itself
        seen = []

        class Recorded(threading.Thread):
            def start(self):  # what the background imports would find, and no thread started
                seen.append(getattr(sys.modules.get("sqlalchemy.orm.exc"), "UnmappedClassError", None) is not None)

        class Stop(Exception):
            pass

        def stop(paths=None):  # the next step after the thread starts: the refresh goes no further
            raise Stop

        runner.threading = type("threading", (), {{"Thread": Recorded}})
        runner.ensure_dagster_home = stop
        try:
            runner.run_refresh(ProjectPaths(Path({str(tmp_path)!r})))
        except Stop:
            pass
        print(seen)
    """
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == "[True]"
