"""The store as a per-process resource: opened once (lazily, after any fork) and kept in
``app.extensions['kg']``."""
from __future__ import annotations

from flask import Flask, current_app

from kg.iris import Minter
from kg.store import Store


class KgState:
    """What a worker process holds: the config it was built from and the open store."""

    def __init__(self, app: Flask):
        self.store_path = app.config["STORE_PATH"]
        self.minter = Minter(app.config["BASE_IRI"])
        self._store: Store | None = app.config.get("STORE_OBJECT")

    @property
    def store(self) -> Store:
        """The store, opened read-only on first use in this process."""
        if self._store is None:
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
