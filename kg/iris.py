"""IRI minting: one function per resource kind, all relative to the configured base IRI.

Things live at ``{base}id/{kind}/{slug}``; graphs at ``{base}graph/...``; ontology terms at
``{base}ontology#Term``. Slugs are readable, stable across renames and contain no dots (so a
``.ttl`` suffix on a data URL is never ambiguous).
"""
from __future__ import annotations

import hashlib
import re
import unicodedata

KINDS = ("organization", "state", "partner", "country", "institution", "body", "secretariat-unit",
         "field-operation", "chairpersonship", "person", "event", "release", "field-of-work", "meeting-type",
         "place", "post", "role", "scheme", "content-type", "tenure", "membership", "software")


def slug(text: str) -> str:
    """Return a readable ASCII slug (no dots).

    >>> slug("Zbigniew Rau")
    'zbigniew-rau'
    >>> slug("Prishtinë/Priština")
    'prishtine-pristina'
    """
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or hashlib.sha1(text.encode()).hexdigest()[:10]


class Minter:
    """Mints every IRI of the dataset for one base IRI.

    >>> m = Minter("http://127.0.0.1:8080/")
    >>> m.thing("state", "albania")
    'http://127.0.0.1:8080/id/state/albania'
    >>> m.term("Release")
    'http://127.0.0.1:8080/ontology#Release'
    """

    def __init__(self, base: str):
        if not re.match(r"^https?://[^/]+/(.*/)?$", base):
            raise ValueError(f"base IRI must be an http(s) IRI ending in '/': {base!r}")
        self.base = base

    @property
    def ontology(self) -> str:
        """The ontology's own IRI (its namespace without the ``#``)."""
        return self.base + "ontology"

    @property
    def namespace(self) -> str:
        """The namespace of ontology terms."""
        return self.base + "ontology#"

    def term(self, name: str) -> str:
        """An ontology term."""
        return self.namespace + name

    def thing(self, kind: str, key: str) -> str:
        """A thing of ``kind`` with slug ``key``."""
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}")
        return f"{self.base}id/{kind}/{key}"

    def graph(self, name: str) -> str:
        """A named graph: ``ontology``, ``refdata``, ``meta`` or ``release/<slug>``."""
        return f"{self.base}graph/{name}"

    def release_graph(self, release_slug: str) -> str:
        """The named graph holding one release's statements."""
        return self.graph(f"release/{release_slug}")

    def split(self, iri: str) -> tuple[str, str] | None:
        """Return ``(kind, slug)`` for a thing IRI of this base, else None.

        >>> Minter("http://x.org/").split("http://x.org/id/person/jan-kubis")
        ('person', 'jan-kubis')
        """
        m = re.match(re.escape(self.base) + r"id/([a-z-]+)/([^/?#]+)$", iri)
        return (m.group(1), m.group(2)) if m else None
