"""A thing's data for its linked-data document, with explicit queries (never the store's DESCRIBE).

A description holds, as quads that keep the graph each statement came from:

* the thing's outgoing statements, and those of the blank nodes and hash sub-resources
  (``{iri}#participation``, ``{iri}#name-1``) it points to, two levels deep; a hash IRI
  dereferences to its parent's document, so the parent must describe it;
* one page of its incoming links (hubs such as a State are mentioned by thousands of releases);
* the labels of everything it links to or is linked from.

Triple formats cannot carry graph names, so :func:`annotated_ntriples` restates the provenance
with RDF reification: each statement gets an ``rdf:Statement`` with ``prov:wasDerivedFrom``
pointing at its named graph.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.store import Store

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
PROV_DERIVED = ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
FOAF = "http://xmlns.com/foaf/0.1/"
HYDRA = "http://www.w3.org/ns/hydra/core#"
DCTERMS = "http://purl.org/dc/terms/"

# a node that belongs to the thing's document: a blank node or one of its hash IRIs
_OWN = 'FILTER(isBlank({v}) || STRSTARTS(STR({v}), CONCAT(STR(?this), "#")))'
OUTGOING = f"""
SELECT ?s ?p ?o ?g WHERE {{
  {{ GRAPH ?g {{ ?this ?p ?o }} BIND(?this AS ?s) }}
  UNION {{ GRAPH ?g {{ ?this ?p1 ?s . {_OWN.format(v="?s")} ?s ?p ?o }} }}
  UNION {{ GRAPH ?g {{ ?this ?p1 ?b . {_OWN.format(v="?b")} ?b ?p2 ?s . {_OWN.format(v="?s")} ?s ?p ?o }} }}
  UNION {{ GRAPH ?g {{ ?this ?p1 ?b . {_OWN.format(v="?b")} ?b ?p2 ?c . {_OWN.format(v="?c")}
                       ?c ?p3 ?s . {_OWN.format(v="?s")} ?s ?p ?o }} }}
}}"""

INCOMING = "SELECT ?s ?p ?g WHERE {{ GRAPH ?g {{ ?s ?p ?this }} FILTER isIRI(?s) }} LIMIT {limit} OFFSET {offset}"
INCOMING_BY = ("SELECT ?s ?g WHERE {{ GRAPH ?g {{ ?s ?prop ?this }} FILTER isIRI(?s) }} "
               "LIMIT {limit} OFFSET {offset}")
INCOMING_COUNTS = "SELECT ?p (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?this } FILTER isIRI(?s) } GROUP BY ?p"
EXISTS = "ASK { { ?this ?p ?o } UNION { ?s ?p ?this } }"
LABELS = "SELECT ?x ?l ?g WHERE { VALUES ?x { %s } GRAPH ?g { ?x <http://www.w3.org/2000/01/rdf-schema#label> ?l } }"
LABELS_IN = "SELECT ?x ?l ?g WHERE { VALUES (?x ?g) { %s } GRAPH ?g { ?x <http://www.w3.org/2000/01/rdf-schema#label> ?l } }"

PAGE_SIZE = 100


def bind(query: str, **terms: ox.NamedNode | ox.Literal) -> str:
    """Put RDF terms in place of ``?name`` variables (pyoxigraph's substitutions need the
    variable projected). Terms are serialised by pyoxigraph, which validated them, so an IRI
    taken from a URL cannot inject SPARQL.

    >>> bind("ASK { ?this ?p ?o }", this=ox.NamedNode("http://x.org/a"))
    'ASK { <http://x.org/a> ?p ?o }'
    """
    for name, term in terms.items():
        query = re.sub(r"\?" + name + r"\b", lambda _m: str(term), query)
    return query


@dataclass
class Description:
    """What the store says about one thing (see the module docstring)."""

    iri: str
    outgoing: list[ox.Quad]
    incoming: list[ox.Quad]
    labels: list[ox.Quad]
    incoming_counts: dict[str, int] = field(default_factory=dict)
    page: int = 1
    page_size: int = PAGE_SIZE
    has_next: bool = False

    @property
    def quads(self) -> list[ox.Quad]:
        """Every statement of the description, each in the graph it came from."""
        return [*self.outgoing, *self.incoming, *self.labels]

    @property
    def incoming_total(self) -> int:
        """How many incoming links the thing has in all (over all pages)."""
        return sum(self.incoming_counts.values())


def exists(store: Store, iri: str) -> bool:
    """True when the store holds any statement with ``iri`` as subject or object."""
    return bool(store.query(bind(EXISTS, this=ox.NamedNode(iri))))


def outgoing(store: Store, iri: str) -> list[ox.Quad]:
    """The thing's statements and those of its blank nodes, each in its named graph."""
    quads = (ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in store.query(bind(OUTGOING, this=ox.NamedNode(iri))))
    return list(dict.fromkeys(quads))  # a statement reached by two paths is listed once


