"""Release listings (facets, keyset paging, JSON/CSV), lists of things, search, VoID and dumps."""
from __future__ import annotations

import csv
import gzip
import hashlib
import io

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import VOID, XSD

from ld_fixtures import BASE, client, ld_app, ld_store  # noqa: F401  (fixtures)


def test_release_listing_filters_and_facets(client):
    data = client.get("/releases.json?state=ukraine&year=2019").get_json()
    assert data["count"] == 2
    assert [r["slug"] for r in data["rows"]] == ["node-422000", "node-415733"]
    years = {f["value"]: f["count"] for f in data["facets"]["year"]}
    assert years == {"2019": 2}
    structures = {f["label"]: f["count"] for f in data["facets"]["structure"]}
    assert structures["Office for Democratic Institutions and Human Rights"] == 1
    all_years = {f["value"]: f["count"] for f in client.get("/releases.json").get_json()["facets"]["year"]}
    assert all_years == {"2017": 1, "2019": 2, "2021": 1, "2023": 1}
    assert client.get("/releases.json?structure=odihr").get_json()["count"] == 1
    assert client.get("/releases.json?field=elections").get_json()["count"] == 1
    assert client.get("/releases.json?type=press-statement").get_json()["count"] == 1
    assert client.get("/releases.json?state=austria&structure=chairpersonship").get_json()["count"] == 2
    assert client.get("/releases.json?year=19").status_code == 400


def test_keyset_paging_visits_every_release_once(client):
    url, seen = "/releases.json?_size=2", []
    while url:
        page = client.get(url).get_json()
        seen += [r["slug"] for r in page["rows"]]
        url = page["next_url"]
    assert len(seen) == 5 == len(set(seen))
    assert seen[0] == "node-557000" and seen[-1] == "node-290001"  # newest first


def test_csv_listing(client):
    r = client.get("/releases.csv?state=serbia")
    assert r.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.data.decode())))
    assert [row["slug"] for row in rows] == ["node-557000", "node-422000"]


def test_facet_links_in_html(client):
    html = client.get("/releases?year=2019").data.decode()
    assert 'href="/releases?year=2019&amp;state=ukraine"' in html or 'state=ukraine&amp;year=2019' in html


def test_things_lists(client):
    html = client.get("/things/states?_size=200").data.decode()
    assert '<a href="/id/state/ukraine">Ukraine</a>' in html
    assert client.get("/things/nothing").status_code == 404


def test_search_ranks_and_highlights(client):
    data = client.get("/search.json?q=presidential election").get_json()
    assert data["total"] >= 1
    assert data["hits"][0]["iri"] == BASE + "id/release/node-415733"
    assert "<mark>" in data["hits"][0]["snippet_html"] or "<mark>" in data["hits"][0]["title_html"]
    labels = client.get("/search.json?q=democratic institutions").get_json()["hits"]
    assert any(h["iri"] == BASE + "id/institution/odihr" for h in labels)
    assert client.get("/search.json?q=").get_json()["total"] == 0
    html = client.get("/search?q=kurz").data.decode()
    assert "<mark>Kurz</mark>" in html


def test_void(client):
    r = client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and "Accept" in r.headers["Vary"]
    g = Graph().parse(data=r.data, format="turtle")
    ds = URIRef(BASE + "dataset")
    triples = g.value(ds, VOID.triples)
    assert isinstance(triples, Literal) and triples.datatype == XSD.integer and int(triples) > 4000
    assert g.value(ds, VOID.dataDump) == URIRef(BASE + "dumps/all.nq.gz")
    assert g.value(ds, VOID.sparqlEndpoint) == URIRef(BASE + "sparql")
    assert str(g.value(ds, VOID.uriSpace)) == BASE + "id/"
    assert len(list(g.objects(ds, VOID.classPartition))) > 10
    assert len(list(g.objects(ds, VOID.propertyPartition))) > 10
    assert client.get("/.well-known/void", headers={"Accept": "text/html"}).status_code == 303


def test_dumps_have_sizes_checksums_and_all_graphs(client, ld_store):
    client.get("/dumps/")
    manifest = fetch(client, "/dumps/manifest.json").get_json()
    assert manifest["version"] == ld_store.version()
    names = {f["name"] for f in manifest["files"]}
    assert {"all.nq.gz", "release.ttl.gz", "refdata.ttl.gz", "ontology.ttl.gz"} <= names
    f = next(f for f in manifest["files"] if f["name"] == "all.nq.gz")
    body = fetch(client, "/dumps/all.nq.gz").data
    assert len(body) == f["size"] and hashlib.sha256(body).hexdigest() == f["sha256"]
    ds = Dataset()
    ds.parse(data=gzip.decompress(body), format="nquads")
    assert sum(1 for _ in ds.quads()) == ld_store.count()
    g = Graph().parse(data=gzip.decompress(fetch(client, "/dumps/release.ttl.gz").data), format="turtle")
    assert (URIRef(BASE + "id/release/node-415733"), None, None) in g


def fetch(client, path):
    """GET a file response and close it (files are streamed)."""
    with client.get(path) as r:
        r.get_data()
        return r
