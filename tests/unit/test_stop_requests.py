"""A stop is never lost (marketwh/processes.py): Dagster raises its interrupt wherever the main thread
is, and Python drops an exception raised inside a garbage collector's callback, so a refresh told to
stop could go on and publish. `record_stop_requests` has the interpreter note the signal whatever its
handler does; here the handler does nothing at all, as a dropped exception does."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tests.helpers import REPO


def test_a_stop_is_noted_whatever_the_handler_did_and_forgotten_at_the_next_start():
    code = """
        import os, signal, time
        from marketwh.errors import RefreshError
        from marketwh.processes import record_stop_requests, stop_if_requested, stop_requested

        signal.signal(signal.SIGTERM, lambda *_: None)  # a handler whose exception was dropped
        signal.signal(signal.SIGUSR1, lambda *_: None)
        record_stop_requests()
        os.kill(os.getpid(), signal.SIGUSR1)
        time.sleep(0.1)
        print(stop_requested())  # not a stop
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(0.1)
        print(stop_requested(), stop_requested())  # noted, and kept
        try:
            stop_if_requested()
        except RefreshError as error:
            print(error)
        record_stop_requests()
        print(stop_requested())  # a new run starts afresh
        stop_if_requested()  # nothing to stop
    """
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.split("\n")[:4] == ["None", "SIGTERM SIGTERM", "the refresh received SIGTERM and stops; nothing published", "None"]
