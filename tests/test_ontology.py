"""The ontology parses, documents every term, is consistent, and carries its own IRI and version."""
import pytest
from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.namespace import SKOS

from kg import validate
from tests.conftest import BASE

NS = BASE + "ontology#"


@pytest.fixture(scope="module")
def onto() -> Graph:
    return validate.ontology_graph(BASE)


def own_terms(g: Graph, kinds) -> list[URIRef]:
    return sorted({s for k in kinds for s in g.subjects(RDF.type, k) if str(s).startswith(NS)})


def test_ontology_has_its_own_iri_and_version(onto):
    ontos = list(onto.subjects(RDF.type, OWL.Ontology))
    assert ontos == [URIRef(BASE + "ontology")]
    assert onto.value(ontos[0], OWL.versionIRI) == URIRef(BASE + "ontology/1.0.0")
    assert onto.value(ontos[0], OWL.versionInfo) is not None


@pytest.mark.parametrize("kinds", [(OWL.Class,), (OWL.ObjectProperty, OWL.DatatypeProperty)])
def test_every_class_and_property_has_label_and_definition(onto, kinds):
    terms = own_terms(onto, kinds)
    assert len(terms) > 20
    missing = [str(t) for t in terms if onto.value(t, RDFS.label) is None or onto.value(t, SKOS.definition) is None]
    assert missing == []


def test_release_classes_align_to_schema_newsarticle(onto):
    schema = URIRef("http://schema.org/NewsArticle")
    assert (URIRef(NS + "Release"), RDFS.subClassOf, schema) in onto
    for sub in ("PressRelease", "NewsItem", "PressStatement", "MonitoringReport"):
        assert (URIRef(NS + sub), RDFS.subClassOf, URIRef(NS + "Release")) in onto


def test_owl_rl_closure_of_ontology_and_reference_data_is_consistent():
    from kg import refgraph
    assert validate.owl_errors(refgraph.build(BASE) + validate.ontology_graph(BASE)) == []


def test_owl_rl_closure_detects_an_inconsistency():
    """The check can fail: a functional datatype property with two distinct literal values
    of a datatype that cannot be equal makes the closure report an error."""
    g = validate.ontology_graph(BASE)
    bad = Graph().parse(data=f"""
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        <{NS}A> owl:disjointWith <{NS}B> .
        <http://x/thing> a <{NS}A>, <{NS}B> .""", format="turtle")
    assert validate.owl_errors(g + bad) != []


def test_shapes_parse_and_target_release_classes():
    sh = validate.shapes(BASE)
    targets = set(sh.objects(None, URIRef("http://www.w3.org/ns/shacl#targetClass")))
    assert URIRef(NS + "Release") in targets and URIRef(NS + "ParticipatingState") in targets
