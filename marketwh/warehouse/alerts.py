"""Telling someone that a refresh failed: a command to run and/or a webhook to call.

Configured by two environment variables read when a failure happens (never at import):
- MARKETWH_ALERT_COMMAND: a shell command, run with MARKETWH_RUN_ID, MARKETWH_RUN_STATUS and
  MARKETWH_FAILURE in its environment (e.g. `mail -s "refresh failed" ops@example.com`);
- MARKETWH_ALERT_WEBHOOK: a URL that receives a JSON POST {"run_id", "status", "failure"}.
Neither set: the failure is only logged. An alert that cannot be delivered is reported, never raised,
so a broken alert never hides the failure it was about.
"""

from __future__ import annotations

import json
import os
import subprocess
import urllib.request

COMMAND_ENV = "MARKETWH_ALERT_COMMAND"
WEBHOOK_ENV = "MARKETWH_ALERT_WEBHOOK"


def notify_refresh_failure(run_id: str, status: str, failure: str, timeout: float = 30) -> list[str]:
    """Deliver the alert to every configured channel; returns what happened, one line per channel."""
    outcomes = []
    command = os.environ.get(COMMAND_ENV)
    if command:
        env = {**os.environ, "MARKETWH_RUN_ID": run_id, "MARKETWH_RUN_STATUS": status, "MARKETWH_FAILURE": failure}
        try:
            done = subprocess.run(command, shell=True, env=env, capture_output=True, text=True, timeout=timeout)
            detail = done.stderr.strip()[:200] if done.returncode else ""
            outcomes.append(f"command exited {done.returncode}" + (f": {detail}" if detail else ""))
        except (OSError, subprocess.SubprocessError) as error:
            outcomes.append(f"command failed: {error}")
    url = os.environ.get(WEBHOOK_ENV)
    if url:
        body = json.dumps({"run_id": run_id, "status": status, "failure": failure}).encode()
        request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"}, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                outcomes.append(f"webhook answered {response.status}")
        except OSError as error:
            outcomes.append(f"webhook failed: {error}")
    return outcomes or [f"no alert configured ({COMMAND_ENV} or {WEBHOOK_ENV})"]
