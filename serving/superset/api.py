"""Superset's REST API as the admin, and the bundle in this folder imported and exported through it.

The bundle (metadata.yaml, databases/, datasets/, charts/, dashboards/) is Superset's own import format;
its database URI names the served file relative to the repository, replaced by the served file's
absolute path at import and made relative again at export. Its links to the report site name the address
`make site` serves it on; MARKETWH_SITE_URL (e.g. where the built site is published) replaces it at
import, and export writes the default back.
"""

from __future__ import annotations

import http.cookiejar
import io
import json
import os
import re
import urllib.error
import urllib.request
import uuid
import zipfile
from pathlib import Path

from marketwh.safefs import write_inside

HERE = Path(__file__).resolve().parent
BUNDLE_PARTS = ("metadata.yaml", "databases", "datasets", "charts", "dashboards")
# How the bundle names the served file; replaced by its absolute path at import, and back at export.
RELATIVE_URI = "duckdb:///build/warehouse.duckdb"
# Where the bundle's links point to the report site: `make site` serves it here (docs/dashboards.md).
DEFAULT_SITE_URL = "http://127.0.0.1:8000/"
SITE_URL_ENV = "MARKETWH_SITE_URL"


def site_url() -> str:
    """The report site's address for the dashboard's links: MARKETWH_SITE_URL, else where `make site` serves it."""
    configured = os.environ.get(SITE_URL_ENV, "").strip() or DEFAULT_SITE_URL
    if not re.fullmatch(r"https?://[^\s'\"<>\\]+", configured):
        raise ValueError(f"{SITE_URL_ENV}={configured!r}: not an http(s) address (it goes into the dashboard's links and SQL)")
    return configured if configured.endswith("/") else configured + "/"


class Client:
    """Superset's REST API as the admin: a bearer token for every call, a CSRF token and session cookie for writes."""

    def __init__(self, url: str, token: str):
        self.url = url
        self.token = token
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.csrf = self.request("GET", "/api/v1/security/csrf_token/")["result"]

    @classmethod
    def login(cls, url: str, username: str, password: str) -> Client:
        body = json.dumps({"username": username, "password": password, "provider": "db", "refresh": False}).encode()
        request = urllib.request.Request(f"{url}/api/v1/security/login", body, {"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return cls(url, json.load(response)["access_token"])

    def request(self, method: str, path: str, body: dict | bytes | None = None, content_type: str = "application/json"):
        headers = {"Authorization": f"Bearer {self.token}", "Referer": self.url}
        if method != "GET":
            headers["X-CSRFToken"] = self.csrf
        data = None
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            headers["Content-Type"] = content_type
        request = urllib.request.Request(f"{self.url}{path}", data, headers, method=method)
        try:
            with self.opener.open(request, timeout=120) as response:
                payload = response.read()
                return json.loads(payload) if response.headers.get_content_type() == "application/json" else payload
        except urllib.error.HTTPError as error:
            raise RuntimeError(f"{method} {path}: HTTP {error.code}: {error.read().decode(errors='replace')[:2000]}") from error

    def upload(self, path: str, field: str, filename: str, content: bytes, **fields: str):
        """A multipart/form-data POST with one file."""
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode() for name, value in fields.items()
        ]
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
            "Content-Type: application/zip\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request("POST", path, b"".join(parts), f"multipart/form-data; boundary={boundary}")


def bundle_files(bundle: Path = HERE) -> list[Path]:
    """The bundle's YAML files, in Superset's export layout (datasets/<database>/<table>.yaml and so on)."""
    files = [bundle / "metadata.yaml"]
    for part in BUNDLE_PARTS[1:]:
        files += sorted((bundle / part).rglob("*.yaml"))
    return files


def bundle_zip(warehouse: Path, bundle: Path = HERE) -> bytes:
    """The bundle as the zip Superset imports, its database URIs naming `warehouse` by absolute path."""
    absolute_uri = f"duckdb:///{warehouse.absolute()}"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in bundle_files(bundle):
            text = path.read_text(encoding="utf-8").replace(DEFAULT_SITE_URL, site_url())
            if path.parent.name == "databases":
                text = text.replace(RELATIVE_URI, absolute_uri)
            archive.writestr(f"marketwh/{path.relative_to(bundle)}", text)
    return buffer.getvalue()


def bundle_uuids(kind: str, bundle: Path = HERE) -> list[str]:
    """The uuids of the bundle's datasets, charts, ... (read without a YAML parser: a top-level key)."""
    found = []
    for path in sorted((bundle / kind).rglob("*.yaml")):
        match = re.search(r"^uuid: (\S+)$", path.read_text(encoding="utf-8"), re.MULTILINE)
        found.append(match.group(1))
    return found


def import_bundle(client: Client, warehouse: Path, bundle: Path = HERE) -> None:
    """Import (overwriting) the bundle, then refresh each dataset's columns from the served file."""
    client.upload("/api/v1/assets/import/", "bundle", "marketwh.zip", bundle_zip(warehouse, bundle))
    wanted = set(bundle_uuids("datasets", bundle))
    datasets = client.request("GET", "/api/v1/dataset/?q=(columns:!(id,uuid),page_size:100)")["result"]
    for dataset in datasets:
        if dataset["uuid"] in wanted:
            client.request("PUT", f"/api/v1/dataset/{dataset['id']}/refresh")


def export_bundle(client: Client, warehouse: Path, bundle: Path = HERE) -> list[Path]:
    """Write a running Superset's assets over the bundle's YAML files, the served file's path made relative
    again and the metadata ids dropped from the file names (they differ from one Superset to the next)."""
    exported = client.request("GET", "/api/v1/assets/export/")
    for path in bundle_files(bundle)[1:]:
        path.unlink()
    written: list[Path] = []
    with zipfile.ZipFile(io.BytesIO(exported)) as archive:
        for name in sorted(archive.namelist()):
            relative = Path(*Path(name).parts[1:])  # below the export's top folder
            if not relative.parts or relative.parts[0] not in BUNDLE_PARTS:
                continue
            stable = relative.with_name(re.sub(r"_\d+\.yaml$", ".yaml", relative.name))
            relative = relative if bundle.resolve() / stable in written else stable
            text = archive.read(name).decode("utf-8").replace(f"duckdb:///{warehouse.absolute()}", RELATIVE_URI)
            text = text.replace(site_url(), DEFAULT_SITE_URL)
            written.append(write_inside(bundle, relative, text))  # a name in the archive never writes outside the bundle
    for part in BUNDLE_PARTS[1:]:
        for folder in sorted((bundle / part).rglob("*"), reverse=True):
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
    return written
