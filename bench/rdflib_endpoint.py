"""The naive baseline: a tiny SPARQL endpoint over an in-memory ``rdflib.Dataset``.

``RDFLIB_NQ=dump.nq gunicorn -w 1 --threads 4 -b 127.0.0.1:PORT bench.rdflib_endpoint:app``
loads the N-Quads file (the default graph is the union of the named graphs, as in osce-kg) and
answers ``/sparql`` (GET ``query=`` or form POST): SELECT/ASK as SPARQL JSON, CONSTRUCT/DESCRIBE
as N-Triples. It is what a user would write in an afternoon: no limits, no cache.
"""
from __future__ import annotations

import os

from flask import Flask, Response, request
from rdflib import Dataset


def create_app(nquads: str) -> Flask:
    """The endpoint over the quads of ``nquads`` (parsed once, at start-up)."""
    ds = Dataset(default_union=True)
    ds.parse(nquads, format="nquads")
    app = Flask(__name__)

    @app.route("/sparql", methods=["GET", "POST"])
    def sparql() -> Response:
        """Answer one query."""
        q = request.values.get("query")
        if not q:
            return Response(f"{len(ds)} quads\n", mimetype="text/plain")
        try:
            result = ds.query(q)
        except Exception as e:  # noqa: BLE001 - a baseline: every failure is the client's
            return Response(str(e), status=400, mimetype="text/plain")
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            return Response(result.serialize(format="nt"), mimetype="application/n-triples")
        return Response(result.serialize(format="json"), mimetype="application/sparql-results+json")

    return app


if os.environ.get("RDFLIB_NQ"):
    app = create_app(os.environ["RDFLIB_NQ"])
