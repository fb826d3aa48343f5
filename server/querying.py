"""Where a request's query runs, chosen once per process:

- an on-disk embedded store with ``QUERY_WORKERS`` > 0: the killable worker pool
  (:class:`kg.query_pool.QueryPool`), so the time limit really stops the work;
- a remote SPARQL store (:class:`kg.remote_store.RemoteStore`): the remote server runs the
  query and the HTTP client gives up at the deadline;
- otherwise (an in-memory store, or ``QUERY_WORKERS = 0``): in this process. pyoxigraph
  cannot be interrupted, so this mode is for tests and embedding, not a public endpoint.

A parsed result cache keyed by (job, dataset version) sits in front of all three.
"""
from __future__ import annotations

import atexit
import os
import threading

from flask import Flask, current_app

from kg import results
from kg.query_pool import QueryPool
from kg.results import Job, Outcome
from server.cache import ResultCache
from server.extension import get_store


class Runner:
    """Runs jobs for one process; the pool starts lazily (after any gunicorn fork)."""

    def __init__(self, app: Flask):
        self.workers = int(app.config["QUERY_WORKERS"])
        self.cache = ResultCache(int(app.config["CACHE_MAX_BYTES"]))
        self._pool: QueryPool | None = None
        self._pid = None
        self._lock = threading.Lock()

    def _pool_for(self, store) -> QueryPool | None:
        if self.workers <= 0 or getattr(store, "path", None) is None or not getattr(store, "read_only", False):
            return None
        with self._lock:
            if self._pool is None or self._pid != os.getpid():
                self._pool = QueryPool(store.path, size=self.workers, base_iri=store.dataset_iri[:-len("dataset")])
                self._pid = os.getpid()
                atexit.register(self._pool.close)
        return self._pool

    def run(self, job: Job, timeout: float, *, cache: bool) -> Outcome:
        """Run ``job`` within ``timeout`` seconds; reuse a cached answer for the same data.

        :raises kg.errors.QueryTimeout: the query ran out of time and was stopped.
        :raises kg.errors.QueryError: the query is malformed.
        """
        store = get_store()
        key = (job, store.version()) if cache else None
        if key is not None and (hit := self.cache.get(key)) is not None:
            return hit
        pool = self._pool_for(store)
        if pool is not None:
            outcome = pool.run(job, timeout)
        elif hasattr(store, "run"):
            outcome = store.run(job, timeout)
        else:
            outcome = results.run(store, job)
        if key is not None:
            self.cache.put(key, outcome)
        return outcome

    def close(self) -> None:
        """Stop the worker pool of this process."""
        if self._pool is not None:
            self._pool.close()
            self._pool = None


def init_app(app: Flask) -> None:
    """Register the per-process query runner."""
    app.extensions["kg_runner"] = Runner(app)


def get_runner() -> Runner:
    """The current app's :class:`Runner`."""
    return current_app.extensions["kg_runner"]
