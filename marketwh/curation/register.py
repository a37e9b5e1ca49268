"""`marketwh register`: a report's origin typed once, in the document's front matter.

A stored report document carries its origin in its front matter (title, publisher, url, dates, terms
of use, attribution); seeds/reports.csv catalogues it with the same values, its path and its sha256,
plus what only a curator can say: the report id, its series and edition, the publisher's short label,
geography, market, years, currency, and, where the dates published cannot order two editions of a
series, an edition_sequence (an option only, never asked). Registering copies the front matter and the
hash into the document's row and asks for the rest (command-line values, or a person at a terminal
through `ask`; what is asked, checked and suggested: register_answers.py), so nothing is typed twice
and no hash is computed by hand. Re-registering an edited document updates its hash and front-matter
columns and keeps the curated ones.

The row is checked with the validator's own rules for reports (validation/reports.py) before it is
written; the seed is replaced atomically, and every other row keeps its bytes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, MarketWarehouseError, Problem
from ..paths import ProjectPaths
from .documents import FRONT_MATTER_KEYS, FRONT_MATTER_OPTIONAL, ReportDocument, inside_reports, read_report_document
from .register_answers import OPTIONAL_COLUMNS, QUESTIONS, Ask, Question, answer_check, suggestion
from .seedfiles import load_seed_schemas, read_seed
from .seedwriter import records_of, with_row
from .validation.common import FILE_LEVEL_RULES, ValidationResult
from .validation.origin import ORIGIN_FRONT_MATTER
from .validation.reports import check_reports
from .vocabulary import Vocabulary

SEED = "reports.csv"
SEED_SHOWN = "seeds/reports.csv"
COMPUTED_COLUMNS = ("document_path", "document_sha256")
# what a curator says, in the seed's order; each is also an option `--report-id`, `--series-id`, ...
CURATED_COLUMNS = (
    "report_id",
    "series_id",
    "edition",
    "publisher_label",
    "geography",
    "market",
    "history_start_year",
    "base_year",
    "forecast_start_year",
    "forecast_end_year",
    "currency",
    "status",
    "status_reason",
    "licence",
    "reuse_permitted",
)
# a registered report is active until withdrawn; its scope sentence is curated from the document later,
# and an edition_sequence only where the validator finds editions their printed dates cannot order
FIXED_DEFAULTS = {"status": "active", "status_reason": "", "scope_quote": "", "edition_sequence": ""}
# the validator's rules over two editions of a series: a problem is at the later row's line, so a row
# registered before another edition is refused by the problem that names it
EDITION_RULES = ("edition_order_unknown", "edition_sequence_contradicts_dates")


def option_of(column: str) -> str:
    return "--" + column.replace("_", "-")


@dataclass(frozen=True)
class Registration:
    report_id: str
    document_path: str
    line: int  # the row's line in seeds/reports.csv
    created: bool
    changed: dict[str, tuple[str, str]]  # column -> (before, after); empty when the row already matched
    row: dict[str, str]


def register_report(paths: ProjectPaths, document: Path, given: dict[str, str | None], ask: Ask | None = None) -> Registration:
    """Write or update the row of `document` (a file under reports/) in seeds/reports.csv. `given`: column ->
    value from the command line (None: not given; "" is an answer). `ask` is called for each curated value
    neither given nor in the existing row; without it, missing values are an error naming their options."""
    shown = _document_path(paths.root, document)
    doc = read_report_document(paths.root / shown, display_path=shown)
    front = _front_matter_values(doc, shown)
    seed = paths.seeds_dir / SEED
    columns = _seed_columns(paths.seeds_dir)
    text = seed.read_text(encoding="utf-8")
    records = records_of(text)
    rows = [dict(zip(columns, record, strict=False)) for record, _, _ in records[1:] if record]
    existing = next((row for row in rows if Path(row["document_path"]) == Path(shown)), None)
    given = {column: value.strip() for column, value in given.items() if value is not None}
    _check_identity(rows, existing, given.get("report_id"), shown)

    vocabulary = Vocabulary.read(paths.seeds_dir)
    values = {**FIXED_DEFAULTS, **(existing or {}), **given, **front, "document_path": shown, "document_sha256": doc.sha256}
    identifiers = load_seed_schemas(paths.seeds_dir)["reports"].identifiers
    checks = {column: answer_check(column, vocabulary, column in identifiers) for column in CURATED_COLUMNS + OPTIONAL_COLUMNS}
    refused = [f"{option_of(c)} {v!r}: {checks[c](v)}" for c, v in given.items() if c in checks and checks[c](v)]
    if refused:
        raise MarketWarehouseError("refused: " + "; ".join(refused))
    for column in ORIGIN_FRONT_MATTER:  # derived from the terms of use when nobody says otherwise
        if column not in values and ask is None:
            values[column] = suggestion(column, values, doc, vocabulary) or ""
    for column in CURATED_COLUMNS:
        if column in values or ask is None:
            continue
        choices = tuple(vocabulary.markets) if column == "market" else ()
        values[column] = ask(Question(column, QUESTIONS[column], suggestion(column, values, doc, vocabulary), choices, checks[column]))
    missing = [column for column in CURATED_COLUMNS if column not in values]
    if missing:
        raise MarketWarehouseError(
            f"{shown} is not registered yet and its front matter cannot say what these options say: give them, "
            "or run it on a terminal to be asked\n"
            + "\n".join(f"  {option_of(c):<23} {QUESTIONS[c]}".replace("(Enter: ", "('': ") for c in missing)
        )
    row = {column: values[column] for column in columns}
    if existing is not None and all(row[c] == existing[c] for c in columns):
        line = next(line for record, _, line in records if record[: len(columns)] == [existing[c] for c in columns])
        return Registration(row["report_id"], shown, line, False, {}, row)
    line = _write_checked(paths, seed, with_row(text, records, existing, columns, row), row, vocabulary)
    changed = {c: ((existing or {}).get(c, ""), row[c]) for c in columns if (existing or {}).get(c, "") != row[c]}
    return Registration(row["report_id"], shown, line, existing is None, changed, row)


def _document_path(root: Path, document: Path) -> str:
    """The document's path relative to the project, as the seed names it; refused outside reports/."""
    absolute = document if document.is_absolute() else Path.cwd() / document
    lexical = absolute.parent.resolve() / absolute.name
    try:
        relative = lexical.relative_to(root.resolve()).as_posix()
    except ValueError:
        relative = ""
    if not relative or inside_reports(root, relative) is None:
        raise MarketWarehouseError(
            f"{document} is not a file inside reports/ of {root} (symlinks followed): copy the document into "
            "reports/ first; the seed names it by its path relative to the project"
        )
    return relative


