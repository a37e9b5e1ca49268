"""`marketwh`: the command line of the market warehouse.

The top floor of the layout: subcommands import only what they need. `validate`, `extract` and
`status` use the domain package alone and start in well under a second; `refresh`, `prepare` and `ui`
reach the Dagster refresh runner in `dagster_project` lazily, inside the subcommand.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from .errors import MarketWarehouseError


def _cmd_validate(args: argparse.Namespace) -> int:
    from .curation.validation import validate_project

    result = validate_project()
    for problem in result.errors:
        print(problem, file=sys.stderr)
    if result.ok:
        rows = sum(t.row_count for t in result.tables.values())
        print(f"ok: {len(result.tables)} seed files ({rows} rows) and {len(result.documents)} report documents valid")
        return 0
    print(f"{len(result.errors)} problem(s) found; nothing was built or published", file=sys.stderr)
    return 1


def _cmd_prepare(args: argparse.Namespace) -> int:
    from dagster_project.project import prepare_manifest

    print(f"dbt manifest written: {prepare_manifest()}")
    return 0


def _cmd_refresh(args: argparse.Namespace) -> int:
    from dagster_project.runner import run_refresh

    outcome = run_refresh()
    print(outcome.summary(), file=sys.stdout if outcome.success else sys.stderr)
    return 0 if outcome.success else 1


def _cmd_ui(args: argparse.Namespace) -> int:
    from dagster_project.processes import run_until_signalled
    from dagster_project.runner import ensure_dagster_home

    ensure_dagster_home()  # the definitions prepare the dbt manifest themselves when they load
    dagster = Path(sys.executable).parent / "dagster"
    command = [str(dagster), "dev", "-m", "dagster_project.definitions", "--host", args.host, "--port", str(args.port)]
    print(
        f"Dagster UI on http://{args.host}:{args.port} (Ctrl-C or SIGTERM stops it and everything it started; "
        "schedule and sensor run while it is up)",
        flush=True,
    )
    return run_until_signalled(command, env={**os.environ})


def _cmd_service(args: argparse.Namespace) -> int:
    """`marketwh webserver` / `marketwh daemon`: Dagster's two long-lived services on the persistent
    instance (build/dagster, or DAGSTER_HOME), for a service manager to run (deploy/)."""
    from dagster_project.processes import run_until_signalled
    from dagster_project.runner import ensure_dagster_home

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


def _cmd_status(args: argparse.Namespace) -> int:
    from dagster_project.monitoring import last_refresh_attempt
    from dagster_project.runner import ensure_dagster_home

    from .paths import ProjectPaths
    from .warehouse.publish import published_copy
    from .warehouse.reader import read_build_info

    served = ProjectPaths.default().served_db()
    healthy = served.exists()
    if healthy:
        info = read_build_info(published_copy(served))
        print(f"served file: {served}" + (f" -> {served.resolve().name}" if served.is_symlink() else ""))
        for key, value in info.items():
            print(f"  {key}: {value}")
        built = info.get("built_at")
        if built is not None:
            print(f"  age: {_age(datetime.now(UTC) - built.to_pydatetime())} since it was built")
    else:
        print(f"served file: {served} does not exist yet: run `make refresh`")
    ensure_dagster_home()
    attempt = last_refresh_attempt()
    if attempt is None:
        print("last refresh attempt: none recorded on this Dagster instance")
        return 0 if healthy else 1
    when = f"started {attempt.started:%Y-%m-%d %H:%M:%S} UTC" if attempt.started else "not started"
    print(f"last refresh attempt: run {attempt.run_id}, {attempt.trigger}, {when}: {attempt.status}")
    for line in attempt.failed_checks:
        print(f"  check failed: {line}")
    for line in attempt.advisories:
        print(f"  advisory (not blocking): {line}")
    if attempt.failed:
        print("the last refresh attempt failed: BI tools read the previous build (see above)", file=sys.stderr)
    return 1 if attempt.failed or not healthy else 0


def _cmd_site(args: argparse.Namespace) -> int:
    from .paths import ProjectPaths
    from .serving.site import build_site, serve, site_dir

    served = ProjectPaths.default().served_db()
    if not served.exists():
        print(f"marketwh site: {served} does not exist yet: run `make refresh` first", file=sys.stderr)
        return 1
    site = site_dir(served)
    if not (args.serve and args.no_build and site.exists()):
        site = build_site(served, docs=not args.no_docs)
        print(f"report site of {served.resolve().name}: {site / 'index.html'}", flush=True)
    if args.serve:
        serve(site, port=args.port, host=args.host)
    return 0


def _age(delta) -> str:
    minutes = int(delta.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    return " ".join(f"{n} {unit}" for n, unit in ((days, "d"), (hours, "h"), (minutes, "min")) if n) or "under a minute"


def _cmd_findings(args: argparse.Namespace) -> int:
    from .paths import ProjectPaths
    from .warehouse.findings import last_attempt_findings

    findings, source = last_attempt_findings(ProjectPaths.default().served_db())
    print(f"findings of {source}: {len(findings)}", file=sys.stderr)
    for f in findings:
        numbers = f"stated {f['stated_value']:g}" if f["stated_value"] is not None else ""
        numbers += f", compared {f['compared_value']:g}" if f["compared_value"] is not None else ""
        print(f"{f['finding_key']}  {f['severity']}  {f['status']}  {numbers}  {f['message']}")
    return 0


def _cmd_acknowledge(args: argparse.Namespace) -> int:
    from .curation.acknowledgements import acknowledge, who_acknowledges
    from .paths import ProjectPaths
    from .warehouse.findings import last_attempt_findings

    paths = ProjectPaths.default()
    findings, _ = last_attempt_findings(paths.served_db())
    row = acknowledge(paths.seeds_dir, findings, args.key, args.reason, args.by or who_acknowledges(paths.root), date.today())
    print(f"acknowledged {row['finding_key']} in seeds/finding_acknowledgements.csv; review and commit it, then `marketwh refresh`")
    return 0


def _cmd_extract(args: argparse.Namespace) -> int:
    from .curation.extract import extract_document
    from .curation.vocabulary import Vocabulary
    from .paths import ProjectPaths

    paths = ProjectPaths.default()
    document = Path(args.path)
    output = Path(args.output) if args.output else None
    if output is not None and paths.seeds_dir.resolve() in output.resolve().parents:
        print(
            "marketwh extract: drafts are never written into seeds/: write them elsewhere, review them, "
            "then copy the rows you accept into seeds/report_figures.csv",
            file=sys.stderr,
        )
        return 2
    market, region = args.market, args.region
    if args.report_id:  # a registered report gives its market (taxonomy) and geography (default region)
        from .curation.seedfiles import load_seed_schemas, read_seed

        reports, _ = read_seed(paths.seeds_dir / "reports.csv", load_seed_schemas(paths.seeds_dir)["reports"])
        registered = next((row for row in reports.rows if row["report_id"] == args.report_id), None)
        if registered is not None:
            market = market or registered["market"]
            region = region or registered["geography"]
    result = extract_document(
        document,
        report_id=args.report_id,
        vocabulary=Vocabulary.read(paths.seeds_dir),
        market=market,
        region=region,
    )
    text = result.to_csv()
    if output is None:
        sys.stdout.write(text)
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="marketwh",
        description="Market-intelligence warehouse: report figures with provenance -> audited DuckDB marts.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "refresh",
        help="full refresh through Dagster: validate, build candidate, audit, publish",
        description="Run the Dagster `refresh` job on the local instance: validate seeds and documents, "
        "dbt build into a candidate DuckDB file, run the GX audits, and publish the candidate "
        "atomically to WAREHOUSE_DB (default build/warehouse.duckdb). Exit 1 if anything failed; "
        "the served file is then unchanged.",
    )
    p.set_defaults(func=_cmd_refresh)

    p = sub.add_parser(
        "validate",
        help="check every seed and report document (exit 1 on any problem)",
        description="Check every seed CSV and report document and list every problem with its file, "
        "line and rule. Fast: imports no dbt, Dagster or GX. Run it before committing.",
    )
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser(
        "prepare",
        help="write the dbt manifest Dagster loads (dbt parse)",
        description="Run `dbt parse` so the Dagster definitions can be loaded (refresh and ui do this themselves).",
    )
    p.set_defaults(func=_cmd_prepare)

    p = sub.add_parser(
        "ui",
        help="start the Dagster UI (and the schedule and sensor) on localhost",
        description="Start `dagster dev` on the local instance under build/dagster: the UI, the daily schedule and the change sensor.",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=3000, help="port (default 3000)")
    p.set_defaults(func=_cmd_ui)

    p = sub.add_parser(
        "webserver",
        help="run the Dagster webserver as a long-lived service (bound to 127.0.0.1 by default)",
        description="Run dagster-webserver on the persistent instance (build/dagster or DAGSTER_HOME). Pair it "
        "with `marketwh daemon`; deploy/ has systemd units and a Procfile. SIGTERM stops it and all it started.",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=3000, help="port (default 3000)")
    p.set_defaults(func=_cmd_service)

    p = sub.add_parser(
        "daemon",
        help="run the Dagster daemon (schedule, sensors, run queue) as a long-lived service",
        description="Run dagster-daemon on the persistent instance: the daily schedule, the change sensor, the "
        "failure alert and the run queue. SIGTERM stops it and all it started.",
    )
    p.set_defaults(func=_cmd_service)

    p = sub.add_parser(
        "findings",
        help="list the findings of the last refresh attempt (key, severity, status, both numbers)",
        description="List every finding of the last refresh attempt, one per line starting with its key and severity: "
        "places where a report disagrees with itself. Read from the candidate when that attempt was not published.",
    )
    p.set_defaults(func=_cmd_findings)

    p = sub.add_parser(
        "acknowledge",
        help="accept a finding as the report's own inconsistency (writes seeds/finding_acknowledgements.csv)",
        description="Write the acknowledgement of a finding (key from `marketwh findings`) into "
        "seeds/finding_acknowledgements.csv with the reason, who and when. The next refresh publishes it as acknowledged.",
    )
    p.add_argument("key", help="the finding key, as `marketwh findings` prints it")
    p.add_argument("--reason", required=True, help="why the finding is the publisher's own and shown as published")
    p.add_argument("--by", default="", help="who acknowledges (default: git user.name, else the login name)")
    p.set_defaults(func=_cmd_acknowledge)

    p = sub.add_parser(
        "extract",
        help="propose draft seed rows for every figure a report document states",
        description="Read a report document and print draft report_figures rows (CSV) for every money value, "
        "volume, CAGR, year-on-year growth and percentage share it states, with qualifiers and the "
        "exact quote. Never writes into seeds/: a person reviews the draft. Figures it cannot read "
        "are listed as problems with their line (exit 1).",
    )
    p.add_argument("path", help="the report document (e.g. reports/new-report.md)")
    p.add_argument("--report-id", default="", help="report_id to put in the draft rows (default: the file name)")
    p.add_argument("--region", default="", help="region of the figures (e.g. global, china)")
    p.add_argument(
        "--market",
        default=None,
        help="market whose segment taxonomy names the segments (seeds/markets.csv; default: the report's, when --report-id is registered)",
    )
    p.add_argument("--output", "-o", default="", help="write the draft CSV here instead of standard output (not under seeds/)")
    p.set_defaults(func=_cmd_extract)

    p = sub.add_parser(
        "site",
        help="build the report site of the served warehouse (build/site/) and, with --serve, serve it on 127.0.0.1",
        description="Build the static report site from the served file (read-only): an index, a page per report with "
        "every figure's basis and quote, a page per market comparing publishers, findings, audit results and dbt docs. "
        "A refresh builds it after each publish; this rebuilds it by hand. --serve then serves it.",
    )
    p.add_argument("--serve", action="store_true", help="serve the site after building it (Ctrl-C stops)")
    p.add_argument("--no-build", action="store_true", help="with --serve: serve the site as it is, if it exists")
    p.add_argument("--no-docs", action="store_true", help="skip dbt's docs (about 10 s)")
    p.add_argument("--host", default="127.0.0.1", help="address to serve on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.set_defaults(func=_cmd_site)

    p = sub.add_parser(
        "status",
        help="the served build and the last refresh attempt (exit 1 when that attempt failed)",
        description="Print the served build (run, commit, report hashes, age) and the last refresh attempt on the "
        "Dagster instance: when, by what, outcome, failed checks, advisories. Exit 1 when it failed, for monitoring.",
    )
    p.set_defaults(func=_cmd_status)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except MarketWarehouseError as error:
        print(f"marketwh {args.command}: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(
            f"marketwh {args.command}: interrupted; the served warehouse is unchanged unless publishing had completed",
            file=sys.stderr,
        )
        return 130


if __name__ == "__main__":
    sys.exit(main())
