"""Dumps of the whole dataset: every named graph as gzipped N-Quads, and gzipped Turtle per
graph kind (ontology, refdata, release, meta), with sizes and SHA-256 checksums in
``manifest.json``. Call :func:`write_dumps` after an ingest or from ``osce-kg export``."""
from __future__ import annotations

import gzip
import hashlib
import json
import os
from pathlib import Path

import pyoxigraph as ox

from kg import formats
from kg.store import Store

ALL = "all.nq.gz"


def graph_kind(graph: str, base: str) -> str:
    """The kind of a named graph: the first path segment after ``{base}graph/``.

    >>> graph_kind("http://x.org/graph/release/node-1", "http://x.org/")
    'release'
    """
    rest = graph[len(base + "graph/"):] if graph.startswith(base + "graph/") else "other"
    return rest.split("/", 1)[0]


def read_manifest(out_dir: str | os.PathLike) -> dict | None:
    """The manifest of the dumps in ``out_dir``, or None when there are none."""
    p = Path(out_dir) / "manifest.json"
    return json.loads(p.read_text()) if p.exists() else None


def write_dumps(store: Store, out_dir: str | os.PathLike, base: str) -> dict:
    """Write the dumps into ``out_dir`` (files are replaced atomically) and return the manifest:
    ``{"version", "files": [{"name", "format", "media_type", "graphs", "size", "sha256"}]}``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files = []
    nq = formats.by_name("nquads")
    files.append(_write(out, ALL, nq, len(store.graphs()), lambda f: store.dump(f, nq)))
    by_kind: dict[str, list[str]] = {}
    for g in store.graphs():
        by_kind.setdefault(graph_kind(g, base), []).append(g)
    ttl = formats.by_name("turtle")
    for kind, graphs in sorted(by_kind.items()):
        def write(f, graphs=graphs):
            ox.serialize((q.triple for g in graphs for q in store.graph_quads(g)), output=f, format=ttl.ox)
        files.append(_write(out, f"{kind}.ttl.gz", ttl, len(graphs), write))
    manifest = {"version": store.version(), "files": files}
    tmp = out / "manifest.json.tmp"
    tmp.write_text(json.dumps(manifest, indent=2))
    os.replace(tmp, out / "manifest.json")
    return manifest


def _write(out: Path, name: str, fmt: formats.Format, graphs: int, write) -> dict:
    tmp = out / (name + ".tmp")
    with open(tmp, "wb") as raw, gzip.GzipFile(filename=name[:-3], fileobj=raw, mode="wb", mtime=0) as gz:
        write(gz)
    digest = hashlib.sha256(tmp.read_bytes()).hexdigest()
    os.replace(tmp, out / name)
    return {"name": name, "format": fmt.name, "media_type": fmt.media_type, "encoding": "gzip", "graphs": graphs,
            "size": (out / name).stat().st_size, "sha256": digest}
