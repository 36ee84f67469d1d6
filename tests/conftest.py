"""Shared fixtures: real SQLite files and a real PostgreSQL server started for the test run."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REQUIRE_POSTGRES = os.environ.get("GLOSSARY_REQUIRE_POSTGRES", "") not in ("", "0")
ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class PostgresServer:
    """A throwaway PostgreSQL cluster listening on 127.0.0.1."""

    port: int
    bindir: Path
    data: Path
    log: Path
    options: str

    def restart(self) -> None:
        """Stop the server at once (as a crash would) and start it again on the same port."""
        stop = ["-m", "immediate", "-w", "stop"]
        start = ["-l", str(self.log), "-o", self.options, "-w", "start"]
        for step in (stop, start):
            done = subprocess.run(_as_server_user([str(self.bindir / "pg_ctl"), "-D", str(self.data), *step]),
                                  capture_output=True, text=True, check=False)
            assert done.returncode == 0, done.stderr

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, template: str | None = None) -> str:
        import psycopg

        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url("postgres").replace("+psycopg", ""), autocommit=True) as conn:
            clause = f" TEMPLATE {template}" if template else ""
            conn.execute(f"CREATE DATABASE {name}{clause}")
        return name


def _pg_bindir() -> Path | None:
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        candidate = Path(out.stdout.strip())
        if (candidate / "initdb").exists():
            return candidate
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_server_user(cmd: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root; CI runs as root, so use the postgres system user there.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """Start PostgreSQL in a temporary data directory for the whole run (per xdist worker)."""
    bindir = _pg_bindir()
    if bindir is None or not (bindir / "pg_ctl").exists():
        reason = "PostgreSQL server binaries (initdb, pg_ctl) not found on PATH or via pg_config"
        if REQUIRE_POSTGRES:
            pytest.fail(f"{reason}; GLOSSARY_REQUIRE_POSTGRES is set")
        pytest.skip(reason)
    base = Path(tempfile.mkdtemp(prefix="glossary-pg-"))
    base.chmod(0o755)
    data, log = base / "data", base / "server.log"
    if os.geteuid() == 0:
        shutil.chown(base, user="postgres")
    port = _free_port()
    run = lambda cmd: subprocess.run(_as_server_user(cmd), capture_output=True, text=True, check=False)  # noqa: E731
    init = run([str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                "--locale=C.UTF-8", "--no-sync"])
    if init.returncode != 0:
        pytest.fail(f"initdb failed: {init.stderr.strip()}")
    options = (f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off "
               "-c full_page_writes=off -c synchronous_commit=off -c max_connections=400")
    start = run([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "start"])
    if start.returncode != 0:
        detail = log.read_text(errors="replace")[-2000:] if log.exists() else start.stderr
        pytest.fail(f"PostgreSQL did not start: {detail}")
    try:
        yield PostgresServer(port=port, bindir=bindir, data=data, log=log, options=options)
    finally:
        run([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"])
        shutil.rmtree(base, ignore_errors=True)


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(autouse=True)
def _isolated_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test has its own cache folder (memory indexes and stored recognizers of server
    databases live there)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    yield


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new, empty database (no tables) on each backend: the first command seeds it."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'glossary.db'}"
    server: PostgresServer = request.getfixturevalue("pg_server")
    return server.url(server.create_database())


@pytest.fixture(scope="session")
def _seeded_templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Seed once per run: an SQLite file to copy and, lazily, a PostgreSQL template database."""
    from glossary.workspace import Workspace

    folder = tmp_path_factory.mktemp("seeded")
    Workspace(f"sqlite:///{folder / 'glossary.db'}").close()
    return {"sqlite": folder}


@pytest.fixture(params=BACKENDS)
def seeded_db_url(
    request: pytest.FixtureRequest, tmp_path: Path, _seeded_templates: dict[str, object]
) -> str:
    """A database holding the bundled data, copied from a template seeded once per run."""
    if request.param == "sqlite":
        target = tmp_path / "seeded"
        shutil.copytree(_seeded_templates["sqlite"], target)  # type: ignore[arg-type]
        return f"sqlite:///{target / 'glossary.db'}"
    server: PostgresServer = request.getfixturevalue("pg_server")
    if "postgresql" not in _seeded_templates:
        from glossary.workspace import Workspace

        template = server.create_database()
        Workspace(server.url(template)).close()
        _seeded_templates["postgresql"] = template
    return server.url(server.create_database(template=str(_seeded_templates["postgresql"])))
