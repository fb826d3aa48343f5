"""One place that turns errors into HTTP responses, with one error body per media type:
JSON ``{"error": {"status", "title", "detail"}}`` for JSON clients, plain text otherwise,
and a small HTML page for browsers."""
from __future__ import annotations

import json

from flask import Flask, Response, request
from markupsafe import escape
from werkzeug.exceptions import HTTPException

from kg import errors as kg_errors

# library error -> (status, title)
STATUS = {
    kg_errors.QueryError: (400, "Malformed query"),
    kg_errors.QueryTimeout: (503, "Query timed out"),
    kg_errors.UnsupportedFormat: (406, "Not acceptable"),
    kg_errors.ParseError: (400, "Unreadable input"),
    kg_errors.StoreError: (503, "Store unavailable"),
    kg_errors.ShapeViolation: (422, "Data violates the shapes"),
}


class ApiError(Exception):
    """An HTTP error raised by a view: status, title, detail and extra headers."""

    def __init__(self, status: int, detail: str, *, title: str | None = None, headers: dict | None = None):
        super().__init__(detail)
        self.status, self.detail, self.headers = status, detail, headers or {}
        self.title = title or _TITLES.get(status, "Error")


_TITLES = {400: "Bad request", 404: "Not found", 405: "Method not allowed", 406: "Not acceptable",
           413: "Payload too large", 414: "URI too long", 415: "Unsupported media type",
           429: "Too many requests", 401: "Unauthorized", 403: "Forbidden", 503: "Service unavailable"}


# RDF media types whose error body is an empty document with the error in comments (Turtle and
# its relatives, RDF/XML) or in a key no context maps (JSON-LD): a client parsing the body as the
# type it asked for still succeeds.
COMMENTED = ("text/turtle", "application/n-triples", "application/n-quads", "application/trig", "text/n3")
RDF_ERROR_TYPES = (*COMMENTED, "application/ld+json", "application/rdf+xml")


def rdf_error_body(mimetype: str, status: int, title: str, detail: str) -> str:
    """An RDF document of type ``mimetype`` that states no triples and carries the error.

    >>> rdf_error_body("text/turtle", 404, "Not found", "no such thing\\nreally")
    '# 404 Not found\\n# no such thing\\n# really\\n'
    """
    if mimetype in COMMENTED:
        return "".join(f"# {line}\n" for line in f"{status} {title}\n{detail}".splitlines())
    if mimetype == "application/ld+json":
        return json.dumps({"@context": {}, "@graph": [], "error": {"status": status, "title": title, "detail": detail}},
                          ensure_ascii=False)
    text = f"{status} {title}: {detail}".replace("--", "- -")
    return ('<?xml version="1.0" encoding="utf-8"?>\n<!-- ' + str(escape(text)) + ' -->\n'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n')


def error_response(status: int, title: str, detail: str, headers: dict | None = None) -> Response:
    """Render an error in the representation the client accepts best (JSON, an empty RDF
    document with the error in comments, HTML or plain text)."""
    accept = request.accept_mimetypes
    best = accept.best_match(["application/json", "text/plain", "text/html", *RDF_ERROR_TYPES])
    if best in RDF_ERROR_TYPES and request.args.get("format") != "json":
        body, mimetype = rdf_error_body(best, status, title, detail), best
    elif best == "application/json" or request.args.get("format") == "json":
        body = json.dumps({"error": {"status": status, "title": title, "detail": detail}}, ensure_ascii=False)
        mimetype = "application/json"
    elif accept.best == "text/html" and request.accept_mimetypes.quality("text/html") > \
            request.accept_mimetypes.quality("text/plain"):
        body = (f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{status} {escape(title)}</title>"
                f"</head><body><main><h1>{status} {escape(title)}</h1><pre>{escape(detail)}</pre>"
                f"<p><a href=\"/\">Home</a></p></main></body></html>")
        mimetype = "text/html"
    else:
        body, mimetype = f"{status} {title}\n{detail}\n", "text/plain"
    resp = Response(body, status=status, mimetype=mimetype)
    resp.headers["Content-Type"] = f"{mimetype}; charset=utf-8"
    for k, v in (headers or {}).items():
        resp.headers[k] = v
    resp.vary.add("Accept")
    return resp


def register_error_handlers(app: Flask) -> None:
    """Map library errors, API errors and HTTP exceptions to responses, once."""

    @app.errorhandler(ApiError)
    def _api(e: ApiError):
        return error_response(e.status, e.title, e.detail, e.headers)

    @app.errorhandler(kg_errors.KgError)
    def _kg(e: kg_errors.KgError):
        status, title = next((v for k, v in STATUS.items() if isinstance(e, k)), (500, "Internal error"))
        return error_response(status, title, str(e))

    @app.errorhandler(HTTPException)
    def _http(e: HTTPException):
        headers = dict(e.get_headers())
        headers.pop("Content-Type", None)
        return error_response(e.code or 500, e.name, e.description or "", headers)
