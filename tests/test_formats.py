"""The format table: lookups, and a round trip through every RDF format with two parsers."""
import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kg import formats
from kg.errors import UnsupportedFormat

SAMPLE = """<http://x.org/a> <http://x.org/p> "caf\\u00e9 \\"quoted\\""@fr .
<http://x.org/a> <http://x.org/q> _:b .
_:b <http://x.org/r> "2"^^<http://www.w3.org/2001/XMLSchema#integer> .
"""


def test_lookup_by_name_media_type_extension_alias():
    assert formats.by_name("turtle").extension == "ttl"
    assert formats.by_media_type("text/turtle; charset=utf-8").name == "turtle"
    assert formats.by_extension("jsonld").name == "jsonld"
    assert formats.by_alias("xml", ("results",)).name == "xml"
    assert formats.by_alias("xml", ("rdf",)).name == "rdfxml"
    assert formats.by_alias("application/sparql-results+json", ("results",)).name == "json"
    with pytest.raises(UnsupportedFormat):
        formats.by_name("yaml")
    with pytest.raises(UnsupportedFormat):
        formats.for_path("data.csv")


def test_names_extensions_and_media_types_are_unique():
    fs = formats.FORMATS
    assert len({f.name for f in fs}) == len(fs)
    assert len({f.extension for f in fs}) == len(fs)
    assert len({(f.kind, m) for f in fs for m in f.media_types}) == sum(len(f.media_types) for f in fs)


@pytest.mark.parametrize("fmt", [f for f in formats.of_kind("rdf") if f.name != "n3"], ids=lambda f: f.name)
def test_round_trip_through_oxigraph_and_rdflib(fmt):
    triples = list(ox.parse(SAMPLE, format=ox.RdfFormat.N_TRIPLES))
    g0 = Graph().parse(data=SAMPLE, format="nt")
    if fmt.quads:
        quads = [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode("http://x.org/g")) for t in triples]
        data = ox.serialize(quads, format=fmt.ox)
        ds = Dataset()
        ds.parse(data=data, format=fmt.rdflib)
        g1 = ds.graph("http://x.org/g")
    else:
        data = ox.serialize(triples, format=fmt.ox)
        g1 = Graph().parse(data=data, format=fmt.rdflib)
    assert isomorphic(g0, g1), data.decode()
    back = list(ox.parse(data, format=fmt.ox))
    assert len(back) == 3