def incoming(store: Store, iri: str, *, prop: str | None = None, limit: int = PAGE_SIZE,
             offset: int = 0) -> list[ox.Quad]:
    """One page of the links pointing at the thing (optionally through one property only)."""
    this = ox.NamedNode(iri)
    if prop is None:
        rows = store.query(bind(INCOMING.format(limit=limit, offset=offset), this=this))
        return [ox.Quad(r["s"], r["p"], this, r["g"]) for r in rows]
    p = ox.NamedNode(prop)
    rows = store.query(bind(INCOMING_BY.format(limit=limit, offset=offset), this=this, prop=p))
    return [ox.Quad(r["s"], p, this, r["g"]) for r in rows]


def incoming_counts(store: Store, iri: str) -> dict[str, int]:
    """Number of incoming links per property."""
    return {r["p"].value: int(r["n"].value)
            for r in store.query(bind(INCOMING_COUNTS, this=ox.NamedNode(iri)))}


def labels(store: Store, iris: set[str], *, where: dict[str, set[str]] | None = None) -> list[ox.Quad]:
    """The ``rdfs:label`` statements of the given IRIs, in their graphs.

    ``where`` maps IRIs to the graphs to look in (where they were linked, the reference data):
    a person or place named in thousands of releases is labelled in each of their graphs, and
    fetching every one of those labels is slow. IRIs found in none of their graphs (things of
    the reference data linked from releases, ontology terms) are then looked up everywhere.
    """
    if not iris:
        return []
    out: list[ox.Quad] = []
    missing = set(iris)
    pairs = " ".join(f"(<{x}> <{g}>)" for x in sorted(iris) for g in sorted((where or {}).get(x, ())))
    if pairs:
        out = [ox.Quad(r["x"], RDFS_LABEL, r["l"], r["g"]) for r in store.query(LABELS_IN % pairs)]
        missing -= {q.subject.value for q in out}
    if missing:
        values = " ".join(f"<{i}>" for i in sorted(missing))
        out += [ox.Quad(r["x"], RDFS_LABEL, r["l"], r["g"]) for r in store.query(LABELS % values)]
    return out


def label_sources(quads: list[ox.Quad]) -> dict[str, set[str]]:
    """For :func:`labels`: each IRI of ``quads`` -> the named graphs it occurs in."""
    where: dict[str, set[str]] = {}
    for q in quads:
        g = {q.graph_name.value} if isinstance(q.graph_name, ox.NamedNode) else set()
        for term in (q.subject, q.predicate, q.object):
            if isinstance(term, ox.NamedNode):
                where.setdefault(term.value, set()).update(g)
    return where


def label_map(quads: list[ox.Quad], lang: str = "en") -> dict[str, str]:
    """IRI -> one label, preferring ``lang`` then untagged literals."""
    out: dict[str, tuple[int, str]] = {}
    for q in quads:
        if q.predicate != RDFS_LABEL or not isinstance(q.object, ox.Literal):
            continue
        rank = 0 if q.object.language == lang else 1 if not q.object.language else 2
        key = q.subject.value
        if key not in out or rank < out[key][0]:
            out[key] = (rank, q.object.value)
    return {k: v for k, (_, v) in out.items()}


