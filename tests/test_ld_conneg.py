"""Dereferencing things: the content-negotiation matrix, 404/406, ETags, HEAD, paging."""
from __future__ import annotations

import pytest
from rdflib import Dataset, Graph, URIRef

from ld_fixtures import BASE, client, ld_app, ld_store  # noqa: F401  (fixtures)

UA = "/id/state/ukraine"
FIREFOX = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
CHROME = ("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,"
          "application/signed-exchange;v=b3;q=0.7")
SAFARI = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

# (Accept, ?format=, expected status, expected Location)
MATRIX = [
    (None, None, 303, "/page/state/ukraine"),
    ("*/*", None, 303, "/page/state/ukraine"),
    (FIREFOX, None, 303, "/page/state/ukraine"),
    (CHROME, None, 303, "/page/state/ukraine"),
    (SAFARI, None, 303, "/page/state/ukraine"),
    ("text/turtle", None, 303, "/data/state/ukraine.ttl"),
    ("application/x-turtle", None, 303, "/data/state/ukraine.ttl"),
    ("application/ld+json", None, 303, "/data/state/ukraine.jsonld"),
    ("application/rdf+xml", None, 303, "/data/state/ukraine.rdf"),
    ("application/n-triples", None, 303, "/data/state/ukraine.nt"),
    ("application/n-quads", None, 303, "/data/state/ukraine.nq"),
    ("application/trig", None, 303, "/data/state/ukraine.trig"),
    ("text/html;q=0.5, text/turtle", None, 303, "/data/state/ukraine.ttl"),
    ("text/turtle;q=0.2, application/ld+json;q=0.9, text/html;q=0.1", None, 303, "/data/state/ukraine.jsonld"),
    ("application/rdf+xml, text/turtle;q=0.9, */*;q=0.1", None, 303, "/data/state/ukraine.rdf"),
    ("text/*", None, 303, "/page/state/ukraine"),
    ("application/xhtml+xml", None, 303, "/page/state/ukraine"),
    ("application/*;q=0.5, application/ld+json", None, 303, "/data/state/ukraine.jsonld"),
    ("text/turtle;q=0, */*;q=0.1", None, 303, "/page/state/ukraine"),
    ("image/png", None, 406, None),
    ("text/turtle;q=0", None, 406, None),
    ("application/json", None, 406, None),
    (FIREFOX, "ttl", 303, "/data/state/ukraine.ttl"),
    (None, "jsonld", 303, "/data/state/ukraine.jsonld"),
    (None, "text/turtle", 303, "/data/state/ukraine.ttl"),
    ("text/turtle", "html", 303, "/page/state/ukraine"),
    (None, "nonsense", 406, None),
]


@pytest.mark.parametrize("accept,fmt,status,location", MATRIX)
def test_thing_conneg_matrix(client, accept, fmt, status, location):
    headers = {"Accept": accept} if accept is not None else {}
    r = client.get(UA, headers=headers, query_string={"format": fmt} if fmt else None)
    assert r.status_code == status, r.data
    assert "Accept" in r.headers.get("Vary", "")
    if location:
        assert r.headers["Location"] == location
        assert 'rel="alternate"; type="text/turtle"' in r.headers["Link"]


@pytest.mark.parametrize("ext,ctype", [("ttl", "text/turtle"), ("jsonld", "application/ld+json"),
                                       ("rdf", "application/rdf+xml"), ("nt", "application/n-triples"),
                                       ("nq", "application/n-quads"), ("trig", "application/trig")])
def test_extension_urls_ignore_accept(client, ext, ctype):
    r = client.get(f"/data/state/ukraine.{ext}", headers={"Accept": "image/png"})
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith(ctype)
    assert "Accept" in r.headers["Vary"]
    assert r.headers["ETag"]


@pytest.mark.parametrize("accept,ctype,status", [
    ("text/turtle", "text/turtle", 200), ("application/ld+json;q=1, text/turtle;q=0.5", "application/ld+json", 200),
    (None, "text/turtle", 200), ("text/html", None, 406)])
def test_data_document_without_extension_negotiates(client, accept, ctype, status):
    r = client.get("/data/state/ukraine", headers={"Accept": accept} if accept else {})
    assert r.status_code == status
    assert "Accept" in r.headers["Vary"]
    if ctype:
        assert r.headers["Content-Type"].startswith(ctype)
        assert r.headers["Content-Location"].startswith("/data/state/ukraine.")


@pytest.mark.parametrize("path", ["/id/state/atlantis", "/id/nokind/x", "/data/state/atlantis.ttl",
                                  "/data/state/ukraine.exe", "/page/state/atlantis"])
