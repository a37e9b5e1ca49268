"""The seed schema, seeds/_seeds.yml: each seed's columns and types (the `column_types` dbt loads them
with, or a bulk source's `data_type`s), and which columns hold identifiers.

An identifier column is marked where the column is described, `config: {meta: {identifier: true}}`:
its values become parts of names and paths (the site's reports/<report_id>.html, a chart per market,
metric, region and unit, finding keys), so they must match IDENTIFIER, checked by the seed reader at
each cell's line (`[bad_identifier]`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from ..errors import InputError, Problem

SEED_SCHEMA_FILE = "_seeds.yml"
# Lowercase ASCII letters, digits, '_' and '-': no '/', '.', space or look-alike letter (a Cyrillic 'е'
# for a Latin 'e' would make a second key that reads the same as an existing one).
IDENTIFIER = re.compile(r"[a-z0-9][a-z0-9_-]*")


class SeedSchema(dict):
    """A seed's columns -> types, in the order the CSV must have them, and which columns hold identifiers."""

    __slots__ = ("identifiers",)

    def __init__(self, column_types: dict[str, str], identifiers=()):
        super().__init__(column_types)
        self.identifiers = frozenset(identifiers)


def _identifiers(columns: list[dict] | None) -> list[str]:
    """The columns marked `config: {meta: {identifier: true}}`."""
    return [c["name"] for c in columns or [] if ((c.get("config") or {}).get("meta") or {}).get("identifier") is True]


# libyaml's safe loader where PyYAML was built with it: the same documents, ~8 times faster than the
# pure-Python one (the seed schema is read by the validator, the documents' check and the publish)
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str):
    """A YAML document read safely (no Python objects) by the faster loader, as the refresh reads YAML."""
    return yaml.load(text, Loader=YAML_LOADER)


def seed_schema_document(seeds_dir: Path) -> dict:
    """seeds/_seeds.yml as read, once per version of the file in a process."""
    path = seeds_dir / SEED_SCHEMA_FILE
    try:
        status = path.stat()
        return _read_schema_document(str(path), status.st_mtime_ns, status.st_size)
    except (OSError, yaml.YAMLError) as error:
        raise InputError([Problem(str(path), None, "seed_schema_unreadable", f"cannot read the seed schema: {error}")]) from None


@lru_cache(maxsize=4)
def _read_schema_document(path: str, mtime_ns: int, size: int) -> dict:
    """The parsed file at `path` in the version its modification time and size name (the cache key)."""
    return load_yaml(Path(path).read_text(encoding="utf-8")) or {}


def load_seed_schemas(seeds_dir: Path) -> dict[str, SeedSchema]:
    """seed name -> {column: type}, in the column order the CSV must have, with its identifier columns."""
    document = seed_schema_document(seeds_dir)
    schemas = {}
    for seed in document.get("seeds", []):
        schemas[seed["name"]] = SeedSchema(seed.get("config", {}).get("column_types", {}), _identifiers(seed.get("columns")))
    # the bulk CSVs dbt reads through the engine's reader (sources), typed by their columns' data_type
    for source in document.get("sources", []):
        for table in source.get("tables", []):
            columns = table.get("columns", [])
            schemas[table["name"]] = SeedSchema({column["name"]: column["data_type"] for column in columns}, _identifiers(columns))
    return schemas
