"""The dataset's description (VoID + DCAT at ``/.well-known/void`` and ``/dataset``) and its dumps
(``/dumps/``), regenerated on demand when they are older than the store."""
from __future__ import annotations

import threading
from pathlib import Path

from flask import Blueprint, Response, current_app, redirect, render_template, send_from_directory
from rdflib import BNode, Graph, Literal, URIRef

from kg import dumps as kg_dumps
from kg import formats
from kg.stores import beside
from kg.vocab import DCAT, DCTERMS, FOAF, RDF, RDFS, SCHEMA, VOID, XSD, prefixes
from server.errors import ApiError
from server.extension import get_state
from server.linkeddata import alternates, etag_for, get_index, not_modified
from server.resources import representation

bp = Blueprint("dataset", __name__)
_lock = threading.Lock()

VOID_FORMATS = tuple(formats.by_name(n) for n in ("turtle", "jsonld", "rdfxml", "ntriples"))
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
SOURCE = "https://www.osce.org/press-releases"


def dumps_dir() -> Path:
    """Where this app's dumps live."""
    cfg = current_app.config
    return Path(cfg["DUMPS_DIR"] or beside(cfg["STORE_PATH"], ".dumps"))


def current_dumps() -> dict:
    """The manifest of dumps matching the store, writing them first when missing or stale."""
    state = get_state()
    manifest = kg_dumps.read_manifest(dumps_dir())
    if manifest is None or manifest["version"] != state.store.version():
        with _lock:
            manifest = kg_dumps.read_manifest(dumps_dir())
            if manifest is None or manifest["version"] != state.store.version():
                manifest = kg_dumps.write_dumps(state.store, dumps_dir(), state.minter.base)
    return manifest


def void_graph() -> Graph:
    """The VoID and DCAT description of the dataset."""
    state = get_state()
    base, stats = state.minter.base, get_index().stats()
    manifest = kg_dumps.read_manifest(dumps_dir())
    g = Graph()
    for p, ns in prefixes(base).items():
        g.bind(p, ns)
    ds = URIRef(base + "dataset")
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, DCTERMS.title, Literal("OSCE knowledge graph", lang="en")))
    g.add((ds, DCTERMS.description, Literal("Linked data extracted from the press releases of the Organization for "
                                            "Security and Co-operation in Europe.", lang="en")))
    g.add((ds, DCTERMS.license, URIRef(LICENSE)))
    g.add((ds, DCTERMS.source, URIRef(SOURCE)))
    g.add((ds, DCTERMS.publisher, Literal("osce-kg contributors")))
    version = state.store.version()
    if version != "empty":
        g.add((ds, DCTERMS.modified, Literal(version, datatype=XSD.dateTime)))
    g.add((ds, FOAF.homepage, URIRef(base)))
    g.add((ds, VOID.sparqlEndpoint, URIRef(base + "sparql")))
    g.add((ds, VOID.dataDump, URIRef(base + "dumps/" + kg_dumps.ALL)))
    g.add((ds, VOID.uriSpace, Literal(base + "id/")))
    g.add((ds, VOID.vocabulary, URIRef(state.minter.namespace)))
    for example in ("state/ukraine", "institution/odihr"):
        g.add((ds, VOID.exampleResource, URIRef(base + "id/" + example)))
    g.add((ds, VOID.triples, Literal(int(stats.get("triples", 0)), datatype=XSD.integer)))
    g.add((ds, VOID.entities, Literal(int(stats.get("entities", 0)), datatype=XSD.integer)))
    for cls, n in sorted(stats.get("classes", {}).items()):
        part = BNode()
        g.add((ds, VOID.classPartition, part))
        g.add((part, VOID["class"], URIRef(cls)))
        g.add((part, VOID.entities, Literal(n, datatype=XSD.integer)))
    for prop, n in sorted(stats.get("properties", {}).items()):
        part = BNode()
        g.add((ds, VOID.propertyPartition, part))
        g.add((part, VOID.property, URIRef(prop)))
        g.add((part, VOID.triples, Literal(n, datatype=XSD.integer)))
    for f in (manifest or {"files": [{"name": kg_dumps.ALL, "media_type": "application/n-quads"}]})["files"]:
        dist = URIRef(base + "dumps/" + f["name"])
        g.add((ds, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCAT.downloadURL, dist))
        g.add((dist, DCAT.mediaType, URIRef("https://www.iana.org/assignments/media-types/" + f["media_type"])))
        g.add((dist, DCAT.compressFormat, URIRef("https://www.iana.org/assignments/media-types/application/gzip")))
        if "size" in f:
            g.add((dist, DCAT.byteSize, Literal(f["size"], datatype=XSD.nonNegativeInteger)))
            g.add((dist, RDFS.comment, Literal(f"SHA-256 {f['sha256']}")))
    return g


@bp.route("/.well-known/void")
@bp.route("/.well-known/void.<ext>")
def void(ext: str | None = None) -> Response:
    """The VoID description; browsers are sent to the dataset page."""
    fmt = representation(ext, VOID_FORMATS if ext else (*VOID_FORMATS, formats.by_name("html")),
                         "the VoID description")
    if fmt.name == "html":
        resp = redirect("/dataset", code=303)
        resp.vary.add("Accept")
        return resp
    etag = etag_for(fmt.name)
    cached = not_modified(etag)
    if cached is not None:
        return cached
    resp = Response(void_graph().serialize(format=fmt.rdflib, encoding="utf-8"))
    resp.headers["Content-Type"] = fmt.content_type
    resp.set_etag(etag)
    resp.vary.add("Accept")
    alternates(resp, [("/dataset", formats.by_name("html"))] + [(f"/.well-known/void.{f.extension}", f)
                                                                 for f in VOID_FORMATS])
    return resp


@bp.route("/dataset")
def dataset_page() -> str:
    """The dataset page: the VoID figures, the partitions and the dumps."""
    idx = get_index()
    stats = idx.stats()
    labels = idx.label
    state = get_state()
    jsonld = {"@context": "https://schema.org", "@type": "Dataset", "@id": state.minter.base + "dataset",
              "name": "OSCE knowledge graph", "license": LICENSE, "isBasedOn": SOURCE,
              "distribution": [{"@type": "DataDownload", "encodingFormat": "application/n-quads",
                                "contentUrl": state.minter.base + "dumps/" + kg_dumps.ALL}]}
    return render_template("dataset.html", title="The dataset", stats=stats, labels=labels, base=state.minter.base,
                           manifest=kg_dumps.read_manifest(dumps_dir()), jsonld=jsonld,
                           alternates=[(f"/.well-known/void.{f.extension}", f) for f in VOID_FORMATS])


@bp.route("/dumps/")
def dumps() -> str:
    """The list of dumps with sizes and checksums (written first when stale)."""
    return render_template("dumps.html", title="Dumps", manifest=current_dumps())


@bp.route("/dumps/<name>")
def dump_file(name: str) -> Response:
    """One dump file."""
    manifest = current_dumps()
    if name != "manifest.json" and name not in {f["name"] for f in manifest["files"]}:
        raise ApiError(404, f"no dump called {name!r}")
    resp = send_from_directory(dumps_dir(), name, max_age=60)
    if name.endswith(".gz"):
        resp.headers["Content-Type"] = "application/gzip"
    return resp
