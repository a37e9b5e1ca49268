"""`marketwh register`: the command's body (its own module: commands.py stays short) and its prompts.

The domain (marketwh/curation/register.py) says what is missing and what an answer must satisfy; this
module asks a person at a terminal, prints what was written, and says what comes next.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_parser(sub) -> None:
    """The `register` subcommand: the document, and one option per value its front matter cannot give."""
    from ..curation.register import CURATED_COLUMNS, FIXED_DEFAULTS, option_of
    from ..curation.register_answers import OPTIONAL_COLUMNS, QUESTIONS

    p = sub.add_parser(
        "register",
        help="write or update a report document's row in seeds/reports.csv from its front matter and sha256",
        description="Read the front matter of a document under reports/, compute its sha256 and write its row in "
        "seeds/reports.csv (or update it: new hash and front-matter values, curated columns kept). What the front "
        "matter cannot give (report id, series, edition, publisher label, geography, market, years, currency) comes "
        "from the options below or, on a terminal, from questions; --edition-sequence is never asked (give it where "
        "two editions' dates published cannot order them). The row is checked with the validator's rules "
        "before it is written.",
    )
    p.add_argument("path", help="the report document (e.g. reports/new-report.md)")
    for column in CURATED_COLUMNS + OPTIONAL_COLUMNS:  # an optional column is never asked: given, or kept from the row
        default = f" (default for a new report: {FIXED_DEFAULTS[column]!r})" if column in FIXED_DEFAULTS else ""
        text = QUESTIONS.get(column, column.replace("_", " ")).split(" (Enter")[0]
        p.add_argument(option_of(column), dest=column, default=None, metavar="VALUE", help=text + default)
    p.add_argument("--no-input", action="store_true", help="never ask: fail naming the values that are missing")
    p.set_defaults(func=cmd_register)


def cmd_register(args: argparse.Namespace) -> int:
    from ..curation.documents import FRONT_MATTER_KEYS
    from ..curation.register import CURATED_COLUMNS, register_report
    from ..curation.register_answers import OPTIONAL_COLUMNS
    from ..paths import ProjectPaths

    paths = ProjectPaths.default()
    given = {column: getattr(args, column) for column in CURATED_COLUMNS + OPTIONAL_COLUMNS}
    interactive = not args.no_input and sys.stdin.isatty()
    done = register_report(paths, Path(args.path), given, ask=_ask if interactive else None)
    where = f"seeds/reports.csv line {done.line}"
    if not done.changed:
        print(f"{done.document_path} is registered as report {done.report_id!r} ({where}) and matches it: nothing to change")
        return 0
    if done.created:
        print(f"registered {done.document_path} as report {done.report_id!r}: new row, {where}")
        print(f"  from its front matter: {', '.join(FRONT_MATTER_KEYS)} (title {done.row['title']!r})")
        print(f"  document_sha256: {done.row['document_sha256']}")
        for column in CURATED_COLUMNS + tuple(c for c in OPTIONAL_COLUMNS if done.row[c]):
            print(f"  {column}: {done.row[column]!r}")
        print(
            f"next: `marketwh extract {done.document_path} --report-id {done.report_id} -o build/drafts/{done.report_id}.csv` "
            "drafts its figures; review them into seeds/report_figures.csv, then `marketwh validate` "
            "(until then it says the report has no figures)"
        )
        return 0
    print(f"updated report {done.report_id!r} ({where}) from {done.document_path}:")
    for column, (before, after) in done.changed.items():
        print(f"  {column}: {before!r} -> {after!r}")
    if "document_sha256" in done.changed:
        print("the document changed: `marketwh validate` checks every quote of its figures against it again")
    return 0


def _ask(question) -> str:
    """Ask until the answer is accepted; Enter takes the suggested default."""
    choices = f" [one of: {', '.join(question.choices)}]" if question.choices else ""
    default = f" [{question.default}]" if question.default else ""
    while True:
        try:
            answer = input(f"{question.text}{choices}{default}: ").strip()
        except EOFError:
            from ..errors import MarketWarehouseError

            raise MarketWarehouseError(f"input ended before {question.column} was given; nothing was written") from None
        answer = answer or question.default or ""
        refused = question.check(answer)
        if refused is None:
            return answer
        print(f"  {answer!r}: {refused}", file=sys.stderr)
