"""A bounded in-process LRU cache of serialised query answers, and the strong ETag that goes
with them (dataset version + representation)."""
from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict


class ResultCache:
    """Least-recently-used cache holding at most ``max_bytes`` of answer bodies (0 disables).

    >>> c = ResultCache(10)
    >>> c.put("a", b"12345"); c.put("b", b"123456"); c.get("a") is None
    True
    """

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._items: OrderedDict = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    @staticmethod
    def _weight(value) -> int:
        if isinstance(value, tuple):
            return sum(len(v) for v in value if isinstance(v, bytes)) + 200
        return len(value if isinstance(value, bytes) else getattr(value, "body", b"")) + 200

    def get(self, key):
        """The cached value, or None."""
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        """Store ``value``; evict the oldest entries beyond the size budget."""
        weight = self._weight(value)
        if weight > self.max_bytes:
            return
        with self._lock:
            if key in self._items:
                self._size -= self._weight(self._items.pop(key))
            self._items[key] = value
            self._size += weight
            while self._size > self.max_bytes:
                _, old = self._items.popitem(last=False)
                self._size -= self._weight(old)


def etag(version: str, *parts) -> str:
    """A strong ETag (unquoted) for one representation of the data at ``version``.

    >>> etag("v1", "q", "json") == etag("v1", "q", "json") != etag("v2", "q", "json")
    True
    """
    return hashlib.sha256(repr((version,) + parts).encode()).hexdigest()[:32]
