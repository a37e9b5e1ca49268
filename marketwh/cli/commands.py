"""What each `marketwh` subcommand does; `marketwh/cli/__init__.py` parses the command line and calls one of these.

Each imports only what it needs, inside the function: `validate`, `extract`, `status` and `site` use
the domain package alone; `refresh`, `prepare`, `ui` and the services reach the Dagster runner in
`dagster_project` lazily.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, date, datetime
from pathlib import Path


def cmd_validate(args: argparse.Namespace) -> int:
    from ..curation.validation import ValidationCache, validate_project
    from ..paths import ProjectPaths

    paths = ProjectPaths.default()
    result = validate_project(paths, ValidationCache(paths.validation_cache, full=args.full))
    for problem in result.errors:
        print(problem, file=sys.stderr)
    if result.ok:
        rows = sum(t.row_count for t in result.tables.values())
        skipped = len(result.reports_skipped)
        unchanged = f"; {skipped} unchanged report(s) clean since the last run, their rows not checked again" if skipped else ""
        print(f"ok: {len(result.tables)} seed files ({rows} rows) and {len(result.documents)} report documents valid{unchanged}")
        return 0
    print(f"{len(result.errors)} problem(s) found; nothing was built or published", file=sys.stderr)
    return 1


def cmd_prepare(args: argparse.Namespace) -> int:
    from dagster_project.project import prepare_manifest

    print(f"dbt manifest written: {prepare_manifest()}")
    return 0


def cmd_refresh(args: argparse.Namespace) -> int:
    from dagster_project.runner import run_refresh

    outcome = run_refresh(accept_vocabulary_change=args.accept_vocabulary_change, full=args.full)
    print(outcome.summary(), file=sys.stdout if outcome.success else sys.stderr)
    return 0 if outcome.success else 1


def cmd_ui(args: argparse.Namespace) -> int:
    from dagster_project.runner import ensure_dagster_home

    from ..processes import run_until_signalled

    ensure_dagster_home()  # the definitions prepare the dbt manifest themselves when they load
    dagster = Path(sys.executable).parent / "dagster"
    command = [str(dagster), "dev", "-m", "dagster_project.definitions", "--host", args.host, "--port", str(args.port)]
    print(
        f"Dagster UI on http://{args.host}:{args.port} (Ctrl-C or SIGTERM stops it and everything it started; "
        "schedule and sensor run while it is up)",
        flush=True,
    )
    return run_until_signalled(command, env={**os.environ})


def cmd_service(args: argparse.Namespace) -> int:
    """`marketwh webserver` / `marketwh daemon`: Dagster's two long-lived services on the persistent
    instance (build/dagster, or DAGSTER_HOME), for a service manager to run (deploy/)."""
    from dagster_project.runner import ensure_dagster_home

    from ..processes import run_until_signalled

    ensure_dagster_home()
    bin_dir = Path(sys.executable).parent
    location = ["-m", "dagster_project.definitions"]
    if args.command == "webserver":
        command = [str(bin_dir / "dagster-webserver"), "--host", args.host, "--port", str(args.port), *location]
        print(f"Dagster webserver on http://{args.host}:{args.port} (SIGTERM stops it)", flush=True)
    else:
        command = [str(bin_dir / "dagster-daemon"), "run", *location]
        print("Dagster daemon: schedules, sensors and the run queue (SIGTERM stops it)", flush=True)
    return run_until_signalled(command, env={**os.environ})


def cmd_status(args: argparse.Namespace) -> int:
    from dagster_project.monitoring import last_refresh_attempt
    from dagster_project.runner import ensure_dagster_home

    from ..paths import ProjectPaths
    from ..site.stamp import site_lag
    from ..warehouse.engine import engine_name
    from ..warehouse.reader import read_build_info, served_copy, served_file_problem

    served = ProjectPaths.default().served_db()
    copy = served_copy(served)
    healthy = copy is not None
    info: dict = {}
    if copy is not None:
        info = read_build_info(copy)
        print(f"served file: {served}" + (f" -> {served.resolve().name}" if served.is_symlink() else ""))
        for key, value in info.items():
            if key == "accepted_vocabulary_change":
                value = "yes: published by `marketwh refresh --accept-vocabulary-change`" if str(value) == "True" else "no"
            if key != "report_input_fingerprints":  # one md5 per report: for the publish guard, not a person
                print(f"  {key}: {value}")
        built = info.get("built_at")
        if built is not None:
            print(f"  age: {_age(datetime.now(UTC) - built.to_pydatetime())} since it was built")
        lag = site_lag(ProjectPaths.default().served().site, info)
        print(f"  {lag}" if lag else "  report site: describes this build")
        problem = served_file_problem(served)  # what BI tools open, not only the pristine copy read above
        if problem:
            print(problem, file=sys.stderr)
            healthy = False
    elif engine_name() == "spark":
        # a Spark refresh serves views, not this file: the last attempt below says whether it published
        healthy = True
        print("served on Spark: the views marts.* (their build: select * from marts.warehouse_build); no DuckDB file")
    else:
        print(f"served file: {served} does not exist yet: run `make refresh`")
    ensure_dagster_home()
    attempt = last_refresh_attempt(served)
    if attempt is None:
        print(f"last refresh attempt: none of {served} recorded on this Dagster instance")
        return 0 if healthy else 1
    when = f"started {attempt.started:%Y-%m-%d %H:%M:%S} UTC" if attempt.started else "not started"
    print(f"last refresh attempt: run {attempt.run_id}, {attempt.trigger}, {when}: {attempt.status}")
    if attempt.abandoned:
        print(f"  {attempt.abandoned}")
    for line in attempt.failed_checks:
        print(f"  check failed: {line}")
    for line in attempt.advisories:
        print(f"  advisory (not blocking): {line}")
    if served.exists():
        print(f"  {_findings_line(served)}")
    if attempt.failed and healthy and info.get("run_id") == attempt.run_id:
        print(
            "the last refresh attempt published this build, then failed in a step after the publish (e.g. the report site): "
            "BI tools read the new build; rerun the failed step from the UI or `marketwh site`",
            file=sys.stderr,
        )
    elif attempt.failed:
        print("the last refresh attempt failed: BI tools read the previous build (see above)", file=sys.stderr)
    return 1 if attempt.failed or not healthy else 0


def _findings_line(served) -> str:
    """How many findings the last attempt has, by status and severity (`marketwh findings` lists them)."""
    from ..warehouse.findings import ACKNOWLEDGED, ADVISORY, BLOCKING, OPEN, last_attempt_findings

    findings, source = last_attempt_findings(served)
    count = lambda status, severity=None: sum(  # noqa: E731
        f["status"] == status and severity in (None, f["severity"]) for f in findings
    )
    return (
        f"findings of {source}: {count(OPEN)} open ({count(OPEN, BLOCKING)} blocking, {count(OPEN, ADVISORY)} advisory), "
        f"{count(ACKNOWLEDGED)} acknowledged; `marketwh findings` lists them"
    )


def cmd_site(args: argparse.Namespace) -> int:
    from ..paths import ProjectPaths
    from ..site.build import build_site, serve

    files = ProjectPaths.default().served()
    served = files.served
    if not served.exists():
        print(f"marketwh site: {served} does not exist yet: run `make refresh` first", file=sys.stderr)
        return 1
    site = files.site
    if not (args.serve and args.no_build and site.exists()):
        site = build_site(served, docs=not args.no_docs, full=args.full)
        print(f"report site of {served.resolve().name}: {site / 'index.html'}", flush=True)
    if args.serve:
        serve(site, port=args.port, host=args.host)
    return 0


def _age(delta) -> str:
    minutes = int(delta.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    return " ".join(f"{n} {unit}" for n, unit in ((days, "d"), (hours, "h"), (minutes, "min")) if n) or "under a minute"


def cmd_findings(args: argparse.Namespace) -> int:
    from ..paths import ProjectPaths
    from ..warehouse.findings import last_attempt_findings

    findings, source = last_attempt_findings(ProjectPaths.default().served_db())
    print(f"findings of {source}: {len(findings)}", file=sys.stderr)
    for f in findings:
        numbers = f"stated {f['stated_value']:g}" if f["stated_value"] is not None else ""
        numbers += f", compared {f['compared_value']:g}" if f["compared_value"] is not None else ""
        print(f"{f['finding_key']}  {f['severity']}  {f['status']}  {numbers}  {f['message']}")
    return 0


def cmd_acknowledge(args: argparse.Namespace) -> int:
    from ..curation.acknowledgements import acknowledge, who_acknowledges
    from ..paths import ProjectPaths
    from ..warehouse.findings import last_attempt_findings

    paths = ProjectPaths.default()
    findings, _ = last_attempt_findings(paths.served_db())
    row = acknowledge(paths.seeds_dir, findings, args.key, args.reason, args.by or who_acknowledges(paths.root), date.today())
    print(f"acknowledged {row['finding_key']} in seeds/finding_acknowledgements.csv; review and commit it, then `marketwh refresh`")
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    from ..curation.extract import extract_document
    from ..curation.vocabulary import Vocabulary
    from ..paths import ProjectPaths
    from ..safefs import UnsafePathError, check_output, create_output

    paths = ProjectPaths.default()
    document = Path(args.path)
    output = Path(args.output) if args.output else None
    if output is not None:  # refused before the work, and again when written
        try:
            check_output(output, paths.managed_paths(), [paths.drafts_dir], force=args.force)
        except UnsafePathError as error:
            print(f"marketwh extract: {error}", file=sys.stderr)
            return 2
    market, region, forecast = args.market, args.region, None
    if args.report_id:  # a registered report gives its market (taxonomy) and geography (default region)
        from ..curation.seedfiles import load_seed_schemas, read_seed

        reports, _ = read_seed(paths.seeds_dir / "reports.csv", load_seed_schemas(paths.seeds_dir)["reports"])
        registered = next((row for row in reports.rows if row["report_id"] == args.report_id), None)
        if registered is not None:
            market = market or registered["market"]
            region = region or registered["geography"]
            forecast = (registered["forecast_start_year"], registered["forecast_end_year"])
    result = extract_document(
        document,
        report_id=args.report_id,
        vocabulary=Vocabulary.read(paths.seeds_dir),
        market=market,
        region=region,
        forecast=forecast,
    )
    text = result.to_csv()
    if output is None:
        sys.stdout.write(text)
    else:
        create_output(output, text, paths.managed_paths(), [paths.drafts_dir], force=args.force)
        print(
            f"{len(result.drafts)} draft figure rows written to {output}: review each against the document, "
            "fix metric/segment/year where needed, then copy them into seeds/report_figures.csv",
            file=sys.stderr,
        )
    years = [printed for _, printed, why in result.not_drafted if why == "a year"]
    for line, printed, why in result.not_drafted:
        if why != "a year":
            print(f"{document}:{line}: not drafted: {printed!r} is {why}", file=sys.stderr)
    if years:
        print(f"{document}: not drafted: {len(years)} years standing alone (dates of figures, not figures)", file=sys.stderr)
    for problem in result.problems:
        print(problem, file=sys.stderr)
    return 1 if result.problems else 0
