"""Helpers every linked-data view shares: the side index of the process, IRI -> local path,
strong ETags from the dataset version with 304s, and ``Link: rel="alternate"`` headers.

The side index is kept in step by the ingest. When it is missing or behind the store anyway (a
write through SPARQL Update or the Graph Store Protocol, an interrupted ingest), a small store's
index is rebuilt on the spot; a large store's (more than ``INDEX_SYNC_REBUILD_MAX`` named graphs)
is rebuilt by one background thread while requests keep being served from the stale index with
a ``Warning`` header (or answered 503 + ``Retry-After`` when there is no index yet): a multi-minute
rebuild never blocks a request.
"""
from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import threading
import time
from dataclasses import dataclass
from collections.abc import Callable
from pathlib import Path

from flask import Flask, Response, current_app, g, request

from kg import search_index
from kg.formats import Format
from server.errors import ApiError
from server.cache import ResultCache
from server.extension import get_state

log = logging.getLogger(__name__)
_lock = threading.Lock()
RECHECK_S = 5.0  # how often a process serving a stale index looks for the rebuilt file
STALE_LOCK_S = 6 * 3600  # a rebuild lock older than this was left by a dead process


@dataclass
class _Open:
    """The side index a process has open, and the store version it was checked against."""

    version: str
    index: search_index.SideIndex | None
    stale: bool
    checked: float
    ident: tuple[int, int] | None = None


def index_path() -> Path:
    """Where the side index lives for this app."""
    cfg = current_app.config
    return Path(cfg["INDEX_PATH"] or search_index.path_for(cfg["STORE_PATH"]))


def get_index() -> search_index.SideIndex:
    """The side index. A stale one marks the response (see the module docstring).

    :raises ApiError: 503 while a large store's first index is being built.
    """
    state = get_state()
    version = state.store.version()
    cur: _Open | None = current_app.extensions.get("kg-index")
    if cur is None or cur.version != version or (cur.stale and time.monotonic() - cur.checked > RECHECK_S):
        with _lock:
            cur = current_app.extensions.get("kg-index")
            if cur is None or cur.version != version or (cur.stale and time.monotonic() - cur.checked > RECHECK_S):
                cur = _open(version, cur)
                current_app.extensions["kg-index"] = cur
    if cur.stale:
        g.kg_index_stale = True
    if cur.index is None:
        raise ApiError(503, "the search and listing index is being built; try again shortly",
                       headers={"Retry-After": "30"})
    return cur.index


def _open(version: str, cur: _Open | None) -> _Open:
    """The index for store ``version``: the open one while its file is unchanged, else the file
    reopened, rebuilt first when that is quick. Replaced connections are not closed here (a
    request in another thread may still read them); they close when no longer referenced."""
    state, path = get_state(), index_path()
    ident = _identity(path)
    if cur is not None and cur.index is not None and cur.ident == ident:
        idx, have = cur.index, cur.index.version()
    else:
        idx, have = _read(path)
    if have != version and _small(idx):
        search_index.ensure(path, state.store, state.minter.base)
        ident = _identity(path)
        idx, have = _read(path)
    elif have != version:
        _rebuild_in_background(current_app._get_current_object(), path)  # type: ignore[attr-defined]
    return _Open(version, idx, have != version, time.monotonic(), ident)


def _identity(path: Path) -> tuple[int, int] | None:
    """Inode and modification time of the index file (a rebuilt file is a new inode)."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return st.st_ino, st.st_mtime_ns


def _read(path: Path) -> tuple[search_index.SideIndex | None, str | None]:
    """The index at ``path`` opened read-only and the store version it matches (None, None when
    there is no usable file)."""
    if not path.exists():
        return None, None
    try:
        idx = search_index.SideIndex(path, read_only=True)
        v = idx.version()
    except sqlite3.Error:  # a corrupt file is treated as missing
        return None, None
    if v is None:  # an older schema: unusable
        idx.close()
        return None, None
    return idx, v


def _small(idx: search_index.SideIndex | None) -> bool:
    """Whether the store is small enough to rebuild its index during a request."""
    limit = int(current_app.config["INDEX_SYNC_REBUILD_MAX"])
    if idx is not None:
        return idx.counts().get("release", 0) <= limit
    return len(get_state().store.graphs()) <= limit


def _rebuild_in_background(app: Flask, path: Path) -> None:
    """Start one rebuild of the index file (one per deployment: a lock file beside it)."""
    lock = path.with_name(path.name + ".lock")
    try:
        if lock.exists() and time.time() - lock.stat().st_mtime > STALE_LOCK_S:
            lock.unlink(missing_ok=True)
        fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return  # another thread or process is rebuilding it
    os.write(fd, str(os.getpid()).encode())
    os.close(fd)
    state = get_state()

    def work() -> None:
        try:
            t = time.monotonic()
            search_index.rebuild_file(path, state.store, state.minter.base)
            log.warning("side index %s rebuilt in %.0f s", path, time.monotonic() - t)
        except Exception:  # noqa: BLE001 - logged; the stale index stays in service
            log.exception("side index rebuild failed")
        finally:
            lock.unlink(missing_ok=True)

    log.warning("side index %s is behind the store; rebuilding it in the background", path)
    threading.Thread(target=work, name="side-index-rebuild", daemon=True).start()


def init_app(app: Flask) -> None:
    """Mark responses served from a stale side index with a ``Warning`` header."""

    @app.after_request
    def _stale(resp: Response) -> Response:
        if g.get("kg_index_stale"):
            resp.headers["Warning"] = '199 osce-kg "search, listings and counts lag behind the data; index rebuilding"'
        return resp


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
        if not g.get("kg_index_stale"):  # an answer from a stale side index must not outlive its rebuild
            cache.put(etag, value)
    return value
