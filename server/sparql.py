"""The SPARQL 1.1 Protocol endpoint at ``/sparql`` (query by GET, form POST, direct POST)."""
from __future__ import annotations

from flask import Blueprint, Response, request

from kg import formats
from kg.formats import Format
from server.errors import ApiError
from server.extension import get_store
from server.negotiation import choose

bp = Blueprint("sparql", __name__)

RESULT_FORMATS = formats.of_kind("results")
GRAPH_FORMATS = formats.of_kind("rdf")


def read_query() -> tuple[str, list[str] | None, list[str] | None]:
    """Return the query text and the dataset given by ``default-graph-uri``/``named-graph-uri``.

    :raises ApiError: 400 for a missing or repeated query, 415 for a wrong body type.
    """
    if request.method == "GET":
        params = request.args
        queries = params.getlist("query")
    else:
        ctype = (request.mimetype or "").lower()
        if ctype == "application/x-www-form-urlencoded":
            params = request.form
            queries = params.getlist("query")
        elif ctype == "application/sparql-query":
            params = request.args
            try:
                queries = [request.get_data().decode("utf-8")]
            except UnicodeDecodeError as e:
                raise ApiError(400, f"the query body is not UTF-8: {e}") from e
        else:
            raise ApiError(415, f"POST a query as application/sparql-query or a form, not {ctype or 'no type'}")
    if len(queries) != 1:
        raise ApiError(400, "give exactly one 'query' parameter" if queries else "no 'query' parameter")
    defaults = params.getlist("default-graph-uri") or request.args.getlist("default-graph-uri") or None
    named = params.getlist("named-graph-uri") or request.args.getlist("named-graph-uri") or None
    return queries[0], defaults, named


def pick_format(supported: tuple[Format, ...], kind: str) -> Format:
    """The response format: ``format``/``output``/``results`` parameters, then Accept.

    :raises ApiError: 406 when nothing offered is acceptable.
    """
    values = request.values.getlist("format") + request.values.getlist("output") + request.values.getlist("results")
    for v in values:
        f = formats.by_alias(v, (kind,))
        if f in supported:
            return f
    f = choose(request.headers.get("Accept"), supported)
    if f is None:
        offered = ", ".join(m for s in supported for m in s.media_types)
        raise ApiError(406, f"none of the accepted media types can be served; offered: {offered}")
    return f


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint() -> Response:
    """Answer a SPARQL query in the negotiated format."""
    query, defaults, named = read_query()
    result = get_store().query(query, default_graph=defaults, named_graphs=named)
    if isinstance(result, bool) or hasattr(result, "variables") or type(result).__name__ == "QueryBoolean":
        fmt = pick_format(RESULT_FORMATS, "results")
        body = result.serialize(format=fmt.ox)
    else:
        fmt = pick_format(GRAPH_FORMATS, "rdf")
        body = result.serialize(format=fmt.ox)
    resp = Response(body, status=200)
    resp.headers["Content-Type"] = fmt.content_type
    resp.vary.add("Accept")
    return resp
