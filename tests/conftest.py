"""Fixture ladder: a store built from the bundled corpus -> app -> client -> runner, and the
SPARQL endpoint fixtures: an on-disk store of the reference data served through the killable
worker pool, with app/client pairs and a live HTTP server over it.

The corpus lives in tests/data/corpus (copied from the project's shared sample), so a fresh
clone needs nothing else.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import socket
import threading
from pathlib import Path

import pytest

from kg import formats
from kg.refgraph import build
from kg.store import Store
from server import create_app

DATA = Path(__file__).parent / "data"
CORPUS = DATA / "corpus"
BASE = "http://127.0.0.1:8080/"
FIXED_TIME = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
REF_GRAPH = BASE + "graph/reference"


def good_pages() -> list[Path]:
    """The 37 good sample pages."""
    return sorted(CORPUS.glob("[0-9][0-9]-*.txt"))


@pytest.fixture(scope="session")
def base() -> str:
    return BASE


@pytest.fixture(scope="session")
def built_store_path(tmp_path_factory) -> Path:
    """An on-disk store built once per session from the good corpus pages (read-only after)."""
    from kg.ingest import ingest
    path = tmp_path_factory.mktemp("store") / "store"
    store = Store(path, base_iri=BASE)
    report = ingest([str(p) for p in good_pages()], store, BASE, jobs=1, now=FIXED_TIME)
    assert not report.rejected, report.rejected
    del store
    return path


@pytest.fixture()
def store_copy(built_store_path, tmp_path) -> Path:
    """A writable copy of the built store for tests that change it."""
    target = tmp_path / "store"
    shutil.copytree(built_store_path, target)
    return target


@pytest.fixture(scope="session")
def read_store(built_store_path):
    return Store(built_store_path, read_only=True, base_iri=BASE)


@pytest.fixture()
def app(read_store):
    return create_app({"TESTING": True, "STORE_OBJECT": read_store, "BASE_IRI": BASE, "RATE_LIMIT": 0})


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def runner():
    from click.testing import CliRunner
    return CliRunner()


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

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


@contextlib.contextmanager
def live_server(app, port: int = 0):
    """Serve ``app`` with a threaded werkzeug server on a loopback port; yield its root URL.
    The server, and the app's query workers, stop on exit."""
    from werkzeug.serving import make_server
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        runner = app.extensions.get("kg_runner")
        if runner is not None:
            runner.close()


@pytest.fixture(scope="session")
def live_endpoint(ref_store_path):
    """A real HTTP server over the reference store; yields its /sparql URL."""
    with live_server(make_sparql_app(ref_store_path)) as url:
        yield url + "/sparql"
