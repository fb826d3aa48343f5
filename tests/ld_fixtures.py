"""Fixture stores for the linked-data tests: the ontology, the reference graph and the hand-built
releases of tests/data/ld/releases.json (one carries markup and script in its title and body)."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from rdflib import Graph

import ontology
from kg import formats, refgraph
from kg.mapping import ReleaseMapper
from kg.model import Event, Facts, Person, Release
from kg.store import Store
from server import create_app

DATA = Path(__file__).parent / "data" / "ld"
BASE = "http://127.0.0.1:8080/"
GENERATED = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


def _date(value):
    return dt.date.fromisoformat(value) if value else None


def load_facts() -> list[Facts]:
    """The fixture releases as extractor output."""
    out = []
    for r in json.loads((DATA / "releases.json").read_text(encoding="utf-8")):
        rel = Release(r["title"], r["content_type"], tuple(r["body"]), "0" * 64, date=_date(r["date"]),
                      places=tuple(r["places"]), url=r["url"])
        ev = r.get("event")
        out.append(Facts(rel, source=r["source"], states=tuple(r["states"]), structures=tuple(r["structures"]),
                         fields_of_work=tuple(r["fields_of_work"]),
                         persons=tuple(Person(p["name"], tuple(p["roles"]), p["affiliation"]) for p in r["persons"]),
                         event=Event(ev["type"], tuple(ev.get("agents", ())), tuple(ev.get("places", ())),
                                     _date(ev.get("date")), ev.get("meeting_type")) if ev else None))
    return out


def build_store(base: str = BASE) -> Store:
    """An in-memory store with the ontology, the reference data and the fixture releases."""
    store = Store(base_iri=base)
    nt = formats.by_name("ntriples")
    onto = Graph().parse(ontology.path("osce.ttl"), publicID=base)
    store.replace_graph(base + "graph/ontology", onto.serialize(format="nt"), nt)
    store.replace_graph(base + "graph/refdata", refgraph.build(base).serialize(format="nt"), nt)
    mapper = ReleaseMapper(base)
    for facts in load_facts():
        g = mapper.to_graph(facts, generated_at=GENERATED)
        store.replace_graph(mapper.graph_iri(facts.release), g.serialize(format="nt"), nt)
    return store


def make_app(store: Store, base: str, tmp: Path):
    """An app serving ``store`` with its side index and dumps under ``tmp``."""
    return create_app({"TESTING": True, "STORE_OBJECT": store, "BASE_IRI": base, "STORE_PATH": str(tmp / "store"),
                       "INDEX_PATH": str(tmp / "index.sqlite"), "DUMPS_DIR": str(tmp / "dumps"),
                       "RATE_LIMIT": 0})


@pytest.fixture(scope="session")
def ld_store() -> Store:
    """The fixture store (shared: tests only read it)."""
    return build_store()


@pytest.fixture(scope="session")
def ld_app(ld_store, tmp_path_factory):
    """The app over the fixture store."""
    return make_app(ld_store, BASE, tmp_path_factory.mktemp("ld"))


@pytest.fixture()
def client(ld_app):
    """A test client of the fixture app."""
    return ld_app.test_client()

