"""THE format table: one row per serialisation, driving parsing, serialising and content
negotiation everywhere (CLI, store, SPARQL endpoint, linked-data documents, dumps).

A format is found by its short name (``turtle``), any of its media types
(``text/turtle``), its file extension (``ttl``) or one of the aliases clients send in
``format=``/``output=`` parameters (SPARQLWrapper sends ``json``, ``xml``, ``n3``...).
"""
from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from kg.errors import UnsupportedFormat


@dataclass(frozen=True)
class Format:
    """One serialisation.

    ``kind`` is ``rdf`` (graphs), ``results`` (SPARQL SELECT/ASK results) or ``html``.
    ``quads`` is True for dataset formats that keep graph names (N-Quads, TriG).
    """

    name: str
    media_types: tuple[str, ...]
    extension: str
    kind: str
    ox: ox.RdfFormat | ox.QueryResultsFormat | None = None
    rdflib: str | None = None
    quads: bool = False
    aliases: tuple[str, ...] = ()
    text: bool = True
    #: the format's IRI in http://www.w3.org/ns/formats/ (service descriptions cite it)
    w3c: str | None = None

    @property
    def media_type(self) -> str:
        """The canonical media type (the first one listed)."""
        return self.media_types[0]

    @property
    def content_type(self) -> str:
        """The Content-Type header value, with ``charset=utf-8`` on text formats.

        >>> by_name("turtle").content_type
        'text/turtle; charset=utf-8'
        """
        return f"{self.media_type}; charset=utf-8" if self.text else self.media_type


W3C = "http://www.w3.org/ns/formats/"

FORMATS: tuple[Format, ...] = (
    Format("json", ("application/sparql-results+json", "application/json"), "srj", "results",
           ox.QueryResultsFormat.JSON, "json", w3c=W3C + "SPARQL_Results_JSON", aliases=("json", "srj")),
    Format("xml", ("application/sparql-results+xml",), "srx", "results",
           ox.QueryResultsFormat.XML, "xml", w3c=W3C + "SPARQL_Results_XML", aliases=("xml", "srx")),
    Format("csv", ("text/csv",), "csv", "results", ox.QueryResultsFormat.CSV, "csv", w3c=W3C + "SPARQL_Results_CSV", aliases=("csv",)),
    Format("tsv", ("text/tab-separated-values",), "tsv", "results", ox.QueryResultsFormat.TSV, "tsv",
           w3c=W3C + "SPARQL_Results_TSV", aliases=("tsv",)),
    Format("turtle", ("text/turtle", "application/x-turtle"), "ttl", "rdf", ox.RdfFormat.TURTLE, "turtle",
           w3c=W3C + "Turtle", aliases=("ttl", "turtle")),
    Format("ntriples", ("application/n-triples", "text/plain"), "nt", "rdf", ox.RdfFormat.N_TRIPLES, "nt",
           w3c=W3C + "N-Triples", aliases=("nt", "ntriples", "n-triples")),
    Format("rdfxml", ("application/rdf+xml", "application/xml", "text/xml"), "rdf", "rdf", ox.RdfFormat.RDF_XML,
           "xml", w3c=W3C + "RDF_XML", aliases=("rdf", "rdfxml", "rdf+xml", "xml")),
    Format("jsonld", ("application/ld+json",), "jsonld", "rdf", ox.RdfFormat.JSON_LD, "json-ld",
           w3c=W3C + "JSON-LD", aliases=("jsonld", "json-ld")),
    Format("n3", ("text/n3",), "n3", "rdf", ox.RdfFormat.N3, "n3", w3c=W3C + "N3", aliases=("n3",)),
    Format("nquads", ("application/n-quads",), "nq", "rdf", ox.RdfFormat.N_QUADS, "nquads", quads=True,
           w3c=W3C + "N-Quads", aliases=("nq", "nquads", "n-quads")),
    Format("trig", ("application/trig",), "trig", "rdf", ox.RdfFormat.TRIG, "trig", quads=True, w3c=W3C + "TriG", aliases=("trig",)),
    Format("html", ("text/html", "application/xhtml+xml"), "html", "html", aliases=("html",)),
)


def by_name(name: str) -> Format:
    """Return the format with this short name.

    :raises UnsupportedFormat: for an unknown name.
    """
    for f in FORMATS:
        if f.name == name:
            return f
    raise UnsupportedFormat(f"unknown format {name!r}; known: {', '.join(f.name for f in FORMATS)}")


def by_media_type(media_type: str, kind: str | None = None) -> Format | None:
    """Return the format serving ``media_type`` (parameters ignored), preferring ``kind``.

    >>> by_media_type("application/json").name
    'json'
    >>> by_media_type("application/xml", kind="rdf").name
    'rdfxml'
    """
    bare = media_type.split(";")[0].strip().lower()
    matches = [f for f in FORMATS if bare in f.media_types]
    preferred = [f for f in matches if kind is None or f.kind == kind]
    return (preferred or matches or [None])[0]


def by_extension(ext: str) -> Format | None:
    """Return the format whose file extension is ``ext`` (without the dot).

    >>> by_extension("ttl").name
    'turtle'
    """
    ext = ext.lower().lstrip(".")
    return next((f for f in FORMATS if f.extension == ext), None)


def by_alias(alias: str, kinds: tuple[str, ...]) -> Format | None:
    """Resolve a ``format=``/``output=`` parameter value: an alias, a name or a media type.

    ``kinds`` says which kinds are acceptable, in order of preference, so that ``xml``
    means SPARQL XML results for a SELECT and RDF/XML for a CONSTRUCT.

    >>> by_alias("xml", ("rdf",)).name
    'rdfxml'
    >>> by_alias("text/tab-separated-values", ("results",)).name
    'tsv'
    """
    a = alias.strip().lower()
    for kind in kinds:
        for f in FORMATS:
            if f.kind == kind and (a in f.aliases or a == f.name or a in f.media_types):
                return f
    return None


def of_kind(kind: str) -> tuple[Format, ...]:
    """All formats of a kind, in table order (the first is the default)."""
    return tuple(f for f in FORMATS if f.kind == kind)


def for_path(path: str) -> Format:
    """Guess an RDF file's format from its name (``data.ttl``, ``dump.nq.gz``).

    :raises UnsupportedFormat: when the extension is not an RDF format.
    """
    name = path.lower().removesuffix(".gz")
    f = by_extension(name.rsplit(".", 1)[-1]) if "." in name else None
    if f is None or f.kind != "rdf":
        raise UnsupportedFormat(f"cannot tell the RDF format of {path!r} from its extension")
    return f
