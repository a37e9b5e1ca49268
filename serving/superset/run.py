"""`make superset`: Superset on 127.0.0.1 with the warehouse's dashboard, from the bundle in this folder.

Superset 6.1 cannot share .venv (its DuckDB driver needs duckdb < 2), so it gets its own environment,
build/superset/venv, installed on first use; a stamp naming the packages makes later runs skip it. Its
metadata (SQLite), secret key and admin password live in build/superset/ (MARKETWH_SUPERSET_HOME).
Then: migrate the metadata, create the admin, `superset init`, start gunicorn, import the bundle through
Superset's assets API (which overwrites databases, datasets, charts and the dashboard, so the files here
always win), refresh the datasets' columns (their descriptions are the marts' column comments), and
print the URL and how to log in. The admin's password is MARKETWH_SUPERSET_PASSWORD when set (applied at
each start), else generated once into build/superset/admin_password. `run.py user NAME` adds a person's
own login (role Alpha: every dashboard and dataset, no user admin; or --role).

The bundle (metadata.yaml, databases/, datasets/, charts/, dashboards/) is Superset's own import format.
Its database URI names the served file relative to the repository (duckdb:///build/warehouse.duckdb);
the import replaces that by the absolute path of the served file (WAREHOUSE_DB, default
build/warehouse.duckdb: the link itself, never the build it points at, so every query opens the build
served at that moment). `python serving/superset/run.py export` writes a running Superset's assets back into
this folder with the path made relative again.

Run with the project's Python (.venv): it uses the standard library, and marketwh for the served path.
"""

from __future__ import annotations

import argparse
import getpass
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO))  # run as a script: serving/ is importable from the checkout
from marketwh.paths import ProjectPaths  # noqa: E402
from serving.superset.api import Client, export_bundle, import_bundle  # noqa: E402

PATHS = ProjectPaths(REPO)
VENV = PATHS.superset_venv
# Pinned exactly, as measured to install and work together (the duckdb extra resolves to these two).
PACKAGES = (
    "apache-superset[duckdb]==6.1.0",
    "duckdb==1.5.6",
    "duckdb-engine==0.17.0",
    "rich==15.0.0",
    "cachetools==8.0.2",
    "flask-caching==2.3.1",
)
ADMIN = "admin"
PASSWORD_ENV = "MARKETWH_SUPERSET_PASSWORD"  # the admin's password, when a person chooses it
USER_PASSWORD_ENV = "MARKETWH_SUPERSET_USER_PASSWORD"  # a new user's password, else asked for


class SupersetError(RuntimeError):
    """Superset could not be installed, prepared or started; the message says where to look."""


def log(message: str) -> None:
    print(f"[superset] {message}", flush=True)


def ensure_installed(venv: Path = VENV) -> Path:
    """The Superset environment, created and installed unless its stamp names these packages."""
    from marketwh.envs import SideEnvironmentError, ensure_venv

    try:
        return ensure_venv(venv, PACKAGES, log, what="Superset (about half a minute with uv)")
    except SideEnvironmentError as error:
        raise SupersetError(str(error)) from None


def served_db() -> Path:
    """The served file as BI tools name it: WAREHOUSE_DB or build/warehouse.duckdb (a link, not resolved)."""
    return PATHS.served_db()


