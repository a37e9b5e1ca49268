"""Screenshots of the Superset dashboard filtered to one market each, for a person to look at.

    .venv/bin/python serving/superset/screenshots.py                 # every market the filter offers
    .venv/bin/python serving/superset/screenshots.py --market "Anode materials" --port 8089

Needs a running Superset with the bundle imported (`make superset`) and Debian's chromium and
chromium-driver (`make browser`). For each market it asks Superset for a permalink of the dashboard with
the native market filter set to that market (POST /api/v1/dashboard/<slug>/permalink, the state the
filter bar itself writes), logs in as the admin in headless Chromium, opens the permalink, waits for the
charts and saves build/screenshots/superset_<market>.png. Nothing is loaded from another host (Superset's
content security policy refuses it).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))  # run as a script: serving/ is importable from the checkout
from serving.superset.run import ADMIN, PATHS, Superset  # noqa: E402

SLUG = "market-intelligence"
CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run")


def market_filter(client) -> dict:
    """The dashboard's native filter on market_name."""
    board = client.request("GET", f"/api/v1/dashboard/{SLUG}")["result"]
    filters = json.loads(board["json_metadata"])["native_filter_configuration"]
    return next(f for f in filters if f["targets"][0]["column"]["name"] == "market_name")


def markets(client, chosen: dict) -> list[str]:
    """The markets the filter offers: the distinct values of its column in its dataset."""
    column = chosen["targets"][0]["column"]["name"]
    query = {"columns": [column], "metrics": [], "orderby": [[column, True]], "row_limit": 1000, "filters": []}
    body = {"datasource": {"id": chosen["targets"][0]["datasetId"], "type": "table"}, "queries": [query], "result_format": "json"}
    return [row[column] for row in client.request("POST", "/api/v1/chart/data", body)["result"][0]["data"]]


def permalink(client, chosen: dict, market: str) -> str:
    """A permalink of the dashboard with the market filter set to `market`."""
    column = chosen["targets"][0]["column"]["name"]
    mask = {
        chosen["id"]: {
            "id": chosen["id"],
            "extraFormData": {"filters": [{"col": column, "op": "IN", "val": [market]}]},
            "filterState": {"label": market, "value": [market]},
            "ownState": {},
        }
    }
    state = {"dataMask": mask, "activeTabs": [], "urlParams": []}
    return client.request("POST", f"/api/v1/dashboard/{SLUG}/permalink", state)["url"]


def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument("--window-size=1600,7200")
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(120)
    return driver


def log_in(driver, superset: Superset) -> None:
    from selenium.webdriver.common.by import By

    driver.get(f"{superset.url}/login/")
    wait(driver, lambda: driver.find_elements(By.CSS_SELECTOR, "input[id=username], input[name=username]"), "the login form")
    driver.find_element(By.CSS_SELECTOR, "input[id=username], input[name=username]").send_keys(ADMIN)
    password = driver.find_element(By.CSS_SELECTOR, "input[id=password], input[name=password]")
    password.send_keys(superset.admin_password())
    password.submit()
    wait(driver, lambda: "/login" not in driver.current_url, "the login")


def wait(driver, condition, what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except Exception:  # a page half loaded: ask again
            pass
        time.sleep(0.5)
    raise TimeoutError(f"waited {timeout:.0f} s for {what} on {driver.current_url}")


def shoot(driver, url: str, path: Path) -> None:
    """Open the dashboard, wait until every chart has loaded, save a PNG."""
    from selenium.webdriver.common.by import By

    driver.get(url)
    wait(driver, lambda: len(driver.find_elements(By.CSS_SELECTOR, ".dashboard-component-chart-holder")) > 0, "the charts")
    wait(driver, lambda: not driver.find_elements(By.CSS_SELECTOR, ".loading, [data-test=loading-indicator]"), "the charts' data")
    time.sleep(3)  # ECharts animates its first draw
    path.parent.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(path))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--market", action="append", help="a market's display name (repeatable); default: every market")
    parser.add_argument("--port", type=int, default=int(os.environ.get("SUPERSET_PORT", "8088")))
    parser.add_argument("--out", type=Path, default=PATHS.build_dir / "screenshots")
    args = parser.parse_args(argv)
    superset = Superset(home=PATHS.superset_home(), port=args.port)
    client = superset.client()
    chosen = market_filter(client)
    driver = browser()
    try:
        log_in(driver, superset)
        for market in args.market or markets(client, chosen):
            path = args.out / f"superset_{re.sub(r'[^a-z0-9]+', '_', market.lower()).strip('_')}.png"
            shoot(driver, permalink(client, chosen, market), path)
            print(f"[superset] {market}: {path}", flush=True)
    finally:
        driver.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