def describe(store: Store, iri: str, *, page: int = 1, page_size: int = PAGE_SIZE,
             counts: dict[str, int] | None = None) -> Description:
    """The description of ``iri`` with page ``page`` of its incoming links.

    The page holds ``page_size`` links; ``has_next`` says whether another page exists.
    ``counts`` are the incoming links per property when known (the side index has them; a
    SPARQL ``GROUP BY`` over a hub's links is slow); otherwise they are queried. Labels are
    looked up in the graphs where each thing is linked first.
    """
    out = outgoing(store, iri)
    inc = incoming(store, iri, limit=page_size + 1, offset=(page - 1) * page_size)
    has_next = len(inc) > page_size
    inc = inc[:page_size]
    linked = {q.object.value for q in out if isinstance(q.object, ox.NamedNode)}
    linked |= {q.subject.value for q in inc}
    linked.add(iri)
    if counts is None:
        counts = incoming_counts(store, iri) if (inc or page > 1) else {}
    found = labels(store, linked, where=label_sources(out + inc))
    return Description(iri, out, inc, found, counts, page, page_size, has_next)


def document_quads(desc: Description, doc: str, *, next_doc: str | None = None,
                   dataset: str | None = None) -> list[ox.Quad]:
    """Statements about the data document itself (default graph): its topic and paging."""
    d, t = ox.NamedNode(doc), ox.NamedNode(desc.iri)
    dg = ox.DefaultGraph()
    out = [ox.Quad(d, ox.NamedNode(RDF + "type"), ox.NamedNode(FOAF + "Document"), dg),
           ox.Quad(d, ox.NamedNode(FOAF + "primaryTopic"), t, dg),
           ox.Quad(d, ox.NamedNode(HYDRA + "totalItems"), ox.Literal(str(desc.incoming_total),
                   datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")), dg)]
    if next_doc:
        out.append(ox.Quad(d, ox.NamedNode(HYDRA + "next"), ox.NamedNode(next_doc), dg))
    if dataset:
        out.append(ox.Quad(d, ox.NamedNode("http://rdfs.org/ns/void#inDataset"), ox.NamedNode(dataset), dg))
    return out


def annotated_ntriples(quads: list[ox.Quad]) -> str:
    """The triples of ``quads`` as N-Triples, plus, for every statement made in a named graph, a
    reified ``rdf:Statement`` that is ``prov:wasDerivedFrom`` that graph (provenance for triple
    formats). Statements about blank nodes are not reified.

    Built as text: constructing thousands of pyoxigraph terms one by one costs more than the
    rest of the request.

    >>> a, g = ox.NamedNode("http://x.org/a"), ox.NamedNode("http://x.org/g")
    >>> print(annotated_ntriples([ox.Quad(a, a, ox.Literal("v"), g)]).splitlines()[-1])
    _:prov0 <http://www.w3.org/ns/prov#wasDerivedFrom> <http://x.org/g> .
    """
    seen: set[str] = set()
    lines: list[str] = []
    notes: list[str] = []
    text = ox.serialize(quads, format=ox.RdfFormat.N_QUADS).decode()  # one line per quad, in order
    for q, line in zip(quads, text.splitlines()):
        graph = q.graph_name
        if isinstance(graph, ox.DefaultGraph):
            named = False
        else:
            named, line = isinstance(graph, ox.NamedNode), line[:-len(f" {graph} .")] + " ."
        if line not in seen:
            seen.add(line)
            lines.append(line)
        if not named or line.startswith("_:"):
            continue
        s, p, o = line[:-2].split(" ", 2)
        if o.startswith("_:"):
            continue
        b = f"_:prov{len(notes)}"
        notes.append(f"{b} <{RDF}type> <{RDF}Statement> .\n{b} <{RDF}subject> {s} .\n{b} <{RDF}predicate> {p} .\n"
                     f"{b} <{RDF}object> {o} .\n{b} <{PROV_DERIVED.value}> {graph} .")
    return "\n".join(lines + notes) + "\n"
