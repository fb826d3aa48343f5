"""Endpoint benchmarks (prints figures; not a test). Builds the reference store on disk, then:
1. light SELECT in-process (store.query + serialise) vs through the worker pool (kill machinery);
2. Flask request overhead (CPU per light request through the test client);
3. HTTP vs in-process latency for a ~10 ms+ query, against a gunicorn server.
Run: .venv/bin/python bench/http_sparql.py   (wrk, if installed, gives req/s under gunicorn)
"""
from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests"))
from conftest import build_ref_store, make_sparql_app  # noqa: E402

from kg import results  # noqa: E402
from kg.query_pool import QueryPool  # noqa: E402
from kg.results import Job  # noqa: E402
from kg.store import Store  # noqa: E402

LIGHT = "SELECT ?p ?o WHERE { <http://127.0.0.1:8080/id/state/albania> ?p ?o }"
HEAVY = "SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ?p ?o . ?o ?q ?r } GROUP BY ?s ORDER BY DESC(?n)"


def timed(fn, n):
    xs = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        xs.append(time.perf_counter() - t)
    return statistics.median(xs) * 1000


def main() -> None:
    d = tempfile.mkdtemp()
    build_ref_store(d)
    store = Store(d, read_only=True)
    job = Job(LIGHT, max_rows=10000, results_format="json")
    inproc = timed(lambda: results.run(store, job), 2000)
    pool = QueryPool(d, size=2)
    pooled = timed(lambda: pool.run(job, 30), 2000)
    print(f"light SELECT: in-process {inproc:.3f} ms, via worker pool {pooled:.3f} ms "
          f"-> kill machinery adds {pooled - inproc:.3f} ms")
    heavy = Job(HEAVY, results_format="json")  # the same work the HTTP answer does: run and serialise
    pool.close()

    app = make_sparql_app(d)
    c = app.test_client()
    c.post("/sparql", data={"query": LIGHT})
    n = 2000
    t0 = time.process_time()
    for i in range(n):
        c.post("/sparql", data={"query": LIGHT})
    cpu = (time.process_time() - t0) / n * 1000
    print(f"Flask request (test client, POST, pool): {cpu:.3f} ms CPU in the server process per light request "
          f"(query work runs in the workers)")
    app.extensions["kg_runner"].close()

    port = 18000 + os.getpid() % 1000
    env = dict(os.environ, KG_STORE_PATH=d, KG_RATE_LIMIT="0", KG_CACHE_MAX_BYTES="0")
    g = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", "2", "--threads", "4", "-b", f"127.0.0.1:{port}",
                          "server:create_app()"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/sparql"
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "?query=ASK%7B%7D").read()
                break
            except OSError:
                time.sleep(0.1)
        body = urllib.parse.urlencode({"query": HEAVY}).encode()
        ins, https = [], []
        for _ in range(30):  # interleaved, so both see the same machine load
            ins.append(timed(lambda: results.run(store, heavy), 1))
            https.append(timed(lambda: urllib.request.urlopen(url, data=body).read(), 1))
        h_in, h_http = statistics.median(ins), statistics.median(https)
        print(f"heavy query ({h_in:.1f} ms in-process, median of 30 interleaved runs): over HTTP {h_http:.1f} ms, "
              f"ratio {h_http / h_in:.2f}")
        if shutil.which("wrk"):
            q = urllib.parse.quote(LIGHT)
            out = subprocess.run(["wrk", "-t2", "-c8", "-d10s", f"{url}?query={q}"], capture_output=True, text=True)
            print("wrk light SELECT (cache off, gunicorn -w 2 --threads 4):",
                  next(ln for ln in out.stdout.splitlines() if "Requests/sec" in ln).strip())
    finally:
        g.terminate()
        g.wait()
        shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    main()
