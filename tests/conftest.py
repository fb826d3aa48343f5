"""Fixture ladder: a store built from the bundled corpus -> app -> client -> runner.

The corpus lives in tests/data/corpus (copied from the project's shared sample), so a fresh
clone needs nothing else.
"""
from __future__ import annotations

import datetime as dt
import shutil
import socket
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
CORPUS = DATA / "corpus"
BASE = "http://127.0.0.1:8080/"
FIXED_TIME = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


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
    from kg.store import Store
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
    from kg.store import Store
    return Store(built_store_path, read_only=True, base_iri=BASE)


@pytest.fixture()
def app(read_store):
    from server import create_app
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
