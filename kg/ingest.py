"""Building the store: reference graphs, then releases, each release in one transaction.

Ingest is incremental and idempotent: a release whose normalised text is unchanged (same
SHA-256 in its graph's provenance) is skipped, a changed one replaces its graph, and a rerun
after a crash completes the batch. Rejected inputs are reported with their file and reason
and never stop the batch.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyoxigraph as ox

import ontology
from kg import formats, refgraph
from kg.errors import KgError, ParseError
from kg.iris import Minter
from kg.mapping import ReleaseMapper, release_slug
from kg.model import Release
from kg.search_index import SideIndex
from kg.sources import page_files
from kg.store import Store

NTRIPLES = formats.by_name("ntriples")
SHA256 = "ontology#sha256"
PIPELINE = "ontology#pipelineFingerprint"
SOURCE = "http://purl.org/dc/terms/source"
COMPACT_AFTER = 1000  # releases written in one run before the store is compacted


def pipeline_fingerprint() -> str:
    """A digest of everything that turns a page into triples: readers, extractor, mapping,
    reference tables and the ontology. A release is re-extracted when it changes."""
    root = Path(__file__).parent
    files = sorted([*root.glob("sources/*.py"), *root.glob("extract/*.py"), root / "mapping.py", root / "refgraph.py",
                    root / "refdata.py", *ontology.path("refdata").glob("*.tsv"), ontology.path("osce.ttl")])
    h = hashlib.sha256()
    for f in files:
        h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()[:16]


@dataclass
class Outcome:
    """What happened to one input: ``added``, ``updated``, ``unchanged``, ``duplicate`` or ``rejected``."""

    source: str
    status: str
    graph: str | None = None
    reason: str | None = None
    message: str | None = None


@dataclass
class IngestReport:
    """The outcomes of one ingest run, in input order."""

    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        """Number of inputs with this status."""
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def rejected(self) -> list[Outcome]:
        """Inputs that could not be read."""
        return [o for o in self.outcomes if o.status == "rejected"]

    def summary(self) -> str:
        """One line: counts per status."""
        parts = [f"{self.count(s)} {s}" for s in ("added", "updated", "unchanged", "duplicate", "rejected")]
        return "releases: " + ", ".join(parts)

    def to_json(self) -> str:
        """The report as JSON (``--report FILE``): counts and every rejected or duplicate input."""
        return json.dumps({
            "counts": {s: self.count(s) for s in ("added", "updated", "unchanged", "duplicate", "rejected")},
            "rejected": [asdict(o) for o in self.rejected],
            "duplicates": [asdict(o) for o in self.outcomes if o.status == "duplicate"],
        }, ensure_ascii=False, indent=2)


def load_reference(store: Store, base: str) -> list[str]:
    """Load (or refresh) the ontology and reference-data graphs; return the graphs written.

    Each graph records the SHA-256 of what it was built from, so an unchanged ontology or
    table set costs one lookup.
    """
    m = Minter(base)
    written = []
    onto_bytes = ontology.path("osce.ttl").read_bytes()
    shapes_bytes = ontology.path("shapes.ttl").read_bytes()
    ref = refgraph.build(base).serialize(format="nt", encoding="utf-8")
    ref = b"\n".join(sorted(ref.splitlines()))
    for name, data, fmt in (("ontology", onto_bytes, formats.by_name("turtle")),
                            ("shapes", shapes_bytes, formats.by_name("turtle")),
                            ("refdata", ref, NTRIPLES)):
        graph = m.graph(name)
        digest = _sha256(data + base.encode())
        if store.objects(graph, base + SHA256, graph) == [digest]:
            continue
        quads = list(ox.parse(data, format=fmt.ox, base_iri=base))
        g = ox.NamedNode(graph)
        quads = [ox.Quad(q.subject, q.predicate, q.object, g) for q in quads]
        quads.append(ox.Quad(g, ox.NamedNode(base + SHA256), ox.Literal(digest), g))
        store.apply(drop=[graph], add=quads)
        written.append(graph)
    return written


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def iter_inputs(paths: Iterable[str]) -> Iterator[str]:
    """Expand paths: directories recursively (sorted), ``-`` for standard input."""
    for p in paths:
        path = Path(p)
        if p == "-" or not path.is_dir():
            yield p
            continue
        yield from (str(q) for q in page_files(path))


@dataclass
class _Mapped:
    source: str
    slug: str | None = None
    graph: str | None = None
    sha256: str | None = None
    data: bytes | None = None
    error: ParseError | None = None


# graph IRI -> (sha256, pipeline fingerprint, source) of what the store holds; set in each
# worker by _init_worker so that unchanged releases are recognised before extraction.
_KNOWN: dict[str, tuple[str, str, str]] = {}


def _init_worker(known: dict[str, tuple[str, str, str]]) -> None:
    global _KNOWN
    _KNOWN = known


def stored_releases(store: Store, base: str) -> dict[str, tuple[str, str, str]]:
    """What each stored release graph was built from: graph -> (sha256, pipeline, source)."""
    rows = store.query(f"""SELECT ?g ?sha ?fp ?src WHERE {{ GRAPH ?g {{ ?g <{base}{SHA256}> ?sha .
        OPTIONAL {{ ?g <{SOURCE}> ?src }} OPTIONAL {{ ?a <{base}{PIPELINE}> ?fp }} }} }}""")
    return {r["g"].value: (r["sha"].value, r["fp"].value if r["fp"] else "", r["src"].value if r["src"] else "")
            for r in rows}


def _extract_file(args: tuple[str, str, str, str]) -> list[_Mapped]:
    """Read, extract and map every release of one input (runs in worker processes).

    A release whose text and pipeline match what the store holds is not extracted again.
    """
    import sys

    from kg.sources import read_path, read_stream
    path, base, generated_at, pipeline = args
    mapper = _mapper(base)
    items = read_stream(sys.stdin.buffer) if path == "-" else read_path(path)
    out = []
    for item in items:
        if isinstance(item, ParseError):
            out.append(_Mapped(item.source, error=item))
            continue
        graph = mapper.graph_iri(item)
        known = _KNOWN.get(graph)
        if known and known[:2] == (item.sha256, pipeline):
            out.append(_Mapped(item.file or "?", slug=release_slug(item), graph=graph, sha256=item.sha256))
            continue
        out.append(_map(item, mapper, dt.datetime.fromisoformat(generated_at), pipeline))
    return out


def _map(release: Release, mapper: ReleaseMapper, generated_at: dt.datetime, pipeline: str) -> _Mapped:
    from kg.extract import extract
    try:
        facts = extract(release)
    except Exception as e:  # an extractor bug must not lose the batch: report it against the file
        err = ParseError(release.file or "?", "extractor", f"extraction failed: {type(e).__name__}: {e}")
        return _Mapped(release.file or "?", error=err)
    g = mapper.to_graph(facts, generated_at=generated_at, pipeline=pipeline)
    return _Mapped(release.file or "?", slug=release_slug(release), graph=mapper.graph_iri(release),
                   sha256=release.sha256, data=g.serialize(format="nt", encoding="utf-8"))


# key in the ``seen`` map of one run: set once the run has written a release (slugs never start with a space)
_DIRTY = " dirty"
_MAPPERS: dict[str, ReleaseMapper] = {}


def _mapper(base: str) -> ReleaseMapper:
    if base not in _MAPPERS:
        _MAPPERS[base] = ReleaseMapper(base)
    return _MAPPERS[base]


def ingest(paths: Iterable[str], store: Store, base: str, *, jobs: int = 1,
           progress: Callable[[int, int], None] | None = None, now: dt.datetime | None = None,
           index: SideIndex | None = None) -> IngestReport:
    """Ingest release files, directories or ``-`` (standard input) into ``store``.

    :param jobs: worker processes for reading and extraction (writing stays in this process).
    :param progress: called with ``(done, total)`` after each input file.
    :param now: the generation time recorded in provenance (defaults to the current time).
    :param index: a side index (search, listings, facets) kept in step with every write.
    :returns: an :class:`IngestReport`; rejected inputs are in it, nothing is raised for them.
    """
    load_reference(store, base)
    inputs = list(iter_inputs(paths))
    stamp = (now or dt.datetime.now(dt.timezone.utc)).isoformat()
    fingerprint = pipeline_fingerprint()
    work = [(p, base, stamp, fingerprint) for p in inputs]
    report = IngestReport()
    seen: dict[str, str] = {}
    known = stored_releases(store, base)
    if jobs > 1 and len(work) > 1 and "-" not in inputs:
        with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(known,)) as pool:
            results = pool.map(_extract_file, work, chunksize=max(1, min(64, len(work) // (jobs * 8) or 1)))
            _write_all(results, store, base, fingerprint, report, seen, progress, len(work), index)
    else:
        _init_worker(known)
        _write_all(map(_extract_file, work), store, base, fingerprint, report, seen, progress, len(work), index)
    if seen.get(_DIRTY):
        store.apply()  # and a new one after the last write
    store.flush()
    if index is not None:
        index.finish(store, base)
    if report.count("added") + report.count("updated") >= COMPACT_AFTER:
        store.optimize()  # fold the write-ahead logs of a large batch into compact files
    return report


def _write_all(results, store: Store, base: str, fingerprint: str, report: IngestReport, seen: dict[str, str],
               progress, total: int, index: SideIndex | None) -> None:
    for done, items in enumerate(results, 1):
        for item in items:
            outcome = _write(item, store, base, fingerprint, seen)
            report.outcomes.append(outcome)
            if index is not None and outcome.status in ("added", "updated"):
                index.index_release(store, outcome.graph, base)  # commits in batches; finish() commits the rest
        if progress:
            progress(done, total)


def _write(item: _Mapped, store: Store, base: str, fingerprint: str, seen: dict[str, str]) -> Outcome:
    if item.error is not None:
        e = item.error
        return Outcome(e.source, "rejected", reason=e.reason, message=e.message)
    if item.slug in seen:
        return Outcome(item.source, "duplicate", graph=item.graph, reason="duplicate",
                       message=f"same release as {seen[item.slug]}; not stored twice")
    seen[item.slug] = item.source
    old = store.objects(item.graph, base + SHA256, item.graph)
    same_pipeline = store.objects(item.graph + "#extraction", base + PIPELINE, item.graph) == [fingerprint]
    if item.data is None or (old == [item.sha256] and same_pipeline):
        first = store.objects(item.graph, SOURCE, item.graph)
        if first and first[0] != item.source:
            return Outcome(item.source, "duplicate", graph=item.graph, reason="duplicate",
                           message=f"same content as {first[0]}, already stored")
        return Outcome(item.source, "unchanged", graph=item.graph)
    if not seen.get(_DIRTY):
        store.apply()  # a new version before the first write: a crash from here on leaves the index stale
        seen[_DIRTY] = "yes"
    try:
        release, entities = split_entities(item.data, item.graph, base)
        new = [q for q in entities if not store.has_triple(q.subject, q.predicate, q.object)]
        store.apply(drop=[item.graph] if old else [], add=release + new, bump=False)
    except (KgError, SyntaxError) as e:
        return Outcome(item.source, "rejected", reason="store", message=str(e))
    return Outcome(item.source, "updated" if old else "added", graph=item.graph)


# things a release only names, described once for the whole dataset in ``graph/entities``
ENTITY_KINDS = ("person", "place", "country", "software")


def split_entities(data: bytes, graph: str, base: str) -> tuple[list[ox.Quad], list[ox.Quad]]:
    """Split a release's triples into the release graph's quads and the descriptions of the
    persons, places, other countries and software it names (type, name, label), which go to the
    shared ``graph/entities``. A triple repeated in many graphs would be repeated in every
    query answer: Oxigraph's union default graph keeps one copy per graph, not an RDF merge.
    """
    own, shared = ox.NamedNode(graph), ox.NamedNode(Minter(base).graph("entities"))
    prefixes = tuple(f"{base}id/{kind}/" for kind in ENTITY_KINDS)
    release, entities = [], []
    for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES):
        if isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(prefixes):
            entities.append(ox.Quad(t.subject, t.predicate, t.object, shared))
        else:
            release.append(ox.Quad(t.subject, t.predicate, t.object, own))
    return release, entities


def remove(store: Store, base: str, key: str, *, index: SideIndex | None = None) -> bool:
    """Delete a release by its slug, release IRI or graph IRI; return whether it existed."""
    m = Minter(base)
    if key.startswith(m.base + "id/release/"):
        key = key.rsplit("/", 1)[1]
    graph = key if key.startswith(m.base + "graph/") else m.release_graph(key)
    existed = store.remove_graph(graph)
    if existed and index is not None:
        index.remove_release(graph)
        index.finish(store, base)
    return existed


def default_jobs() -> int:
    """Worker processes to use by default: the machine's cores, at most 4."""
    return max(1, min(4, os.cpu_count() or 1))
