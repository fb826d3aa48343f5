"""The side index: what it precomputes equals what the store and the links say, it stays equal
under incremental writes and removals, and a stale or missing index never blocks a request."""
from __future__ import annotations

import dataclasses
import sqlite3
import time

import pytest

from kg import describe, formats, search_index
from kg.mapping import ReleaseMapper
from kg.search_index import FACETS, SideIndex
from ld_fixtures import BASE, GENERATED, build_store, client, ld_app, ld_store, load_facts, make_app  # noqa: F401

THINGS = ["state/ukraine", "state/austria", "institution/odihr", "person/sebastian-kurz", "field-of-work/elections",
          "content-type/press-release", "place/vienna", "chairpersonship/osce-chairpersonship-2017"]
TABLES = ("releases", "links", "facet_counts", "facet_pairs", "mentions", "incoming", "entities", "names")


@pytest.fixture()
def store():
    """A fresh fixture store (these tests write to it)."""
    return build_store()


@pytest.fixture()
def index(store, tmp_path):
    idx = SideIndex(tmp_path / "index.sqlite")
    idx.rebuild(store, BASE)
    yield idx
    idx.close()


def snapshot(idx: SideIndex) -> dict[str, list]:
    """Every row of every table, sorted (zero counts left by removals do not count)."""
    out = {}
    for t in TABLES:
        rows = idx.db.execute(f"SELECT * FROM {t}").fetchall()
        out[t] = sorted(r for r in rows if not (t in ("facet_counts", "facet_pairs", "mentions") and r[-1] == 0))
    return out


def test_incoming_counts_equal_the_stores(store, index):
    for thing in THINGS:
        iri = BASE + "id/" + thing
        assert index.incoming_counts(iri) == describe.incoming_counts(store, iri), thing


def test_mentions_and_timeline_equal_the_links(index):
    for thing in THINGS:
        iri = BASE + "id/" + thing
        rows = index.db.execute("SELECT DISTINCT release, date FROM links WHERE value=?", (iri,)).fetchall()
        assert index.count_mentioning(iri) == len(rows), thing
        years: dict[int, int] = {}
        for _, date in rows:
            if date:
                years[int(date[:4])] = years.get(int(date[:4]), 0) + 1
        assert index.timeline(iri) == sorted(years.items()), thing
        listed, _ = index.mentioning(iri, limit=100)
        assert sorted(r.slug for r in listed) == sorted(r for r, _ in rows)


@pytest.mark.parametrize("filters", [{}, {"state": BASE + "id/state/ukraine"}, {"year": "2019"},
                                     {"structure": BASE + "id/institution/odihr"},
                                     {"state": BASE + "id/state/austria", "structure": BASE + "id/chairpersonship/osce-chairpersonship-2017"}])
def test_precomputed_facet_counts_equal_counting_the_releases(index, filters):
    """Facet counts under no filter or one filter come from the precomputed tables; they must
    equal counting the links of the releases the listing returns."""
    rows, _ = index.releases(filters, limit=1000)
    assert index.count_releases(filters) == len(rows)
    expected: dict[str, dict[str, int]] = {f: {} for f in FACETS}
    for r in rows:
        for facet, value in index.db.execute("SELECT facet, value FROM links WHERE release=?", (r.slug,)):
            if facet in expected:
                expected[facet][value] = expected[facet].get(value, 0) + 1
    got = index.facet_counts(filters, top=1000)
    assert {f: {v: n for v, _, n in vals} for f, vals in got.items()} == expected


