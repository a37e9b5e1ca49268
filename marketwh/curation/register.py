"""`marketwh register`: a report's origin typed once, in the document's front matter.

A stored report document carries its origin in its front matter (title, publisher, url, dates, terms
of use, attribution); seeds/reports.csv catalogues it with the same values, its path and its sha256,
plus what only a curator can say: the report id, its series and edition, the publisher's short label,
geography, market, years, currency, and, where the dates published cannot order two editions of a
series, an edition_sequence (an option only: it is never asked for). Registering copies the front matter and the hash into the
document's row and asks for the rest (command-line values, or a person at a terminal through `ask`),
so nothing is typed twice and no hash is computed by hand. Re-registering an edited document updates
its hash and front-matter columns and keeps the curated ones.

The row is checked with the validator's own rules for reports (validation/reports.py) before it is
written; the seed is replaced atomically, and every other row keeps its bytes. Suggestions offered to
a person come from the document's name and words only; no year or other figure is ever suggested.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError, MarketWarehouseError, Problem
from ..paths import ProjectPaths
from .documents import FRONT_MATTER_KEYS, FRONT_MATTER_OPTIONAL, ReportDocument, inside_reports, read_report_document
from .seedfiles import (
    cell_problem,  # the seed reader's own rule for one cell
    load_seed_schemas,
    read_seed,
)
from .seedwriter import records_of, with_row
from .validation.common import FILE_LEVEL_RULES, ValidationResult
from .validation.origin import NONE_STATED, ORIGIN_FRONT_MATTER, licence_problem
from .validation.reports import STATUSES, check_reports
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
# what a curator may say and usually need not: an option (`--edition-sequence`), never asked; kept from
# the row when not given, cleared by an empty value
OPTIONAL_COLUMNS = ("edition_sequence",)
OPTIONAL_HELP = {
    "edition_sequence": "a whole number ordering this edition among its series' editions where their dates published "
    "cannot (they tie at their precision, or one prints none): the newer edition has the larger number; '' clears it",
}
# the validator's rules over two editions of a series: a problem is at the later row's line, so a row
# registered before another edition is refused by the problem that names it
EDITION_RULES = ("edition_order_unknown", "edition_sequence_contradicts_dates")
MAY_BE_EMPTY = ("history_start_year", "base_year", "forecast_start_year", "forecast_end_year", "currency")
QUESTIONS = {
    "report_id": "report id: one document, one edition (lowercase, e.g. bri_separator_2024)",
    "series_id": "series id: shared by every edition of this report",
    "edition": "edition, as the publisher names it (e.g. its forecast window 2024-2033, or the date)",
    "publisher_label": "publisher's short label for chart legends",
    "geography": "geography: a region or country key of seeds/segments.csv",
    "market": "market: a market_key of seeds/markets.csv (add its row there first for a new market)",
    "history_start_year": "first year the report gives figures for (Enter: it states none)",
    "base_year": "base year: its last actual, non-forecast year (Enter: it states none)",
    "forecast_start_year": "first forecast year (Enter: it states none)",
    "forecast_end_year": "last forecast year (Enter: it states none)",
    "currency": "currency of its money values as published, ISO 4217 such as USD (Enter: none, volumes only)",
    "licence": "licence the document states for reuse: an SPDX id such as CC-BY-4.0, or none-stated",
    "reuse_permitted": "does that licence permit reuse? true or false (none-stated: false)",
}
# open licences whose terms permit reuse (with attribution); a licence outside this list is asked about
_OPEN_LICENCE = re.compile(r"^(?:CC-BY(?:-SA)?-[0-9.]+|CC0-1\.0|ODC-By-1\.0|ODbL-1\.0|PDDL-1\.0|OGL-UK-3\.0)$")


def option_of(column: str) -> str:
    return "--" + column.replace("_", "-")


@dataclass(frozen=True)
class Question:
    """One value the front matter cannot give, as a person is asked for it."""

    column: str
    text: str
    default: str | None  # derived from the document's name or words; None when there is no honest one
    choices: tuple[str, ...] = ()
    check: Callable[[str], str | None] = field(default=lambda answer: None, compare=False)  # why an answer is refused


Ask = Callable[[Question], str]


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
    checks = {column: _checker(column, vocabulary, column in identifiers) for column in CURATED_COLUMNS + OPTIONAL_COLUMNS}
    refused = [f"{option_of(c)} {v!r}: {checks[c](v)}" for c, v in given.items() if c in checks and checks[c](v)]
    if refused:
        raise MarketWarehouseError("refused: " + "; ".join(refused))
    for column in ORIGIN_FRONT_MATTER:  # derived from the terms of use when nobody says otherwise
        if column not in values and ask is None:
            values[column] = _suggest(column, values, doc, vocabulary) or ""
    for column in CURATED_COLUMNS:
        if column in values or ask is None:
            continue
        choices = tuple(vocabulary.markets) if column == "market" else ()
        values[column] = ask(Question(column, QUESTIONS[column], _suggest(column, values, doc, vocabulary), choices, checks[column]))
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


def _checker(column: str, vocabulary: Vocabulary, identifier: bool) -> Callable[[str], str | None]:
    """Why an answer for `column` is refused (None when it is not): the seed reader's cell rules, and the
    vocabulary a market or geography must come from."""
    kind = "integer" if column.endswith("_year") or column == "edition_sequence" else "string"
    longest = vocabulary.thresholds.get("publisher_label_max_length")

    def check(answer: str) -> str | None:
        if not answer and column not in (*MAY_BE_EMPTY, *OPTIONAL_COLUMNS, "status_reason"):
            return "a value is needed"
        found = cell_problem(column, kind, answer, identifier)
        if found:
            return found[1]
        if column == "market" and vocabulary.markets and answer not in vocabulary.markets:
            return f"not a market_key of seeds/markets.csv ({', '.join(vocabulary.markets)}); add the market's row there first"
        if column == "geography" and vocabulary.regions and answer not in vocabulary.regions:
            return f"not a region or country key of seeds/segments.csv (e.g. {', '.join(list(vocabulary.regions)[:4])})"
        if column == "status" and answer not in STATUSES:
            return f"not one of {', '.join(STATUSES)}"
        if column == "licence":
            return licence_problem(answer)
        if column == "reuse_permitted" and answer not in ("true", "false"):
            return "true or false"
        if column == "publisher_label" and longest is not None and len(answer) > longest:
            return f"{len(answer)} characters, more than {longest:g} (publisher_label_max_length)"
        return None

    return check


def _suggest(column: str, values: dict[str, str], document: ReportDocument, vocabulary: Vocabulary) -> str | None:
    """A default a person may accept, from the document's file name and words; never a year or figure."""
    stem = document.path.stem
    if column == "report_id":
        return re.sub(r"[^a-z0-9]+", "_", stem.lower()).strip("_") or None
    if column == "series_id":
        return re.sub(r"(_[0-9]{4})+$", "", values.get("report_id", "")) or None
    if column == "edition":
        window = re.search(r"([0-9]{4}-[0-9]{4})$", stem)
        return window[1] if window else (values.get("date_published") or None)
    if column == "publisher_label":
        publisher, longest = values.get("publisher", ""), vocabulary.thresholds.get("publisher_label_max_length", 24)
        return publisher if publisher and len(publisher) <= longest and not re.search(r"[(;,]", publisher) else None
    if column == "licence":  # "CC BY 4.0" in the terms of use is the SPDX id CC-BY-4.0
        stated = re.search(r"\bCC[ -]BY(?:[ -](SA))?[ -]([0-9]\.[0-9])\b", values.get("terms_of_use", ""))
        return f"CC-BY-{stated[1] + '-' if stated[1] else ''}{stated[2]}" if stated else NONE_STATED
    if column == "reuse_permitted":
        return "true" if _OPEN_LICENCE.match(values.get("licence", "")) else "false"
    if column == "geography":
        words = " ".join([values.get("title", ""), *(document.blocks[0].headings if document.blocks else ())]).casefold()
        named = {key for key, row in vocabulary.regions.items() if re.search(rf"\b{re.escape(row['display_name'].casefold())}\b", words)}
        return named.pop() if len(named) == 1 else None
    return None


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
