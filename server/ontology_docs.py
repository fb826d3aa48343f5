"""The ontology at its namespace (``/ontology``): HTML documentation generated from the ontology
itself for browsers, Turtle/JSON-LD/RDF-XML/N-Triples for machines, and a JSON-LD ``@context``
(``/ontology/context.jsonld``) that data can use without fetching anything from elsewhere."""
from __future__ import annotations

import json

from flask import Blueprint, Response, current_app, render_template
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

import ontology
from kg import formats
from server.errors import ApiError
from server.extension import get_state
from server.linkeddata import alternates
from server.resources import negotiate

bp = Blueprint("ontology_docs", __name__)

ONTOLOGY_FORMATS = tuple(formats.by_name(n) for n in ("turtle", "jsonld", "rdfxml", "ntriples"))


def ontology_graph() -> Graph:
    """The ontology resolved against this deployment's base IRI (parsed once per app)."""
    g = current_app.extensions.get("kg-ontology")
    if g is None:
        g = Graph().parse(ontology.path("osce.ttl"), publicID=get_state().minter.base)
        current_app.extensions["kg-ontology"] = g
    return g


def context() -> dict:
    """A JSON-LD context: the usual prefixes, and one short name per ontology term (object
    properties typed ``@id``, datatype properties with their range)."""
    g, ns = ontology_graph(), get_state().minter.namespace
    ctx: dict = {p: str(n) for p, n in g.namespaces() if p and not str(n).startswith(ns)}
    ctx["osce"] = ns
    for s in sorted(set(g.subjects()), key=str):
        name = str(s)[len(ns):]
        if not str(s).startswith(ns) or not name:
            continue
        if (s, RDF.type, OWL.ObjectProperty) in g:
            ctx[name] = {"@id": f"osce:{name}", "@type": "@id"}
        elif (s, RDF.type, OWL.DatatypeProperty) in g:
            rng = g.value(s, RDFS.range)
            ctx[name] = {"@id": f"osce:{name}"} | ({"@type": str(rng)} if rng and "XMLSchema#" in str(rng)
                                                    and not str(rng).endswith("#string") else {})
        else:
            ctx[name] = f"osce:{name}"
    return {"@context": ctx}


def _terms(g: Graph, kinds: tuple[URIRef, ...], ns: str) -> list[dict]:
    out = []
    for s in sorted({s for k in kinds for s in g.subjects(RDF.type, k) if str(s).startswith(ns)}, key=str):
        out.append({"iri": str(s), "name": str(s)[len(ns):], "label": g.value(s, RDFS.label),
                    "definition": g.value(s, SKOS.definition) or g.value(s, RDFS.comment),
                    "parents": sorted(str(o) for o in g.objects(s, RDFS.subClassOf) if isinstance(o, URIRef))
                    + sorted(str(o) for o in g.objects(s, RDFS.subPropertyOf) if isinstance(o, URIRef)),
                    "domain": [str(o) for o in g.objects(s, RDFS.domain) if isinstance(o, URIRef)],
                    "range": [str(o) for o in g.objects(s, RDFS.range) if isinstance(o, URIRef)]})
    return out


@bp.route("/ontology")
@bp.route("/ontology.<ext>")
def ontology_doc(ext: str | None = None) -> Response:
    """The ontology, as documentation or as RDF."""
    if ext:
        fmt = formats.by_extension(ext)
        if fmt not in ONTOLOGY_FORMATS:
            raise ApiError(404, f"the ontology is not offered as .{ext}")
    else:
        fmt = negotiate((formats.by_name("html"), *ONTOLOGY_FORMATS))
    g, ns = ontology_graph(), get_state().minter.namespace
    links = [("/ontology", formats.by_name("html"))] + [(f"/ontology.{f.extension}", f) for f in ONTOLOGY_FORMATS]
    if fmt.name == "html":
        onto = URIRef(ns[:-1])
        body = render_template("ontology.html", title="Ontology", g=g, ns=ns, onto=onto,
                               title_text=g.value(onto, URIRef("http://purl.org/dc/terms/title")),
                               description=g.value(onto, URIRef("http://purl.org/dc/terms/description")),
                               classes=_terms(g, (OWL.Class,), ns),
                               properties=_terms(g, (OWL.ObjectProperty, OWL.DatatypeProperty), ns),
                               individuals=_terms(g, (URIRef(ns + "Role"), URIRef(ns + "Post"),
                                                      URIRef(ns + "OperationalStatus")), ns),
                               short=lambda i: "osce:" + i[len(ns):] if i.startswith(ns) else i,
                               local=lambda i: "#" + i[len(ns):] if i.startswith(ns) else i, alternates=links)
        resp = Response(body, mimetype="text/html")
    else:
        resp = Response(g.serialize(format=fmt.rdflib, encoding="utf-8"))
        resp.headers["Content-Type"] = fmt.content_type
    resp.vary.add("Accept")
    alternates(resp, links)
    return resp


@bp.route("/ontology/context.jsonld")
def context_doc() -> Response:
    """The JSON-LD context of the ontology."""
    resp = Response(json.dumps(context(), indent=1, ensure_ascii=False))
    resp.headers["Content-Type"] = "application/ld+json; charset=utf-8"
    resp.headers["Access-Control-Allow-Origin"] = "*"
    return resp
