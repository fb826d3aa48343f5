"""The SPARQL 1.1 Service Description answered by a bare GET on ``/sparql`` (negotiated RDF),
with the default dataset's VoID statistics (triples per graph)."""
from __future__ import annotations

import pyoxigraph as ox
from flask import Response, current_app, request

from kg import formats
from server.cache import etag
from server.errors import ApiError
from server.extension import get_store
from server.negotiation import choose

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
GRAPH_COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"


def _n(local: str, ns: str = SD) -> ox.NamedNode:
    return ox.NamedNode(ns + local)


def graph_counts(store) -> list[tuple[str, int]]:
    """(graph IRI, number of triples) for every named graph."""
    rows = store.query(GRAPH_COUNTS, named_graphs=None)
    return [(r["g"].value, int(r["n"].value)) for r in rows if isinstance(r["g"], ox.NamedNode)]


def describe(endpoint: str, counts: list[tuple[str, int]], *, update: bool, federation: bool) -> list[ox.Triple]:
    """The service description's triples for the endpoint IRI ``endpoint``."""
    svc, ds, dg = ox.BlankNode("service"), ox.BlankNode("dataset"), ox.BlankNode("defaultGraph")
    t = [ox.Triple(svc, RDF_TYPE, _n("Service")),
         ox.Triple(svc, _n("endpoint"), ox.NamedNode(endpoint)),
         ox.Triple(svc, _n("supportedLanguage"), _n("SPARQL11Query")),
         ox.Triple(svc, _n("feature"), _n("UnionDefaultGraph")),
         ox.Triple(svc, _n("feature"), _n("EmptyGraphs")),
         ox.Triple(svc, _n("defaultEntailmentRegime"), ox.NamedNode("http://www.w3.org/ns/entailment/Simple"))]
    if update:
        t.append(ox.Triple(svc, _n("supportedLanguage"), _n("SPARQL11Update")))
    if federation:
        t.append(ox.Triple(svc, _n("feature"), _n("BasicFederatedQuery")))
    for f in formats.FORMATS:
        if f.w3c:
            t.append(ox.Triple(svc, _n("resultFormat"), ox.NamedNode(f.w3c)))
    total = sum(n for _, n in counts)
    t += [ox.Triple(svc, _n("defaultDataset"), ds),
          ox.Triple(ds, RDF_TYPE, _n("Dataset")),
          ox.Triple(ds, RDF_TYPE, _n("Dataset", VOID)),
          ox.Triple(ds, _n("triples", VOID), ox.Literal(str(total), datatype=XSD_INTEGER)),
          ox.Triple(ds, _n("sparqlEndpoint", VOID), ox.NamedNode(endpoint)),
          ox.Triple(ds, _n("defaultGraph"), dg),
          ox.Triple(dg, RDF_TYPE, _n("Graph")),
          ox.Triple(dg, _n("triples", VOID), ox.Literal(str(total), datatype=XSD_INTEGER))]
    for i, (g, n) in enumerate(counts):
        ng, gr = ox.BlankNode(f"ng{i}"), ox.BlankNode(f"g{i}")
        t += [ox.Triple(ds, _n("namedGraph"), ng),
              ox.Triple(ng, RDF_TYPE, _n("NamedGraph")),
              ox.Triple(ng, _n("name"), ox.NamedNode(g)),
              ox.Triple(ng, _n("graph"), gr),
              ox.Triple(gr, RDF_TYPE, _n("Graph")),
              ox.Triple(gr, _n("triples", VOID), ox.Literal(str(n), datatype=XSD_INTEGER))]
    return t


def service_description() -> Response:
    """The negotiated service description (Turtle for ``*/*``), cached per dataset version.

    :raises ApiError: 406 when no RDF format is acceptable.
    """
    fmt = choose(request.headers.get("Accept"), formats.of_kind("rdf"))
    for name in ("format", "output", "results"):
        for value in request.args.getlist(name):
            fmt = formats.by_alias(value, ("rdf",)) or fmt
    if fmt is None:
        raise ApiError(406, "the service description is available as " +
                       ", ".join(f.media_type for f in formats.of_kind("rdf")))
    store = get_store()
    version = store.version()
    endpoint = current_app.config["BASE_IRI"] + "sparql"
    cache = current_app.extensions.setdefault("kg_sd_cache", {})
    if cache.get("version") != version:
        cache.clear()
        cache.update(version=version, triples=describe(
            endpoint, graph_counts(store), update=bool(current_app.config["ADMIN_TOKEN"]),
            federation=bool(current_app.config["SERVICE_ALLOWLIST"])))
    tag = etag(version, "sd", fmt.name)
    if request.if_none_match.contains(tag):
        resp = Response(status=304)
    else:
        data = cache["triples"]
        if fmt.quads:
            data = [ox.Quad(x.subject, x.predicate, x.object, ox.DefaultGraph()) for x in data]
        resp = Response(ox.serialize(data, format=fmt.ox))
        resp.headers["Content-Type"] = fmt.content_type
        resp.headers["Cache-Control"] = "public, max-age=60"
    resp.set_etag(tag)
    resp.vary.add("Accept")
    return resp
