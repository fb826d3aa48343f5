"""SPARQL 1.1 Graph Store HTTP Protocol at ``/graph-store``.

A graph is named indirectly (``/graph-store?graph=IRI``, ``/graph-store?default``) or directly
(``/graph-store/some/path`` is the graph ``{BASE_IRI}graph-store/some/path``). GET and HEAD are
public and negotiated (404 for a graph that does not exist); PUT, POST and DELETE need the admin
token and a writable store. The default graph, read, is the union of all graphs (as in queries),
capped at MAX_ROWS triples like a CONSTRUCT.
"""
from __future__ import annotations

import uuid

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, request

from kg import formats
from kg.errors import StoreError
from kg.results import Job
from server.errors import ApiError
from server.extension import get_store
from server.negotiation import choose
from server.querying import get_runner
from server.sparql import answer, check_admin, graph_iris

bp = Blueprint("graph_store", __name__)
DEFAULT = None  # the graph name standing for the default graph
UNION = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


def _target(path: str | None) -> str | None:
    """The graph a request is about (None = default graph).

    :raises ApiError: 400 when both or neither of ``graph`` and ``default`` are given.
    """
    if path:
        return current_app.config["BASE_IRI"] + "graph-store/" + path
    has_default, graphs = "default" in request.args, graph_iris("graph")
    if has_default == bool(graphs) or len(graphs) > 1:
        raise ApiError(400, "name one graph: ?graph=IRI or ?default")
    return graphs[0] if graphs else DEFAULT


def _payload() -> list[ox.Triple]:
    """The RDF in the request body (or in every part of a multipart/form-data body).

    :raises ApiError: 415 for a type that is not an RDF format, 400 for data that does not parse.
    """
    parts = [(f.mimetype, f.read()) for f in request.files.values()] if request.mimetype == "multipart/form-data" \
        else [(request.mimetype, request.get_data())]
    triples = []
    for mimetype, data in parts:
        fmt = formats.by_media_type(mimetype or "", kind="rdf")
        if fmt is None or fmt.kind != "rdf":
            raise ApiError(415, f"send RDF ({', '.join(f.media_type for f in formats.of_kind('rdf'))}), "
                                f"not {mimetype or 'no Content-Type'}")
        try:
            triples += [q.triple for q in ox.parse(data, format=fmt.ox, base_iri=request.base_url)]
        except SyntaxError as e:
            raise ApiError(400, f"the {fmt.name} body does not parse: {e}") from None
    return triples


def _writable_store():
    store = get_store()
    if getattr(store, "read_only", True) or not hasattr(store, "update"):
        raise StoreError("the store is open read-only; Graph Store writes need a writable store")
    return store


def _insert(graph: str | None, triples: list[ox.Triple]) -> str:
    body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode()
    return f"INSERT DATA {{ GRAPH <{graph}> {{ {body} }} }}" if graph else f"INSERT DATA {{ {body} }}"


def _exists(store, graph: str | None) -> bool:
    return True if graph is DEFAULT else store.has_graph(graph)


@bp.route("/graph-store", methods=["GET", "PUT", "POST", "DELETE"], defaults={"path": None})
@bp.route("/graph-store/<path:path>", methods=["GET", "PUT", "POST", "DELETE"])
def graph_store(path: str | None) -> Response:
    """Read or (with the admin token) write one graph."""
    if request.method in ("GET", "HEAD"):
        return read(_target(path))
    check_admin()
    store = _writable_store()
    if request.method == "POST" and path is None and not request.args:
        graph = current_app.config["BASE_IRI"] + "graph-store/" + uuid.uuid4().hex
        store.update(_insert(graph, _payload()))
        resp = Response(status=201)
        resp.headers["Location"] = graph
        return resp
    graph = _target(path)
    existed = _exists(store, graph)
    drop = f"DROP SILENT GRAPH <{graph}>" if graph else "DROP SILENT DEFAULT"
    if request.method == "DELETE":
        if not existed:
            raise ApiError(404, f"there is no graph <{graph}>")
        store.update(drop)
        return Response(status=200)
    triples = _payload()
    if request.method == "PUT":
        store.update(f"{drop} ;\n{_insert(graph, triples)}")
        return Response(status=204 if existed and graph else 201)
    store.update(_insert(graph, triples))
    return Response(status=200 if existed else 201)


def read(graph: str | None) -> Response:
    """A graph in the negotiated RDF format; 404 when it does not exist.

    :raises ApiError: 404, or 406 when no RDF format is acceptable.
    """
    fmt = choose(request.headers.get("Accept"), formats.of_kind("rdf"))
    if fmt is None:
        raise ApiError(406, "graphs are available as " + ", ".join(f.media_type for f in formats.of_kind("rdf")))
    if graph is DEFAULT:
        job = Job(UNION, graph_format=fmt.name, results_format=None, max_rows=int(current_app.config["MAX_ROWS"]))
        return answer(get_runner().run(job, float(current_app.config["QUERY_TIMEOUT_S"]), cache=True), None)
    store = get_store()
    if not store.has_graph(graph):
        raise ApiError(404, f"there is no graph <{graph}>")
    resp = Response(store.serialize_graph(graph, fmt))
    resp.headers["Content-Type"] = fmt.content_type
    resp.vary.add("Accept")
    return resp
