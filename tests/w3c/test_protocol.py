"""Replays the W3C SPARQL 1.1 Protocol manifest (tests/data/w3c/sparql11-protocol, 34 tests)
against the app: once read-only (update tests must get 4xx) and once with the admin token
(every test must pass)."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Namespace
from rdflib.collection import Collection

from kg import formats
from kg.store import Store
from server import create_app

DIR = Path(__file__).parent.parent / "data" / "w3c" / "sparql11-protocol"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
TOKEN = "s3cret"


def load_manifest() -> list[dict]:
    """Every test of the manifest, in order: name, data to load, requests."""
    g = Graph().parse(DIR / "manifest.ttl", format="turtle", publicID=DIR.as_uri() + "/manifest.ttl")
    manifest = next(g.subjects(RDF.type, MF.Manifest))
    tests = []
    for t in Collection(g, g.value(manifest, MF.entries)):
        data = [(str(g.value(d, UT.graph)), str(g.value(d, RDFS.label))) for d in g.objects(t, UT.graphData)]
        requests = []
        for r in Collection(g, g.value(g.value(t, MF.action), HT.requests)):
            body = g.value(r, HT.body)
            headers = {}
            if (hl := g.value(r, HT.headers)) is not None:
                headers = {str(g.value(h, HT.fieldName)): str(g.value(h, HT.fieldValue)) for h in Collection(g, hl)}
            resp = g.value(r, HT.resp)
            requests.append({
                "method": str(g.value(r, HT.methodName)),
                "path": str(g.value(r, HT.absolutePath)).replace("/sparql/", "/sparql", 1),
                "headers": headers,
                "body": str(g.value(body, CNT.chars)) if body is not None else None,
                "status": {str(s).rsplit("StatusCode", 1)[1][0] for s in g.objects(resp, MF.expectedStatus)},
                "format": str(g.value(resp, MF.expectedFormat) or ""),
                "boolean": g.value(resp, MF.expectedBoolean),
            })
        tests.append({"id": str(t).rsplit("#", 1)[1], "data": data, "requests": requests})
    return tests


TESTS = load_manifest()


def make_app(data: list[tuple[str, str]], token: str):
    """A fresh in-memory store holding the test's graphs, served in-process."""
    store = Store(base_iri="http://127.0.0.1:8080/")
    for file_iri, graph in data:
        store.replace_graph(graph, Path(file_iri.removeprefix("file://")).read_bytes(), formats.by_name("ntriples"))
    return create_app({"STORE_OBJECT": store, "TESTING": True, "RATE_LIMIT": 0, "QUERY_WORKERS": 0,
                       "ADMIN_TOKEN": token})


def check_body(resp, req: dict) -> None:
    ctype = resp.mimetype
    if req["format"] == "boolean":
        if ctype == "application/sparql-results+json":
            value = json.loads(resp.data)["boolean"]
        else:
            assert ctype == "application/sparql-results+xml", ctype
            value = ET.fromstring(resp.data).find("{http://www.w3.org/2005/sparql-results#}boolean").text == "true"
        if req["boolean"] is not None:
            assert value == req["boolean"].toPython()
    elif req["format"] == "tabular":
        assert ctype in ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                         "text/tab-separated-values"), ctype
    elif req["format"] == "RDF":
        fmt = formats.by_media_type(ctype, kind="rdf")
        assert fmt is not None and fmt.kind == "rdf", ctype
        Graph().parse(data=resp.data, format=fmt.rdflib)


def replay(test: dict, token: str) -> list[tuple[str, int]]:
    """Run a test's requests; return (expected classes, status) per request after checking."""
    client = make_app(test["data"], token).test_client()
    for req in test["requests"]:
        headers = dict(req["headers"])
        if token:
            headers["Authorization"] = f"Bearer {token}"
        body = req["body"]
        ctype = headers.get("content-type", "")
        data = None
        if body is not None:
            data = body.encode("utf-16" if "utf-16" in ctype.lower() else "utf-8")
        resp = client.open(req["path"], method=req["method"], headers=headers, data=data)
        yield req, resp


@pytest.mark.parametrize("test", TESTS, ids=[t["id"] for t in TESTS])
def test_protocol_with_updates(test):
    """With the admin token every test passes, updates included."""
    for req, resp in replay(test, TOKEN):
        assert str(resp.status_code)[0] in req["status"], (req["method"], req["path"], resp.status_code,
                                                             resp.get_data(as_text=True)[:300])
        if resp.status_code == 200:
            assert "charset=utf-8" in resp.headers["Content-Type"]
            check_body(resp, req)


@pytest.mark.parametrize("test", TESTS, ids=[t["id"] for t in TESTS])
def test_protocol_read_only(test):
    """Without a token, query tests pass and every update request is refused with a 4xx."""
    for req, resp in replay(test, ""):
        is_update = "update" in (req["body"] or "") or "sparql-update" in str(req["headers"]) or \
            "update=" in req["path"]
        if is_update:
            assert 400 <= resp.status_code < 500, (req, resp.status_code)
            break  # the follow-up ASK checks an update that was (rightly) refused
        assert str(resp.status_code)[0] in req["status"], (req["path"], resp.status_code, resp.get_data()[:300])
        if resp.status_code == 200:
            check_body(resp, req)


def test_manifest_has_34_tests():
    assert len(TESTS) == 34