def test_unknown_is_404_in_negotiated_format(client, path):
    r = client.get(path, headers={"Accept": "application/json"})
    assert r.status_code == 404
    assert r.headers["Content-Type"].startswith("application/json")
    assert r.get_json()["error"]["status"] == 404
    r = client.get(path, headers={"Accept": "text/html"})
    assert r.status_code == 404 and r.headers["Content-Type"].startswith("text/html")


def test_406_names_the_offered_types(client):
    r = client.get(UA, headers={"Accept": "image/png"})
    assert b"text/turtle" in r.data


def test_etag_and_304(client):
    r = client.get("/data/state/ukraine.ttl")
    etag = r.headers["ETag"]
    assert not etag.startswith("W/")
    r2 = client.get("/data/state/ukraine.ttl", headers={"If-None-Match": etag})
    assert r2.status_code == 304 and r2.data == b""
    r3 = client.get("/data/state/ukraine.nt", headers={"If-None-Match": etag})
    assert r3.status_code == 200 and r3.headers["ETag"] != etag


def test_head_matches_get(client):
    g = client.get("/data/state/ukraine.ttl")
    h = client.head("/data/state/ukraine.ttl")
    assert h.status_code == 200 and h.data == b""
    assert h.headers["Content-Type"] == g.headers["Content-Type"]
    assert client.head(UA, headers={"Accept": "text/turtle"}).status_code == 303


def test_host_header_does_not_matter(client):
    r = client.get(UA, headers={"Accept": "text/turtle", "Host": "example.org"}, base_url="https://example.org")
    assert r.status_code == 303 and r.headers["Location"] == "/data/state/ukraine.ttl"
    r = client.get("/data/state/ukraine.nt", base_url="https://example.org")
    assert f"<{BASE}id/state/ukraine>".encode() in r.data
    assert b"https://example.org" not in r.data


def test_data_has_outgoing_incoming_labels_and_provenance(client):
    ds = Dataset()
    ds.parse(data=client.get("/data/state/ukraine.nq").data, format="nquads")
    ua = URIRef(BASE + "id/state/ukraine")
    mentions = URIRef(BASE + "ontology#mentions")
    incoming = {(s, str(c)) for s, p, o, c in ds.quads((None, mentions, ua, None))}
    assert len(incoming) == 5  # every fixture release mentions Ukraine
    assert all(g.startswith(BASE + "graph/release/") for _, g in incoming)
    assert any(True for _ in ds.quads((ua, URIRef("http://www.w3.org/2002/07/owl#sameAs"),
                                       URIRef("http://www.wikidata.org/entity/Q212"), None)))
    labelled = {s for s, _, _, _ in ds.quads((None, URIRef("http://www.w3.org/2000/01/rdf-schema#label"), None, None))}
    assert {s for s, _ in incoming} <= labelled
    # triple formats restate the graph of each statement with a reified prov:wasDerivedFrom
    g = Graph().parse(data=client.get("/data/state/ukraine.ttl").data, format="turtle")
    q = """SELECT ?src WHERE { ?st rdf:subject ?s ; rdf:predicate <%s> ; rdf:object <%s> ;
           <http://www.w3.org/ns/prov#wasDerivedFrom> ?src }""" % (mentions, ua)
    assert len({str(r.src) for r in g.query(q)}) == 5


def test_incoming_links_are_paged(ld_app, monkeypatch):
    from kg import describe
    monkeypatch.setattr(describe, "PAGE_SIZE", 2)
    c = ld_app.test_client()
    seen = set()
    url = "/data/state/ukraine.nt"
    pages = 0
    while url:
        r = c.get(url)
        pages += 1
        g = Graph().parse(data=r.data, format="nt")
        seen |= {s for s, o in g.subject_objects(URIRef(BASE + "ontology#mentions"))}
        nxt = [part for part in r.headers["Link"].split(", ") if 'rel="next"' in part]
        url = nxt[0].split(";")[0].strip("<>") if nxt else None
    assert pages >= 3 and len(seen) == 5


def test_hash_sub_resources_are_described_in_their_parent_document(client):
    """``…/ukraine#participation`` dereferences (the fragment is never sent) to Ukraine's
    document, which must therefore describe the participation and its interval."""
    r = client.get("/data/state/ukraine.nt")
    g = Graph().parse(data=r.data, format="nt")
    participation = URIRef(BASE + "id/state/ukraine#participation")
    assert (participation, URIRef("http://www.w3.org/ns/org#organization"), None) in g
    interval = URIRef(BASE + "id/state/ukraine#participation-interval")
    assert (interval, URIRef("http://www.w3.org/2006/time#hasBeginning"), None) in g
