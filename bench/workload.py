"""The publisher workload and ad hoc SPARQL, over HTTP, against osce-kg, Virtuoso and rdflib in ONE run.

    python -m bench.workload --store bench/out/store-100000 [--systems ours,virtuoso,rdflib]

The store is one built by ``bench.ingest_speed``. Its N-Quads export is loaded into a private
Virtuoso (tests/virtuoso.py, the tested config) and, when asked, into the rdflib baseline
(bench/rdflib_endpoint.py), so all three hold the same quads. Then, per system:

1. every workload item alone (1 client): p50/p95 over repeats (at least 3, at most 20, at most
   ~8 s per item);
2. the publisher items as a mix at 1, 8 and 64 concurrent keep-alive clients for ``--duration``
   seconds each: p50/p95/p99, throughput, errors.

Publisher items go to osce-kg as the pages and listings a visitor requests (GET); Virtuoso and
rdflib have no pages, so they get the SPARQL a publisher on them would run for the same content
(several queries for a listing with facet counts, timed together). Ad hoc queries are the same
text for all three, sent by POST (osce-kg's answer cache only serves GET). The load generator is
Python threads on the same 2 cores as the servers: figures are comparable within the run, not
absolute. Every loop is bounded in count and time; every process started is stopped on exit.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from virtuoso import Virtuoso, free_port  # noqa: E402

BASE = "http://127.0.0.1:8080/"
OUT = Path(__file__).parent / "out"
PREFIX = ("PREFIX osce: <http://127.0.0.1:8080/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
          "PREFIX org: <http://www.w3.org/ns/org#> PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/> ")
ID = BASE + "id/"
JSON = "application/sparql-results+json"
NT = "application/n-triples, text/plain;q=0.9, text/turtle;q=0.8"


@dataclass
class Item:
    """One workload item: the request osce-kg gets and the SPARQL the others get for the same content."""

    name: str
    group: str  # "publisher" or "adhoc"
    ours: tuple[str, str, bytes | None, str]  # method, path, body, accept
    sparql: list[str] = field(default_factory=list)
    aggregation: bool = False


def deref_query(iri: str) -> str:
    """What a linked-data document holds: outgoing statements and one page (100) of incoming links."""
    return (f"CONSTRUCT {{ <{iri}> ?p ?o . ?s ?q <{iri}> }} WHERE {{ {{ <{iri}> ?p ?o }} UNION "
            f"{{ SELECT ?s ?q WHERE {{ ?s ?q <{iri}> }} LIMIT 100 }} }}")


def post(query: str, accept: str = JSON) -> tuple[str, str, bytes, str]:
    """An osce-kg ``/sparql`` form POST."""
    return ("POST", "/sparql", urllib.parse.urlencode({"query": query}).encode(), accept)


def items(index_path: Path) -> list[Item]:
    """The workload, with a hub State, the most mentioned person and the newest release of this store."""
    db = sqlite3.connect(f"file:{index_path}?mode=ro", uri=True)
    person = db.execute("SELECT value FROM links WHERE facet='person' GROUP BY value ORDER BY COUNT(*) DESC "
                        "LIMIT 1").fetchone()[0]
    release = db.execute("SELECT iri FROM releases ORDER BY date DESC, slug DESC LIMIT 1").fetchone()[0]
    db.close()
    ua, rs, md = ID + "state/ukraine", ID + "state/serbia", ID + "state/moldova"
    listing = [
        PREFIX + f"SELECT ?r ?t ?d WHERE {{ ?r a osce:Release ; osce:mentions <{ua}> ; osce:headline ?t ; "
        "osce:datePublished ?d FILTER(YEAR(?d) = 2015) } ORDER BY DESC(?d) LIMIT 50",
        PREFIX + f"SELECT (COUNT(?r) AS ?n) WHERE {{ ?r a osce:Release ; osce:mentions <{ua}> ; "
        "osce:datePublished ?d FILTER(YEAR(?d) = 2015) }",
        PREFIX + f"SELECT ?v (COUNT(DISTINCT ?r) AS ?n) WHERE {{ ?r a osce:Release ; osce:mentions <{ua}> ; "
        "osce:datePublished ?d FILTER(YEAR(?d) = 2015) ?r osce:mentions|osce:fieldOfWork|osce:publishedBy|"
        "osce:contentType ?v } GROUP BY ?v ORDER BY DESC(?n) LIMIT 100"]
    out = []
    for kind, iri in (("State", ua), ("person", person), ("release", release)):
        path = iri[len(BASE) - 1:].replace("/id/", "/data/", 1)
        out.append(Item(f"{kind} RDF ({path.rsplit('/', 1)[1]})", "publisher", ("GET", path + ".ttl", None, "*/*"),
                        [deref_query(iri)]))
        out.append(Item(f"{kind} HTML", "publisher", ("GET", path.replace("/data/", "/page/"), None, "text/html"),
                        [deref_query(iri)]))
    out += [
        Item("listing State+year, facets", "publisher", ("GET", "/releases.json?state=ukraine&year=2015", None,
                                                         "application/json"), listing),
        Item("latest 20 releases", "publisher", ("GET", "/releases.json?_size=20", None, "application/json"),
             [PREFIX + "SELECT ?r ?t ?d WHERE { ?r a osce:Release ; osce:headline ?t ; osce:datePublished ?d } "
              "ORDER BY DESC(?d) LIMIT 20"]),
        Item("search 'police'", "publisher", ("GET", "/search.json?q=police", None, "application/json"),
             [PREFIX + "SELECT ?r ?t WHERE { ?r a osce:Release ; osce:headline ?t ; osce:body ?b "
              "FILTER(CONTAINS(LCASE(?b), \"police\")) } LIMIT 20"]),
    ]
    adhoc = [
        ("A1 releases per State per year", True, "SELECT ?s ?y (COUNT(?r) AS ?n) WHERE { ?r a osce:Release ; "
         "osce:mentions ?s ; osce:datePublished ?d . ?s a osce:ParticipatingState BIND(YEAR(?d) AS ?y) } "
         "GROUP BY ?s ?y ORDER BY ?s ?y"),
        ("A2 co-mentions of two States", True, "SELECT ?a ?b (COUNT(?r) AS ?n) WHERE { ?r osce:mentions ?a, ?b . "
         "?a a osce:ParticipatingState . ?b a osce:ParticipatingState FILTER(STR(?a) < STR(?b)) } "
         "GROUP BY ?a ?b ORDER BY DESC(?n) ?a ?b LIMIT 20"),
        ("A3 releases per field of work", True, "SELECT ?f (COUNT(?r) AS ?n) WHERE { ?r osce:fieldOfWork ?f } "
         "GROUP BY ?f ORDER BY DESC(?n) ?f"),
        ("A4 people at events about Ukraine (2 hops)", False, f"SELECT DISTINCT ?p ?name WHERE {{ ?r osce:mentions "
         f"<{ua}> ; osce:about ?e . ?e sem:hasActor ?p . ?p rdfs:label ?name }} ORDER BY ?p LIMIT 100"),
        ("A5 people per event type (2 hops)", True, "SELECT ?type (COUNT(DISTINCT ?p) AS ?people) WHERE { "
         "?e a osce:Event, ?type ; sem:hasActor ?p . ?p a osce:Person } GROUP BY ?type ORDER BY ?type"),
        ("A6 ORDER BY date LIMIT 20 (Serbia)", False, f"SELECT ?r ?d WHERE {{ ?r osce:mentions <{rs}> ; "
         "osce:datePublished ?d } ORDER BY DESC(?d) ?r LIMIT 20"),
        ("A7 FILTER CONTAINS on titles", False, "SELECT ?r ?t WHERE { ?r osce:headline ?t "
         "FILTER(CONTAINS(?t, \"elections\")) } ORDER BY ?r LIMIT 100"),
        ("A8 CONSTRUCT releases about Moldova", False, f"CONSTRUCT {{ ?r osce:headline ?t ; osce:datePublished ?d }} "
         f"WHERE {{ ?r osce:mentions <{md}> ; osce:headline ?t ; osce:datePublished ?d }}"),
    ]
    for name, agg, q in adhoc:
        accept = NT if q.startswith("CONSTRUCT") else JSON
        out.append(Item(name, "adhoc", post(PREFIX + q, accept), [PREFIX + q], aggregation=agg))
    return out


class System:
    """A running server and how to send it an item."""

    def __init__(self, name: str, port: int, sparql_path: str = "/sparql"):
        self.name, self.port, self.sparql_path = name, port, sparql_path

    def requests(self, item: Item) -> list[tuple[str, str, bytes | None, str]]:
        """The HTTP requests that make up ``item`` on this system."""
        if self.name == "osce-kg":
            return [item.ours]
        return [("POST", self.sparql_path, urllib.parse.urlencode({"query": q}).encode(),
                 NT if q.replace(PREFIX, "").lstrip().startswith("CONSTRUCT") else JSON) for q in item.sparql]


class Client:
    """One keep-alive HTTP connection."""

    def __init__(self, port: int, timeout: float = 120):
        self.port, self.timeout, self.conn = port, timeout, None

    def send(self, method: str, path: str, body: bytes | None, accept: str) -> tuple[int, int]:
        """Send one request; return (status, body length). Reconnects once on a dropped connection."""
        headers = {"Accept": accept}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                r = self.conn.getresponse()
                data = r.read()
                if r.getheader("Connection", "").lower() == "close":
                    self.close()
                return r.status, len(data)
            except (http.client.HTTPException, ConnectionError):
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        """Close the connection."""
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def run_item(system: System, client: Client, item: Item) -> tuple[float, int, int]:
    """Send every request of ``item``; return (seconds, worst status, bytes)."""
    t0, worst, size = time.perf_counter(), 200, 0
    for req in system.requests(item):
        status, n = client.send(*req)
        worst, size = max(worst, status), size + n
    return time.perf_counter() - t0, worst, size


def pct(xs: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of ``xs``."""
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, round(p / 100 * len(xs) + 0.5) - 1))] if xs else float("nan")


