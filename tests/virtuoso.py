"""A private Virtuoso (Debian virtuoso-opensource) on free loopback ports, for tests and benchmarks.

    with Virtuoso(tmpdir, buffers=340000) as v:
        v.bulk_load(data_dir, "*.nq", "urn:default")
        requests.get(v.sparql_url, ...)

The configuration is the tested one of the design notes (tech-notes §4); ``buffers`` scales the
page cache (20,000 for a few thousand triples, 340,000 for 2.6M). The server is stopped through
isql and, if it does not exit, killed by the PID it wrote into its lock file.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

INI = """[Database]
DatabaseFile={d}/virtuoso.db
ErrorLogFile={d}/virtuoso.log
LockFile={d}/virtuoso.lck
TransactionFile={d}/virtuoso.trx
xa_persistent_file={d}/virtuoso.pxa
TempStorage=TempDatabase
[TempDatabase]
DatabaseFile={d}/virtuoso-temp.db
TransactionFile={d}/virtuoso-temp.trx
[Parameters]
ServerPort=127.0.0.1:{sql}
DisableUnixSocket=1
CaseMode=2
DirsAllowed=., {d}, {dirs}/usr/share/virtuoso-opensource-7/vad
VADInstallDir=/usr/share/virtuoso-opensource-7/vad/
NumberOfBuffers={buffers}
MaxDirtyBuffers={dirty}
ThreadsPerQuery=2
[HTTPServer]
ServerPort=127.0.0.1:{http}
ServerRoot=/var/lib/virtuoso-opensource-7/vsp
ServerThreads=10
[SPARQL]
ResultSetMaxRows=1000000
MaxQueryExecutionTime={max_time}
"""


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Virtuoso:
    """One Virtuoso server whose database lives in ``directory``.

    :param directory: an empty directory for the database, log and ini.
    :param buffers: ``NumberOfBuffers`` (8 KB pages kept in memory).
    :param data_dirs: directories the loader may read (``DirsAllowed``).
    :param max_time: ``MaxQueryExecutionTime`` in seconds.
    """

    def __init__(self, directory: str | os.PathLike, *, buffers: int = 20000, data_dirs: tuple[str, ...] = (),
                 max_time: int = 60):
        self.dir = Path(directory)
        self.sql_port, self.http_port = free_port(), free_port()
        self.buffers, self.data_dirs, self.max_time = buffers, data_dirs, max_time
        self.pid: int | None = None

    @property
    def sparql_url(self) -> str:
        """The server's SPARQL endpoint."""
        return f"http://127.0.0.1:{self.http_port}/sparql"

    def start(self) -> None:
        """Write the ini and start the server; return when it accepts connections.

        :raises RuntimeError: when ``virtuoso-t`` is missing or does not start.
        """
        if not shutil.which("virtuoso-t"):
            raise RuntimeError("virtuoso-t missing: run scripts/install-system-deps.sh")
        self.dir.mkdir(parents=True, exist_ok=True)
        dirs = "".join(f"{d}, " for d in self.data_dirs)
        (self.dir / "virtuoso.ini").write_text(INI.format(d=self.dir, sql=self.sql_port, http=self.http_port,
                                                          dirs=dirs, buffers=self.buffers,
                                                          dirty=self.buffers * 3 // 4, max_time=self.max_time))
        out = subprocess.run(["virtuoso-t", "+configfile", str(self.dir / "virtuoso.ini"), "+wait"], cwd=self.dir,
                             timeout=180, capture_output=True, text=True)
        self.pid = self._lock_pid()
        if out.returncode != 0:
            self.stop()
            raise RuntimeError(f"virtuoso-t failed: {out.stdout}{out.stderr}")

    def _lock_pid(self) -> int | None:
        try:
            m = re.search(r"VIRT_PID=(\d+)", (self.dir / "virtuoso.lck").read_text())
        except OSError:
            return None
        return int(m.group(1)) if m else None

    def isql(self, command: str, *, timeout: float = 600) -> str:
        """Run SQL through ``isql-vt`` as dba; return its output.

        :raises RuntimeError: when isql reports an error.
        """
        out = subprocess.run(["isql-vt", f"127.0.0.1:{self.sql_port}", "dba", "dba", f"exec={command}"],
                             capture_output=True, text=True, timeout=timeout)
        if out.returncode != 0 or "*** Error" in out.stdout + out.stderr:
            raise RuntimeError(out.stdout + out.stderr)
        return out.stdout

    def load_file(self, path: str | os.PathLike, graph: str) -> None:
        """Load one Turtle/N-Triples file into ``graph`` (its directory must be in DirsAllowed)."""
        self.isql(f"DB.DBA.TTLP_MT(file_to_string_output('{Path(path).resolve()}'), '', '{graph}');")

    def bulk_load(self, directory: str | os.PathLike, pattern: str, graph: str) -> None:
        """Bulk-load the files matching ``pattern`` in ``directory`` (N-Quads keep their graphs;
        triples go to ``graph``), then checkpoint."""
        self.isql(f"ld_dir('{Path(directory).resolve()}', '{pattern}', '{graph}'); rdf_loader_run(); checkpoint;",
                  timeout=3600)

    def stop(self) -> None:
        """Shut the server down (isql ``shutdown``, then SIGKILL by PID after 30 s)."""
        try:
            subprocess.run(["isql-vt", f"127.0.0.1:{self.sql_port}", "dba", "dba", "exec=shutdown;"],
                           capture_output=True, timeout=60)
        except subprocess.TimeoutExpired:
            pass
        deadline = time.monotonic() + 30
        while (self.dir / "virtuoso.lck").exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        if self.pid and (self.dir / "virtuoso.lck").exists():
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def rss_mb(self) -> float | None:
        """The server's resident memory in MB (None when unknown)."""
        try:
            for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        except (OSError, TypeError):
            return None
        return None

    def __enter__(self) -> "Virtuoso":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
