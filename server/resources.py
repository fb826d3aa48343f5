"""Linked-data documents for the things in the dataset (``/id/<kind>/<slug>``)."""
from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, request

from kg import formats
from server.errors import ApiError
from server.extension import get_state
from server.negotiation import choose

bp = Blueprint("resources", __name__)

DESCRIBE = "CONSTRUCT { ?this ?p ?o } WHERE { ?this ?p ?o }"


@bp.route("/id/<kind>/<slug>")
def thing(kind: str, slug: str) -> Response:
    """The thing's outgoing statements as RDF (Turtle unless Accept says otherwise)."""
    state = get_state()
    iri = state.minter.base + request.path.lstrip("/")
    fmt = choose(request.headers.get("Accept"), formats.of_kind("rdf"))
    if fmt is None:
        raise ApiError(406, "this document is available as " + ", ".join(f.media_type for f in formats.of_kind("rdf")))
    triples = list(state.store.query(DESCRIBE, substitutions={"this": ox.NamedNode(iri)}))
    if not triples:
        raise ApiError(404, f"nothing is known about {iri}")
    resp = Response(ox.serialize(triples, format=fmt.ox))
    resp.headers["Content-Type"] = fmt.content_type
    resp.vary.add("Accept")
    return resp