def single(system: System, work: list[Item], max_s: float = 8,
           timeout: float = 120) -> dict[str, tuple[float, float, int, int, float]]:
    """Each item alone: name -> (p50 ms, p95 ms, status, bytes, first ms); the first request
    (cold: no cache holds its answer yet) is timed apart. A request that takes longer than
    ``timeout`` seconds is recorded as status 0 with that time."""
    out = {}
    for item in work:
        c, times, status, size, first = Client(system.port, timeout), [], 0, 0, 0.0
        t_end = time.monotonic() + max_s
        for rep in range(21):  # the first one warms up and is not timed
            if rep > 2 and time.monotonic() >= t_end:
                break
            try:
                s, st, size = run_item(system, c, item)
            except OSError:
                s, st = timeout, 0
                c.close()
            if not rep:
                first = s * 1000
            if rep or st == 0 or st >= 500:
                status = st if st == 0 or status == 0 else max(status, st)
                times.append(s * 1000)
            if st == 0 or st >= 500:  # timed out or stopped by the server's limit: do not wait again
                break
        out[item.name] = (statistics.median(times), pct(times, 95), status, size, first)
        c.close()
    return out


def mix(system: System, work: list[Item], clients: int, duration: float) -> dict:
    """The mix at ``clients`` concurrent connections for ``duration`` seconds."""
    lat: list[float] = []
    errors = {"5xx": 0, "4xx": 0, "conn": 0}
    lock = threading.Lock()
    stop = time.monotonic() + duration

    def worker(seed: int) -> None:
        rnd, c = random.Random(seed), Client(system.port)
        order = list(work)
        while time.monotonic() < stop:
            rnd.shuffle(order)
            for item in order:
                if time.monotonic() >= stop:
                    break
                try:
                    s, status, _ = run_item(system, c, item)
                except OSError:
                    with lock:
                        errors["conn"] += 1
                    continue
                with lock:
                    lat.append(s * 1000)
                    if status >= 500:
                        errors["5xx"] += 1
                    elif status >= 400:
                        errors["4xx"] += 1
        c.close()

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(clients)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(duration + 180)
    elapsed = time.monotonic() - t0
    return {"clients": clients, "n": len(lat), "rps": len(lat) / elapsed, "p50": pct(lat, 50), "p95": pct(lat, 95),
            "p99": pct(lat, 99), **errors}


