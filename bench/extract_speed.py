"""Print extraction speed (releases/s on one core) over a synthetic set.

``python -m bench.extract_speed [N] [--seed 1]``: generates N pages (default 2000) into
``bench/out/synth``, reads them, then times :func:`kg.extract.extract` alone after one warm-up
call (the gazetteer is built once per process, outside the timing).
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from bench.synth import generate
from kg.extract import extract
from kg.model import Release
from kg.sources import read_path

if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, nargs="?", default=2000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    out = Path(__file__).parent / "out" / "synth"
    generate(args.n, out, args.seed)
    t0 = time.perf_counter()
    releases = [r for r in read_path(out) if isinstance(r, Release)]
    t1 = time.perf_counter()
    extract(releases[0])
    t2 = time.perf_counter()
    for r in releases:
        extract(r)
    t3 = time.perf_counter()
    print(f"read:    {len(releases)} releases in {t1 - t0:.2f}s = {len(releases) / (t1 - t0):,.0f} releases/s")
    print(f"extract: {len(releases)} releases in {t3 - t2:.2f}s = {len(releases) / (t3 - t2):,.0f} releases/s")
