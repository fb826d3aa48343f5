"""Shared fixtures. SPARQL endpoint fixtures: an on-disk store built from the reference data
(served through the killable worker pool), and app/client pairs over it."""
from __future__ import annotations

import pytest

from kg import formats
from kg.refgraph import build
from kg.store import Store
from server import create_app

BASE = "http://127.0.0.1:8080/"
REF_GRAPH = BASE + "graph/reference"


def build_ref_store(path) -> None:
    """Write the reference graph (~4k triples) into an on-disk store at ``path`` and close it."""
    store = Store(path, base_iri=BASE)
    store.replace_graph(REF_GRAPH, build(BASE).serialize(format="nt"), formats.by_name("ntriples"))
    store.flush()
    del store


@pytest.fixture(scope="session")
def ref_store_path(tmp_path_factory):
    """A closed on-disk store holding the reference graph."""
    path = tmp_path_factory.mktemp("ref-store")
    build_ref_store(path)
    return path


def make_sparql_app(store_path, **config):
    """An app serving ``store_path`` read-only through query workers; rate limit off."""
    settings = {"STORE_PATH": str(store_path), "BASE_IRI": BASE, "TESTING": True, "RATE_LIMIT": 0,
                "QUERY_WORKERS": 2}
    settings.update(config)
    return create_app(settings)


@pytest.fixture(scope="session")
def sparql_app(ref_store_path):
    """The endpoint over the reference store (session-wide: its workers start once)."""
    app = make_sparql_app(ref_store_path)
    yield app
    app.extensions["kg_runner"].close()


@pytest.fixture()
def sparql_client(sparql_app):
    """A test client of :func:`sparql_app`."""
    return sparql_app.test_client()


@pytest.fixture(scope="session")
def live_endpoint(ref_store_path):
    """A real HTTP server (werkzeug, threaded) on a free loopback port; yields its /sparql URL."""
    from werkzeug.serving import make_server
    import threading
    app = make_sparql_app(ref_store_path)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/sparql"
    server.shutdown()
    app.extensions["kg_runner"].close()
