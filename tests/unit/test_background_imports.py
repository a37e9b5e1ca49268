"""A refresh imports Great Expectations and matplotlib in a thread while dbt runs
(`dagster_project.runner.import_later_steps_meanwhile`, called by the dbt step once dbt's process is
started). A module a thread is still importing is visible to the other: in CI (2026-12-07) the Dagster
instance's first query called into SQLAlchemy's half-imported ORM, which Great Expectations was
importing, and the refresh failed ("partially initialized module 'sqlalchemy.orm.exc'"). The ORM is
imported in the caller's thread first: this checks the order, in a fresh Python (one where nothing
imported the ORM before), and that a second call starts no second thread."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tests.helpers import REPO


def test_sqlalchemys_orm_is_whole_before_the_background_imports_start():
    code = """
        import sys
        import dagster_project.runner as runner

        assert "sqlalchemy.orm" not in sys.modules  # a fresh Python: the helper must import it itself
        seen = []

        class Recorded:
            def __init__(self, target, args, **kwargs):
                self.args = args

            def start(self):  # what the background imports would find, and no thread started
                seen.append((getattr(sys.modules.get("sqlalchemy.orm.exc"), "UnmappedClassError", None) is not None, self.args))

        runner.threading.Thread = Recorded
        runner.import_later_steps_meanwhile()
        runner.import_later_steps_meanwhile()
        print(seen)
    """
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == "[(True, ('great_expectations', 'matplotlib.backends.backend_agg'))]"
