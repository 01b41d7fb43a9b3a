"""Database fixtures: every storage/review test runs on SQLite and on a real PostgreSQL.

The PostgreSQL server is started once per test process (per xdist worker) with Debian's ``initdb`` /
``pg_ctl`` in a temporary directory, listening only on 127.0.0.1 at a free port, with fsync off (a
test cluster), and stopped and deleted at the end. As root it runs as the ``postgres`` user (PostgreSQL
refuses to run as root). Without the binaries the PostgreSQL half is skipped — except when
REQUIRE_POSTGRES=1 (as .ci/run sets), where a missing server is a failure.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard.serving.supervisor import free_port
from tests.bounds import SUBPROCESS_TIMEOUT_S

ENGINES = ("sqlite", "postgresql")


def pg_bin_dir() -> Path | None:
    """Where initdb and pg_ctl are: $PG_BIN, Debian's newest /usr/lib/postgresql/N/bin, or PATH."""
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class PostgresServer:
    """A throw-away PostgreSQL cluster on loopback."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="kcf-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self.user: str | None = None
        if os.geteuid() == 0:
            try:
                entry = pwd.getpwnam("postgres")
            except KeyError:
                raise RuntimeError("running as root, but there is no 'postgres' user to run PostgreSQL as") from None
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
            self.user = "postgres"

    def _run(self, *args: str) -> None:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self.user:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        result = subprocess.run(
            cmd, capture_output=True, text=True, timeout=SUBPROCESS_TIMEOUT_S, check=False, cwd=self.root
        )
        if result.returncode != 0:
            raise RuntimeError(f"{args[0]} failed ({result.returncode}): {result.stdout}\n{result.stderr}")

    def start(self) -> None:
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "-N")
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories={self.root} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60"
        )
        wait = ("-w", "-t", str(SUBPROCESS_TIMEOUT_S))
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.root / "log"), *wait, "start")

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True) as c:
            c.execute(sql)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    bindir = pg_bin_dir()
    if bindir is None or not (bindir / "pg_ctl").exists():
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail("REQUIRE_POSTGRES=1 but no PostgreSQL binaries (initdb, pg_ctl) were found")
        pytest.skip("no PostgreSQL binaries (apt-get install postgresql); set REQUIRE_POSTGRES=1 to fail instead")
    server = PostgresServer(bindir)
    server.start()
    try:
        yield server
    finally:
        from dashboard.submissions.store import dispose_all

        dispose_all()
        server.stop()


@pytest.fixture
def pg_database(postgres_server: PostgresServer) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test; dropped afterwards."""
    name = "t_" + uuid.uuid4().hex[:12]
    postgres_server.admin(f"CREATE DATABASE {name}")
    yield postgres_server.url(name)
    from dashboard.submissions.store import dispose_all

    dispose_all()
    postgres_server.admin(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture(params=ENGINES)
def db_url(request, tmp_path, monkeypatch) -> str:
    """An empty submissions database on each engine, also set as CLINIC_FINDER_DATABASE_URL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'var' / 'submissions.sqlite3'}"
    else:
        url = request.getfixturevalue("pg_database")
    monkeypatch.setenv("CLINIC_FINDER_DATABASE_URL", url)
    return url


@pytest.fixture
def sqlite_url(tmp_path, monkeypatch) -> str:
    """An SQLite submissions database (for page tests that need only one engine)."""
    url = f"sqlite:///{tmp_path / 'var' / 'submissions.sqlite3'}"
    monkeypatch.setenv("CLINIC_FINDER_DATABASE_URL", url)
    return url
