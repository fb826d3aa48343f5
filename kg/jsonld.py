"""Compact JSON-LD for data documents, against the context the server publishes.

The documents reference the context by URL (``{base}ontology/context.jsonld``), so a client
needs nothing from elsewhere. Compaction here is deliberately simple and always safe: a property
gets its term name when the context defines one, else a compact IRI (``skos:altLabel``) when a
prefix matches, else the full IRI; a value is written as a bare string only when the term's
type coercion says exactly how to read it back (``@id`` for IRIs, the literal's datatype, or an
untyped term for plain strings), and as an expanded value object otherwise. Expanding the
result with any JSON-LD 1.1 processor gives back the same triples (tests/test_ld_parsers.py
checks it with pyld).
"""
from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
GEN_DELIMS = ("#", "/", ":", "?", "[", "]", "@")


class Compactor:
    """Compacts triples against one JSON-LD context (a ``{"@context": {...}}`` document).

    >>> c = Compactor({"@context": {"ex": "http://x.org/", "name": "ex:name",
    ...                             "knows": {"@id": "ex:knows", "@type": "@id"}}}, "http://x.org/ctx")
    >>> a, b = ox.NamedNode("http://x.org/a"), ox.NamedNode("http://x.org/b")
    >>> c.compact([ox.Triple(a, ox.NamedNode("http://x.org/knows"), b),
    ...            ox.Triple(a, ox.NamedNode("http://x.org/name"), ox.Literal("A"))])["@graph"]
    [{'@id': 'http://x.org/a', 'knows': 'http://x.org/b', 'name': 'A'}]
    """

    def __init__(self, context: dict, url: str):
        self.url = url
        ctx = context["@context"]
        self.prefixes: list[tuple[str, str]] = []  # (namespace, prefix), longest namespace first
        self.terms: dict[str, tuple[str, str | None]] = {}  # IRI -> (term, coercion)
        for name, d in sorted(ctx.items()):
            if name.startswith("@"):
                continue
            if isinstance(d, str):
                iri = self._expand(ctx, d)
                if iri.endswith(GEN_DELIMS):
                    self.prefixes.append((iri, name))
                else:
                    self.terms.setdefault(iri, (name, None))
            elif isinstance(d, dict) and "@id" in d and "@reverse" not in d and "@container" not in d \
                    and "@language" not in d:
                t = d.get("@type")
                coercion = t if t in (None, "@id") else self._expand(ctx, t)
                self.terms.setdefault(self._expand(ctx, d["@id"]), (name, coercion))
        self.prefixes.sort(key=lambda p: -len(p[0]))

    @staticmethod
    def _expand(ctx: dict, value: str) -> str:
        prefix, sep, suffix = value.partition(":")
        if sep and not suffix.startswith("//") and isinstance(ctx.get(prefix), str):
            return ctx[prefix] + suffix
        return value

    def curie(self, iri: str) -> str:
        """A compact IRI (``prefix:suffix``) for ``iri`` when a prefix matches, else ``iri``."""
        for ns, prefix in self.prefixes:
            if iri.startswith(ns) and len(iri) > len(ns) and not iri[len(ns):].startswith("//"):
                return f"{prefix}:{iri[len(ns):]}"
        return iri

    def _type_name(self, iri: str) -> str:
        term = self.terms.get(iri)
        return term[0] if term else self.curie(iri)

    def _value(self, o, coercion: str | None):
        if isinstance(o, ox.NamedNode):
            return o.value if coercion == "@id" else {"@id": o.value}
        if isinstance(o, ox.BlankNode):
            return {"@id": f"_:{o.value}"}
        if o.language:
            return {"@value": o.value, "@language": o.language}
        dt = o.datatype.value
        if dt == XSD_STRING:
            return o.value if coercion is None else {"@value": o.value}
        if coercion == dt:
            return o.value
        return {"@value": o.value, "@type": self.curie(dt)}

    def compact(self, triples: Iterable[ox.Triple]) -> dict:
        """The triples as a compacted JSON-LD document (one node object per subject, in order of
        first appearance) that names the context by URL."""
        nodes: dict[str, dict] = {}
        for t in triples:
            s = t.subject.value if isinstance(t.subject, ox.NamedNode) else f"_:{t.subject.value}"
            node = nodes.setdefault(s, {"@id": s})
            p = t.predicate.value
            if p == RDF_TYPE and isinstance(t.object, ox.NamedNode):
                key, value = "@type", self._type_name(t.object.value)
            else:
                name, coercion = self.terms.get(p, (self.curie(p), None))
                key, value = name, self._value(t.object, coercion)
            if key not in node:
                node[key] = value
            elif isinstance(node[key], list):
                node[key].append(value)
            else:
                node[key] = [node[key], value]
        return {"@context": self.url, "@graph": list(nodes.values())}
