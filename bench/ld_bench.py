"""Linked-data timings (printed figures, not a test): entity RDF, entity HTML, listing with facet
counts and search, p50/p95 over repeated requests through the Flask test client.

    .venv/bin/python bench/ld_bench.py --releases 2000
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from ld_fixtures import BASE, GENERATED, build_store, make_app  # noqa: E402

from kg import formats  # noqa: E402
from kg.mapping import ReleaseMapper  # noqa: E402
from kg.model import Facts, Release  # noqa: E402

STATES = ["UA", "AT", "RS", "MK", "AL", "GE", "MD", "KZ", "KG", "TJ", "UZ", "TM", "AM", "AZ"]
STRUCTS = ["odihr", "hcnm", "rfom", "chairpersonship", "mission-to-serbia", "mission-to-skopje", "secretary-general"]
FIELDS = ["elections", "policing", "border-management", "media-freedom-and-development", "gender-equality"]
WORDS = "ceasefire election mission training border police media journalists minority rights conference".split()


def synthetic(n: int, store) -> None:
    """Add ``n`` generated releases, one graph each."""
    rnd, mapper, nt = random.Random(1), ReleaseMapper(BASE), formats.by_name("ntriples")
    for i in range(n):
        date = dt.date(2000, 1, 1) + dt.timedelta(days=rnd.randrange(9000))
        title = " ".join(rnd.choice(WORDS) for _ in range(6)).capitalize()
        body = tuple(" ".join(rnd.choice(WORDS) for _ in range(60)) for _ in range(3))
        rel = Release(title, "Press release", body, "0" * 64, date=date, url=f"https://www.osce.org/x/{900000 + i}")
        facts = Facts(rel, source=rnd.choice(STRUCTS), states=tuple(rnd.sample(STATES, 3)),
                      structures=tuple(rnd.sample(STRUCTS, 2)), fields_of_work=tuple(rnd.sample(FIELDS, 2)))
        g = mapper.to_graph(facts, generated_at=GENERATED)
        store.replace_graph(mapper.graph_iri(rel), g.serialize(format="nt"), nt)


def timed(client, paths, headers=None, rounds=3) -> tuple[float, float]:
    times = []
    for _ in range(rounds):
        for p in paths:
            t = time.perf_counter()
            r = client.get(p, headers=headers or {})
            times.append((time.perf_counter() - t) * 1000)
            assert r.status_code == 200, (p, r.status_code)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--releases", type=int, default=2000)
    n = ap.parse_args().releases
    t = time.perf_counter()
    store = build_store()
    synthetic(n, store)
    print(f"store: {n} synthetic + 5 fixture releases, {store.count()} quads, built in {time.perf_counter() - t:.1f} s")
    app = make_app(store, BASE, Path(tempfile.mkdtemp()))
    c = app.test_client()
    t = time.perf_counter()
    c.get("/")
    print(f"side index built in {time.perf_counter() - t:.1f} s")
    releases = [f"/data/release/node-{900000 + i}.ttl" for i in range(0, n, max(1, n // 30))]
    things = ["/data/state/ukraine.ttl", "/data/institution/odihr.ttl", "/data/person/sebastian-kurz.ttl"]
    for name, paths in [("entity RDF (releases)", releases), ("entity RDF (hubs: State, institution)", things),
                        ("HTML page (releases)", [p.replace("/data/", "/page/")[:-4] for p in releases]),
                        ("HTML page (hubs)", [p.replace("/data/", "/page/")[:-4] for p in things]),
                        ("listing + facets", ["/releases.json", "/releases.json?state=ukraine",
                                              "/releases.json?state=ukraine&year=2010", "/releases.json?field=elections"]),
                        ("search", ["/search.json?q=ceasefire", "/search.json?q=border police",
                                    "/search.json?q=ukraine", "/search.json?q=journ"])]:
        p50, p95 = timed(c, paths)
        print(f"{name:40s} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")


if __name__ == "__main__":
    main()
