"""Dataset statistics for VoID, computed once per ingest (whole-store counts are slow to do per
request): triples, entities, class and property partitions, graphs per kind."""
from __future__ import annotations

import pyoxigraph as ox

from kg.describe import bind
from kg.store import Store

CLASSES = "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c"
PROPERTIES = "SELECT ?p (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?p"
ENTITIES = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o FILTER(isIRI(?s) && STRSTARTS(STR(?s), ?space)) }"


def compute(store: Store, base: str) -> dict:
    """Return ``{"triples", "entities", "graphs", "classes": {iri: n}, "properties": {iri: n}}``.

    ``triples`` counts quads (a statement made in two release graphs counts twice), as the
    N-Quads dump holds them.
    """
    classes = {r["c"].value: int(r["n"].value) for r in store.query(CLASSES) if isinstance(r["c"], ox.NamedNode)}
    props = {r["p"].value: int(r["n"].value) for r in store.query(PROPERTIES)}
    entities = next(iter(store.query(bind(ENTITIES, space=ox.Literal(base + "id/")))))["n"]
    graphs: dict[str, int] = {}
    for g in store.graphs():
        kind = g[len(base + "graph/"):].split("/", 1)[0] if g.startswith(base + "graph/") else "other"
        graphs[kind] = graphs.get(kind, 0) + 1
    return {"triples": sum(props.values()), "entities": int(entities.value), "graphs": graphs,
            "classes": classes, "properties": props}
