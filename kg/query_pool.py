"""A pool of pre-started worker processes that run untrusted SPARQL and can be killed.

pyoxigraph cannot cancel a query (a GROUP BY or ORDER BY does all its work inside
``Store.query()``), so a query with a time limit runs in a worker process that holds its own
read-only handle on the on-disk store. The parent sends the :class:`~kg.results.Job` over a
pipe and waits for the serialised answer until the deadline; a worker that overruns is killed
(SIGKILL) and a fresh one is started in the background, so the other workers keep answering.

Messages on the pipes are a 4-byte big-endian length followed by a pickle. Workers are warm:
they start once, open the store once and loop, so a light query costs two pipe round trips.
"""
from __future__ import annotations

import os
import pickle
import queue
import select
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

from kg.errors import QueryError, QueryTimeout, StoreError
from kg.results import Job, Outcome

_LEN = struct.Struct(">I")


class PoolBusy(StoreError):
    """Every worker stayed busy for the whole time a query was allowed to wait."""


class _Overrun(Exception):
    """The worker did not answer before the deadline."""


class _Worker:
    """One worker process and the parent's ends of its pipes."""

    def __init__(self, path: str, base_iri: str):
        self.proc = subprocess.Popen([sys.executable, "-m", "kg.query_pool", path, base_iri],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, close_fds=True)
        self.wfd = self.proc.stdin.fileno()
        self.rfd = self.proc.stdout.fileno()

    def send(self, obj) -> None:
        data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
        _write_all(self.wfd, _LEN.pack(len(data)) + data)

    def receive(self, deadline: float | None):
        head = self._read(_LEN.size, deadline)
        return pickle.loads(self._read(_LEN.unpack(head)[0], deadline))

    def _read(self, n: int, deadline: float | None) -> bytes:
        chunks, got = [], 0
        while got < n:
            if deadline is not None:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not select.select([self.rfd], [], [], remaining)[0]:
                    raise _Overrun()
            chunk = os.read(self.rfd, min(n - got, 1 << 20))
            if not chunk:
                raise EOFError("query worker exited")
            chunks.append(chunk)
            got += len(chunk)
        return b"".join(chunks)

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait()
        self.proc.stdin.close()
        self.proc.stdout.close()


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


class QueryPool:
    """``size`` warm worker processes over the store directory ``path`` (opened read-only).

    :param path: an on-disk store that no process is writing.
    :param size: number of workers (queries that can run at once).
    :param base_iri: the dataset's base IRI (see :class:`kg.store.Store`).
    :raises StoreError: when a worker cannot open the store.
    """

    def __init__(self, path: str | os.PathLike, *, size: int = 2, base_iri: str = "http://127.0.0.1:8080/"):
        self.path, self.base_iri, self.size = str(Path(path).resolve()), base_iri, size
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(size):
            self._idle.put(self._start())

    def _start(self) -> _Worker:
        w = _Worker(self.path, self.base_iri)
        try:
            status, detail = w.receive(time.monotonic() + 60)
        except (EOFError, _Overrun) as e:
            w.kill()
            raise StoreError(f"query worker could not start on {self.path}") from e
        if status != "ready":
            w.kill()
            raise StoreError(detail)
        with self._lock:
            self._all.add(w)
        return w

    def _replace(self, dead: _Worker) -> None:
        """Kill ``dead`` and start a replacement in the background."""
        with self._lock:
            self._all.discard(dead)

        def work():
            dead.kill()
            if not self._closed:
                self._idle.put(self._start())
        threading.Thread(target=work, daemon=True, name="query-worker-restart").start()

    def run(self, job: Job, timeout: float) -> Outcome:
        """Run ``job`` in a worker; kill the worker when it is not done after ``timeout`` seconds.

        :raises QueryTimeout: the query ran out of time (its worker was killed).
        :raises PoolBusy: no worker became free within ``timeout``.
        :raises QueryError: the query is malformed.
        :raises StoreError: the worker failed.
        """
        deadline = time.monotonic() + timeout
        try:
            w = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise PoolBusy(f"all {self.size} query workers stayed busy for {timeout:g} s; try again later") from None
        try:
            w.send(job)
            status, payload = w.receive(deadline)
        except _Overrun:
            self._replace(w)
            raise QueryTimeout(f"the query did not finish within {timeout:g} s and was stopped") from None
        except (EOFError, OSError) as e:
            self._replace(w)
            raise StoreError(f"the query worker failed: {e}") from None
        self._idle.put(w)
        if status == "ok":
            return payload
        raise (QueryError if status == "query-error" else StoreError)(payload)

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        with self._lock:
            workers, self._all = list(self._all), set()
        for w in workers:
            w.kill()


def _serve(path: str, base_iri: str) -> None:
    """Worker main loop: open the store read-only, then answer jobs until stdin closes."""
    from kg import results
    from kg.store import Store

    rfd, wfd = sys.stdin.fileno(), os.dup(sys.stdout.fileno())
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # stray prints must not corrupt the pipe

    def reply(obj) -> None:
        data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
        _write_all(wfd, _LEN.pack(len(data)) + data)

    def read(n: int) -> bytes:
        buf = b""
        while len(buf) < n:
            chunk = os.read(rfd, n - len(buf))
            if not chunk:
                raise SystemExit(0)
            buf += chunk
        return buf

    try:
        store = Store(path, read_only=True, base_iri=base_iri)
    except StoreError as e:
        reply(("error", str(e)))
        return
    reply(("ready", None))
    while True:
        job = pickle.loads(read(_LEN.unpack(read(_LEN.size))[0]))
        try:
            reply(("ok", results.run(store, job)))
        except QueryError as e:
            reply(("query-error", str(e)))
        except Exception as e:  # noqa: BLE001 - reported to the parent, which maps it to 503
            reply(("error", f"{type(e).__name__}: {e}"))


if __name__ == "__main__":
    _serve(sys.argv[1], sys.argv[2])
