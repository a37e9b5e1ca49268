"""Links from a site page to the Superset dashboard, filtered to what the page shows.

The dashboard's slug and its native filters (id and the column each filters on) are read from the
dashboard bundle under serving/superset/dashboards/ (the bundle owns them; nothing is repeated here).
Superset's address is MARKETWH_SUPERSET_URL (default http://127.0.0.1:$SUPERSET_PORT, 8088 unless set:
where `make superset` serves it). A page asks for the columns it is about (a market page: `market_name`; a report page also
its `publisher_label`, ...); every native filter of the dashboard on one of those columns is set in
the link, in Superset's `native_filters` URL parameter (rison: filter id -> its extraFormData and
filterState, as a dashboard writes it into its own URL when a filter is applied).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

SUPERSET_URL_ENV = "MARKETWH_SUPERSET_URL"
DEFAULT_SUPERSET_PORT = "8088"  # `make superset`'s port unless SUPERSET_PORT says otherwise
BUNDLE_DASHBOARDS = Path("serving") / "superset" / "dashboards"
_RISON_ID = re.compile(r"[A-Za-z_./~][A-Za-z0-9_./~-]*")


def rison(value: Any) -> str:
    """`value` (dict, list, str, bool, number, None) in rison, the URL notation Superset reads."""
    if value is None:
        return "!n"
    if isinstance(value, bool):
        return "!t" if value else "!f"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dict):
        return "(" + ",".join(f"{rison(str(k))}:{rison(v)}" for k, v in value.items()) + ")"
    if isinstance(value, list | tuple):
        return "!(" + ",".join(rison(v) for v in value) + ")"
    text = str(value)
    if _RISON_ID.fullmatch(text):  # an id needs no quotes (as rison's own encoders write it)
        return text
    return "'" + text.replace("!", "!!").replace("'", "!'") + "'"


@dataclass(frozen=True)
class Dashboard:
    """The dashboard a site page links to: its address and its native filters (column -> filter id)."""

    url: str
    filters: dict[str, str]

    def link(self, **values: Any) -> str:
        """The dashboard's address with every native filter on one of `values`' columns set to its value."""
        state = {}
        for column, value in values.items():
            filter_id = self.filters.get(column)
            if filter_id is None or value is None:
                continue
            state[filter_id] = {
                "id": filter_id,
                "extraFormData": {"filters": [{"col": column, "op": "IN", "val": [value]}]},
                "filterState": {"label": str(value), "validateStatus": False, "value": [value]},
                "ownState": {},
            }
        if not state:
            return self.url
        return f"{self.url}?native_filters={quote(rison(state), safe=chr(39) + '!(),:*-._~')}"


def read_dashboard(root: Path) -> Dashboard | None:
    """The bundle's dashboard that has a native filter on `market_name` (else its first), or None when the
    checkout has no bundle."""
    from ..curation.seedschema import load_yaml

    folder = root / BUNDLE_DASHBOARDS
    bundles = [load_yaml(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.yaml"))] if folder.is_dir() else []
    if not bundles:
        return None

    def filters(bundle: dict) -> dict[str, str]:
        found = {}
        for native in (bundle.get("metadata") or {}).get("native_filter_configuration") or []:
            for target in native.get("targets") or []:
                column = (target.get("column") or {}).get("name")
                if column and native.get("filterType") == "filter_select":
                    found.setdefault(column, native["id"])
        return found

    bundle = next((b for b in bundles if "market_name" in filters(b)), bundles[0])
    default = f"http://127.0.0.1:{os.environ.get('SUPERSET_PORT') or DEFAULT_SUPERSET_PORT}"
    base = (os.environ.get(SUPERSET_URL_ENV) or default).rstrip("/")
    where = bundle.get("slug") or bundle.get("uuid")
    return Dashboard(url=f"{base}/superset/dashboard/{quote(str(where), safe='')}/", filters=filters(bundle))