@dataclass
class Superset:
    """One Superset: its environment, its metadata folder and, once started, its web server."""

    home: Path = field(default_factory=PATHS.superset_home)  # MARKETWH_SUPERSET_HOME, else build/superset
    venv: Path = VENV
    port: int = 8088
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "FLASK_APP")}
        env.update(
            SUPERSET_CONFIG_PATH=str(HERE / "superset_config.py"),
            MARKETWH_SUPERSET_HOME=str(self.home),
            SUPERSET_HOME=str(self.home),
            SCARF_ANALYTICS="false",
            PATH=f"{self.venv / 'bin'}{os.pathsep}{env.get('PATH', '')}",
        )
        return env

    def cli(self, *args: str) -> str:
        """Run `superset ARGS` (from inside the metadata folder, so no folder named superset shadows the package)."""
        result = subprocess.run([str(self.venv / "bin" / "superset"), *args], cwd=self.home, env=self.env(), capture_output=True, text=True)
        if result.returncode != 0:
            raise SupersetError(f"superset {' '.join(args)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}")
        return result.stdout + result.stderr

    def admin_password(self) -> str:
        """MARKETWH_SUPERSET_PASSWORD, else the password generated once into the metadata folder."""
        chosen = os.environ.get(PASSWORD_ENV, "")
        if chosen:
            return chosen
        path = self.home / "admin_password"
        if not path.exists():
            path.touch(mode=0o600)
            path.write_text(secrets.token_urlsafe(12), encoding="utf-8")
        return path.read_text(encoding="utf-8").strip()

    def prepare(self) -> None:
        """Metadata database migrated, admin user and roles in place: once per metadata folder and version."""
        self.home.mkdir(parents=True, exist_ok=True)
        stamp = self.home / "metadata_ready.txt"
        version = PACKAGES[0]
        if stamp.exists() and stamp.read_text(encoding="utf-8") == version and (self.home / "superset.db").exists():
            return
        log(f"preparing the metadata database in {self.home}")
        self.cli("db", "upgrade")
        password = self.admin_password()
        names = ("--firstname", "Local", "--lastname", "Admin", "--email", "admin@localhost")
        created = self.cli("fab", "create-admin", "--username", ADMIN, *names, "--password", password)
        if "already exists" in created:
            self.cli("fab", "reset-password", "--username", ADMIN, "--password", password)
        self.cli("init")
        stamp.write_text(version, encoding="utf-8")

    def start(self, timeout: float = 120) -> None:
        """gunicorn on 127.0.0.1:port in its own process group, its log in the metadata folder."""
        with open(self.home / "webserver.log", "ab") as logfile:  # the server keeps its own copy of the handle
            self.process = subprocess.Popen(
                [
                    str(self.venv / "bin" / "gunicorn"),
                    "--workers=1",
                    "--worker-class=gthread",
                    "--threads=8",
                    "--timeout=120",
                    f"--bind=127.0.0.1:{self.port}",
                    "--limit-request-line=0",
                    "--limit-request-field_size=0",
                    "superset.app:create_app()",
                ],
                cwd=self.home,
                env=self.env(),
                stdout=logfile,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SupersetError(f"Superset exited with {self.process.returncode}; see {self.home / 'webserver.log'}")
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise SupersetError(f"Superset did not answer on {self.url} within {timeout:.0f} s; see {self.home / 'webserver.log'}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def client(self) -> Client:
        return Client.login(self.url, ADMIN, self.admin_password())

    def login_client(self) -> Client:
        """The admin's API client; a password chosen in MARKETWH_SUPERSET_PASSWORD is applied first if it differs."""
        try:
            return self.client()
        except urllib.error.HTTPError as error:
            if error.code != 401 or not os.environ.get(PASSWORD_ENV):
                raise
        self.cli("fab", "reset-password", "--username", ADMIN, "--password", self.admin_password())
        return self.client()

    def login_hint(self) -> str:
        """How a person logs in, without writing a password they chose into the log."""
        if os.environ.get(PASSWORD_ENV):
            return f"login: {ADMIN} / the password in ${PASSWORD_ENV}"
        path = self.home / "admin_password"
        return f"login: {ADMIN} / {self.admin_password()}  (generated, kept in {path}; set ${PASSWORD_ENV} to choose it)"

    def add_user(self, username: str, role: str, password: str) -> None:
        """A person's own login: `superset fab create-user` with the role given."""
        names = ("--firstname", username, "--lastname", "-", "--email", f"{username}@localhost")
        self.cli("fab", "create-user", "--role", role, "--username", username, *names, "--password", password)


def serve(superset: Superset, warehouse: Path) -> None:
    """Install, prepare, start, import and print the URL and login; runs until Ctrl-C or SIGTERM."""
    if not warehouse.exists():
        raise SupersetError(f"no served warehouse at {warehouse}: run `make refresh` first")
    ensure_installed(superset.venv)
    superset.prepare()
    for stop_signal in (signal.SIGINT, signal.SIGTERM):  # Ctrl-C, or a service manager: stop Superset too
        signal.signal(stop_signal, signal.default_int_handler)
    try:
        superset.start()
        client = superset.login_client()
        import_bundle(client, warehouse)
        dashboards = client.request("GET", "/api/v1/dashboard/?q=(columns:!(id,slug,dashboard_title))")["result"]
        log(f"Superset is up on {superset.url}  (its log: {superset.home / 'webserver.log'})")
        for board in dashboards:
            log(f"dashboard: {superset.url}/superset/dashboard/{board['slug'] or board['id']}/  ({board['dashboard_title']})")
        log(superset.login_hint())
        log("own logins: .venv/bin/python serving/superset/run.py user NAME  (docs/dashboards.md)")
        log(f"it reads {warehouse} read-only; Ctrl-C stops it")
        if superset.process.wait() != 0:
            raise SupersetError(f"Superset stopped with exit code {superset.process.returncode}; see {superset.home / 'webserver.log'}")
    except KeyboardInterrupt:
        pass
    finally:
        superset.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "command",
        nargs="?",
        choices=("serve", "export", "user"),
        default="serve",
        help="export: a running Superset's assets into this folder; user NAME: add a person's own login",
    )
    parser.add_argument("username", nargs="?", help="user: the new login's name")
    parser.add_argument("--role", default="Alpha", help="user: the Superset role (default Alpha: all data and charts, no user admin)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("SUPERSET_PORT", "8088")))
    args = parser.parse_args(argv)
    superset = Superset(home=PATHS.superset_home(), port=args.port)
    try:
        if args.command == "user":
            if not args.username:
                parser.error("user needs a NAME")
            superset.prepare()
            password = os.environ.get(USER_PASSWORD_ENV) or getpass.getpass(f"password for {args.username}: ")
            superset.add_user(args.username, args.role, password)
            log(f"added {args.username} ({args.role}); they log in on {superset.url}/login/")
        elif args.command == "export":
            written = export_bundle(superset.client(), served_db())
            log(f"wrote {len(written)} files under {HERE}/ from {superset.url}")
        else:
            serve(superset, served_db())
    except (SupersetError, OSError) as error:
        print(f"[superset] error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
