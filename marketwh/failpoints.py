"""Named points where a test can make a refresh pause or die, to prove that a refresh killed at
that moment loses nothing (the way failpoints are used in databases).

Inactive unless MARKETWH_FAILPOINTS is set, e.g. `gx=sleep:60,publish.before_rename=exit`.
Actions: `sleep:SECONDS` (so a test can send a signal at that moment), `wait:PATH` (pause until the
file PATH exists, at most ten minutes: a test acts at that moment, e.g. edits the working tree, and
then lets the run go on), `exit` (die at once, as a SIGKILL would, without clean-up) and `raise` (the
step fails with an error, as a bug would).
"""

from __future__ import annotations

import os
import time

ENV = "MARKETWH_FAILPOINTS"


def failpoint(name: str) -> None:
    spec = os.environ.get(ENV)
    if not spec:
        return
    for item in spec.split(","):
        point, _, action = item.strip().partition("=")
        if point != name:
            continue
        if action.startswith("sleep:"):
            print(f"failpoint {name}: sleeping", flush=True)
            time.sleep(float(action.split(":", 1)[1]))
        elif action.startswith("wait:"):
            print(f"failpoint {name}: waiting", flush=True)
            deadline = time.monotonic() + 600
            while not os.path.exists(action.split(":", 1)[1]) and time.monotonic() < deadline:
                time.sleep(0.1)
        elif action == "exit":
            os._exit(137)
        elif action == "raise":
            raise RuntimeError(f"failpoint {name}: raised")
