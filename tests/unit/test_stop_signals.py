"""A command started in the background stops on SIGTERM (marketwh/processes.py).

A script's background job starts with SIGINT ignored; Dagster maps SIGTERM to SIGINT's handler, so
SIGTERM became ignored as well, and every process started after that inherited both as ignored:
`marketwh ui` started with `&` then ignored the SIGTERM it forwarded to its `dagster dev`, and stopped
only by SIGKILL after its grace period. Each case runs in a fresh Python started with both signals
ignored, as such a job starts."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap

from tests.helpers import REPO


def _ignoring_stop_signals(code: str) -> str:
    """Run `code` in a Python started with SIGINT and SIGTERM ignored; its standard output."""

    def ignore():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)

    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], cwd=REPO, preexec_fn=ignore, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_the_marketwh_command_keeps_sigterm_deliverable_after_dagster_maps_it():
    out = _ignoring_stop_signals(
        """
        import contextlib, signal
        from marketwh.cli import main
        with contextlib.redirect_stdout(None), contextlib.suppress(SystemExit):
            main(["--help"])
        from dagster._utils.interrupts import setup_interrupt_handlers
        setup_interrupt_handlers()  # what Dagster does in process: SIGTERM gets SIGINT's handler
        print(signal.getsignal(signal.SIGINT) is signal.default_int_handler, signal.getsignal(signal.SIGTERM) is not signal.SIG_IGN)
        """
    )
    assert out.split()[-2:] == ["True", "True"], out


def test_the_processes_a_command_runs_until_signalled_start_with_default_stop_signals():
    out = _ignoring_stop_signals(
        """
        import sys
        from marketwh.processes import run_until_signalled
        child = (
            "import signal; print(signal.getsignal(signal.SIGINT) is signal.default_int_handler,"
            " signal.getsignal(signal.SIGTERM) is signal.SIG_DFL)"
        )
        run_until_signalled([sys.executable, "-c", child])
        """
    )
    # Python installs its KeyboardInterrupt handler for a SIGINT it was not told to ignore
    assert out.split() == ["True", "True"], out
