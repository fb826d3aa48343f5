"""Every RDF document served parses with rapper (raptor2) and rdflib; JSON-LD expands with pyld
without fetching anything; a crawler follows links three hops out from a State and finds no dead URI."""
from __future__ import annotations

import json
import subprocess
import urllib.request

import pytest
from pyld import jsonld
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from ld_fixtures import BASE, build_store, client, ld_app, ld_store, make_app  # noqa: F401  (fixtures)

DOCS = ["/data/state/ukraine", "/data/release/node-485000", "/data/person/sebastian-kurz",
        "/data/institution/odihr", "/data/event/node-290001", "/data/field-of-work/elections"]
RAPPER = {"ttl": "turtle", "rdf": "rdfxml", "nt": "ntriples", "nq": "nquads", "trig": "trig"}
RDFLIB = {"ttl": "turtle", "rdf": "xml", "nt": "nt", "nq": "nquads", "trig": "trig", "jsonld": "json-ld"}


def rapper_count(data: bytes, syntax: str) -> int:
    """Parse with rapper; return the number of statements it reports."""
    p = subprocess.run(["rapper", "-q", "-i", syntax, "-c", "-", BASE], input=data, capture_output=True, timeout=30)
    assert p.returncode == 0, p.stderr.decode()
    return int(p.stderr.decode().split("returned")[1].split()[0]) if b"returned" in p.stderr else -1


def _no_remote(url, options=None):
    raise AssertionError(f"JSON-LD processing tried to fetch {url}")


def own_loader(client):
    """A pyld document loader that fetches only from this server (through ``client``) and fails
    the test on any other URL."""
    def load(url, options=None):
        if not url.startswith(BASE):
            raise AssertionError(f"JSON-LD processing tried to fetch {url}")
        r = client.get(url[len(BASE) - 1:])
        assert r.status_code == 200, url
        return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
                "document": json.loads(r.data)}
    return load


def with_inline_context(client, data: bytes) -> bytes:
    """The document with its context URL replaced by the context served here (for rdflib, which
    would fetch the URL over the network)."""
    doc = json.loads(data)
    assert doc["@context"] == BASE + "ontology/context.jsonld"
    doc["@context"] = client.get("/ontology/context.jsonld").get_json()["@context"]
    return json.dumps(doc).encode()


CASES = [(d, e) for d in DOCS for e in RDFLIB] + \
    [(d, e) for d in ("/.well-known/void", "/ontology") for e in ("ttl", "rdf", "nt", "jsonld")]


@pytest.mark.parametrize("doc,ext", CASES)
def test_documents_parse(client, doc, ext):
    r = client.get(f"{doc}.{ext}")
    assert r.status_code == 200, (doc, ext)
    if ext in RAPPER:
        rapper_count(r.data, RAPPER[ext])
    if ext in ("nq", "trig"):
        ds = Dataset()
        ds.parse(data=r.data, format=RDFLIB[ext])
        assert sum(1 for _ in ds.quads()) > 0
    elif ext == "jsonld" and doc.startswith("/data/"):
        # compacted against our own context, fetched from this server only
        doc_json = json.loads(r.data)
        assert doc_json["@context"] == BASE + "ontology/context.jsonld"
        assert any(":" not in k for n in doc_json["@graph"] for k in n if not k.startswith("@")), "no short terms"
        nquads = jsonld.to_rdf(doc_json, {"format": "application/n-quads", "documentLoader": own_loader(client)})
        expanded = Graph().parse(data=nquads, format="nquads")
        # the same document as N-Triples (whose own IRI ends in .nt instead)
        nt = client.get(f"{doc}.nt").data.replace(f"{doc}.nt>".encode(), f"{doc}.jsonld>".encode())
        same = Graph().parse(data=nt, format="nt")
        assert len(same) == len(expanded) and isomorphic(expanded, same), f"{doc}: JSON-LD and N-Triples differ"
        assert isomorphic(Graph().parse(data=with_inline_context(client, r.data), format="json-ld"), same)
    elif ext == "jsonld":
        doc_json = json.loads(r.data)
        expanded = jsonld.expand(doc_json, {"documentLoader": _no_remote})
        assert expanded
        assert len(Graph().parse(data=r.data, format="json-ld")) > 0
    else:
        assert len(Graph().parse(data=r.data, format=RDFLIB[ext])) > 0


def test_context_is_usable_offline(client):
    ctx = client.get("/ontology/context.jsonld").get_json()
    doc = {**ctx, "@id": BASE + "id/release/x", "mentions": BASE + "id/state/ukraine"}
    expanded = jsonld.expand(doc, {"documentLoader": _no_remote})
    assert expanded[0][BASE + "ontology#mentions"][0]["@id"] == BASE + "id/state/ukraine"


@pytest.fixture(scope="module")
def live_base(tmp_path_factory):
    """The fixture data served by a real HTTP server (werkzeug, threaded) on a free loopback
    port, with the port in the base IRI so that every IRI in the data dereferences there."""
    import threading

    from werkzeug.serving import make_server
    holder = {}
    server = make_server("127.0.0.1", 0, lambda env, start: holder["app"](env, start), threaded=True)
    base = f"http://127.0.0.1:{server.server_port}/"
    holder["app"] = make_app(build_store(base), base, tmp_path_factory.mktemp("live"))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()


def test_crawl_three_hops_from_a_state_over_http(live_base):
    """A crawler (rdflib's own HTTP client, content negotiation, following the 303s) goes three
    hops out from a State through every IRI of our URI space; none is dead, every thing also
    has an HTML page."""
    frontier, seen, checked = {live_base + "id/state/austria"}, set(), 0
    for _hop in range(3):
        nxt = set()
        for iri in sorted(frontier - seen):
            seen.add(iri)
            if not iri.startswith(live_base + "id/") and not iri.startswith(live_base + "ontology"):
                # the dataset page, the SPARQL endpoint...: they answer, but are not crawled
                status = urllib.request.urlopen(urllib.request.Request(iri, headers={"Accept": "text/html"})).status
                assert status == 200, iri
                continue
            g = Graph().parse(iri)  # rdflib sends an RDF Accept header and follows the 303
            assert len(g) > 0, iri
            checked += 1
            if iri.startswith(live_base + "id/"):
                page = urllib.request.urlopen(urllib.request.Request(iri, headers={"Accept": "text/html"}))
                assert page.status == 200 and page.url.startswith(live_base + "page/"), iri
            for t in g:
                for term in t:
                    if isinstance(term, URIRef) and str(term).startswith(live_base) \
                            and not str(term).startswith((live_base + "graph/", live_base + "data/",
                                                          live_base + "sparql")):
                        nxt.add(str(term).split("#")[0])
        frontier = nxt
    assert checked > 30
