"""The store as a per-process resource: opened once (lazily, after any fork) and kept in
``app.extensions['kg']``."""
from __future__ import annotations

from flask import Flask, current_app

from kg.iris import Minter
from kg.remote_store import RemoteStore
from kg.store import Store
from kg.stores import is_remote


class KgState:
    """What a worker process holds: the config it was built from and the open store."""

    def __init__(self, app: Flask):
        self.store_path = str(app.config["STORE_PATH"])
        self.remote_credentials = (app.config["REMOTE_USER"], app.config["REMOTE_PASSWORD"])
        self.query_timeout = float(app.config["QUERY_TIMEOUT_S"])
        self.minter = Minter(app.config["BASE_IRI"])
        self._store: Store | None = app.config.get("STORE_OBJECT")

    @property
    def store(self) -> Store | RemoteStore:
        """The store, opened read-only on first use in this process; a STORE_PATH that is an
        http(s) URL is a remote SPARQL endpoint."""
        if self._store is None:
            if is_remote(self.store_path):
                user, password = self.remote_credentials
                self._store = RemoteStore(self.store_path, user=user, password=password, base_iri=self.minter.base,
                                          timeout=self.query_timeout)
            else:
                self._store = Store(self.store_path, read_only=True, base_iri=self.minter.base)
        return self._store


def init_app(app: Flask) -> None:
    """Register the store resource on ``app``."""
    app.extensions["kg"] = KgState(app)


def get_state() -> KgState:
    """The current app's :class:`KgState`."""
    return current_app.extensions["kg"]


def get_store() -> Store:
    """The current app's store."""
    return get_state().store
