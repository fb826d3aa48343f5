"""The query editor that browsers get at ``/sparql`` (only when they prefer ``text/html``).

Without JavaScript it is a form: GET ``/sparql?query=…`` runs the query and answers this page
with the results as an HTML table, download links (``&format=csv`` …, the same query answered
by the endpoint) and a share link (the page's own URL). ``?example=NAME`` loads one of the
example queries of ``ontology/queries`` into the form without running it.

With JavaScript, ``static/sparql-ui.js`` puts the vendored YASQE editor (``static/yasgui/``)
over the textarea: SPARQL highlighting, syntax check, and completion of prefixes, classes and
properties from ``/sparql/terms.json`` — our ontology and the prefixes we use, never LOV or
prefix.cc.
"""
from __future__ import annotations

import json
import sqlite3
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, render_template, request, url_for
from rdflib import URIRef
from rdflib.namespace import OWL, RDF, RDFS

from kg import errors as kg_errors
from kg import formats
from kg.results import Job, Outcome, json_term
from server import canned, limits
from server.errors import STATUS, ApiError
from server.extension import get_state
from server.ontology_docs import ontology_graph
from server.querying import get_runner

bp = Blueprint("query_ui", __name__)

#: most rows the HTML table shows; the download links give the whole answer (up to MAX_ROWS)
HTML_MAX_ROWS = 1000
#: the example the editor starts with
DEFAULT_EXAMPLE = "latest-releases"
#: the prefixes the editor knows besides ``osce:`` (the ontology's namespaces win where they differ)
STANDARD_PREFIXES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "org": "http://www.w3.org/ns/org#",
    "schema": "http://schema.org/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "sem": "http://semanticweb.cs.vu.nl/2009/11/sem/",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "time": "http://www.w3.org/2006/time#",
    "void": "http://rdfs.org/ns/void#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "wd": "http://www.wikidata.org/entity/",
}
#: terms every query over our data uses, whether or not the ontology mentions them
COMMON_PROPERTIES = (str(RDF.type), str(RDFS.label), str(RDFS.comment), str(OWL.sameAs),
                     STANDARD_PREFIXES["skos"] + "prefLabel", STANDARD_PREFIXES["skos"] + "altLabel",
                     STANDARD_PREFIXES["schema"] + "name", STANDARD_PREFIXES["dcterms"] + "source")
RESULT_DOWNLOADS = tuple(formats.by_name(n) for n in ("json", "xml", "csv", "tsv"))
GRAPH_DOWNLOADS = tuple(formats.by_name(n) for n in ("turtle", "ntriples", "rdfxml", "jsonld"))
_LABELS = {"json": "JSON", "xml": "XML", "csv": "CSV", "tsv": "TSV", "turtle": "Turtle", "ntriples": "N-Triples",
           "rdfxml": "RDF/XML", "jsonld": "JSON-LD"}


def prefixes() -> dict[str, str]:
    """``osce`` (this deployment's ontology namespace) and the standard prefixes, by name."""
    out = dict(STANDARD_PREFIXES)
    declared = {p: str(n) for p, n in ontology_graph().namespaces()}
    for p in out:
        if p in declared:
            out[p] = declared[p]
    return {"osce": get_state().minter.namespace} | out


def terms() -> dict:
    """What the editor completes: prefixes, and the IRIs of the classes and properties of our
    ontology (with the outside terms it subclasses or subproperties) and of the data."""
    version = get_state().store.version()
    cached = current_app.extensions.get("kg-query-terms")
    if cached is not None and cached[0] == version:
        return cached[1]
    g = ontology_graph()
    classes = {s for k in (OWL.Class, RDFS.Class) for s in g.subjects(RDF.type, k)}
    classes |= set(g.objects(None, RDFS.subClassOf))
    props = {s for k in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)
             for s in g.subjects(RDF.type, k)}
    props |= set(g.objects(None, RDFS.subPropertyOf))
    used = used_terms()
    out = {"prefixes": prefixes(),
           "classes": sorted({str(c) for c in classes if isinstance(c, URIRef)} | set(used.get("classes", {}))),
           "properties": sorted({str(p) for p in props if isinstance(p, URIRef)} | set(COMMON_PROPERTIES)
                                | set(used.get("properties", {})))}
    current_app.extensions["kg-query-terms"] = (version, out)
    return out


def used_terms() -> dict:
    """The classes and properties the data uses (the VoID partitions of the side index); empty
    when the index cannot be built or read, e.g. beside a read-only or remote store."""
    from server.linkeddata import get_index
    try:
        return get_index().stats()
    except (OSError, sqlite3.Error, kg_errors.KgError) as e:
        current_app.logger.warning("query editor: completing from the ontology only (%s)", e)
        return {}