def test_incremental_writes_and_removals_match_a_rebuild(store, index, tmp_path):
    mapper, nt = ReleaseMapper(BASE), formats.by_name("ntriples")
    facts = load_facts()
    graph = mapper.graph_iri(facts[0].release)
    index.remove_release(graph)
    store.remove_graph(graph)
    index.finish(store, BASE)
    assert index.count_releases({}) == len(facts) - 1
    g = mapper.to_graph(facts[0], generated_at=GENERATED)
    store.replace_graph(graph, g.serialize(format="nt"), nt)
    index.index_release(store, graph, BASE)
    index.index_release(store, graph, BASE)  # indexing the same release again changes nothing
    index.finish(store, BASE)
    fresh = SideIndex(tmp_path / "fresh.sqlite")
    fresh.rebuild(store, BASE)
    assert snapshot(index) == snapshot(fresh)
    assert index.version() == fresh.version() == store.version()


def test_an_index_of_an_older_schema_is_rebuilt(store, tmp_path):
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    db.executescript("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);"
                     "INSERT INTO meta VALUES ('version', 'whatever');"
                     "CREATE TABLE releases(slug TEXT PRIMARY KEY, title TEXT);")
    db.commit()
    db.close()
    assert SideIndex(path, read_only=True).version() is None  # unusable: it must be rebuilt
    search_index.ensure(path, store, BASE)
    idx = SideIndex(path, read_only=True)
    assert idx.version() == store.version() and idx.count_releases({}) == 5


def _write_release(store) -> None:
    """Add one release to the store behind the index's back (as SPARQL Update would)."""
    mapper, nt = ReleaseMapper(BASE), formats.by_name("ntriples")
    f = load_facts()[0]
    rel = dataclasses.replace(f.release, url="https://www.osce.org/x/999999")
    g = mapper.to_graph(dataclasses.replace(f, release=rel), generated_at=GENERATED)
    store.replace_graph(mapper.graph_iri(rel), g.serialize(format="nt"), nt)


def _wait_fresh(client, url, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        r = client.get(url)
        if r.status_code == 200 and "Warning" not in r.headers:
            return r
        time.sleep(0.1)
    raise AssertionError("the index was not rebuilt in the background")


def test_a_stale_index_of_a_large_store_is_served_while_it_is_rebuilt(store, tmp_path, monkeypatch):
    from server import linkeddata
    monkeypatch.setattr(linkeddata, "RECHECK_S", 0.0)
    app = make_app(store, BASE, tmp_path)
    app.config["INDEX_SYNC_REBUILD_MAX"] = 0  # every store counts as large: never rebuild during a request
    search_index.ensure(tmp_path / "index.sqlite", store, BASE)
    c = app.test_client()
    assert c.get("/releases.json").get_json()["count"] == 5
    _write_release(store)
    r = c.get("/releases.json")
    assert r.status_code == 200 and r.get_json()["count"] == 5  # the stale index, at once
    assert r.headers["Warning"].startswith("199 ")
    assert _wait_fresh(c, "/releases.json").get_json()["count"] == 6
    assert not (tmp_path / "index.sqlite.lock").exists()


def test_a_missing_index_of_a_large_store_answers_503_until_built(store, tmp_path):
    app = make_app(store, BASE, tmp_path)
    app.config["INDEX_SYNC_REBUILD_MAX"] = 0
    c = app.test_client()
    r = c.get("/search.json?q=ukraine", headers={"Accept": "application/json"})
    if r.status_code == 503:  # the build may finish before this first request returns
        assert r.headers["Retry-After"] and r.get_json()["error"]["status"] == 503
    assert _wait_fresh(c, "/search.json?q=ukraine").get_json()["total"] >= 1


def test_search_finds_alternative_labels_and_acronyms_first(client):
    hits = client.get("/search.json?q=ODIHR").get_json()["hits"]
    assert hits[0]["iri"] == BASE + "id/institution/odihr"
    hits = client.get("/search.json?q=Nur-Sultan").get_json()["hits"]
    assert hits[0]["iri"] == BASE + "id/field-operation/programme-office-in-astana"
    assert "<mark>" in hits[0]["snippet_html"]  # the matching name is shown
    hits = client.get("/search.json?q=OSCE PA").get_json()["hits"]
    assert hits[0]["kind"] != "release"
