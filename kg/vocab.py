"""Vocabulary terms as rdflib IRIs: external namespaces, and the ontology's own closed
namespace bound to a base IRI (a typo is an AttributeError, not a silent new term).

Run ``python -m kg.vocab`` to regenerate :mod:`kg.terms` after editing ontology/osce.ttl.
"""
from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, TIME, VOID, XSD

from kg.terms import TERMS

SCHEMA = Namespace("http://schema.org/")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
WD = Namespace("http://www.wikidata.org/entity/")
SH = Namespace("http://www.w3.org/ns/shacl#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

__all__ = ["DCAT", "DCTERMS", "FOAF", "ORG", "OWL", "PROV", "RDF", "RDFS", "SKOS", "TIME", "VOID", "XSD",
           "SCHEMA", "SEM", "WD", "SH", "SD", "Ontology", "prefixes"]

class Ontology:
    """The ontology's terms under one base IRI.

    >>> O = Ontology("http://127.0.0.1:8080/")
    >>> O.Release
    rdflib.term.URIRef('http://127.0.0.1:8080/ontology#Release')
    >>> O.Relase
    Traceback (most recent call last):
    AttributeError: 'Relase' is not a term of the osce-kg ontology
    """

    def __init__(self, base: str):
        self.namespace = base + "ontology#"

    def __getattr__(self, name: str) -> URIRef:
        if name not in TERMS:
            raise AttributeError(f"{name!r} is not a term of the osce-kg ontology")
        return URIRef(self.namespace + name)

def prefixes(base: str) -> dict[str, str]:
    """Prefixes used in serialisations and example queries, with ``osce:`` bound to ``base``."""
    return {"osce": base + "ontology#", "rdf": str(RDF), "rdfs": str(RDFS), "owl": str(OWL), "xsd": str(XSD),
            "skos": str(SKOS), "org": str(ORG), "schema": str(SCHEMA), "foaf": str(FOAF), "sem": str(SEM),
            "prov": str(PROV), "dcterms": str(DCTERMS), "time": str(TIME), "void": str(VOID), "dcat": str(DCAT),
            "wd": str(WD)}

PREFIXES = prefixes

def _generate() -> str:
    import rdflib

    import ontology
    g = rdflib.Graph()
    g.parse(ontology.path("osce.ttl"), publicID="http://base.invalid/")
    ns = "http://base.invalid/ontology#"
    names = sorted({str(s)[len(ns):] for s in g.subjects() if str(s).startswith(ns)})
    return ('"""Local names of every term the ontology defines (generated from ontology/osce.ttl by\n'
            '``python -m kg.vocab``; tests/test_vocab.py keeps it equal to the ontology)."""\n'
            "TERMS = frozenset({\n" + "".join(f'    "{n}",\n' for n in names) + "})\n")

if __name__ == "__main__":
    import pathlib
    pathlib.Path(__file__).with_name("terms.py").write_text(_generate(), encoding="utf-8")
