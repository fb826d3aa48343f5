"""Golden graphs: the ingest of the seed page, compared by isomorphism with a reviewed Turtle file.

After an intended change, regenerate with ``UPDATE_GOLDEN=1 pytest tests/test_golden.py`` and
review the diff of tests/data/expected/ before committing.
"""
import os

from rdflib import Graph
from rdflib.compare import graph_diff, to_isomorphic

from kg.extract import extract
from kg.mapping import ReleaseMapper
from kg.sources import read_path
from tests.conftest import BASE, CORPUS, DATA, FIXED_TIME

GOLDEN = {"00-seed-cio-visit-central-asia.txt": "seed.ttl"}


def assert_isomorphic(expected: Graph, actual: Graph) -> None:
    """Fail with the triples only in one of the graphs (blank nodes canonicalised)."""
    iso_e, iso_a = to_isomorphic(expected), to_isomorphic(actual)
    if iso_e == iso_a:
        return
    _, only_e, only_a = graph_diff(iso_e, iso_a)
    lines = ["graphs differ", "only in expected:"] + sorted(f"  {t}" for t in only_e.serialize(format="nt").splitlines())
    lines += ["only in actual:"] + sorted(f"  {t}" for t in only_a.serialize(format="nt").splitlines())
    raise AssertionError("\n".join(lines))


def release_graph(name: str) -> Graph:
    [release] = list(read_path(CORPUS / name))
    release = release.__class__(**{**release.__dict__, "file": name})
    return ReleaseMapper(BASE).to_graph(extract(release), generated_at=FIXED_TIME)


def test_seed_page_graph_matches_golden():
    for page, golden in GOLDEN.items():
        actual = release_graph(page)
        path = DATA / "expected" / golden
        if os.environ.get("UPDATE_GOLDEN"):
            path.write_text(actual.serialize(format="turtle"), encoding="utf-8")
        expected = Graph().parse(path, format="turtle")
        assert_isomorphic(expected, actual)


def test_the_comparison_reports_what_differs():
    g = release_graph("00-seed-cio-visit-central-asia.txt")
    changed = Graph()
    for t in g:
        changed.add(t)
    changed.remove(next(iter(g)))
    try:
        assert_isomorphic(g, changed)
    except AssertionError as e:
        assert "only in expected" in str(e)
    else:
        raise AssertionError("a missing triple went unnoticed")
