"""Asset keys shared across the defs modules, so no asset module imports another for its keys.

dbt nodes are keyed by the DuckDB schema they are built in (`seeds/*`, `staging/*`, `intermediate/*`,
`marts/*`); the same function names them for the dbt assets and for the assets downstream of them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from dagster import AssetKey

REPORT_DOCUMENTS_KEY = AssetKey(["sources", "report_documents"])
SERVED_WAREHOUSE_KEY = AssetKey(["served_warehouse"])
REPORT_SITE_KEY = AssetKey(["served", "report_site"])
MARKET_FIGURES_KEY = AssetKey(["marts", "market_figures"])
CAGR_CHECK_KEY = AssetKey(["marts", "cagr_check"])
REPORT_CATALOG_KEY = AssetKey(["marts", "reports"])
ACKNOWLEDGEMENTS_KEY = AssetKey(["seeds", "finding_acknowledgements"])


def dbt_node_key(dbt_resource_props: Mapping[str, Any]) -> AssetKey:
    """[schema, relation name] of a dbt seed, model or snapshot."""
    name = dbt_resource_props.get("alias") or dbt_resource_props["name"]
    return AssetKey([dbt_resource_props["schema"], name])


def curated_csv_keys() -> list[AssetKey]:
    """The bulk curated CSVs dbt reads as sources (seeds/report_figures, seeds/report_claims)."""
    from ..project import dbt_project

    manifest = json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))
    return sorted((dbt_node_key(source) for source in manifest["sources"].values()), key=lambda key: key.path)


def served_key(mart: AssetKey) -> AssetKey:
    """The served copy of a candidate mart: served/marts/<name>."""
    return AssetKey(["served", *mart.path])


def schema_keys(schema: str) -> list[AssetKey]:
    """Every dbt model (or seed) built in `schema`, read from the prepared manifest."""
    from ..project import dbt_project

    manifest = json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))
    keys = {
        dbt_node_key(node)
        for node in manifest["nodes"].values()
        if node["resource_type"] in ("model", "seed") and node.get("schema") == schema
    }
    return sorted(keys, key=lambda key: key.path)


def mart_keys() -> list[AssetKey]:
    """Every dbt model built in the marts schema: what a publish serves."""
    return schema_keys("marts")
