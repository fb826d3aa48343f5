"""The SPARQL 1.1 Protocol endpoint at ``/sparql``.

- Queries by GET ``?query=``, form POST and direct POST (``application/sparql-query``), with
  ``default-graph-uri``/``named-graph-uri`` (repeatable; they replace FROM/FROM NAMED). Without
  them the default graph is the union of all graphs.
- The answer format comes from ``format``/``output``/``results`` parameters, then Accept
  (q-values, wildcards, lists); 406 when nothing offered is acceptable. Every negotiated
  response has ``Vary: Accept`` and a ``charset=utf-8`` Content-Type of the body's type.
- Limits: ``timeout`` (seconds) can only lower QUERY_TIMEOUT_S; a timeout is a 503, never a
  200 cut short. At most MAX_ROWS rows; a cut answer says so in the ``SPARQL-Results-Truncated``
  header and, where the format allows, in the body. SERVICE only to SERVICE_ALLOWLIST.
- SPARQL Update: POST only, with ``Authorization: Bearer <ADMIN_TOKEN>``; off when no token.
- A GET without a query answers the service description. Clients that prefer text/html get the
  query editor instead (:mod:`server.query_ui`), which runs a given query and shows a table.
"""
from __future__ import annotations

import hmac

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, request

from kg import formats
from kg.errors import StoreError
from kg.formats import Format
from kg.results import Job, Outcome
from kg.sparql_text import UsingConflict, add_using
from server import limits
from server.cache import etag
from server.errors import ApiError
from server.extension import get_store
from server.negotiation import choose
from server.querying import get_runner

bp = Blueprint("sparql", __name__)

RESULT_FORMATS = formats.of_kind("results")
GRAPH_FORMATS = formats.of_kind("rdf")
HTML = formats.by_name("html")
TRUNCATED_HEADER = "SPARQL-Results-Truncated"
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": f"ETag, Link, Retry-After, {TRUNCATED_HEADER}",
}


@bp.before_app_request
def _limits() -> None:
    if request.blueprint in ("sparql", "graph_store", "canned"):
        limits.check_request()


@bp.after_app_request
def _cors(resp: Response) -> Response:
    """CORS on the API: any origin may read; preflight is answered without auth."""
    if request.blueprint in ("sparql", "graph_store", "canned") or request.path.startswith(("/sparql", "/api/")):
        resp.headers.update(CORS_HEADERS)
        if request.method == "OPTIONS":
            resp.headers["Access-Control-Allow-Methods"] = "GET, HEAD, POST, PUT, DELETE, OPTIONS"
            resp.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type, Authorization"
            resp.headers["Access-Control-Max-Age"] = "86400"
    return resp


def _param_values(name: str) -> list[str]:
    """A parameter's values from the URL and, for a form POST, the body."""
    values = request.args.getlist(name)
    if request.method == "POST" and request.mimetype == "application/x-www-form-urlencoded":
        values += request.form.getlist(name)
    return values


def graph_iris(name: str) -> list[str]:
    """The values of a graph-IRI parameter (``default-graph-uri`` ...), checked.

    :raises ApiError: 400 for a value that is not an absolute IRI.
    """
    values = _param_values(name)
    for v in values:
        try:
            ox.NamedNode(v)
        except ValueError as e:
            raise ApiError(400, f"{name} must be an absolute IRI, not {v!r}: {e}") from None
    return values


def _body_text() -> str:
    """A direct POST body as text; it must be UTF-8.

    :raises ApiError: 400 for another charset or bytes that are not UTF-8.
    """
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise ApiError(400, f"the request body must be UTF-8, not {charset}")
    try:
        return request.get_data().decode("utf-8")
    except UnicodeDecodeError as e:
        raise ApiError(400, f"the request body is not valid UTF-8: {e}") from e


def read_operation() -> tuple[str, str | None]:
    """Return ``("query"|"update", text)``; the text is None for a GET without a query.

    :raises ApiError: 400 for a missing or repeated parameter or a GET update, 415 for a
        POST body of the wrong type.
    """
    if request.method == "GET" or request.method == "HEAD":
        if request.args.getlist("update"):
            raise ApiError(400, "SPARQL Update must be sent by POST")
        queries = request.args.getlist("query")
        if len(queries) > 1:
            raise ApiError(400, "give exactly one 'query' parameter")
        return "query", (queries[0] if queries else None)
    ctype = request.mimetype
    if ctype == "application/x-www-form-urlencoded":
        queries, updates = _param_values("query"), _param_values("update")
        if len(queries) + len(updates) != 1:
            raise ApiError(400, "give exactly one 'query' or one 'update' parameter")
        return ("query", queries[0]) if queries else ("update", updates[0])
    if ctype == "application/sparql-query":
        return "query", _body_text()
    if ctype == "application/sparql-update":
        return "update", _body_text()
    raise ApiError(415, "POST a query as application/sparql-query or application/x-www-form-urlencoded, "
                        f"an update as application/sparql-update; got {ctype or 'no Content-Type'}")


