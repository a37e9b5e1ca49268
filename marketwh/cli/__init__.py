"""`marketwh`: the command line of the market warehouse.

The top floor of the layout: subcommands import only what they need. `validate`, `register`,
`extract` and `status` use the domain package alone and start in well under a second; `refresh`,
`prepare` and `ui` reach the Dagster refresh runner in `dagster_project` lazily, inside the subcommand.
"""

from __future__ import annotations

import argparse
import sys

from ..errors import MarketWarehouseError
from . import commands, register


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
        "the served file is then unchanged. When only reports' own inputs changed since the served build, "
        "the candidate starts as a copy of it and only the changed reports' rows are rebuilt.",
    )
    p.add_argument(
        "--full",
        action="store_true",
        help="build every model into a fresh candidate, even when only reports' own inputs changed",
    )
    p.add_argument(
        "--accept-vocabulary-change",
        action="store_true",
        help="allow served values of reports whose own rows and document did not change to change: the vocabulary "
        "seeds (units, segments, synonyms, metrics) changed on purpose; recorded in marts.warehouse_build",
    )
    p.set_defaults(func=commands.cmd_refresh)

    p = sub.add_parser(
        "validate",
        help="check every seed and report document (exit 1 on any problem)",
        description="Check every seed CSV and report document and list every problem with its file, "
        "line and rule. Fast: imports no dbt, Dagster or GX. Run it before committing. Reports unchanged since "
        "they last validated clean are not checked row by row again (the cache in build/validation/).",
    )
    p.add_argument("--full", action="store_true", help="check every report row by row, whatever the cache remembers")
    p.set_defaults(func=commands.cmd_validate)

    p = sub.add_parser(
        "prepare",
        help="write the dbt manifest Dagster loads (dbt parse)",
        description="Run `dbt parse` so the Dagster definitions can be loaded (refresh and ui do this themselves).",
    )
    p.set_defaults(func=commands.cmd_prepare)

    p = sub.add_parser(
        "ui",
        help="start the Dagster UI (and the schedule and sensor) on localhost",
        description="Start `dagster dev` on the local instance under build/dagster: the UI, the daily schedule and the change sensor.",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=3000, help="port (default 3000)")
    p.set_defaults(func=commands.cmd_ui)

    p = sub.add_parser(
        "webserver",
        help="run the Dagster webserver as a long-lived service (bound to 127.0.0.1 by default)",
        description="Run dagster-webserver on the persistent instance (build/dagster or DAGSTER_HOME). Pair it "
        "with `marketwh daemon`; deploy/ has systemd units and a Procfile. SIGTERM stops it and all it started.",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=3000, help="port (default 3000)")
    p.set_defaults(func=commands.cmd_service)

    p = sub.add_parser(
        "daemon",
        help="run the Dagster daemon (schedule, sensors, run queue) as a long-lived service",
        description="Run dagster-daemon on the persistent instance: the daily schedule, the change sensor, the "
        "failure alert and the run queue. SIGTERM stops it and all it started.",
    )
    p.set_defaults(func=commands.cmd_service)

    p = sub.add_parser(
        "findings",
        help="list the findings of the last refresh attempt (key, severity, status, both numbers)",
        description="List every finding of the last refresh attempt, one per line starting with its key and severity: "
        "places where a report disagrees with itself. Read from the candidate when that attempt was not published.",
    )
    p.set_defaults(func=commands.cmd_findings)

    p = sub.add_parser(
        "acknowledge",
        help="accept a finding as the report's own inconsistency (writes seeds/finding_acknowledgements.csv)",
        description="Write the acknowledgement of a finding (key from `marketwh findings`) into "
        "seeds/finding_acknowledgements.csv with the reason, who and when. The next refresh publishes it as acknowledged.",
    )
    p.add_argument("key", help="the finding key, as `marketwh findings` prints it")
    p.add_argument("--reason", required=True, help="why the finding is the publisher's own and shown as published")
    p.add_argument("--by", default="", help="who acknowledges (default: git user.name, else the login name)")
    p.set_defaults(func=commands.cmd_acknowledge)

    register.add_parser(sub)

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
    p.add_argument(
        "--output",
        "-o",
        default="",
        help="write the draft CSV to this new file instead of standard output; never into seeds/, reports/, build/ "
        "(but build/drafts/) or the served warehouse",
    )
    p.add_argument("--force", action="store_true", help="with -o: replace the file if it exists (never a managed one)")
    p.set_defaults(func=commands.cmd_extract)

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
    p.add_argument("--full", action="store_true", help="render every page (else a report's pages are reused when nothing on them changed)")
    p.add_argument("--host", default="127.0.0.1", help="address to serve on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.set_defaults(func=commands.cmd_site)

    p = sub.add_parser(
        "status",
        help="the served build and the last refresh attempt (exit 1 when that attempt failed)",
        description="Print the served build (run, commit, report hashes, age) and the last refresh attempt on the "
        "Dagster instance: when, by what, outcome, failed checks, advisories. Exit 1 when it failed, for monitoring.",
    )
    p.set_defaults(func=commands.cmd_status)
    return parser


def main(argv: list[str] | None = None) -> int:
    from ..processes import stoppable

    stoppable()  # started in the background with SIGINT ignored: keep SIGTERM and SIGINT deliverable
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