@bp.route("/sparql/terms.json")
def terms_json() -> Response:
    """The editor's completion list (JSON)."""
    resp = Response(json.dumps(terms(), ensure_ascii=False, indent=1), mimetype="application/json")
    resp.headers["Cache-Control"] = "public, max-age=300"
    return resp


def shorten(iri: str, known: dict[str, str]) -> str:
    """``iri`` as a prefixed name when one of ``known`` fits, else ``<iri>``.

    >>> shorten("http://x/o#Release", {"osce": "http://x/o#"})
    'osce:Release'
    >>> shorten("http://x/o#a/b", {"osce": "http://x/o#"})
    '<http://x/o#a/b>'
    """
    for p, ns in known.items():
        local = iri[len(ns):]
        if iri.startswith(ns) and local and all(c.isalnum() or c in "_-" for c in local):
            return f"{p}:{local}"
    return f"<{iri}>"


def _cell(term: dict | None, known: dict[str, str]) -> dict | None:
    """A SPARQL-JSON term as a table cell: text to show, a link for IRIs, a note for literals."""
    if term is None:
        return None
    if term["type"] == "uri":
        return {"kind": "iri", "text": shorten(term["value"], known), "href": term["value"], "title": term["value"]}
    if term["type"] == "bnode":
        return {"kind": "bnode", "text": "_:" + term["value"]}
    note = "@" + term["xml:lang"] if "xml:lang" in term else \
        shorten(term["datatype"], known) if "datatype" in term else ""
    return {"kind": "literal", "text": term["value"], "note": note}


def table(outcome: Outcome) -> dict:
    """The answer as ``{"vars", "rows", "boolean"}`` of display cells."""
    known = prefixes()
    if outcome.kind == "rdf":
        triples = ox.parse(outcome.body, format=ox.RdfFormat.N_TRIPLES)
        rows = [[_cell(json_term(x), known) for x in (t.subject, t.predicate, t.object)] for t in triples]
        return {"vars": ["subject", "predicate", "object"], "rows": rows, "boolean": None}
    data = json.loads(outcome.body)
    if "boolean" in data:
        return {"vars": [], "rows": [], "boolean": data["boolean"]}
    names = data["head"]["vars"]
    rows = [[_cell(b.get(n), known) for n in names] for b in data["results"]["bindings"]]
    return {"vars": names, "rows": rows, "boolean": None}


def _link(**params) -> str:
    return url_for("sparql.endpoint") + "?" + urlencode(params)


def page(query: str | None, run: bool = True) -> Response:
    """The editor page; with a query, also its answer (or the error it gave)."""
    from server.sparql import _timeout, graph_iris
    examples = list(canned.load(current_app.config["BASE_IRI"]).values())
    status, error, answer, outcome = 200, None, None, None
    if query is None:
        chosen = request.args.get("example")
        picked = next((q for q in examples if q["name"] == chosen), None)
        if chosen and picked is None:
            status, error = 404, f"no example query {chosen!r}"
        query = picked["query"] if picked else examples_default(examples)
        run = False
    if run:
        try:
            limits.check_service(query)
            default_graphs = tuple(graph_iris("default-graph-uri")) or None
            named_graphs = tuple(graph_iris("named-graph-uri")) or None
            job = Job(query, default_graphs, named_graphs, "json", "ntriples",
                      min(HTML_MAX_ROWS, int(current_app.config["MAX_ROWS"])), current_app.config["BASE_IRI"])
            outcome = get_runner().run(job, _timeout(), cache=True)
            answer = table(outcome)
        except ApiError as e:
            status, error = e.status, e.detail
        except kg_errors.KgError as e:
            status = next((v[0] for k, v in STATUS.items() if isinstance(e, k)), 500)
            error = str(e)
    downloads = []
    if outcome is not None:
        for f in RESULT_DOWNLOADS if outcome.kind == "results" else GRAPH_DOWNLOADS:
            downloads.append({"label": _LABELS[f.name], "href": _link(query=query, format=f.name),
                              "filename": f"query-results.{f.extension}", "type": f.media_type})
    share = request.host_url.rstrip("/") + _link(query=query)
    body = render_template("sparql.html", title="SPARQL query", query=query, examples=examples,
                           example_name=request.args.get("example", ""), ran=run, error=error, answer=answer,
                           outcome=outcome, shown_max=HTML_MAX_ROWS, downloads=downloads, share=share,
                           prefixes=prefixes())
    resp = Response(body, status=status, mimetype="text/html")
    resp.vary.add("Accept")
    return resp


def examples_default(examples: list[dict]) -> str:
    """The query the editor starts with: the latest releases, else the first example."""
    by_name = {q["name"]: q for q in examples}
    first = by_name.get(DEFAULT_EXAMPLE) or (examples[0] if examples else None)
    return first["query"] if first else "SELECT * WHERE { ?s ?p ?o } LIMIT 10"
