"""Helpers every linked-data view shares: the side index of the process, IRI -> local path,
strong ETags from the dataset version with 304s, and ``Link: rel="alternate"`` headers."""
from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from pathlib import Path

from flask import Response, current_app, request

from kg import search_index
from kg.formats import Format
from server.cache import ResultCache
from server.extension import get_state

_lock = threading.Lock()


def index_path() -> Path:
    """Where the side index lives for this app."""
    cfg = current_app.config
    return Path(cfg["INDEX_PATH"] or search_index.path_for(cfg["STORE_PATH"]))


def get_index() -> search_index.SideIndex:
    """The side index, rebuilt first when it does not match the store's version."""
    state = get_state()
    version = state.store.version()
    cached = current_app.extensions.get("kg-index")
    if cached is not None and cached[0] == version:
        return cached[1]
    with _lock:
        cached = current_app.extensions.get("kg-index")
        if cached is not None and cached[0] == version:
            return cached[1]
        search_index.ensure(index_path(), state.store, state.minter.base)
        idx = search_index.SideIndex(index_path(), read_only=True)
        if cached is not None:
            cached[1].close()
        current_app.extensions["kg-index"] = (version, idx)
        return idx


def local(iri: str) -> str:
    """The path at which this server answers ``iri`` (the IRI itself when it is not ours)."""
    base = get_state().minter.base
    if iri.startswith(base):
        return request.script_root + "/" + iri[len(base):]
    return iri


def etag_for(*parts: str) -> str:
    """A strong ETag from the dataset version and what else selects the representation."""
    version = get_state().store.version()
    return hashlib.sha1("|".join((version, request.full_path, *parts)).encode()).hexdigest()[:24]


def not_modified(etag: str) -> Response | None:
    """A 304 when the request's If-None-Match names ``etag``, else None."""
    if request.if_none_match and (etag in request.if_none_match or request.if_none_match.star_tag):
        resp = Response(status=304)
        resp.set_etag(etag)
        resp.vary.add("Accept")
        return resp
    return None


def alternates(resp: Response, links: list[tuple[str, Format]]) -> None:
    """Add ``Link: <url>; rel="alternate"; type="..."`` for each representation."""
    resp.headers["Link"] = ", ".join(f'<{url}>; rel="alternate"; type="{f.media_type}"' for url, f in links)


def cached(etag: str, build: Callable[[], object]) -> object:
    """What ``build()`` returns for the representation ``etag`` names, built once per process
    and dataset version (the ETag includes the version) and kept in an LRU of CACHE_MAX_BYTES.

    A hub's document (a State mentioned by tens of thousands of releases) takes tens of
    milliseconds to gather; publishers' visitors ask for the same few hubs again and again.
    """
    cache = current_app.extensions.get("kg-doc-cache")
    if cache is None:
        cache = current_app.extensions.setdefault("kg-doc-cache",
                                                  ResultCache(int(current_app.config["CACHE_MAX_BYTES"])))
    value = cache.get(etag)
    if value is None:
        value = build()
        cache.put(etag, value)
    return value
