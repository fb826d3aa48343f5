"""Ingest speed: N synthetic releases into a fresh on-disk store, end to end.

``python -m bench.ingest_speed [N] [--jobs J] [--seed 1]`` generates N pages (default 10,000)
into ``bench/out/synth-N`` (kept between runs), then runs ``osce-kg ingest`` exactly as a user
would (extraction, store writes, side index, dumps) into a new store ``bench/out/store-N`` and
prints a table: releases/s, triples/s, store size on disk (store, side index, dumps) and the
peak RSS of the largest process. A second run on the same store measures the no-op re-ingest (``--no-rerun`` skips it).
"""
from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench.synth import generate
from kg.store import Store

BASE = "http://127.0.0.1:8080/"
OUT = Path(__file__).parent / "out"


def du(path: Path) -> int:
    """Bytes used by the files under ``path`` (or the file itself)."""
    if path.is_file():
        return path.stat().st_size
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.exists() else 0


def pages_for(n: int, seed: int = 1) -> Path:
    """The directory of ``n`` synthetic pages, generated on first use."""
    pages = OUT / f"synth-{n}"
    if not pages.is_dir() or len(list(pages.glob("*.txt"))) != n:
        shutil.rmtree(pages, ignore_errors=True)
        generate(n, pages, seed)
    return pages


def run_ingest(pages: Path, store_dir: Path, jobs: int) -> float:
    """Run ``osce-kg ingest`` as a subprocess; return its wall time in seconds."""
    cmd = [str(Path(sys.executable).with_name("osce-kg")), "ingest", str(pages), "--store", str(store_dir),
           "--base", BASE, "--jobs", str(jobs), "--no-progress"]
    t0 = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=3600)
    elapsed = time.perf_counter() - t0
    if out.returncode not in (0, 1):
        raise SystemExit(f"ingest failed ({out.returncode}): {out.stderr[-2000:]}")
    print(f"  {out.stderr.strip().splitlines()[-1]}")
    return elapsed


def main() -> None:
    """Generate, ingest twice, print the table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, nargs="?", default=10_000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-rerun", action="store_true", help="skip the no-op re-ingest")
    args = ap.parse_args()
    pages = pages_for(args.n, args.seed)
    store_dir = OUT / f"store-{args.n}"
    for p in (store_dir, Path(f"{store_dir}.dumps"), Path(f"{store_dir}.index.sqlite")):
        shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)
    first = run_ingest(pages, store_dir, args.jobs)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    again = None if args.no_rerun else run_ingest(pages, store_dir, args.jobs)
    store = Store(store_dir, read_only=True, base_iri=BASE)
    triples = store.count()
    del store
    rows = [("releases", f"{args.n:,}"), ("ingest wall time (osce-kg ingest, jobs=%d)" % args.jobs, f"{first:.1f} s"),
            ("releases/s", f"{args.n / first:,.0f}"), ("triples/s", f"{triples / first:,.0f}"),
            ("quads in store", f"{triples:,}"), ("store on disk", f"{du(store_dir) / 1e6:,.0f} MB"),
            ("side index", f"{du(Path(f'{store_dir}.index.sqlite')) / 1e6:,.0f} MB"),
            ("dumps", f"{du(Path(f'{store_dir}.dumps')) / 1e6:,.0f} MB"),
            ("peak RSS (largest process)", f"{peak:,.0f} MB"), ("no-op re-ingest", "not run" if again is None else f"{again:.1f} s")]
    print("| measure | value |\n|---|---|")
    for k, v in rows:
        print(f"| {k} | {v} |")


if __name__ == "__main__":
    main()
