"""Real SPARQL clients against a live server: SPARQLWrapper (every return format), rdflib's
SPARQLStore and roqet (Debian rasqal-utils, a C client)."""
from __future__ import annotations

import shutil
import subprocess

import pytest
from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

STATES = "SELECT ?s ?label WHERE { ?s a <http://127.0.0.1:8080/ontology#ParticipatingState> ; " \
         "<http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?s LIMIT 5"
CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s a <http://127.0.0.1:8080/ontology#ParticipatingState> ; ?p ?o } LIMIT 20"


def test_sparqlwrapper_select_formats(live_endpoint):
    sw = SPARQLWrapper(live_endpoint)
    sw.setQuery(STATES)
    sw.setReturnFormat(JSON)
    rows = sw.query().convert()["results"]["bindings"]
    assert len(rows) == 5
    sw.setReturnFormat(XML)
    assert len(sw.query().convert().getElementsByTagName("result")) == 5
    sw.setReturnFormat(CSV)
    assert sw.query().convert().decode().count("\r\n") == 6
    sw.setReturnFormat(TSV)
    assert sw.query().convert().decode().startswith("?s\t?label")


@pytest.mark.parametrize("fmt,media_type,rdflib_format", [
    (TURTLE, "text/turtle", "turtle"), (N3, "text/n3", "n3"), (RDFXML, "application/rdf+xml", "xml"),
    (JSONLD, "application/ld+json", "json-ld")])
def test_sparqlwrapper_graph_formats(live_endpoint, fmt, media_type, rdflib_format):
    # convert() would build a (deprecated) rdflib ConjunctiveGraph: parse the bytes instead
    sw = SPARQLWrapper(live_endpoint)
    sw.setQuery(CONSTRUCT)
    sw.setReturnFormat(fmt)
    result = sw.query()
    assert result.info()["content-type"].startswith(media_type)
    assert len(Graph().parse(data=result.response.read(), format=rdflib_format)) == 20


def test_sparqlwrapper_ntriples_and_post(live_endpoint):
    sw = SPARQLWrapper(live_endpoint)
    sw.setQuery(CONSTRUCT)
    sw.setMethod("POST")
    sw.setOnlyConneg(True)
    sw.addCustomHttpHeader("Accept", "application/n-triples")
    result = sw.query()
    assert result.info()["content-type"].startswith("application/n-triples")
    assert len(Graph().parse(data=result.response.read(), format="nt")) == 20


def test_sparqlwrapper_syntax_error_is_query_bad_formed(live_endpoint):
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed
    sw = SPARQLWrapper(live_endpoint)
    sw.setQuery("SELECT * {")
    with pytest.raises(QueryBadFormed):
        sw.query()


def test_rdflib_sparqlstore(live_endpoint):
    g = Graph(SPARQLStore(live_endpoint, returnFormat="json"))
    rows = list(g.query(STATES))
    assert len(rows) == 5 and isinstance(rows[0][0], URIRef)
    assert g.query("ASK { ?s ?p ?o }").askAnswer is True


def test_roqet(live_endpoint):
    assert shutil.which("roqet"), "roqet missing: scripts/install-system-deps.sh installs rasqal-utils"
    out = subprocess.run(["roqet", "-p", live_endpoint, "-r", "csv", "-e", STATES], capture_output=True, text=True,
                         timeout=30)
    assert out.returncode == 0, out.stderr
    assert len([ln for ln in out.stdout.splitlines() if "/id/" in ln]) == 5
