"""The vertical slice over real HTTP: `osce-kg serve` (gunicorn) on the bundled corpus answers
SPARQL with the 57 States and their Wikidata IRIs, and entity URIs return Turtle."""
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from rdflib import Graph, URIRef

from tests.conftest import free_port

QUERY = """PREFIX osce: <{base}ontology#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT ?state ?wikidata WHERE {{ ?state a osce:ParticipatingState ; owl:sameAs ?wikidata }}"""


@pytest.fixture(scope="module")
def server(built_store_path, tmp_path_factory):
    port = free_port()
    base = "http://127.0.0.1:8080/"  # the base the test store was built with
    env = dict(os.environ, OSCE_KG_RATE_LIMIT="0")
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--store", str(built_store_path), "--base", base,
                             "--port", str(port), "--workers", "2"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60  # generous: CI machines are shared and may be loaded
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/sparql", timeout=5):
                break
        except OSError:  # refused, reset or timed out while gunicorn starts
            time.sleep(0.2)
    else:
        proc.kill()
        raise RuntimeError(proc.stderr.read().decode())
    yield url, base
    os.killpg(proc.pid, signal.SIGTERM)
    code = proc.wait(timeout=15)
    proc.stderr.close()
    assert code == 0  # a clean stop on SIGTERM


def get(url, accept=None):
    req = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.status, r.headers, r.read()


def test_57_states_with_wikidata_over_http(server):
    url, base = server
    status, headers, body = get(url + "/sparql?" + urllib.parse.urlencode({"query": QUERY.format(base=base)}),
                                "application/sparql-results+json")
    assert status == 200 and headers["Content-Type"].startswith("application/sparql-results+json")
    rows = json.loads(body)["results"]["bindings"]
    assert len(rows) == 57
    assert all(r["wikidata"]["value"].startswith("http://www.wikidata.org/entity/Q") for r in rows)


def test_post_query_too(server):
    url, base = server
    data = urllib.parse.urlencode({"query": QUERY.format(base=base)}).encode()
    req = urllib.request.Request(url + "/sparql", data=data, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        assert len(json.loads(r.read())["results"]["bindings"]) == 57


@pytest.mark.parametrize("path,kind", [("/id/state/albania", "ParticipatingState"),
                                       ("/id/field-operation/programme-office-in-astana", "FieldOperation")])
def test_entity_uris_return_turtle(server, path, kind):
    url, base = server
    status, headers, body = get(url + path, "text/turtle")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    g = Graph().parse(data=body, format="turtle")
    assert (URIRef(base + path.lstrip("/")), None, URIRef(base + "ontology#" + kind)) in g


def test_a_release_uri_returns_turtle_and_unknown_is_404(server):
    url, base = server
    status, _, body = get(url + "/sparql?" + urllib.parse.urlencode(
        {"query": f"SELECT ?r WHERE {{ ?r a <{base}ontology#Release> }} LIMIT 1"}), "application/sparql-results+json")
    release = json.loads(body)["results"]["bindings"][0]["r"]["value"]
    status, headers, body = get(url + "/" + release[len(base):], "text/turtle")
    g = Graph().parse(data=body, format="turtle")
    assert (URIRef(release), URIRef(base + "ontology#headline"), None) in g
    with pytest.raises(urllib.error.HTTPError) as e:
        get(url + "/id/state/atlantis", "text/turtle")
    assert e.value.code == 404
    e.value.close()
