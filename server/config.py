"""Settings: defaults here, then the instance mapping passed to ``create_app``, then ``KG_*``
environment variables (``KG_STORE_PATH``, ``KG_BASE_IRI`` ...). Unknown keys are rejected."""
from __future__ import annotations

import os

DEFAULTS: dict[str, object] = {
    # where the store lives; the CLI passes --store / $OSCE_KG_STORE
    "STORE_PATH": os.path.join(os.getcwd(), "var", "store"),
    # base of every IRI in the data; the server answers its URIs by path whatever the Host header
    "BASE_IRI": "http://127.0.0.1:8080/",
    # per-query time limit in seconds; a request's timeout= parameter can only lower it
    "QUERY_TIMEOUT_S": 30.0,
    # most result rows a query returns before the response is cut and flagged as truncated
    "MAX_ROWS": 10000,
    # largest request body accepted, bytes
    "MAX_CONTENT_LENGTH": 1024 * 1024,
    # requests per second per client; 0 disables the limit
    "RATE_LIMIT": 100.0,
    # bearer token that enables SPARQL Update and Graph Store writes; empty = read-only
    "ADMIN_TOKEN": "",
    # SERVICE endpoints federated queries may call; empty = SERVICE refused
    "SERVICE_ALLOWLIST": [],
    # worker processes per server process that run queries and are killed at the time limit;
    # 0 runs queries in the server process (tests, in-memory stores: the limit cannot stop them)
    "QUERY_WORKERS": 2,
    # longest path + query string accepted (414 beyond); POST longer queries
    "MAX_URL_LENGTH": 16384,
    # bytes of serialised answers each server process keeps for repeated GET queries; 0 = none
    "CACHE_MAX_BYTES": 64 * 1024 * 1024,
    # credentials for a remote SPARQL store (STORE_PATH given as http(s)://host/sparql)
    "REMOTE_USER": "",
    "REMOTE_PASSWORD": "",
    # an already open kg.store.Store to serve instead of opening STORE_PATH (tests, embedding)
    "STORE_OBJECT": None,
    # the SQLite side index (search, listings, facets); None = "<STORE_PATH>.index.sqlite" beside the store
    "INDEX_PATH": None,
    # a side index missing or behind a store with at most this many named graphs is rebuilt during the
    # request; a larger store's is rebuilt in the background while the stale one is served
    "INDEX_SYNC_REBUILD_MAX": 5000,
    # where the dumps are written and served from; None = "<STORE_PATH>.dumps" beside the store
    "DUMPS_DIR": None,
    "TESTING": False,
    "SECRET_KEY": None,
}


def check_keys(mapping: dict) -> None:
    """Reject settings the application does not know (typos must not pass silently).

    :raises KeyError: naming the unknown keys.
    """
    unknown = sorted(k for k in mapping if k not in DEFAULTS and k.isupper())
    if unknown:
        raise KeyError(f"unknown setting(s): {', '.join(unknown)}; known: {', '.join(DEFAULTS)}")
