"""Canned queries: the example queries of ``ontology/queries/*.rq`` at stable URLs.

``/api/queries`` lists them (HTML for browsers, JSON otherwise); ``/api/queries/<name>`` runs
one, with its ``# param: NAME`` parameters given as ``?NAME=`` (an absolute IRI, else a string
literal), answering JSON or CSV (``?format=csv`` or Accept). They run like any query: time
limit, row cap, cache.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, jsonify, render_template, request

import ontology
from kg import formats
from kg.results import Job
from server.errors import ApiError
from server.negotiation import choose
from server.querying import get_runner
from server.sparql import answer

bp = Blueprint("canned", __name__)
QUERY_DIR = Path(ontology.__file__).resolve().parent / "queries"
SHIPPED_BASE = "http://127.0.0.1:8080/"
OFFERED = (formats.by_name("json"), formats.by_name("csv"))


@lru_cache(maxsize=4)
def load(base_iri: str) -> dict[str, dict]:
    """Every example query by name: title, parameters and text (IRIs rebased on ``base_iri``)."""
    out = {}
    for path in sorted(QUERY_DIR.glob("*.rq")):
        text = path.read_text(encoding="utf-8").replace(SHIPPED_BASE, base_iri)
        title = re.search(r"^# title: (.+)$", text, re.M)
        out[path.stem] = {"name": path.stem, "title": title.group(1) if title else path.stem,
                          "params": re.findall(r"^# param: (\w+)$", text, re.M), "query": text}
    return out


def _term(value: str) -> str:
    try:
        return str(ox.NamedNode(value)) if re.match(r"^[a-z][a-z0-9+.-]*:", value, re.I) else str(ox.Literal(value))
    except ValueError as e:
        raise ApiError(400, f"not a usable IRI: {value!r}: {e}") from None


@bp.route("/api/queries")
def index() -> Response:
    """The list of canned queries."""
    queries = list(load(current_app.config["BASE_IRI"]).values())
    fmt = choose(request.headers.get("Accept"), (formats.by_name("json"), formats.by_name("html")))
    if fmt is None:
        raise ApiError(406, "the list of queries is offered as application/json or text/html")
    if fmt.name == "html":
        resp = Response(render_template("sparql_queries.html", queries=queries), mimetype="text/html")
    else:
        resp = jsonify([{k: q[k] for k in ("name", "title", "params")} | {"url": f"/api/queries/{q['name']}"}
                        for q in queries])
    resp.vary.add("Accept")
    return resp


@bp.route("/api/queries/<name>")
def run(name: str) -> Response:
    """Run one canned query with its parameters.

    :raises ApiError: 404 for an unknown query, 400 for a missing parameter, 406.
    """
    q = load(current_app.config["BASE_IRI"]).get(name)
    if q is None:
        raise ApiError(404, f"no canned query {name!r}; see /api/queries")
    text = q["query"]
    for p in q["params"]:
        if not request.args.get(p):
            raise ApiError(400, f"this query needs the parameter {p!r}")
        text = text.replace("$" + p, _term(request.args[p]))
    fmt = formats.by_alias(request.args.get("format", ""), ("results",)) or \
        choose(request.headers.get("Accept"), OFFERED)
    if fmt not in OFFERED:
        raise ApiError(406, "canned queries answer application/sparql-results+json or text/csv")
    job = Job(text, results_format=fmt.name, graph_format=None, max_rows=int(current_app.config["MAX_ROWS"]))
    return answer(get_runner().run(job, float(current_app.config["QUERY_TIMEOUT_S"]), cache=True), None)