def wait_http(port: int, path: str, limit_s: float, proc: subprocess.Popen | None = None) -> None:
    """Wait until ``GET path`` answers (any status below 500).

    :raises RuntimeError: after ``limit_s`` seconds, or when ``proc`` exits.
    """
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server on port {port} exited with {proc.returncode}")
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("GET", path)
            if c.getresponse().status < 500:
                c.close()
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"nothing answered on port {port} within {limit_s:g} s")


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, MB."""
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
            for tid in os.listdir(f"/proc/{p}/task"):
                todo += [int(c) for c in Path(f"/proc/{p}/task/{tid}/children").read_text().split()]
        except OSError:
            continue
    return total


def start_ours(store: Path, port: int) -> subprocess.Popen:
    """``osce-kg serve`` (gunicorn, 2 workers) over ``store``, rate limit off."""
    cmd = [str(Path(sys.executable).with_name("osce-kg")), "serve", "--store", str(store), "--base", BASE,
           "--port", str(port), "--workers", "2", "--rate-limit", "0"]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def start_rdflib(nq: Path, port: int) -> subprocess.Popen:
    """The rdflib baseline under gunicorn (1 worker: one in-memory copy)."""
    env = dict(os.environ, RDFLIB_NQ=str(nq))
    cmd = [sys.executable, "-m", "gunicorn", "-w", "1", "--threads", "4", "--timeout", "600", "-b",
           f"127.0.0.1:{port}", "bench.rdflib_endpoint:app"]
    return subprocess.Popen(cmd, env=env, cwd=Path(__file__).parent.parent, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)


def stop(proc: subprocess.Popen | None) -> None:
    """SIGTERM the process group this script started, SIGKILL after 20 s."""
    if proc is None or proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def export(store: Path) -> Path:
    """The store's N-Quads export, alone in its directory (for Virtuoso's ld_dir), made once."""
    d = OUT / f"nq-{store.name}"
    nq = d / "kg.nq"
    if not nq.exists():
        d.mkdir(parents=True, exist_ok=True)
        subprocess.run([str(Path(sys.executable).with_name("osce-kg")), "export", "-o", str(nq) + ".tmp",
                        "--store", str(store), "--base", BASE], check=True, timeout=1800)
        os.replace(str(nq) + ".tmp", nq)
    return nq


def main() -> None:
    """Start the systems, run the workload, print the tables, stop everything."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--systems", default="ours,virtuoso,rdflib")
    ap.add_argument("--duration", type=float, default=10, help="seconds per concurrency level")
    ap.add_argument("--clients", default="1,8,64")
    args = ap.parse_args()
    systems = args.systems.split(",")
    work = items(Path(f"{args.store}.index.sqlite"))
    nq = export(args.store)
    procs: dict[str, subprocess.Popen] = {}
    virt: Virtuoso | None = None
    results: dict[str, dict] = {}
    try:
        load = {}
        if "ours" in systems:
            port = free_port()
            t0 = time.monotonic()
            procs["osce-kg"] = start_ours(args.store, port)
            wait_http(port, "/sparql?query=ASK%7B%7D", 600, procs["osce-kg"])
            load["osce-kg"] = (System("osce-kg", port), time.monotonic() - t0, lambda: tree_rss_mb(procs["osce-kg"].pid))
        if "virtuoso" in systems:
            virt = Virtuoso(OUT / f"virtuoso-{args.store.name}", buffers=340000, data_dirs=(str(nq.parent),))
            subprocess.run(["rm", "-rf", str(virt.dir)], check=True)
            t0 = time.monotonic()
            virt.start()
            virt.bulk_load(nq.parent, "kg.nq", "urn:default")
            load["Virtuoso"] = (System("Virtuoso", virt.http_port), time.monotonic() - t0, virt.rss_mb)
        if "rdflib" in systems:
            port = free_port()
            t0 = time.monotonic()
            procs["rdflib"] = start_rdflib(nq, port)
            wait_http(port, "/sparql", 3600, procs["rdflib"])
            load["rdflib"] = (System("rdflib", port), time.monotonic() - t0, lambda: tree_rss_mb(procs["rdflib"].pid))
        for name, (system, startup, rss) in load.items():
            print(f"# {name}: ready in {startup:.1f} s", flush=True)
            per_item = single(system, work)
            publisher = [i for i in work if i.group == "publisher"]
            levels = [mix(system, publisher, int(c), args.duration) for c in args.clients.split(",")]
            results[name] = {"items": per_item, "mix": levels, "startup_s": startup, "rss_mb": rss()}
            print(f"# {name}: done, RSS {results[name]['rss_mb']:.0f} MB", flush=True)
    finally:
        for p in procs.values():
            stop(p)
        if virt is not None:
            virt.stop()
    report(work, results, args.store)


