"""kg/terms.py stays equal to the ontology, and the closed namespace refuses typos."""
import pytest

from kg import vocab
from kg.terms import TERMS


def test_generated_terms_match_the_ontology():
    generated = vocab._generate()
    namespace = {}
    exec(generated, namespace)
    assert namespace["TERMS"] == TERMS, "run `python -m kg.vocab` after editing ontology/osce.ttl"


def test_closed_namespace():
    O = vocab.Ontology("http://example.org/")
    assert str(O.Release) == "http://example.org/ontology#Release"
    with pytest.raises(AttributeError):
        O.Releases