def negotiate(supported: tuple[Format, ...], kind: str) -> Format | None:
    """The format for answers of ``kind``: ``format``/``output``/``results`` first, then Accept.
    None when the client accepts nothing of that kind."""
    for name in ("format", "output", "results"):
        for value in _param_values(name):
            f = formats.by_alias(value, (kind,))
            if f in supported:
                return f
    return choose(request.headers.get("Accept"), supported)


def _offered() -> str:
    return ", ".join(f.media_type for f in RESULT_FORMATS + GRAPH_FORMATS)


def _wants_html() -> bool:
    """True when the client prefers text/html to every results and RDF format."""
    return choose(request.headers.get("Accept"), RESULT_FORMATS + GRAPH_FORMATS + (HTML,)) is HTML \
        and not any(_param_values(n) for n in ("format", "output", "results"))


def _timeout() -> float:
    """The server's time limit, lowered by a ``timeout`` parameter (seconds).

    :raises ApiError: 400 for a value that is not a positive number.
    """
    limit = float(current_app.config["QUERY_TIMEOUT_S"])
    values = _param_values("timeout")
    if values:
        try:
            asked = float(values[-1])
        except ValueError:
            raise ApiError(400, f"timeout must be a number of seconds, not {values[-1]!r}") from None
        if not asked > 0:
            raise ApiError(400, "timeout must be a positive number of seconds")
        limit = min(limit, asked)
    return limit


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint() -> Response:
    """Answer a SPARQL query (or, with the admin token, an update)."""
    op, text = read_operation()
    if text:
        limits.check_nesting(text)
    if op == "update":
        return run_update(text)
    if _wants_html():
        from server.query_ui import page
        return page(text)
    if text is None:
        from server.service_description import service_description
        return service_description()
    limits.check_service(text)
    default_graphs = graph_iris("default-graph-uri")
    named_graphs = graph_iris("named-graph-uri")
    results_fmt, graph_fmt = negotiate(RESULT_FORMATS, "results"), negotiate(GRAPH_FORMATS, "rdf")
    if results_fmt is None and graph_fmt is None:
        raise ApiError(406, f"none of the accepted media types can be served; offered: {_offered()}")
    job = Job(text, tuple(default_graphs) if default_graphs else None, tuple(named_graphs) if named_graphs else None,
              results_fmt.name if results_fmt else None, graph_fmt.name if graph_fmt else None,
              int(current_app.config["MAX_ROWS"]), current_app.config["BASE_IRI"])
    cacheable = request.method in ("GET", "HEAD")
    tag = None
    if cacheable:
        tag = etag(get_store().version(), job)
        if request.if_none_match.contains(tag):
            resp = Response(status=304)
            resp.set_etag(tag)
            resp.vary.add("Accept")
            return resp
    outcome = get_runner().run(job, _timeout(), cache=cacheable)
    return answer(outcome, tag)


def answer(outcome: Outcome, tag: str | None) -> Response:
    """The HTTP response for a query outcome.

    :raises ApiError: 406 when the answer is of a kind the client accepts no format for.
    """
    if outcome.format is None:
        kinds = RESULT_FORMATS if outcome.kind == "results" else GRAPH_FORMATS
        raise ApiError(406, f"this query's answer is available as {', '.join(f.media_type for f in kinds)}")
    fmt = formats.by_name(outcome.format)
    resp = Response(outcome.body, status=200)
    resp.headers["Content-Type"] = fmt.content_type
    resp.vary.add("Accept")
    if outcome.truncated:
        resp.headers[TRUNCATED_HEADER] = f"max-rows={outcome.rows}"
    if tag is not None:
        resp.set_etag(tag)
        resp.headers["Cache-Control"] = "public, max-age=60"
    return resp


def check_admin() -> None:
    """Allow a write only with ``Authorization: Bearer <ADMIN_TOKEN>``.

    :raises ApiError: 403 when writes are disabled, 401 for a missing or wrong token.
    """
    token = current_app.config["ADMIN_TOKEN"]
    if not token:
        raise ApiError(403, "this endpoint is read-only: SPARQL Update and Graph Store writes are disabled")
    given = request.headers.get("Authorization", "")
    if not (given.startswith("Bearer ") and hmac.compare_digest(given[7:].strip().encode(), token.encode())):
        raise ApiError(401, "writes need the admin token (Authorization: Bearer …)",
                       headers={"WWW-Authenticate": 'Bearer realm="osce-kg"'})


def run_update(text: str) -> Response:
    """Run a SPARQL Update with the protocol's ``using-graph-uri``/``using-named-graph-uri``.

    :raises ApiError: 400 when the dataset is given twice, 403/401 without the admin token,
        503 when the store cannot be written.
    """
    check_admin()
    using, using_named = graph_iris("using-graph-uri"), graph_iris("using-named-graph-uri")
    if using or using_named:
        try:
            text = add_using(text, using, using_named)
        except UsingConflict as e:
            raise ApiError(400, str(e)) from None
    store = get_store()
    if not hasattr(store, "update") or getattr(store, "read_only", False):
        raise StoreError("the store is open read-only; run updates against a writable store")
    store.update(text, base_iri=current_app.config["BASE_IRI"])
    return Response(status=204)
