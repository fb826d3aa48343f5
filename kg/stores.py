"""Opening a store by location: a directory (embedded Oxigraph) or the http(s) URL of a SPARQL
1.1 endpoint (remote mode, e.g. Virtuoso), and where a store's side files live."""
from __future__ import annotations

import os
from pathlib import Path

from kg.iris import slug
from kg.remote_store import RemoteStore
from kg.store import Store


def is_remote(location: str | os.PathLike) -> bool:
    """True for an http(s) endpoint URL.

    >>> is_remote("http://127.0.0.1:8890/sparql"), is_remote("var/store")
    (True, False)
    """
    return str(location).startswith(("http://", "https://"))


def beside(location: str | os.PathLike, suffix: str) -> Path:
    """A side file of the store (``.index.sqlite``, ``.dumps``): next to a store directory, or
    under ``var/remote/`` for a remote store.

    >>> str(beside("var/store", ".dumps"))
    'var/store.dumps'
    >>> str(beside("http://127.0.0.1:8890/sparql", ".dumps"))
    'var/remote/127-0-0-1-8890-sparql.dumps'
    """
    if is_remote(location):
        return Path("var") / "remote" / (slug(str(location).split("://", 1)[1]) + suffix)
    p = Path(location)
    return p.parent / (p.name + suffix)


def open_store(location: str | os.PathLike, *, base_iri: str, read_only: bool = False,
               timeout: float = 30.0) -> Store | RemoteStore:
    """Open the store at ``location``.

    A remote store takes its credentials from ``KG_REMOTE_USER`` / ``KG_REMOTE_PASSWORD``
    (``KG_REMOTE_AUTH`` = ``basic`` or ``digest``, default ``digest`` as Virtuoso wants) and
    writes through ``KG_REMOTE_UPDATE`` (its SPARQL Update URL, e.g. Virtuoso's
    ``/sparql-auth``) and, when set, ``KG_REMOTE_GSP`` (its Graph Store URL, e.g.
    ``/sparql-graph-crud-auth``, used for graph contents); without an update URL it is read-only.

    :raises kg.errors.StoreError: when an embedded store cannot be opened.
    """
    if is_remote(location):
        update = None if read_only else os.environ.get("KG_REMOTE_UPDATE") or None
        return RemoteStore(str(location), user=os.environ.get("KG_REMOTE_USER", ""),
                           password=os.environ.get("KG_REMOTE_PASSWORD", ""), base_iri=base_iri, timeout=timeout,
                           update_endpoint=update, auth=os.environ.get("KG_REMOTE_AUTH", "digest"),
                           gsp_endpoint=os.environ.get("KG_REMOTE_GSP") or None)
    return Store(location, read_only=read_only, base_iri=base_iri)