def report(work: list[Item], results: dict, store: Path) -> None:
    """Print the tables (Markdown) and save the raw figures as JSON beside the store."""
    names = list(results)
    (OUT / f"workload-{store.name}.json").write_text(json.dumps(results, indent=1))
    head = "| item | " + " | ".join(f"{n} p50 / p95 (first) ms" for n in names)
    ratios = [n for n in names if n != "osce-kg"] if "osce-kg" in names else []
    head += "".join(f" | {n} ÷ osce-kg (p50)" for n in ratios) + " |"
    print(f"\n## Each item alone, 1 client ({store.name})\n\n{head}\n|" + "---|" * (head.count("|") - 1))
    for item in work:
        cells = []
        for n in names:
            p50, p95, status, _, first = results[n]["items"][item.name]
            cells.append(f"{p50:,.1f} / {p95:,.1f} ({first:,.0f})" + ("" if 0 < status < 400 else
                                                      " (timed out)" if status == 0 else f" (HTTP {status})"))
        for n in ratios:
            cells.append(f"{results[n]['items'][item.name][0] / results['osce-kg']['items'][item.name][0]:,.2f}")
        print(f"| {item.name}{' (aggregation)' if item.aggregation else ''} | " + " | ".join(cells) + " |")
    print("\n## The publisher mix at 1, 8 and 64 concurrent clients\n\n| system | clients | requests | req/s | p50 ms | p95 ms "
          "| p99 ms | 5xx | 4xx | conn errors |\n|---|---|---|---|---|---|---|---|---|---|")
    for n in names:
        for m in results[n]["mix"]:
            print(f"| {n} | {m['clients']} | {m['n']} | {m['rps']:,.1f} | {m['p50']:,.1f} | {m['p95']:,.1f} | "
                  f"{m['p99']:,.1f} | {m['5xx']} | {m['4xx']} | {m['conn']} |")
    print("\n| system | ready after (s) | RSS after the run (MB) |\n|---|---|---|")
    for n in names:
        print(f"| {n} | {results[n]['startup_s']:,.1f} | {results[n]['rss_mb'] or float('nan'):,.0f} |")


if __name__ == "__main__":
    main()
