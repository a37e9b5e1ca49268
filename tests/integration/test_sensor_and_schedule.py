"""The change sensor starts exactly one refresh per change of content (not of mtime)."""

from __future__ import annotations

import os
import time

from dagster import DagsterInstance, RunRequest, SkipReason, build_sensor_context

from dagster_project.defs.automation import changed_inputs_request
from marketwh.paths import ProjectPaths
from tests.helpers import append_seed_row


def evaluate(instance, paths, cursor):
    context = build_sensor_context(instance=instance, cursor=cursor)
    result = changed_inputs_request(context, paths)
    return result, context.cursor


def test_a_changed_seed_triggers_exactly_one_run(project):
    paths = ProjectPaths(project)
    with DagsterInstance.ephemeral() as instance:
        result, cursor = evaluate(instance, paths, None)
        assert isinstance(result, SkipReason)  # first look: baseline only

        result, cursor = evaluate(instance, paths, cursor)
        assert isinstance(result, SkipReason)

        seed = project / "seeds" / "segment_synonyms.csv"
        stamp = time.time() + 60
        os.utime(seed, (stamp, stamp))  # touched, same bytes: no run
        result, cursor = evaluate(instance, paths, cursor)
        assert isinstance(result, SkipReason)

        append_seed_row(seed, dimension="type", synonym="graphite (artificial)", segment_key="artificial_graphite")
        requests = []
        for _ in range(3):
            result, cursor = evaluate(instance, paths, cursor)
            if isinstance(result, RunRequest):
                requests.append(result)
        assert len(requests) == 1
        assert requests[0].run_key.startswith("inputs-")


def test_a_changed_report_document_triggers_a_run_with_a_new_run_key(project):
    paths = ProjectPaths(project)
    with DagsterInstance.ephemeral() as instance:
        _, cursor = evaluate(instance, paths, None)
        document = next((project / "reports").glob("*.md"))
        document.write_text(document.read_text() + "\n", encoding="utf-8")
        first, cursor = evaluate(instance, paths, cursor)
        document.write_text(document.read_text() + "\n", encoding="utf-8")
        second, cursor = evaluate(instance, paths, cursor)
        assert isinstance(first, RunRequest) and isinstance(second, RunRequest)
        assert first.run_key != second.run_key
