"""dbt's exposures name what each consumer of the marts reads; these tests keep them true: the report
site's queries and the Superset bundle's datasets read exactly the dbt marts their exposure lists
(every table of the warehouse is a dbt model: the findings, the audit results and the build stamp too)."""

from __future__ import annotations

import re

import yaml

from marketwh.site.data import MARKET_LISTS, QUERIES, SITE_QUERIES
from marketwh.site.reuse import MARKET_DIGEST_QUERIES
from tests.helpers import REPO

MARTS = REPO / "dbt" / "models" / "marts"


def _exposure(name: str) -> set[str]:
    exposures = yaml.safe_load((MARTS / "_marts__exposures.yml").read_text())["exposures"]
    exposure = next(e for e in exposures if e["name"] == name)
    return {re.fullmatch(r"ref\('(\w+)'\)", ref).group(1) for ref in exposure["depends_on"]}


def _model_of(relation: str) -> str:
    """marts.reports is the model report_catalog ({{ config(alias=...) }}); other marts are their model."""
    for sql in MARTS.glob("*.sql"):
        if re.search(rf"alias\s*=\s*['\"]{relation}['\"]", sql.read_text()):
            return sql.stem
    assert (MARTS / f"{relation}.sql").exists(), f"marts.{relation} is not a dbt model"
    return relation


def _dbt_models(relations: set[str]) -> set[str]:
    return {_model_of(r) for r in relations}


def test_the_site_exposure_lists_the_marts_the_site_reads():
    read = {m for sql in QUERIES.values() for m in re.findall(r"marts\.(\w+)", sql)}
    assert _dbt_models(read) == _exposure("report_site")


def test_the_superset_exposure_lists_the_bundle_datasets():
    datasets = {yaml.safe_load(path.read_text())["table_name"] for path in (REPO / "serving" / "superset").rglob("datasets/**/*.yaml")}
    assert datasets, "the Superset bundle has datasets"
    assert _dbt_models(datasets) == _exposure("superset_market_intelligence")


def test_a_market_pages_reuse_digest_hashes_every_mart_the_page_reads():
    """A market page is reused while its digest holds: the digest must hash each list the page reads, from
    the same mart, or a changed list would leave a stale page."""

    def mart(sql: str) -> str:
        return re.search(r"from marts\.(\w+)", sql).group(1)

    assert set(MARKET_DIGEST_QUERIES) == set(MARKET_LISTS)
    assert {name: mart(MARKET_DIGEST_QUERIES[name]) for name in MARKET_LISTS} == {name: mart(SITE_QUERIES[name]) for name in MARKET_LISTS}
