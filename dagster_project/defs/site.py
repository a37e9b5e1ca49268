"""The report site, rebuilt from the served file after each publish (build/site/, `marketwh site`).

Downstream of `served_warehouse`: a refresh whose publish is skipped or fails leaves the site as it
was, describing the build BI tools still read.
"""

from dagster import AssetExecutionContext, MaterializeResult, MetadataValue, asset

from marketwh.failpoints import failpoint
from marketwh.site.build import build_site
from marketwh.site.reuse import reused

from .keys import REPORT_SITE_KEY, SERVED_WAREHOUSE_KEY
from .resources import WarehouseResource


@asset(
    key=REPORT_SITE_KEY,
    group_name="served",
    deps=[SERVED_WAREHOUSE_KEY],
    description="The report site of the served warehouse: a page per report (every figure's basis and quote), per market "
    "(publishers compared), findings, audit results and dbt docs; static files under build/site/.",
    kinds={"html"},
)
def report_site(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    failpoint("site")
    engine = warehouse.engine(context.run.run_id)
    if engine.name != "duckdb":
        context.log.info(f"the report site reads the served DuckDB file; on {engine.name} it is not built (docs/scale.md)")
        return MaterializeResult(metadata={"built": False, "engine": engine.name})
    # the documents are read from the inputs snapshot of the run that built the served file (this run,
    # after its publish), not from the working tree, which may have changed since
    site = build_site(warehouse.served())
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    kept, reports = reused(site)  # the pages of reports unchanged since the site before: reused, not rendered
    kept_markets, markets = reused(site, "markets")
    context.log.info(
        f"report site of {warehouse.served().resolve().name}: {site / 'index.html'} "
        f"({len(pages)} pages; the pages of {kept} of {reports} reports and {kept_markets} of {markets} markets reused)"
    )
    return MaterializeResult(
        metadata={
            "index": MetadataValue.path(str(site / "index.html")),
            "site_build": MetadataValue.path(str(site.resolve())),
            "pages": len(pages),
            "reports_reused": kept,
            "markets_reused": kept_markets,
            "serve": "marketwh site --serve --no-build",
        }
    )
