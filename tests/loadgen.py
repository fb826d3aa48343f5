"""Load against a running osce-kg server: many keep-alive clients on the publisher mix while one
more client sends queries that run into the time limit. Shared by tests/test_resilience.py (a
short run) and bench/load.py (the full 60 s).
"""
from __future__ import annotations

import http.client
import random
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

# a query no store answers within a few seconds: a three-way cartesian product, counted
EXPENSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def mix_paths(state: str, person: str, release: str) -> list[tuple[str, str]]:
    """The publisher mix (path, Accept) for one State, person and release slug."""
    light = urllib.parse.quote(f"SELECT ?p ?o WHERE {{ <http://127.0.0.1:8080/id/state/{state}> ?p ?o }}")
    return [(f"/data/state/{state}.ttl", "text/turtle"), (f"/page/state/{state}", "text/html"),
            (f"/data/person/{person}.ttl", "text/turtle"), (f"/page/person/{person}", "text/html"),
            (f"/data/release/{release}.ttl", "text/turtle"), (f"/page/release/{release}", "text/html"),
            (f"/releases.json?state={state}", "application/json"), ("/releases.json?_size=20", "application/json"),
            ("/search.json?q=police", "application/json"), ("/", "text/html"),
            (f"/sparql?query={light}", "application/sparql-results+json")]


@dataclass
class LoadResult:
    """What the clients saw."""

    latencies: list[float] = field(default_factory=list)  # seconds, mix requests
    statuses: dict[int, int] = field(default_factory=dict)
    connection_errors: list[str] = field(default_factory=list)
    expensive: list[tuple[int, float]] = field(default_factory=list)  # (status, seconds) of each expensive query

    def percentile(self, p: float) -> float:
        """The p-th percentile of the mix latencies, seconds (nearest rank)."""
        xs = sorted(self.latencies)
        return xs[min(len(xs) - 1, max(0, round(p / 100 * len(xs) + 0.5) - 1))] if xs else float("nan")

    @property
    def server_errors(self) -> int:
        """Mix responses with a 5xx status."""
        return sum(n for s, n in self.statuses.items() if s >= 500)

    def summary(self) -> str:
        """One line of figures."""
        exp = [s for _, s in self.expensive]
        return (f"{len(self.latencies)} mix requests, statuses {dict(sorted(self.statuses.items()))}, "
                f"{len(self.connection_errors)} connection errors, p50 {self.percentile(50) * 1000:.0f} ms, "
                f"p99 {self.percentile(99) * 1000:.0f} ms; {len(exp)} expensive queries, statuses "
                f"{sorted({s for s, _ in self.expensive})}, longest {max(exp, default=0):.2f} s")


def _request(conn: http.client.HTTPConnection, method: str, path: str, accept: str, body: bytes | None = None):
    headers = {"Accept": accept}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=body, headers=headers)
    r = conn.getresponse()
    r.read()
    return r.status


def run_load(port: int, paths: list[tuple[str, str]], *, clients: int = 64, duration: float = 10,
             expensive_timeout: float = 2) -> LoadResult:
    """``clients`` threads send the mix for ``duration`` seconds while one thread sends
    :data:`EXPENSIVE` queries with ``timeout=expensive_timeout``, one after another."""
    result, lock = LoadResult(), threading.Lock()
    stop = time.monotonic() + duration

    def mix_client(seed: int) -> None:
        rnd = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.monotonic() < stop:
            path, accept = rnd.choice(paths)
            t0 = time.perf_counter()
            try:
                status = _request(conn, "GET", path, accept)
            except (OSError, http.client.HTTPException) as e:
                with lock:
                    result.connection_errors.append(f"{type(e).__name__}: {e}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                continue
            with lock:
                result.latencies.append(time.perf_counter() - t0)
                result.statuses[status] = result.statuses.get(status, 0) + 1
        conn.close()

    def expensive_client() -> None:
        body = urllib.parse.urlencode({"query": EXPENSIVE, "timeout": str(expensive_timeout)}).encode()
        while time.monotonic() < stop:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            t0 = time.perf_counter()
            try:
                status = _request(conn, "POST", "/sparql", "application/sparql-results+json", body)
            except (OSError, http.client.HTTPException) as e:
                with lock:
                    result.connection_errors.append(f"expensive: {type(e).__name__}: {e}")
                continue
            finally:
                conn.close()
            with lock:
                result.expensive.append((status, time.perf_counter() - t0))

    threads = [threading.Thread(target=mix_client, args=(i,), daemon=True) for i in range(clients)]
    threads.append(threading.Thread(target=expensive_client, daemon=True))
    for t in threads:
        t.start()
    for t in threads:
        t.join(duration + 120)
    return result