def _front_matter_values(document: ReportDocument, shown: str) -> dict[str, str]:
    """The front matter's values of the seed's columns; refused when it lacks one or has a key outside the schema."""
    found, schema = document.front_matter, ", ".join(FRONT_MATTER_KEYS + FRONT_MATTER_OPTIONAL)
    if found is None:
        raise InputError(
            [Problem(shown, 1, "front_matter_missing", f"no front matter: start the document with --- lines holding {schema}")]
        )
    problems = [
        Problem(shown, line, "front_matter_unknown_key", f"front matter key {key!r} is not in the schema ({schema})")
        for key, (line, _) in found.items()
        if key not in FRONT_MATTER_KEYS + FRONT_MATTER_OPTIONAL + ORIGIN_FRONT_MATTER
    ]
    for key in FRONT_MATTER_KEYS:
        if key not in found:
            problems.append(Problem(shown, 1, "front_matter_missing", f"front matter has no {key!r}: add it to the document"))
    if problems:
        raise InputError(problems)
    origin = {
        key: found[key][1].strip().lower() if key == "reuse_permitted" else found[key][1] for key in ORIGIN_FRONT_MATTER if key in found
    }
    return {**{key: found[key][1] for key in FRONT_MATTER_KEYS}, **origin}


def _seed_columns(seeds_dir: Path) -> list[str]:
    """The reports seed's columns as _seeds.yml declares them; refused when they are not the ones register fills."""
    schema = load_seed_schemas(seeds_dir)["reports"]
    columns = list(schema)
    known = set(FRONT_MATTER_KEYS) | set(COMPUTED_COLUMNS) | set(CURATED_COLUMNS) | set(FIXED_DEFAULTS)
    if set(columns) != known:
        raise MarketWarehouseError(
            f"seeds/_seeds.yml declares reports columns {sorted(set(columns) ^ known)} that `marketwh register` "
            "does not know (or lacks ones it fills): update marketwh/curation/register.py with the seed"
        )
    _, problems = read_seed(seeds_dir / SEED, schema, display_path=SEED_SHOWN)
    unusable = [p for p in problems if p.rule in (*FILE_LEVEL_RULES, "csv_column_count")]  # rows it cannot place
    if unusable:
        raise InputError(unusable)
    return columns


def _check_identity(rows: list[dict[str, str]], existing: dict[str, str] | None, report_id: str | None, shown: str) -> None:
    """A report id names one document: it is never renamed here (its figures name it) nor given twice."""
    if report_id is None:
        return
    if existing is not None and existing["report_id"] != report_id:
        raise MarketWarehouseError(
            f"{shown} is registered as report {existing['report_id']!r}, not {report_id!r}: a report id is not renamed "
            "(its figures and claims name it); leave --report-id out to update the row"
        )
    other = next((row for row in rows if row["report_id"] == report_id and row is not existing), None)
    if other is not None:
        raise MarketWarehouseError(
            f"report id {report_id!r} already names {other['document_path']}: a new edition is a new report id and a new document"
        )


def _write_checked(paths: ProjectPaths, seed: Path, text: str, row: dict[str, str], vocabulary: Vocabulary) -> int:
    """Check the new row with the seed reader and the validator's report rules, then replace the seed
    atomically; returns the row's line. Nothing is written when the row breaks a rule."""
    candidate = seed.with_name(f".{seed.name}.register")
    try:
        candidate.write_text(text, encoding="utf-8", newline="")
        table, problems = read_seed(candidate, load_seed_schemas(paths.seeds_dir)["reports"], display_path=SEED_SHOWN)
        line = next(r.line for r in table.rows if r["report_id"] == row["report_id"])
        result = ValidationResult()
        check_reports(table, paths, vocabulary, result)
        named = repr(row["report_id"])
        own = [
            p
            for p in problems + result.problems
            if (p.path == SEED_SHOWN and (p.line == line or (p.rule in EDITION_RULES and named in p.message)))
            or p.path == row["document_path"]
        ]
        if own:
            rules = "\n".join(str(problem) for problem in sorted(own))
            raise MarketWarehouseError(f"nothing written: the row would break these rules (as `marketwh validate` reads it)\n{rules}")
        os.replace(candidate, seed)
        return line
    finally:
        candidate.unlink(missing_ok=True)
