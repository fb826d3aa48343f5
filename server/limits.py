"""What a public endpoint refuses: too many requests per client (429 + Retry-After), URLs
that are too long (414), and federated queries (SERVICE) to endpoints that are not on the
allow-list (a public endpoint must not fetch arbitrary URLs for strangers)."""
from __future__ import annotations

import math
import threading
import time

from flask import current_app, request

from kg.sparql_text import MAX_NESTING, nesting_depth, service_targets
from server.errors import ApiError


class RateLimiter:
    """A token bucket per client: ``rate`` requests per second, bursts up to ``rate``.

    >>> rl = RateLimiter(2)
    >>> [rl.wait_time("a", now=0.0) for _ in range(3)]
    [0.0, 0.0, 0.5]
    """

    def __init__(self, rate: float):
        self.rate = rate
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def wait_time(self, client: str, now: float | None = None) -> float:
        """Take a token for ``client``; return 0 when allowed, else the seconds to wait."""
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, last = self._buckets.get(client, (self.rate, now))
            tokens = min(self.rate, tokens + (now - last) * self.rate)
            if len(self._buckets) > 10000:  # forget idle clients (their buckets are full again)
                self._buckets = {k: v for k, v in self._buckets.items() if now - v[1] < 60}
            if tokens >= 1:
                self._buckets[client] = (tokens - 1, now)
                return 0.0
            self._buckets[client] = (tokens, now)
            return (1 - tokens) / self.rate


def check_request() -> None:
    """Before every endpoint request: the per-client rate limit and the URL length.

    :raises ApiError: 429 with ``Retry-After``, or 414.
    """
    if request.method == "OPTIONS":
        return
    limiter: RateLimiter | None = current_app.extensions.get("kg_rate_limiter")
    if limiter is not None:
        wait = limiter.wait_time(request.remote_addr or "?")
        if wait:
            raise ApiError(429, f"more than {limiter.rate:g} requests per second from your address; slow down",
                           headers={"Retry-After": str(max(1, math.ceil(wait)))})
    max_url = current_app.config["MAX_URL_LENGTH"]
    if len(request.environ.get("QUERY_STRING", "")) + len(request.path) > max_url:
        raise ApiError(414, f"the URL is longer than {max_url} characters; POST the query instead")


def init_app(app) -> None:
    """Create the per-process rate limiter (RATE_LIMIT requests/s per client; 0 disables it)."""
    rate = float(app.config["RATE_LIMIT"] or 0)
    app.extensions["kg_rate_limiter"] = RateLimiter(rate) if rate > 0 else None


# -- SERVICE (federation) -------------------------------------------------------------------------
def check_service(query: str) -> None:
    """Refuse a query whose SERVICE clauses call endpoints outside SERVICE_ALLOWLIST.

    :raises ApiError: 403 naming the refused endpoint.
    """
    if "service" not in query.lower() and "\\u" not in query.lower():
        return
    allowed = set(current_app.config["SERVICE_ALLOWLIST"] or ())
    for target in service_targets(query):
        if target not in allowed:
            what = f"<{target}>" if target else "a variable or unresolvable endpoint"
            hint = ("federated queries are disabled on this endpoint" if not allowed else
                    "allowed endpoints: " + ", ".join(sorted(allowed)))
            raise ApiError(403, f"SERVICE to {what} is not allowed; {hint}", title="Federation refused")


def check_nesting(text: str) -> None:
    """Refuse a query or update nested deeper than :data:`kg.sparql_text.MAX_NESTING` levels
    (the parser recurses per level and a deep enough text overflows its stack).

    :raises ApiError: 400.
    """
    if text.count("{") + text.count("(") + text.count("[") > MAX_NESTING and nesting_depth(text) > MAX_NESTING:
        raise ApiError(400, f"the query nests brackets deeper than {MAX_NESTING} levels", title="Malformed query")
