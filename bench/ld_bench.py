"""Linked-data timings (printed figures, not a test): entity RDF, entity HTML, listing with facet
counts and search, p50/p95 over repeated requests through the Flask test client.

Small in-memory store (fixture releases plus N generated ones, side index built on first use)::

    .venv/bin/python bench/ld_bench.py --releases 2000

An existing on-disk store (opened read-only, its side index ``<store>.index.sqlite`` beside it);
``--build N`` first generates N synthetic pages (``bench/out/synth-N``) and ingests them with
``kg.ingest.ingest`` into that store, keeping a side index in step, and prints the times. The
100k figures of docs/operations.md come from::

    .venv/bin/python -m bench.synth 100000 bench/out/synth-100000
    .venv/bin/python bench/ld_bench.py --store bench/out/ld-100000/store --build 100000
    .venv/bin/python bench/ld_bench.py --store bench/out/ld-100000/store      # later runs
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from ld_fixtures import BASE, GENERATED, build_store, make_app  # noqa: E402

from kg import formats, search_index  # noqa: E402
from kg.mapping import ReleaseMapper  # noqa: E402
from kg.model import Facts, Release  # noqa: E402
from kg.store import Store  # noqa: E402
from server import create_app  # noqa: E402

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
    """p50 and p95 in ms of ``rounds`` GETs of every path (after one warm-up GET each)."""
    for p in paths:
        client.get(p, headers=headers or {})
    times = []
    for _ in range(rounds):
        for p in paths:
            t = time.perf_counter()
            r = client.get(p, headers=headers or {})
            times.append((time.perf_counter() - t) * 1000)
            assert r.status_code == 200, (p, r.status_code)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]


def build(store_path: Path, n: int, jobs: int) -> None:
    """Generate ``n`` pages and ingest them into a new store with its side index; print the times."""
    from bench.synth import generate
    from kg.ingest import ingest
    pages = ROOT / "bench" / "out" / f"synth-{n}"
    if not pages.is_dir() or len(list(pages.glob("*.txt"))) != n:
        generate(n, pages)
    store = Store(store_path, base_iri=BASE)
    index = search_index.SideIndex(search_index.path_for(store_path))
    t = time.perf_counter()
    report = ingest([str(pages)], store, BASE, jobs=jobs, index=index)
    took = time.perf_counter() - t
    index.close()
    print(f"ingest with side index in step: {report.summary()} in {took:.0f} s ({n / took:.0f} releases/s)")
    del store


def samples(idx: search_index.SideIndex) -> dict[str, list[str]]:
    """Paths to time, chosen from what the index holds: the biggest hubs and a spread of releases."""
    top = idx.facet_counts({}, top=3)
    hubs = [v for f in ("state", "structure") for v, _, _ in top[f][:2]]
    rows, _ = idx.releases({}, limit=2000)
    rels = [f"/data/release/{r.slug}.ttl" for r in rows[::70]]
    hub_paths = ["/data/" + h[len(BASE + "id/"):] + ".ttl" for h in hubs]
    state, struct, year = top["state"][0][0], top["structure"][0][0], top["year"][0][0]
    slug = lambda iri: iri.rstrip("/").rsplit("/", 1)[-1]  # noqa: E731
    return {
        "entity RDF (releases)": rels,
        "entity RDF (hubs: top States, structures)": hub_paths,
        "HTML page (releases)": [p.replace("/data/", "/page/")[:-4] for p in rels],
        "HTML page (hubs)": [p.replace("/data/", "/page/")[:-4] for p in hub_paths],
        "listing + facets (no filter, one filter)": [
            "/releases.json", f"/releases.json?state={slug(state)}", f"/releases.json?year={year}",
            f"/releases.json?structure={slug(struct)}", f"/releases?state={slug(state)}"],
        "listing + facets (two filters)": [f"/releases.json?state={slug(state)}&year={year}",
                                           f"/releases.json?state={slug(state)}&structure={slug(struct)}"],
        "search": ["/search.json?q=ODIHR", "/search.json?q=Nur-Sultan", "/search.json?q=police officers",
                   "/search.json?q=ukraine", "/search.json?q=conference", "/search.json?q=train",
                   "/search?q=election observers"],
    }


def main() -> None:
    """Build or open the store, then print p50/p95 per kind of request."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--releases", type=int, default=2000, help="in-memory mode: generated releases")
    ap.add_argument("--store", type=Path, help="an existing on-disk store (built with BASE %s)" % BASE)
    ap.add_argument("--build", type=int, metavar="N", help="first generate and ingest N synthetic releases")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    if args.store:
        if args.build:
            build(args.store, args.build, args.jobs)
        ipath = search_index.path_for(args.store)
        store = Store(args.store, read_only=True, base_iri=BASE)
        if not ipath.exists() or search_index.SideIndex(ipath, read_only=True).version() != store.version():
            t = time.perf_counter()
            search_index.rebuild_file(ipath, store, BASE)
            print(f"side index rebuilt from the store in {time.perf_counter() - t:.0f} s")
        app = create_app({"STORE_OBJECT": store, "STORE_PATH": str(args.store), "BASE_IRI": BASE, "RATE_LIMIT": 0,
                          "QUERY_WORKERS": 0})
        print(f"store {args.store}: {search_index.SideIndex(ipath, read_only=True).counts().get('release')} releases")
    else:
        t = time.perf_counter()
        store = build_store()
        synthetic(args.releases, store)
        print(f"store: {args.releases} synthetic + 5 fixture releases, {store.count()} quads, "
              f"built in {time.perf_counter() - t:.1f} s")
        app = make_app(store, BASE, Path(tempfile.mkdtemp()))
    c = app.test_client()
    t = time.perf_counter()
    c.get("/")
    print(f"first request (opens the side index, building it when missing): {time.perf_counter() - t:.1f} s")
    with app.app_context():
        from server.linkeddata import get_index
        with app.test_request_context():
            paths = samples(get_index())
    for name, group in paths.items():
        p50, p95 = timed(c, group, rounds=args.rounds)
        print(f"{name:45s} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   ({len(group)} URLs x {args.rounds})")


if __name__ == "__main__":
    main()
