"""Remote-store mode: the same endpoint in front of a real Virtuoso started on loopback for
this session (Debian virtuoso-opensource; scripts/install-system-deps.sh installs it)."""
from __future__ import annotations

import json

import pytest
from conftest import BASE, DATA, REF_GRAPH, make_sparql_app
from rdflib import Graph
from virtuoso import Virtuoso

from kg.refgraph import build

pytestmark = pytest.mark.virtuoso


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory):
    """A Virtuoso holding the reference graph and a version stamp; yields its /sparql URL."""
    d = tmp_path_factory.mktemp("virtuoso")
    (d / "ref.nt").write_text(build(BASE).serialize(format="nt"))
    (d / "meta.nt").write_text(f'<{BASE}dataset> <http://purl.org/dc/terms/modified> '
                               f'"2026-01-01T00:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> .\n')
    with Virtuoso(d / "db", data_dirs=(str(d),)) as v:
        for name, graph in (("ref.nt", REF_GRAPH), ("meta.nt", BASE + "graph/meta")):
            v.load_file(d / name, graph)
        v.isql("checkpoint;")
        yield v.sparql_url


@pytest.fixture(scope="module")
def vclient(virtuoso):
    return make_sparql_app(virtuoso, MAX_ROWS=50).test_client()


STATES = "SELECT ?s WHERE { ?s a <http://127.0.0.1:8080/ontology#ParticipatingState> } ORDER BY ?s"


@pytest.mark.parametrize("accept", ["application/sparql-results+json", "application/sparql-results+xml",
                                    "text/csv", "text/tab-separated-values"])
def test_select_through_virtuoso(vclient, accept):
    r = vclient.get("/sparql", query_string={"query": STATES + " LIMIT 5"}, headers={"Accept": accept})
    assert r.status_code == 200 and r.mimetype == accept
    assert r.get_data(as_text=True).count("/id/state/") == 5


def test_same_answers_as_the_embedded_store(vclient, sparql_client):
    q = {"query": "SELECT ?s ?label WHERE { ?s a <http://127.0.0.1:8080/ontology#ParticipatingState> ; "
                  "<http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?s ?label LIMIT 40"}
    remote = json.loads(vclient.get("/sparql", query_string=q).data)["results"]["bindings"]
    local = json.loads(sparql_client.get("/sparql", query_string=q).data)["results"]["bindings"]
    assert remote == local and len(remote) == 40


def test_row_cap_and_truncation_signal(vclient):
    r = vclient.get("/sparql", query_string={"query": "SELECT * { ?s ?p ?o }"})
    assert r.headers["SPARQL-Results-Truncated"] == "max-rows=50"
    assert len(json.loads(r.data)["results"]["bindings"]) == 50


def test_construct_ask_and_errors(vclient):
    r = vclient.get("/sparql", query_string={"query": "CONSTRUCT WHERE { ?s a <http://127.0.0.1:8080/ontology#"
                                                      "ParticipatingState> } LIMIT 10"},
                    headers={"Accept": "application/n-triples"})
    assert r.mimetype == "application/n-triples" and len(Graph().parse(data=r.data, format="nt")) == 10
    r = vclient.get("/sparql", query_string={"query": f"ASK {{ GRAPH <{REF_GRAPH}> {{ ?s ?p ?o }} }}"})
    assert json.loads(r.data)["boolean"] is True
    assert vclient.get("/sparql", query_string={"query": "SELECT * {"}).status_code == 400


def test_dataset_parameters_and_graph_store(vclient):
    q = {"query": "ASK { ?s ?p ?o }", "default-graph-uri": "http://nowhere.example/"}
    assert json.loads(vclient.get("/sparql", query_string=q).data)["boolean"] is False
    r = vclient.get("/graph-store", query_string={"graph": REF_GRAPH}, headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and len(Graph().parse(data=r.data, format="turtle")) > 4000
    assert vclient.get("/graph-store", query_string={"graph": "http://nowhere.example/"}).status_code == 404


def test_service_description_and_etag(vclient):
    r = vclient.get("/sparql")
    assert r.mimetype == "text/turtle" and b"sparql-service-description" in r.data
    r1 = vclient.get("/sparql", query_string={"query": STATES})
    r2 = vclient.get("/sparql", query_string={"query": STATES}, headers={"If-None-Match": r1.headers["ETag"]})
    assert r2.status_code == 304


# -- osce-kg ingest into Virtuoso (remote-store writes) ------------------------------------------
REMOTE_BASE = "http://kg.test/"  # its own IRIs, so the tests above see none of these graphs


@pytest.fixture(scope="module")
def ingested(virtuoso, tmp_path_factory, monkeypatch_module):
    """The sample releases ingested into Virtuoso through its SPARQL Update endpoint."""
    from click.testing import CliRunner

    from kg.cli import main
    env = {"KG_REMOTE_UPDATE": virtuoso.replace("/sparql", "/sparql-auth"),
           "KG_REMOTE_GSP": virtuoso.replace("/sparql", "/sparql-graph-crud-auth"),
           "KG_REMOTE_USER": "dba", "KG_REMOTE_PASSWORD": "dba"}
    for k, v in env.items():
        monkeypatch_module.setenv(k, v)
    monkeypatch_module.chdir(tmp_path_factory.mktemp("remote-side-files"))
    runner = CliRunner()
    pages = [str(p) for p in sorted((DATA / "corpus").glob("[0-9][0-9]-*.txt"))]
    first = runner.invoke(main, ["ingest", *pages, "--store", virtuoso, "--base", REMOTE_BASE, "--jobs", "1"])
    second = runner.invoke(main, ["ingest", *pages, "--store", virtuoso, "--base", REMOTE_BASE, "--jobs", "1"])
    return virtuoso, first, second


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def test_ingest_into_virtuoso_is_complete_and_idempotent(ingested):
    url, first, second = ingested
    assert first.exit_code == 0, first.output
    assert "37 added" in first.output and "37 unchanged" in second.output, second.output
    from kg.remote_store import RemoteStore
    remote = RemoteStore(url, base_iri=REMOTE_BASE)
    releases = [g for g in remote.graphs() if g.startswith(REMOTE_BASE + "graph/release/")]
    assert len(releases) == 37


def test_endpoint_and_linked_data_over_virtuoso(ingested):
    url, _, _ = ingested
    client = make_sparql_app(url, BASE_IRI=REMOTE_BASE).test_client()
    q = (f"SELECT ?s ?w WHERE {{ ?s a <{REMOTE_BASE}ontology#ParticipatingState> ; "
         "<http://www.w3.org/2002/07/owl#sameAs> ?w }")
    rows = json.loads(client.get("/sparql", query_string={"query": q}).data)["results"]["bindings"]
    assert len(rows) == 57
    r = client.get("/id/state/albania", headers={"Accept": "text/turtle"})
    assert r.status_code == 303
    doc = client.get(r.headers["Location"])
    g = Graph().parse(data=doc.data, format="turtle")
    assert len(g) > 10
