"""Ingest speed: N synthetic releases into a fresh on-disk store, end to end.

``python -m bench.ingest_speed [N] [--jobs J] [--seed 1]`` generates N pages (default 10,000)
into ``bench/out/synth-N``, ingests them with ``kg.ingest.ingest`` into a new store under
``bench/out/``, then prints releases/s, triples/s, store size on disk and peak RSS. A second run
on the same store measures the no-op re-ingest.
"""
from __future__ import annotations

import argparse
import resource
import shutil
import time
from pathlib import Path

from bench.synth import generate
from kg.ingest import ingest
from kg.store import Store

BASE = "http://127.0.0.1:8080/"


def du(path: Path) -> int:
    """Bytes used by the files under ``path``."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, nargs="?", default=10_000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    out = Path(__file__).parent / "out"
    pages = out / f"synth-{args.n}"
    if not pages.is_dir() or len(list(pages.glob("*.txt"))) != args.n:
        generate(args.n, pages, args.seed)
    store_dir = out / f"store-{args.n}"
    shutil.rmtree(store_dir, ignore_errors=True)
    store = Store(store_dir, base_iri=BASE)
    t0 = time.perf_counter()
    report = ingest([str(pages)], store, BASE, jobs=args.jobs)
    t1 = time.perf_counter()
    triples = store.count()
    again = ingest([str(pages)], store, BASE, jobs=args.jobs)
    t2 = time.perf_counter()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"releases: {report.summary()}")
    print(f"ingest:   {args.n} releases in {t1 - t0:.1f} s = {args.n / (t1 - t0):,.0f} releases/s, "
          f"{triples / (t1 - t0):,.0f} triples/s ({triples:,} triples, jobs={args.jobs})")
    print(f"re-ingest (no-op): {t2 - t1:.1f} s, {again.count('unchanged')} unchanged")
    print(f"store on disk: {du(store_dir) / 1e6:.0f} MB; peak RSS: main {rss:.0f} MB, largest worker {child:.0f} MB")
