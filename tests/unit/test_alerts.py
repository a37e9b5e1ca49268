"""A failed refresh is heard of: the alert runs the configured command and posts to the webhook."""

from __future__ import annotations

import http.server
import json
import threading

from marketwh.warehouse.alerts import notify_refresh_failure


def test_alert_command_receives_the_run_and_the_failure(tmp_path, monkeypatch):
    out = tmp_path / "alert.txt"
    monkeypatch.setenv("MARKETWH_ALERT_COMMAND", f'echo "$MARKETWH_RUN_ID $MARKETWH_RUN_STATUS $MARKETWH_FAILURE" > {out}')
    monkeypatch.delenv("MARKETWH_ALERT_WEBHOOK", raising=False)
    assert notify_refresh_failure("run-1", "FAILURE", "check failed: gx_growth_suite") == ["command exited 0"]
    assert out.read_text().strip() == "run-1 FAILURE check failed: gx_growth_suite"


def test_alert_webhook_receives_a_json_post(monkeypatch):
    received = []

    class Hook(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Hook)
    thread = threading.Thread(target=server.handle_request)
    thread.start()
    monkeypatch.delenv("MARKETWH_ALERT_COMMAND", raising=False)
    monkeypatch.setenv("MARKETWH_ALERT_WEBHOOK", f"http://127.0.0.1:{server.server_port}/hook")
    try:
        assert notify_refresh_failure("run-2", "FAILURE", "dbt test failed") == ["webhook answered 204"]
    finally:
        thread.join(timeout=10)
        server.server_close()
    assert received == [{"run_id": "run-2", "status": "FAILURE", "failure": "dbt test failed"}]


def test_an_undeliverable_alert_is_reported_not_raised(monkeypatch):
    monkeypatch.setenv("MARKETWH_ALERT_COMMAND", "exit 3")
    monkeypatch.setenv("MARKETWH_ALERT_WEBHOOK", "http://127.0.0.1:9/nothing-listens-here")
    outcomes = notify_refresh_failure("run-3", "FAILURE", "x", timeout=5)
    assert outcomes[0] == "command exited 3" and outcomes[1].startswith("webhook failed")
